"""The rdflib view of the embedded store (through oxrdflib) sees the same data."""

from __future__ import annotations

from rdflib.namespace import RDF

from armskb import KnowledgeBase
from armskb.namespace import ARMS

from ..conftest import FIXTURES


def test_rdflib_view_sees_claims() -> None:
    kb = KnowledgeBase.memory()
    kb.ingest([FIXTURES / "claims" / "small.jsonl"])
    view = kb.rdflib_graph()
    claims = set(view.subjects(RDF.type, ARMS.Claim))
    assert len(claims) == 5
    rows = list(view.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <%s> }" % ARMS.Claim))
    assert int(rows[0][0]) == 5
