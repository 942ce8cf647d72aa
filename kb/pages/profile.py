"""A state's profile as data: its reconciled transfers, their sources, deliveries per year, shares.

Read from the transfers graph (reconciled deals) and what supports each transfer (register deals
and news claims), through the internal queries `queries/internal/page-*.rq`. The page renderer only
formats what this module returns, so the same data serves HTML, tests and the Python API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Literal as Lit

import pycountry
from pydantic import BaseModel
from rdflib import Literal
from rdflib.term import Identifier

from armskb import namespace as ns
from armskb.vocab import ARMS
from armskb.pages.source import QuerySource, select

Role = Lit["recipient", "supplier"]


class Evidence(BaseModel):
    """One news claim behind a transfer, with the sentence that supports it."""

    claim: str
    status: str
    quantity: int | None = None
    date: str | None = None
    quote: str | None = None
    url: str | None = None
    title: str | None = None
    in_comment: bool = False
    hedged: bool = False


class TransferRow(BaseModel):
    """One reconciled transfer as a register-style row; `anchor` names it on its page."""

    iri: str
    partner: str | None
    partner_label: str
    system: str
    system_iri: str
    designation: str | None = None
    category: str | None = None
    ordered: int | None = None
    delivered: int | None = None
    order_year: int | None = None
    delivery_years: list[int] = []
    status: str
    sources: int = 0
    news_only: bool = False
    register_only: bool = False
    conflicts: dict[str, list[str]] = {}
    evidence: list[Evidence] = []
    tiv_delivered: float | None = None

    @property
    def anchor(self) -> str:
        """The row's id on the page: the transfer's local name (stable across renders)."""
        return "t-" + (ns.parse_transfer(self.iri) or ns.digest(self.iri))


class YearPoint(BaseModel):
    """Deliveries in one year: TIV (millions) and units, from the register."""

    year: int
    tiv: float = 0.0
    units: float = 0.0


class NewsMark(BaseModel):
    """A dated news claim, placed on the timeline by its stage."""

    year: int
    status: str
    label: str


class Share(BaseModel):
    """One partner's share of delivered TIV over a window of years."""

    partner: str
    tiv: float
    percent: float


class Profile(BaseModel):
    """Everything a country profile shows."""

    code: str
    name: str
    role: Role
    transfers: list[TransferRow]
    timeline: list[YearPoint]
    news_marks: list[NewsMark]
    shares: dict[str, list[Share]]  # window label ("last 5 years") -> shares, largest first
    latest_year: int | None

    @property
    def news_ahead(self) -> list[TransferRow]:
        """Transfers known only from the news (not yet in the register)."""
        return [t for t in self.transfers if t.news_only]

    @property
    def with_conflicts(self) -> list[TransferRow]:
        return [t for t in self.transfers if t.conflicts]


def _int(v: Identifier | None) -> int | None:
    return int(v) if isinstance(v, Literal) else None  # type: ignore[arg-type]


def _float(v: Identifier | None) -> float | None:
    return float(v) if isinstance(v, Literal) else None  # type: ignore[arg-type]


def _num(text: str) -> int | None:
    return int(text) if text.lstrip("-").isdigit() else None


def _str(v: Identifier | None) -> str | None:
    return str(v) if v is not None else None


def display_name(code: str, fallback: str | None = None) -> str:
    """A state's short English name ('Iran', not 'Iran, Islamic Republic of')."""
    c = pycountry.countries.get(alpha_3=code)
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    return fallback or code


def _label(iri: str | None, label: str | None) -> str:
    code = ns.parse_state(iri)
    if code:
        return display_name(code, label)
    return label or ns.parse_organization(iri) or "unknown"


def country_profile(store: QuerySource, code: str, name: str, role: Role = "recipient") -> Profile:
    """The profile of state `code` as recipient (its imports) or supplier (its exports)."""
    me, other, other_name = ((ARMS.recipient, ARMS.supplier, ARMS.supplierName) if role == "recipient"
                             else (ARMS.supplier, ARMS.recipient, ARMS.recipientName))
    b: dict[str, Identifier] = {"country": ns.state(code), "role": me}
    rows: dict[str, TransferRow] = {}
    for r in select(store, "profile-transfers", {**b, "other": other}):
        (iri, partner_iri, partner_label, system_iri, system_label, qo, qd, oy, status_iri, status_label,
         sources, years) = str(r["row"]).split("\t")
        partner = partner_iri or None
        rows[iri] = TransferRow(
            iri=iri, partner=partner, partner_label=_label(partner, partner_label or None),
            system=system_label, system_iri=system_iri, ordered=_num(qo), delivered=_num(qd),
            order_year=_num(oy), delivery_years=sorted({int(y) for y in years.split() if y.isdigit()}),
            status=status_label or ns.parse_status(status_iri) or "unknown", sources=_num(sources) or 0,
        )
    per_year: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    partner_year_tiv: dict[tuple[str, int], float] = defaultdict(float)
    sipri_names: dict[str, str] = {}
    with_register: set[str] = set()
    for first in select(store, "profile-register", {**b, "other_name": other_name}):
        t = str(first["t"])
        row = rows.get(t)
        if row is None:
            continue
        with_register.add(t)
        if row.partner and first.get("partner_name") is not None:
            sipri_names.setdefault(row.partner, str(first["partner_name"]).rstrip("*").strip())
        row.designation = row.designation or _str(first.get("designation"))
        row.category = row.category or _str(first.get("sipri_category"))
        tiv = _float(first.get("tiv_delivered"))
        if tiv is not None:
            row.tiv_delivered = (row.tiv_delivered or 0.0) + tiv
        delivered = _int(first.get("qd"))
        for y, frac in spread_years(str(first.get("deliveries") or ""), delivered):
            per_year[y][1] += frac * (delivered or 0)
            if tiv is not None:
                per_year[y][0] += frac * tiv
                partner_year_tiv[(row.partner or row.partner_label, y)] += frac * tiv
    claims_of: dict[str, list[Evidence]] = defaultdict(list)
    marks: list[NewsMark] = []
    for r in select(store, "profile-claims", b):
        t = str(r["t"])
        ev = Evidence(
            claim=str(r["claim"]), status=_str(r.get("status_label")) or "unknown",
            quantity=_int(r.get("quantity")), date=_str(r.get("date")), quote=_str(r.get("quote")),
            url=_str(r.get("url")), title=_str(r.get("title")),
            in_comment=str(r.get("in_comment")) == "true", hedged=str(r.get("hedged")) == "true",
        )
        claims_of[t].append(ev)
        if ev.date and ev.date[:4].isdigit() and t in rows:
            marks.append(NewsMark(year=int(ev.date[:4]), status=ev.status,
                                  label=f"{rows[t].system} ({rows[t].partner_label}): {ev.status}"))
    for t, evs in claims_of.items():
        if t in rows:
            rows[t].evidence = sorted(evs, key=lambda e: (e.date or "", e.claim))
    for r in select(store, "profile-conflicts", b):
        t = str(r["t"])
        if t in rows:
            rows[t].conflicts.setdefault(str(r["field"]), []).append(str(r["value"]))
    for t, row in rows.items():
        if not row.system:  # a system the reference data does not know: SIPRI's designation, else the slug
            row.system = row.designation or ns.parse_system(row.system_iri) or row.system_iri
        if row.partner in sipri_names:
            row.partner_label = sipri_names[row.partner]
        row.news_only = t not in with_register
        row.register_only = t in with_register and not row.evidence
        for vals in row.conflicts.values():
            vals.sort()
    latest = max(per_year) if per_year else None
    timeline = [YearPoint(year=y, tiv=round(v[0], 3), units=round(v[1], 3)) for y, v in sorted(per_year.items())]
    shares = {}
    if latest is not None:
        for n in (5, 10):
            shares[f"last {n} years ({latest - n + 1}–{latest})"] = _shares(
                partner_year_tiv, latest - n + 1, latest, {r.partner: r.partner_label for r in rows.values() if r.partner})
    ordered = sorted(rows.values(), key=lambda t: (-(t.order_year or 0), t.partner_label, t.system, t.iri))
    return Profile(code=code, name=name, role=role, transfers=ordered, timeline=timeline,
                   news_marks=sorted(marks, key=lambda m: (m.year, m.label)), shares=shares,
                   latest_year=latest)


def spread_years(deliveries: str, delivered: int | None) -> list[tuple[int, float]]:
    """A deal's deliveries ("2019:4 2020:2", or "2019: 2020:" without per-year numbers) as (year,
    fraction of the deal delivered that year): the register's per-year numbers where it gives
    them, else evenly over the delivery years, as SIPRI's yearly tables do."""
    by_year: dict[int, int | None] = {}
    for pair in deliveries.split():
        year, _, qty = pair.partition(":")
        if year.isdigit():
            by_year[int(year)] = int(qty) if qty.isdigit() else None
    if not by_year:
        return []
    if delivered and all(q is not None for q in by_year.values()):
        return [(y, (q or 0) / delivered) for y, q in sorted(by_year.items())]
    return [(y, 1 / len(by_year)) for y in sorted(by_year)]


def _shares(partner_year_tiv: Mapping[tuple[str, int], float], first: int, last: int,
            labels: Mapping[str, str]) -> list[Share]:
    totals: dict[str, float] = defaultdict(float)
    for (partner, y), v in partner_year_tiv.items():
        if first <= y <= last:
            totals[partner] += v
    whole = sum(totals.values())
    if not whole:
        return []
    return [Share(partner=labels.get(p, p), tiv=round(v, 3), percent=round(100 * v / whole, 1))
            for p, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
