"""SHACL validation of the store: passes on loaded data, fails with a readable report on bad data."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb.namespace import ARMS

from ..conftest import FIXTURES


def test_loaded_store_conforms() -> None:
    kb = KnowledgeBase.memory()
    kb.ingest([FIXTURES / "claims" / "small.jsonl"])
    conforms, report = kb.validate()
    assert conforms, report


def test_broken_claim_fails_with_report() -> None:
    kb = KnowledgeBase.memory()
    kb.ingest([FIXTURES / "claims" / "small.jsonl"])
    bad = URIRef(ns.ID_BASE + "claim/broken")
    kb.store.replace_graphs(
        {
            URIRef(ns.GRAPH_DOC_PREFIX + "broken"): [
                (bad, RDF.type, ARMS.Claim),
                (bad, ARMS.quantity, Literal(-4)),
                (bad, ARMS.confidence, Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
            ]
        }
    )
    conforms, report = kb.validate()
    assert not conforms
    assert "claim/broken" in report
    assert "arms:status" in report or "status" in report
    assert "quantity" in report
