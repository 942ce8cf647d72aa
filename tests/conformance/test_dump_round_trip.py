"""Dumps parse back, in rdflib and in pyoxigraph, to graphs equal to the store's content
(W3C syntaxes: Turtle, TriG, N-Quads, N-Triples, JSON-LD)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import to_isomorphic

from armskb import KnowledgeBase
from armskb.stores.oxigraph import from_ox


def assert_same_graph(a: rdflib.Graph, b: rdflib.Graph) -> None:
    """Graph equality up to blank-node names: ground triples compared as sets (fast), triples with
    blank nodes by isomorphism."""

    def split(g: rdflib.Graph) -> tuple[set[tuple[str, str, str]], rdflib.Graph]:
        ground, with_bnodes = set(), rdflib.Graph()
        for t in g:
            if any(isinstance(x, rdflib.BNode) for x in t):
                with_bnodes.add(t)
            else:
                ground.add(tuple(x.n3() for x in t))
        return ground, with_bnodes

    ga, ba = split(a)
    gb, bb = split(b)
    assert ga == gb
    assert len(ba) == len(bb) and to_isomorphic(ba) == to_isomorphic(bb)


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_dump_deterministic_and_round_trips(small_kb: KnowledgeBase, tmp_path: Path, suffix: str) -> None:
    kb = small_kb
    assert kb.store.count() < 3000  # the shrunken static graphs, not 25k reference quads
    a = kb.dump(tmp_path / f"a{suffix}")
    b = kb.dump(tmp_path / f"b{suffix}")
    assert a.read_bytes() == b.read_bytes()
    with_graphs = suffix in (".trig", ".nq")
    ox_fmt = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
              ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}[suffix]

    # parsed back by rdflib and by pyoxigraph, each compared with the store's content
    if with_graphs:
        ds = rdflib.Dataset()
        ds.parse(a, format="trig" if suffix == ".trig" else "nquads")
        by_graph: dict[str, rdflib.Graph] = {}
        for q in ox.parse(path=a, format=ox_fmt):
            by_graph.setdefault(str(q.graph_name), rdflib.Graph()).add(
                (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            )
        for name in kb.store.graphs():
            mine = rdflib.Graph()
            for s, p, o, _ in kb.store.quads(name):
                mine.add((s, p, o))
            assert_same_graph(ds.graph(name), mine)
            assert_same_graph(by_graph[name.n3()], mine)
    else:
        union = rdflib.Graph()
        for s, p, o, _ in kb.store.quads():
            union.add((s, p, o))
        g = rdflib.Graph()
        g.parse(a, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[suffix])
        assert_same_graph(g, union)
        h = rdflib.Graph()
        for t in ox.parse(path=a, format=ox_fmt):
            h.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        assert_same_graph(h, union)


