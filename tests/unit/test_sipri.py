"""SIPRI register loader on small hand-written fixtures (one per export format)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from armskb.errors import SourceError
from armskb.loaders.sipri import (
    PartyKind,
    SupplyCondition,
    clean_designation,
    read_register,
    register_triples,
    sniff,
)
from armskb.namespace import ARMS, organization, sipri_deal, sipri_graph, state, system

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "sipri"
F2024 = FIX / "register_2024.csv"
F2026 = FIX / "deliveries_2026.csv"


@pytest.fixture(scope="module")
def r2024():
    return read_register(F2024)


@pytest.fixture(scope="module")
def r2026():
    return read_register(F2026)


def _by_line(deals):
    return {d.line: d for d in deals}


def _reasons(errors, line):
    return [e.reason for e in errors if e.location.line == line]


# --- sniffing -------------------------------------------------------------------------------


def test_sniff_by_content(tmp_path):
    assert sniff(F2024)
    assert sniff(F2026)
    assert not sniff(FIX / "not_sipri.csv")
    # the file name does not matter
    renamed = tmp_path / "whatever.txt"
    renamed.write_bytes(F2026.read_bytes())
    assert sniff(renamed)
    assert not sniff(tmp_path / "missing.csv")


def test_not_a_register_raises_source_error():
    with pytest.raises(SourceError) as exc:
        read_register(FIX / "not_sipri.csv")
    assert "not_sipri.csv" in str(exc.value)


# --- 2024 export ----------------------------------------------------------------------------


def test_2024_counts_and_release(r2024):
    release, deals, _ = r2024
    assert len(deals) == 15  # 16 physical data lines, one of them a continuation
    assert release == "1961-2021"  # year range of the delivery years
    assert read_register(F2024, release="2024-03-11")[0] == "2024-03-11"


def test_2024_estimate_flags(r2024):
    d = _by_line(r2024[1])[3]
    assert d.order_year == 2019 and d.order_year_estimated
    assert d.number_ordered == 4 and d.number_ordered_estimated
    assert d.number_delivered == 4 and d.number_delivered_estimated
    d = _by_line(r2024[1])[2]
    assert not d.order_year_estimated and not d.number_ordered_estimated
    assert d.delivery_years == [2019, 2020]
    assert d.tiv_unit == Decimal("5") and d.tiv_order == Decimal("30")
    assert d.status is SupplyCondition.new


def test_2024_excel_designation(r2024):
    _, deals, errors = r2024
    d = _by_line(deals)[5]
    assert d.designation == "57E6" and d.designation_raw == "5.7E+07"
    assert any("5.7E+07" in r for r in _reasons(errors, 5))
    assert clean_designation("5.7E+07") == "57E6"
    assert clean_designation("1.2E+03") == "12E2"
    assert clean_designation("T-72") == "T-72"


def test_2024_broken_line_joined(r2024):
    _, deals, errors = r2024
    d = _by_line(deals)[12]
    assert (d.tiv_unit, d.tiv_order, d.tiv_delivered) == (Decimal("0.25"), Decimal("3.5"), Decimal("3.25"))
    assert d.number_ordered == 14 and d.number_delivered == 13 and d.delivery_years == [2010, 2012]
    assert 13 not in _by_line(deals)  # the continuation is not a deal of its own
    assert any("joined" in r for r in _reasons(errors, 13))


def test_2024_parties(r2024):
    _, deals, errors = r2024
    by = _by_line(deals)
    houthi = by[6]
    assert houthi.recipient == "Houthi rebels (Yemen)" and houthi.recipient_kind is PartyKind.non_state
    assert houthi.recipient_name == "Houthi rebels (Yemen)*"
    au = by[7]
    assert au.recipient == "African Union" and au.recipient_kind is PartyKind.organization
    katanga = by[8]
    assert katanga.supplier is None and katanga.supplier_kind is PartyKind.unknown
    assert katanga.supplier_name == "unknown supplier(s)"
    assert katanga.recipient_kind is PartyKind.non_state  # not a listed state: kept by name
    bih = by[9]
    assert (bih.recipient, bih.supplier) == ("BIH", "SUN")
    civ = by[10]
    assert (civ.recipient, civ.supplier) == ("CIV", "YUG")
    assert by[11].recipient == "ARE"
    hor = by[16]
    assert hor.recipient == "Libya HoR" and hor.supplier == "ARE"
    gdr = by[17]
    assert (gdr.recipient, gdr.supplier) == ("DDR", "CSK")
    assert any("unknown supplier" in r for r in _reasons(errors, 8))
    assert any("historical state SUN" in r for r in _reasons(errors, 9))


def test_2024_not_delivered(r2024):
    d = _by_line(r2024[1])[11]
    assert d.number_delivered is None and d.delivery_years == [] and d.tiv_delivered is None


def test_2024_categories_from_descriptions(r2024):
    by = _by_line(r2024[1])
    assert (by[2].sipri_category, by[2].category) == ("Aircraft", "helicopter")
    assert (by[4].sipri_category, by[4].category) == ("Armoured vehicles", "armoured-vehicle")
    assert by[9].category == "tank"
    assert by[11].category == "ship"


def test_2024_deal_ids_stable_and_unique(r2024):
    _, deals, _ = r2024
    ids = [d.deal_id for d in deals]
    assert len(set(ids)) == len(ids)
    by = _by_line(deals)
    assert by[2].deal_id == "serbia-russia-2019-mi-35m"
    assert by[14].deal_id == "taiwan-united-states-2015-mk-15-phalanx"
    assert by[15].deal_id == "taiwan-united-states-2015-mk-15-phalanx-dup2"
    assert [d.deal_id for d in read_register(F2024)[1]] == ids


# --- 2026 export ----------------------------------------------------------------------------


def test_2026_groups_delivery_rows(r2026):
    release, deals, _ = r2026
    assert release == "2025-03-03"
    assert [d.deal_id for d in deals] == ["1001", "1002", "1003", "1004", "1005"]
    by = {d.deal_id: d for d in deals}
    mi = by["1001"]
    assert mi.delivery_years == [2019, 2020]
    assert [(x.year, x.quantity, x.quantity_estimated, x.year_estimated, x.tiv) for x in mi.deliveries] == [
        (2019, 4, False, False, Decimal("20")),
        (2020, 2, True, True, Decimal("10")),
    ]
    assert mi.number_delivered == 6 and mi.number_delivered_estimated
    assert mi.tiv_delivered == Decimal("30") and mi.number_ordered is None
    assert mi.sipri_category == "Aircraft" and mi.category == "helicopter"
    cobra = by["1002"]  # rows of one deal need not be adjacent
    assert cobra.delivery_years == [2021, 2022] and cobra.number_delivered == 15
    assert (cobra.supplier, cobra.recipient) == ("TUR", "COD")
    assert cobra.tiv_unit == Decimal("0.2") and cobra.tiv_unit_new == Decimal("0.5")
    assert cobra.status is SupplyCondition.second_hand


def test_2026_quirks(r2026):
    _, deals, errors = r2026
    by = {d.deal_id: d for d in deals}
    sam = by["1003"]
    assert sam.designation == "57E6" and sam.recipient == "VNM"
    assert sam.order_year_estimated is None  # empty flag: unknown, not False
    assert sam.local_production is True
    assert sam.status is SupplyCondition.second_hand_modernised
    assert sam.category == "air-defence"
    pantsyr = by["1004"]
    assert pantsyr.supplier is None and pantsyr.supplier_kind is PartyKind.unknown
    assert pantsyr.recipient == "Libya HoR" and pantsyr.recipient_kind is PartyKind.non_state
    assert any("5.7E+07" in e.reason and e.location.line == 16 for e in errors)
    assert all(e.location.path.endswith("deliveries_2026.csv") for e in errors)


# --- RDF ------------------------------------------------------------------------------------


def _graph(release, deals) -> Graph:
    g = Graph()
    for t in register_triples(release, deals):
        g.add(t)
    return g


def test_triples_2024(r2024):
    release, deals, _ = r2024
    g = _graph(release, deals)
    assert not any(isinstance(x, BNode) for t in g for x in t)
    deal = sipri_deal(release, "serbia-russia-2019-mi-35m")
    assert (deal, RDF.type, ARMS.RegisterDeal) in g
    assert (deal, ARMS.supplier, state("RUS")) in g
    assert (deal, ARMS.recipient, state("SRB")) in g
    assert (deal, ARMS.system, system("mi-35m")) in g
    assert (deal, ARMS.orderYear, Literal("2019", datatype=XSD.integer)) in g
    assert (deal, ARMS.quantityOrdered, Literal("6", datatype=XSD.integer)) in g
    assert (deal, ARMS.quantityOrderedEstimated, Literal(False)) in g
    assert set(g.objects(deal, ARMS.deliveryYear)) == {
        Literal("2019", datatype=XSD.integer), Literal("2020", datatype=XSD.integer)}
    assert (deal, ARMS.tivOrder, Literal("30", datatype=XSD.decimal)) in g
    assert (deal, ARMS.supplyCondition, Literal("new")) in g
    assert (deal, ARMS.category, URIRef("https://w3id.org/armskb/id/category/helicopter")) in g
    assert (deal, PROV.wasDerivedFrom, sipri_graph(release)) in g
    au = organization("African Union")
    assert (au, RDF.type, ARMS.Organization) in g and (au, RDFS.label, Literal("African Union")) in g
    katanga = next(g.subjects(ARMS.supplierName, Literal("unknown supplier(s)")))
    assert not list(g.objects(katanga, ARMS.supplier))
    # every arms: term written is in the ontology's vocabulary
    used = {str(x)[len(str(ARMS)):] for t in g for x in t if str(x).startswith(str(ARMS))}
    assert used <= set(ARMS.names())


def test_triples_2026_deliveries(r2026):
    release, deals, _ = r2026
    g = _graph(release, deals)
    deal = sipri_deal(release, "1001")
    nodes = sorted(g.objects(deal, ARMS.delivery))
    assert nodes == [URIRef(f"{deal}/delivery/2019"), URIRef(f"{deal}/delivery/2020")]
    n = nodes[1]
    assert (n, ARMS.quantity, Literal("2", datatype=XSD.integer)) in g
    assert (n, ARMS.tivDelivered, Literal("10", datatype=XSD.decimal)) in g
    assert (n, ARMS.quantityEstimated, Literal(True)) in g
    assert (deal, ARMS.quantityDelivered, Literal("6", datatype=XSD.integer)) in g
    assert (sipri_deal(release, "1003"), ARMS.localProduction, Literal(True)) in g


def test_triples_deterministic(r2024):
    release, deals, _ = r2024
    a = sorted(register_triples(release, deals))
    b = sorted(register_triples(*read_register(F2024)[:2]))
    assert a == b
