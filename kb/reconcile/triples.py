"""Built transfers as RDF: the transfer, its figures, its conflicts and its precomputed summaries.

Summaries (news-only / register-only / comment-only / hedged-only flags, claim count, first and
last year, latest date, sources, register designations, categories and TIV, TIV per delivery
year) are written here once, at reconciliation, so the named queries read them instead of joining
every claim and register row again.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from armskb import namespace as ns
from armskb.namespace import ARMS
from armskb.mapping.literals import integer_literal
from armskb.reconcile.conflicts import fields_of
from armskb.reconcile.model import Built

Triple = tuple[URIRef, URIRef, URIRef | Literal]

#: the terms used, resolved once (attribute access on an rdflib Namespace builds a new URIRef)
A = SimpleNamespace(**{n: ARMS[n] for n in (
    "Conflict",
    "Delivery",
    "Transfer",
    "category",
    "claimCount",
    "commentOnly",
    "conflict",
    "conflictField",
    "conflictSource",
    "conflictValue",
    "deliveryYear",
    "designation",
    "firstYear",
    "hedgedOnly",
    "lastYear",
    "latestDate",
    "newsOnly",
    "orderYear",
    "quantityDelivered",
    "quantityGroup",
    "quantityOrdered",
    "recipient",
    "registerOnly",
    "release",
    "sipriCategory",
    "sourceCount",
    "sourceLabel",
    "status",
    "supplier",
    "supportedBy",
    "system",
    "tivDelivered",
    "tivOrder",
    "yearlyDelivery",)})

_TRUE, _FALSE = Literal("true", datatype=XSD.boolean), Literal("false", datatype=XSD.boolean)


@lru_cache(maxsize=65536)
def _iri(text: str) -> URIRef:
    return URIRef(text)


def _bool(b: bool) -> Literal:
    return _TRUE if b else _FALSE


def _dec(d: Decimal) -> Literal:
    return Literal(format(d.normalize(), "f"), datatype=XSD.decimal)


def release_key(graph: str) -> str:
    """'…/graph/sipri/2024-all' -> '2024-all'."""
    return graph[len(ns.GRAPH_SIPRI_PREFIX):] if graph.startswith(ns.GRAPH_SIPRI_PREFIX) else graph


def _summaries(t: URIRef, b: Built, quantity_known: bool) -> Iterator[Triple]:
    claims, deals = b.claims, [d for cl in b.clusters for d in cl.deals]
    yield t, A.newsOnly, _bool(not deals)
    yield t, A.registerOnly, _bool(not claims)
    yield t, A.commentOnly, _bool(bool(claims) and not deals and all(c.in_comment for c in claims))
    yield t, A.hedgedOnly, _bool(bool(claims) and not deals and all(c.hedged for c in claims))
    yield t, A.claimCount, integer_literal(len(claims))
    years = [y for d in deals for y in (*d.years, d.order_year) if y is not None]
    years += [c.year if c.year is not None else c.published for c in claims
              if c.year is not None or c.published is not None]  # type: ignore[misc]
    if years:
        yield t, A.firstYear, integer_literal(min(years))  # type: ignore[type-var]
        yield t, A.lastYear, integer_literal(max(years))  # type: ignore[type-var]
    dates = [c.date or c.issued for c in claims if c.date or c.issued]
    if dates:
        yield t, A.latestDate, Literal(max(dates))  # type: ignore[type-var]
    releases = sorted({release_key(d.release) for d in deals})
    sources = sorted({c.source for c in claims if c.source}) + [f"SIPRI register {r}" for r in releases]
    if sources:
        yield t, A.sourceLabel, Literal(" | ".join(sources))
    for r in releases:
        yield t, A.release, Literal(r)
    if not deals and not quantity_known:
        groups = [c.group for c in claims if c.group is not None and c.quantity is None]
        if groups:
            yield t, A.quantityGroup, integer_literal(max(groups))
    if b.clusters:
        main = b.clusters[0].main
        for designation in sorted({d.designation for d in deals if d.designation}):
            yield t, A.designation, Literal(designation)
        if main.sipri_category:
            yield t, A.sipriCategory, Literal(main.sipri_category)
        if main.category:
            yield t, A.category, _iri(main.category)
        if main.tiv_order is not None:
            yield t, A.tivOrder, _dec(main.tiv_order)
        if main.tiv_delivered is not None:
            yield t, A.tivDelivered, _dec(main.tiv_delivered)
        for y, v in sorted(main.tiv_by_year.items()):
            node = ns.delivery(t, y)
            yield t, A.yearlyDelivery, node
            yield node, RDF.type, A.Delivery
            yield node, A.deliveryYear, integer_literal(y)
            yield node, A.tivDelivered, _dec(v)


def triples(built: list[Built]) -> Iterator[Triple]:
    """The triples of the transfers (no labels: the graph is rebuilt often and must stay lean)."""
    for b in built:
        f = fields_of(b)
        t = URIRef(b.iri)
        yield t, RDF.type, A.Transfer
        if b.supplier:
            yield t, A.supplier, _iri(b.supplier)
        if b.recipient:
            yield t, A.recipient, _iri(b.recipient)
        yield t, A.system, _iri(str(ns.system(b.family)))
        yield t, A.status, _iri(str(ns.status(f.status)))
        if f.ordered is not None:
            yield t, A.quantityOrdered, integer_literal(f.ordered)
        if f.delivered is not None:
            yield t, A.quantityDelivered, integer_literal(f.delivered)
        if f.order_year is not None:
            yield t, A.orderYear, integer_literal(f.order_year)
        for y in f.delivery_years:
            yield t, A.deliveryYear, integer_literal(y)
        for cl in b.clusters:
            for d in cl.deals:
                yield t, A.supportedBy, URIRef(d.iri)
        for c in b.claims:
            yield t, A.supportedBy, URIRef(c.iri)
        yield t, A.sourceCount, integer_literal(f.sources)
        for fname, (vals, srcs) in sorted(f.conflicts.items()):
            node = ns.conflict(URIRef(b.iri), fname)
            yield t, A.conflict, node
            yield node, RDF.type, A.Conflict
            yield node, A.conflictField, Literal(fname)
            for v in vals:
                yield node, A.conflictValue, Literal(v)
            for src in srcs:
                yield node, A.conflictSource, URIRef(src)
        yield from _summaries(t, b, f.ordered is not None or f.delivered is not None)
