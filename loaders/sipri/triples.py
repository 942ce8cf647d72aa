"""The RDF of one register import: deals, deliveries and parties as triples with deterministic
IRIs (the one function, `register_triples`, that a bulk path can swap)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from armskb.loaders.sipri.models import PartyKind, RegisterDeal
from armskb.namespace import ARMS, category, delivery, organization, sipri_deal, sipri_graph, state, system
from armskb.mapping.literals import integer_literal
from armskb.reference import resolve_system_slug

def _dec_lit(d: Decimal) -> Literal:
    # canonical lexical form ('0.9', '100'), which stores keep unchanged
    return _dec_text_lit(format(d.normalize(), "f"))


@lru_cache(maxsize=65536)
def _dec_text_lit(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _str_lit(text: str) -> Literal:
    return Literal(text)


_TRUE = Literal(True)
_FALSE = Literal(False)


def _bool_lit(b: bool) -> Literal:
    return _TRUE if b else _FALSE


def _party_iri(code_or_name: str | None, kind: PartyKind) -> URIRef | None:
    if code_or_name is None or kind is PartyKind.unknown:
        return None
    if kind is PartyKind.state:
        return state(code_or_name)
    return organization(code_or_name)


#: every arms: term this loader writes (the ontology must declare them).
ARMS_TERMS: tuple[str, ...] = (
    "Delivery",
    "Organization",
    "RegisterDeal",
    "category",
    "comment",
    "dealId",
    "delivery",
    "deliveryYear",
    "deliveryYearEstimated",
    "description",
    "designation",
    "localProduction",
    "orderYear",
    "orderYearEstimated",
    "quantity",
    "quantityDelivered",
    "quantityDeliveredEstimated",
    "quantityEstimated",
    "quantityOrdered",
    "quantityOrderedEstimated",
    "recipient",
    "recipientName",
    "sipriCategory",
    "supplier",
    "supplierName",
    "supplyCondition",
    "system",
    "tivDelivered",
    "tivOrder",
    "tivUnit",
    "tivUnitNew",
)
_A_Delivery = ARMS.Delivery
_A_Organization = ARMS.Organization
_A_RegisterDeal = ARMS.RegisterDeal
_A_category = ARMS.category
_A_comment = ARMS.comment
_A_dealId = ARMS.dealId
_A_delivery = ARMS.delivery
_A_deliveryYear = ARMS.deliveryYear
_A_deliveryYearEstimated = ARMS.deliveryYearEstimated
_A_description = ARMS.description
_A_designation = ARMS.designation
_A_localProduction = ARMS.localProduction
_A_orderYear = ARMS.orderYear
_A_orderYearEstimated = ARMS.orderYearEstimated
_A_quantity = ARMS.quantity
_A_quantityDelivered = ARMS.quantityDelivered
_A_quantityDeliveredEstimated = ARMS.quantityDeliveredEstimated
_A_quantityEstimated = ARMS.quantityEstimated
_A_quantityOrdered = ARMS.quantityOrdered
_A_quantityOrderedEstimated = ARMS.quantityOrderedEstimated
_A_sipriCategory = ARMS.sipriCategory
_A_supplyCondition = ARMS.supplyCondition
_A_system = ARMS.system
_A_tivDelivered = ARMS.tivDelivered
_A_tivOrder = ARMS.tivOrder
_A_tivUnit = ARMS.tivUnit
_A_tivUnitNew = ARMS.tivUnitNew
_ROLE = {
    "supplier": (ARMS.supplier, ARMS.supplierName),
    "recipient": (ARMS.recipient, ARMS.recipientName),
}
_TYPE, _LABEL, _DERIVED = RDF.type, RDFS.label, PROV.wasDerivedFrom


def register_triples(release: str, deals: Iterable[RegisterDeal]) -> Iterator[tuple[URIRef, URIRef, object]]:
    """Triples of one register import, for the named graph `sipri_graph(release)`.

    Deterministic IRIs only (no blank nodes): deals are `sipri_deal(release, deal_id)`, per-year
    deliveries `<deal>/delivery/<year>`, parties `state(code)` or `organization(name)`.
    """
    source = sipri_graph(release)
    orgs_done: set[URIRef] = set()
    systems: dict[str, URIRef] = {}
    for d in deals:
        s = sipri_deal(release, d.deal_id)
        yield s, _TYPE, _A_RegisterDeal
        yield s, _A_dealId, Literal(d.deal_id)
        yield s, _DERIVED, source
        for role, code, kind, name in (
            ("supplier", d.supplier, d.supplier_kind, d.supplier_name),
            ("recipient", d.recipient, d.recipient_kind, d.recipient_name),
        ):
            iri = _party_iri(code, kind)
            if iri is not None:
                yield s, _ROLE[role][0], iri
                if kind is not PartyKind.state and iri not in orgs_done:
                    orgs_done.add(iri)
                    yield iri, _TYPE, _A_Organization
                    yield iri, _LABEL, Literal(code)
            if name:
                yield s, _ROLE[role][1], _str_lit(name)
        if d.designation:
            sys_iri = systems.get(d.designation)
            if sys_iri is None:
                sys_iri = systems[d.designation] = system(resolve_system_slug(d.designation))
            yield s, _A_system, sys_iri
            yield s, _A_designation, _str_lit(d.designation)
        if d.description:
            yield s, _A_description, _str_lit(d.description)
        if d.sipri_category:
            yield s, _A_sipriCategory, _str_lit(d.sipri_category)
        if d.category:
            yield s, _A_category, category(d.category)
        if d.order_year is not None:
            yield s, _A_orderYear, integer_literal(d.order_year)
        if d.order_year_estimated is not None:
            yield s, _A_orderYearEstimated, _bool_lit(d.order_year_estimated)
        if d.number_ordered is not None:
            yield s, _A_quantityOrdered, integer_literal(d.number_ordered)
        if d.number_ordered_estimated is not None and d.number_ordered is not None:
            yield s, _A_quantityOrderedEstimated, _bool_lit(d.number_ordered_estimated)
        if d.number_delivered is not None:
            yield s, _A_quantityDelivered, integer_literal(d.number_delivered)
        if d.number_delivered_estimated is not None and d.number_delivered is not None:
            yield s, _A_quantityDeliveredEstimated, _bool_lit(d.number_delivered_estimated)
        for y in d.delivery_years:
            yield s, _A_deliveryYear, integer_literal(y)
        for dl in d.deliveries:
            node = delivery(s, dl.year)
            yield s, _A_delivery, node
            yield node, _TYPE, _A_Delivery
            yield node, _A_deliveryYear, integer_literal(dl.year)
            if dl.year_estimated is not None:
                yield node, _A_deliveryYearEstimated, _bool_lit(dl.year_estimated)
            if dl.quantity is not None:
                yield node, _A_quantity, integer_literal(dl.quantity)
                if dl.quantity_estimated is not None:
                    yield node, _A_quantityEstimated, _bool_lit(dl.quantity_estimated)
            if dl.tiv is not None:
                yield node, _A_tivDelivered, _dec_lit(dl.tiv)
        if d.status is not None:
            yield s, _A_supplyCondition, _str_lit(d.status.value)
        if d.comments:
            yield s, _A_comment, Literal(d.comments)
        if d.tiv_unit is not None:
            yield s, _A_tivUnit, _dec_lit(d.tiv_unit)
        if d.tiv_unit_new is not None:
            yield s, _A_tivUnitNew, _dec_lit(d.tiv_unit_new)
        if d.tiv_order is not None:
            yield s, _A_tivOrder, _dec_lit(d.tiv_order)
        if d.tiv_delivered is not None:
            yield s, _A_tivDelivered, _dec_lit(d.tiv_delivered)
        if d.local_production is not None:
            yield s, _A_localProduction, _bool_lit(d.local_production)
