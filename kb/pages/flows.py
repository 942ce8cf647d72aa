"""Supplier -> recipient flows from the register's deliveries, top-N with an "other" bucket.

Weights are TIV delivered (SIPRI millions) or units delivered, per delivery year in a window; a
deal delivered over several years counts in each year by its per-year number where the register
gives one, else evenly (as in `armskb.pages.profile`). HTML is an interactive plotly Sankey
(`armskb.pages.render`); static SVG/PNG an alluvial diagram (`armskb.pages.static`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Literal as Lit

from pydantic import BaseModel
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Identifier, URIRef

from armskb import namespace as ns
from armskb.pages.profile import spread_years
from armskb.pages.source import QuerySource, select

Weight = Lit["tiv", "units"]
OTHER_SUPPLIERS = "other suppliers"
OTHER_RECIPIENTS = "other recipients"


class Link(BaseModel):
    supplier: str
    recipient: str
    value: float


class Flows(BaseModel):
    """The flows to draw and what they were selected by."""

    title: str
    unit: str
    since: int
    until: int
    links: list[Link]
    total: float


def _label(iri: str, name: str) -> str:
    """A party as SIPRI spells it, without its non-state marks ('Houthi rebels (Yemen)*')."""
    return name.rstrip("*").strip() if name else ns.parse_party(iri) or iri


def flows(store: QuerySource, since: int, until: int | None = None, *, category: URIRef | None = None,
          supplier: URIRef | None = None, weight: Weight = "tiv", top: int = 10,
          title: str | None = None) -> Flows:
    """The top `top` suppliers and recipients by weight; the rest go into "other" buckets."""
    b: dict[str, Identifier] = {"since": Literal(since, datatype=XSD.integer)}
    if until is not None:
        b["until"] = Literal(until, datatype=XSD.integer)
    if category is not None:
        b["category"] = category
    if supplier is not None:
        b["supplier"] = supplier
    pair: dict[tuple[str, str], float] = defaultdict(float)
    last = since
    for r in select(store, "flows", b):
        supplier, recipient, s_name, r_name, tiv, qd, years = str(r["row"]).split("\t")
        delivered = int(qd) if qd.isdigit() else None
        value = float(tiv) if weight == "tiv" and tiv else float(delivered or 0) if weight == "units" else 0.0
        key = (_label(supplier, s_name), _label(recipient, r_name))
        for year, frac in spread_years(years, delivered):
            if since <= year <= (until if until is not None else year):
                pair[key] += value * frac
                last = max(last, year)
    links = _top(pair, top)
    unit = "TIV (millions)" if weight == "tiv" else "units"
    what = "TIV delivered" if weight == "tiv" else "units delivered"
    until = until if until is not None else last
    return Flows(title=f"{title or 'Arms transfers'} {since}–{until}: {what}", unit=unit, since=since,
                 until=until, links=links, total=round(sum(pair.values()), 3))


def _top(pair: Mapping[tuple[str, str], float], top: int) -> list[Link]:
    by_s: dict[str, float] = defaultdict(float)
    by_r: dict[str, float] = defaultdict(float)
    for (s, r), v in pair.items():
        by_s[s] += v
        by_r[r] += v
    keep_s = {s for s, _ in sorted(by_s.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    keep_r = {r for r, _ in sorted(by_r.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    merged: dict[tuple[str, str], float] = defaultdict(float)
    for (s, r), v in pair.items():
        if v > 0:
            merged[(s if s in keep_s else OTHER_SUPPLIERS, r if r in keep_r else OTHER_RECIPIENTS)] += v
    return [Link(supplier=s, recipient=r, value=round(v, 3))
            for (s, r), v in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))]
