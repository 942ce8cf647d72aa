"""Regression: Oxigraph stores xsd:nonNegativeInteger as xsd:integer, so a claim written with it
came back with another datatype and failed SHACL after a store round trip. Every literal armskb
writes must come back from the store exactly as written."""

from __future__ import annotations

from armskb import KnowledgeBase
from armskb.mapping.documents import document_graph
from armskb.loaders.claims import read_claims
from armskb import namespace as ns

from ..conftest import FIXTURES


def test_document_graph_survives_store_round_trip() -> None:
    parsed = read_claims(FIXTURES / "claims" / "small.jsonl")
    kb = KnowledgeBase.memory()
    for doc, claims in parsed.documents:
        written = document_graph(doc, claims)
        kb.store.replace_graphs({ns.document_graph(doc.key): written})
        stored = {(s, p, o) for s, p, o, _ in kb.store.quads(ns.document_graph(doc.key))}
        assert {t for t in written} == stored
        assert {o.n3() for _, _, o in written} == {o.n3() for _, _, o in stored}
