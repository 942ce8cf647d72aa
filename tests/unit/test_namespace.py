"""IRIs are minted deterministically from stable keys only."""

from __future__ import annotations

from rdflib.compare import to_isomorphic

from armskb import namespace as ns
from armskb.mapping.documents import document_graph, new_graph
from armskb.loaders.claims import read_claims

from ..conftest import FIXTURES


def test_slug() -> None:
    assert ns.slug("T-72MS") == "t-72ms"
    assert ns.slug("Mi-24V/Mi-35") == "mi-24v-mi-35"
    assert ns.slug("Scorpène") == "scorpene"
    assert ns.slug("МиГ-29") == "mig-29"  # other scripts are transliterated, not dropped
    assert ns.slug("???").startswith("h")


def test_state_and_system_iris() -> None:
    assert str(ns.state("srb")) == "https://w3id.org/armskb/id/state/SRB"
    assert str(ns.system("t-72ms")) == "https://w3id.org/armskb/id/system/t-72ms"
    assert str(ns.date_role("expected_delivery")).endswith("/date-role/expected-delivery")


def test_same_input_same_triples() -> None:
    """Two independent reads of one file give identical graphs, IRIs included (no blank nodes)."""
    graphs = []
    for _ in range(2):
        parsed = read_claims(FIXTURES / "claims" / "small.jsonl")
        g = new_graph()
        for doc, claims in parsed.documents:
            g += document_graph(doc, claims)
        graphs.append(g)
    a, b = graphs
    assert set(a) == set(b)
    assert to_isomorphic(a) == to_isomorphic(b)
    assert not any(t.startswith("_:") or type(t).__name__ == "BNode" for tr in a for t in tr)


def test_distinct_claims_get_distinct_iris() -> None:
    parsed = read_claims(FIXTURES / "claims" / "small.jsonl")
    doc, claims = parsed.documents[0]
    iris = {ns.claim(doc.key, c.fingerprint()) for c in claims}
    assert len(iris) == len(claims)


def test_sparql_prefixes_cover_all() -> None:
    text = ns.sparql_prefixes()
    for prefix in ns.PREFIXES:
        assert f"PREFIX {prefix}: <" in text


def test_parse_inverts_mint() -> None:
    assert ns.parse_state(ns.state("srb")) == "SRB"
    assert ns.parse_organization(ns.organization("Hamas")) == "hamas"
    assert ns.parse_party(ns.state("SRB")) == "SRB"
    assert ns.parse_party(ns.organization("Wagner Group")) == "wagner-group"
    assert ns.parse_system(ns.system("t-72ms")) == "t-72ms"
    assert ns.parse_generic_system(ns.generic_system("tank")) == "tank"
    assert ns.parse_generic_system(ns.system("t-72ms")) is None
    assert ns.parse_document(ns.document("abc123")) == "abc123"
    assert ns.parse_document_graph(ns.document_graph("abc123")) == "abc123"
    assert ns.parse_sipri_graph(ns.sipri_graph("2024 Release")) == "2024-release"
    assert ns.parse_sipri_deal(ns.sipri_deal("2024", "D 17")) == ("2024", "d-17")
    assert ns.parse_transfer(ns.transfer("RUS", "SRB", "t-72", 1)) == "rus-srb-t-72-1"
    assert ns.parse_status(ns.status("ordered")) == "ordered"
    assert ns.parse_category(ns.category("air-defence")) == "air-defence"
    for role in ("order", "expected_delivery"):
        assert ns.parse_date_role(ns.date_role(role)) == role


def test_parse_refuses_other_iris() -> None:
    """A parser answers None for an IRI of another kind, a bare prefix or a deeper path."""
    assert ns.parse_state(ns.system("t-72")) is None
    assert ns.parse_state(ns.ID_BASE + "state/") is None
    assert ns.parse_state(ns.ID_BASE + "state/SRB/extra") is None
    assert ns.parse_system(ns.delivery(ns.sipri_deal("2024", "1"), 2020)) is None
    assert ns.parse_sipri_deal(ns.delivery(ns.sipri_deal("2024", "1"), 2020)) is None
    assert ns.parse_document_graph(ns.sipri_graph("2024")) is None
    assert ns.parse_party(ns.status("ordered")) is None
    assert ns.parse_party(None) is None


def test_state_code_is_three_capitals() -> None:
    assert ns.is_state_code("RUS") and not ns.is_state_code("Rus")
    assert not ns.is_state_code("Hamas") and not ns.is_state_code(None)
