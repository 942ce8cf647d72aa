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

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from armskb import namespace as ns
from armskb.namespace import ARMS
from armskb.mapping.literals import integer_literal
from armskb.reconcile.conflicts import fields_of
from armskb.reconcile.model import Built

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_TRUE = Literal("true", datatype=XSD.boolean)


@lru_cache(maxsize=65536)
def _iri(text: str) -> URIRef:
    return URIRef(text)


@lru_cache(maxsize=65536)
def _dec(d: Decimal) -> Literal:
    return Literal(format(d.normalize(), "f"), datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _str(text: str) -> Literal:
    return Literal(text)


#: years, quantities and counts repeat: one Literal each
_int = lru_cache(maxsize=65536)(integer_literal)


def release_key(graph: str) -> str:
    """'…/graph/sipri/2024-all' -> '2024-all'."""
    return graph[len(ns.GRAPH_SIPRI_PREFIX):] if graph.startswith(ns.GRAPH_SIPRI_PREFIX) else graph


def _summaries(t: URIRef, b: Built, quantity_known: bool) -> Iterator[Triple]:
    claims, deals = b.claims, [d for cl in b.clusters for d in cl.deals]
    # the flags are written only when true: most transfers are register-only, and a lookup by
    # `?t arms:newsOnly true` stays an index scan
    for flag, on in ((ARMS.newsOnly, not deals), (ARMS.registerOnly, not claims),
                     (ARMS.commentOnly, bool(claims) and not deals and all(c.in_comment for c in claims)),
                     (ARMS.hedgedOnly, bool(claims) and not deals and all(c.hedged for c in claims))):
        if on:
            yield t, flag, _TRUE
    yield t, ARMS.claimCount, _int(len(claims))
    years = [y for d in deals for y in (*d.years, d.order_year) if y is not None]
    years += [c.year if c.year is not None else c.published for c in claims
              if c.year is not None or c.published is not None]  # type: ignore[misc]
    if years:
        yield t, ARMS.firstYear, _int(min(years))  # type: ignore[type-var]
        yield t, ARMS.lastYear, _int(max(years))  # type: ignore[type-var]
    dates = [c.date or c.issued for c in claims if c.date or c.issued]
    if dates:
        yield t, ARMS.latestDate, _str(max(dates))  # type: ignore[type-var]
    releases = sorted({release_key(d.release) for d in deals})
    sources = sorted({c.source for c in claims if c.source}) + [f"SIPRI register {r}" for r in releases]
    if claims and sources:
        yield t, ARMS.sourceLabel, Literal(" | ".join(sources))
    for r in releases:
        yield t, ARMS.release, _str(r)
    if not deals and not quantity_known:
        groups = [c.group for c in claims if c.group is not None and c.quantity is None]
        if groups:
            yield t, ARMS.quantityGroup, _int(max(groups))
    if b.clusters:
        main = b.clusters[0].main
        for designation in sorted({d.designation for d in deals if d.designation}):
            yield t, ARMS.designation, _str(designation)
        if main.sipri_category:
            yield t, ARMS.sipriCategory, _str(main.sipri_category)
        if main.category:
            yield t, ARMS.category, _iri(main.category)
        if main.tiv_order is not None:
            yield t, ARMS.tivOrder, _dec(main.tiv_order)
        if main.tiv_delivered is not None:
            yield t, ARMS.tivDelivered, _dec(main.tiv_delivered)
        for y, v in sorted(main.tiv_by_year.items()):
            node = ns.delivery(t, y)
            yield t, ARMS.yearlyDelivery, node
            yield node, RDF.type, ARMS.Delivery
            yield node, ARMS.deliveryYear, _int(y)
            yield node, ARMS.tivDelivered, _dec(v)


def triples(built: list[Built]) -> Iterator[Triple]:
    """The triples of the transfers (no labels: the graph is rebuilt often and must stay lean)."""
    for b in built:
        f = fields_of(b)
        t = URIRef(b.iri)
        yield t, RDF.type, ARMS.Transfer
        if b.supplier:
            yield t, ARMS.supplier, _iri(b.supplier)
        if b.recipient:
            yield t, ARMS.recipient, _iri(b.recipient)
        yield t, ARMS.system, _iri(str(ns.system(b.family)))
        yield t, ARMS.status, _iri(str(ns.status(f.status)))
        if f.ordered is not None:
            yield t, ARMS.quantityOrdered, _int(f.ordered)
        if f.delivered is not None:
            yield t, ARMS.quantityDelivered, _int(f.delivered)
        if f.order_year is not None:
            yield t, ARMS.orderYear, _int(f.order_year)
        for y in f.delivery_years:
            yield t, ARMS.deliveryYear, _int(y)
        for cl in b.clusters:
            for d in cl.deals:
                yield t, ARMS.supportedBy, URIRef(d.iri)
        for c in b.claims:
            yield t, ARMS.supportedBy, URIRef(c.iri)
        yield t, ARMS.sourceCount, _int(f.sources)
        for fname, (vals, srcs) in sorted(f.conflicts.items()):
            node = ns.conflict(URIRef(b.iri), fname)
            yield t, ARMS.conflict, node
            yield node, RDF.type, ARMS.Conflict
            yield node, ARMS.conflictField, _str(fname)
            for v in vals:
                yield node, ARMS.conflictValue, Literal(v)
            for src in srcs:
                yield node, ARMS.conflictSource, URIRef(src)
        yield from _summaries(t, b, f.ordered is not None or f.delivered is not None)
