"""Reconciled transfers read back into `Transfer` records, and `compare` (register beside news).

The rows come from the named query `transfers` (the transfers graph and its summaries); the
supporting claims, register deals and conflicts from `queries/internal/reconcile-transfer-sources.rq`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from armskb.bind import bind
from armskb.catalog import bindings_for, get
from armskb.models import Category, ClaimView, Conflict, Status, Transfer
from armskb.reconcile.inputs import fill, internal_query, values
from armskb.reference import systems
from armskb.store import SelectResult, Store

#: above this many transfers the sources are read for the whole graph rather than by IRI
_BY_IRI_LIMIT = 500


def _rows(store: Store, text: str, bindings: Mapping[str, Identifier] | None = None) -> list[dict]:
    res = store.query(text, bindings)
    if not isinstance(res, SelectResult):
        raise TypeError("reconcile read-back query is not a SELECT")
    return res.rows


def _int(v: object) -> int | None:
    return int(str(v)) if v is not None else None


def _dec(v: object) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def _sort_key(t: Transfer) -> tuple[str, int]:
    stem, _, n = (t.iri or "").rpartition("-")
    return (stem, int(n) if n.isdigit() else 0)


def _sources(store: Store, iris: list[str]) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict]]:
    """Per transfer: {"deal": iris, "claim": iris}, and {field: (values, sources)}."""
    block = ""
    if len(iris) <= _BY_IRI_LIMIT:
        block = values(["transfer"], [(URIRef(t),) for t in iris])
    wanted = set(iris)
    support: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"deal": set(), "claim": set()})
    conflicts: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    for row in _rows(store, fill("reconcile-transfer-sources", restrict=block)):
        t = str(row["transfer"])
        if t not in wanted:
            continue
        if row.get("src") is not None:
            support[t][str(row["kind"])].add(str(row["src"]))
        elif row.get("field") is not None:
            vals, srcs = conflicts[t].setdefault(str(row["field"]), (set(), set()))
            vals.add(str(row["value"]))
            if row.get("csrc") is not None:
                srcs.add(str(row["csrc"]))
    return support, conflicts


def transfers(store: Store, claim_views: Mapping[str, ClaimView] | None = None,
              **params: str | int | None) -> list[Transfer]:
    """Reconciled transfers matching the `transfers` query's parameters (buyer, seller, system,
    status, since, until, source, exclude_comments), with their register deal IRIs, conflicts and
    (when `claim_views` maps claim IRIs to views) their claims."""
    q = get("transfers")
    rows = _rows(store, bind(q.text, bindings_for(q, params)))
    iris = [str(r["transfer"]) for r in rows]
    support, conflicts = _sources(store, iris) if iris else ({}, {})
    views = claim_views or {}
    out = []
    for row in rows:
        t = str(row["transfer"])
        fam = str(row["system_family"])
        ref = systems().get(fam)
        try:
            cat = Category(ref.category) if ref and ref.category else None
        except ValueError:
            cat = None
        qo, qd = _int(row.get("quantity_ordered")), _int(row.get("quantity_delivered"))
        sup = support.get(t, {"deal": set(), "claim": set()})
        designations = str(row.get("designations") or "")
        years = str(row.get("delivery_years") or "")
        out.append(Transfer(
            iri=t,
            supplier=str(row["supplier_code"]),
            recipient=str(row["recipient_code"]),
            system=ref.designation if ref else fam,
            system_family=fam,
            category=cat,
            designations=[d for d in designations.split(" | ") if d],
            sipri_category=str(row["sipri_category"]) if row.get("sipri_category") is not None else None,
            quantity_ordered=qo,
            quantity_delivered=qd,
            quantity=qo if qo is not None else qd,
            quantity_group=_int(row.get("quantity_group")),
            order_year=_int(row.get("order_year")),
            delivery_years=sorted(int(y) for y in years.split()),
            status=Status(str(row["status_label"])),
            source_count=_int(row.get("sources")) or 0,
            match=str(row["match"]),
            note=str(row.get("note") or "") or None,
            tiv_order=_dec(row.get("tiv_order")),
            tiv_delivered=_dec(row.get("tiv_delivered")),
            claims=[views[c] for c in sorted(sup["claim"]) if c in views],
            register_deals=sorted(sup["deal"]),
            conflicts=[Conflict(field=f, values=sorted(v), sources=sorted(s))  # type: ignore[arg-type]
                       for f, (v, s) in sorted(conflicts.get(t, {}).items())],
        ))
    out.sort(key=_sort_key)
    return out


class ComparisonRow(BaseModel):
    """One line of `armskb compare`: a transfer with its register deals beside its news claims."""

    transfer: str
    system: str
    match: str  # matched, news only, register only
    status: str
    register_deals: str = ""
    release: str = ""
    news: str = ""
    sources: str = ""
    conflicts: str = ""


def _deal_details(store: Store, supplier: URIRef, recipient: URIRef) -> dict[str, dict]:
    deals: dict[str, dict] = {}
    for row in _rows(store, internal_query("compare-deals"), {"supplier": supplier, "recipient": recipient}):
        d = deals.setdefault(str(row["deal"]), {"row": row, "years": set()})
        if row.get("dy") is not None:
            d["years"].add(str(row["dy"]))
    return deals


def compare(store: Store, found: list[Transfer], supplier: URIRef, recipient: URIRef) -> list[ComparisonRow]:
    """Register deals beside news claims for the transfers of one supplier and recipient."""
    deals = _deal_details(store, supplier, recipient)
    out = []
    for t in found:
        reg, rel = [], set()
        for iri in t.register_deals:
            d = deals.get(iri)
            if d is None:
                continue
            row = d["row"]
            rel.add(str(row["g"]).rsplit("/", 1)[-1])
            part = f"{row.get('designation') or ''}: {row.get('qo') or '?'} ordered"
            if row.get("oy") is not None:
                part += f" {row['oy']}"
            part += f", {row.get('qd') or 0} delivered"
            if d["years"]:
                part += " " + "; ".join(sorted(d["years"]))
            reg.append(part)
        news, sources = [], []
        for c in t.claims:
            q = c.quantity if c.quantity is not None else (f"{c.quantity_group} (group)" if c.quantity_group else "")
            bits = [c.system or "", str(q) if q != "" else "", c.status or ""]
            if c.date:
                bits.append(c.date)
            if c.in_comment:
                bits.append("(comment)")
            elif c.hedged:
                bits.append("(hedged)")
            news.append(" ".join(x for x in bits if x))
            src = c.source_title or c.source_url or c.document or ""
            if c.source_url and c.source_title:
                src = f"{c.source_title} <{c.source_url}>"
            if src not in sources:
                sources.append(src)
        sources += [f"SIPRI register {r}" for r in sorted(rel)]
        match_ = "matched" if reg and news else ("register only" if reg else "news only")
        out.append(ComparisonRow(
            transfer=t.iri.rsplit("/", 1)[-1] if t.iri else "",
            system=t.system or "",
            match=match_,
            status=t.status.value if t.status else "",
            register_deals=" | ".join(reg),
            release=", ".join(sorted(rel)),
            news=" | ".join(news),
            sources=" | ".join(sources),
            conflicts="; ".join(f"{c.field}: {' vs '.join(c.values)}" for c in t.conflicts),
        ))
    return out


def comparison_result(rows: list[ComparisonRow]) -> SelectResult:
    """Comparison rows as a SELECT result, for the table/csv/tsv/json renderers."""
    names = list(ComparisonRow.model_fields)
    return SelectResult(variables=names, rows=[
        {k: Literal(v) for k, v in r.model_dump().items() if v != ""} for r in rows
    ])
