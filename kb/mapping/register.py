"""A SIPRI register import -> the triples of its named graph (`id/graph/sipri/{release}`):
deals, per-year deliveries and non-state parties, with deterministic IRIs only (no blank nodes),
so a bulk path can stream them and two imports of one export give the same triples."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from armskb import namespace as ns
from armskb.mapping.literals import boolean_literal, exact_decimal_literal, integer_literal, string_literal
from armskb.parties import PartyKind, party_iri
from armskb.reference import resolve_system_slug
from armskb.vocab import ARMS

if TYPE_CHECKING:  # types only: the SIPRI reader calls this module, never the other way round
    from armskb.loaders.sipri.models import RegisterDeal

Triple = tuple[URIRef, URIRef, URIRef | Literal]

#: rdflib's closed namespaces answer attribute reads slowly (a metaclass hook): read once
_TYPE, _LABEL, _DERIVED = RDF.type, RDFS.label, PROV.wasDerivedFrom
_ROLES = {
    "supplier": (ARMS.supplier, ARMS.supplierName),
    "recipient": (ARMS.recipient, ARMS.recipientName),
}


def register_triples(release: str, deals: Iterable[RegisterDeal]) -> Iterator[Triple]:
    """Triples of one register import, for the named graph `sipri_graph(release)`.

    Deterministic IRIs only (no blank nodes): deals are `sipri_deal(release, deal_id)`, per-year
    deliveries `<deal>/delivery/<year>`, parties `state(code)` or `organization(name)`.
    """
    source = ns.sipri_graph(release)
    orgs_done: set[URIRef] = set()
    systems: dict[str, URIRef] = {}
    for d in deals:
        s = ns.sipri_deal(release, d.deal_id)
        yield s, _TYPE, ARMS.RegisterDeal
        yield s, ARMS.dealId, Literal(d.deal_id)
        yield s, _DERIVED, source
        for role, code, kind, name in (
            ("supplier", d.supplier, d.supplier_kind, d.supplier_name),
            ("recipient", d.recipient, d.recipient_kind, d.recipient_name),
        ):
            iri = party_iri(code, kind)
            if iri is not None:
                yield s, _ROLES[role][0], iri
                if kind is not PartyKind.state and iri not in orgs_done:
                    orgs_done.add(iri)
                    yield iri, _TYPE, ARMS.Organization
                    yield iri, _LABEL, Literal(code)
            if name:
                yield s, _ROLES[role][1], string_literal(name)
        if d.designation:
            sys_iri = systems.get(d.designation)
            if sys_iri is None:
                sys_iri = systems[d.designation] = ns.system(resolve_system_slug(d.designation))
            yield s, ARMS.system, sys_iri
            yield s, ARMS.designation, string_literal(d.designation)
        if d.description:
            yield s, ARMS.description, string_literal(d.description)
        if d.sipri_category:
            yield s, ARMS.sipriCategory, string_literal(d.sipri_category)
        if d.category:
            yield s, ARMS.category, ns.category(d.category)
        if d.order_year is not None:
            yield s, ARMS.orderYear, integer_literal(d.order_year)
        if d.order_year_estimated is not None:
            yield s, ARMS.orderYearEstimated, boolean_literal(d.order_year_estimated)
        if d.number_ordered is not None:
            yield s, ARMS.quantityOrdered, integer_literal(d.number_ordered)
        if d.number_ordered_estimated is not None and d.number_ordered is not None:
            yield s, ARMS.quantityOrderedEstimated, boolean_literal(d.number_ordered_estimated)
        if d.number_delivered is not None:
            yield s, ARMS.quantityDelivered, integer_literal(d.number_delivered)
        if d.number_delivered_estimated is not None and d.number_delivered is not None:
            yield s, ARMS.quantityDeliveredEstimated, boolean_literal(d.number_delivered_estimated)
        for y in d.delivery_years:
            yield s, ARMS.deliveryYear, integer_literal(y)
        for dl in d.deliveries:
            node = ns.delivery(s, dl.year)
            yield s, ARMS.delivery, node
            yield node, _TYPE, ARMS.Delivery
            yield node, ARMS.deliveryYear, integer_literal(dl.year)
            if dl.year_estimated is not None:
                yield node, ARMS.deliveryYearEstimated, boolean_literal(dl.year_estimated)
            if dl.quantity is not None:
                yield node, ARMS.quantity, integer_literal(dl.quantity)
                if dl.quantity_estimated is not None:
                    yield node, ARMS.quantityEstimated, boolean_literal(dl.quantity_estimated)
            if dl.tiv is not None:
                yield node, ARMS.tivDelivered, exact_decimal_literal(dl.tiv)
        if d.status is not None:
            yield s, ARMS.supplyCondition, string_literal(d.status.value)
        if d.comments:
            yield s, ARMS.comment, Literal(d.comments)
        if d.tiv_unit is not None:
            yield s, ARMS.tivUnit, exact_decimal_literal(d.tiv_unit)
        if d.tiv_unit_new is not None:
            yield s, ARMS.tivUnitNew, exact_decimal_literal(d.tiv_unit_new)
        if d.tiv_order is not None:
            yield s, ARMS.tivOrder, exact_decimal_literal(d.tiv_order)
        if d.tiv_delivered is not None:
            yield s, ARMS.tivDelivered, exact_decimal_literal(d.tiv_delivered)
        if d.local_production is not None:
            yield s, ARMS.localProduction, boolean_literal(d.local_production)
