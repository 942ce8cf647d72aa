"""IRIs are minted deterministically from stable keys only."""

from __future__ import annotations

from rdflib.compare import to_isomorphic

from armskb import namespace as ns
from armskb import rdf
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
        g = rdf.new_graph()
        for doc, claims in parsed.documents:
            g += rdf.document_graph(doc, claims)
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
