"""The embedded store's graph replacement: whole-graph semantics, difference writes, blank nodes."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Literal, URIRef

from armskb.stores.oxigraph import OxigraphStore

G = URIRef("https://w3id.org/armskb/id/graph/doc/test")
H = URIRef("https://w3id.org/armskb/id/graph/doc/other")
S, P = URIRef("https://example.org/s"), URIRef("https://example.org/p")


def _objects(store: OxigraphStore, g: URIRef) -> set[str]:
    return {str(o) for _, _, o, _ in store.quads(g)}


def test_replace_is_whole_graph(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({G: [(S, P, Literal(i)) for i in range(5)], H: [(S, P, Literal("keep"))]})
    store.replace_graphs({G: [(S, P, Literal(i)) for i in range(3, 8)]})
    assert _objects(store, G) == {"3", "4", "5", "6", "7"}
    assert _objects(store, H) == {"keep"}
    store.replace_graphs({G: []})
    assert _objects(store, G) == set()
    store.close()


def test_tricky_literals_survive_the_update_text() -> None:
    store = OxigraphStore(None)
    values = ['quote " and \\\\ backslash', "line\nbreak", "} ; DROP ALL ; {", "é ü 中文 \U0001F600", "\\u0022"]
    store.replace_graphs({G: [(S, P, Literal("x"))]})
    store.replace_graphs({G: [(S, P, Literal(v)) for v in values]})  # the difference path
    assert _objects(store, G) == set(values)
    store.replace_graphs({G: [(S, P, Literal(v)) for v in values[:2]]})
    assert _objects(store, G) == set(values[:2])


def test_graphs_with_blank_nodes_are_replaced() -> None:
    store = OxigraphStore(None)
    b = BNode("b1")
    store.replace_graphs({G: [(S, P, b), (b, P, Literal("one"))]})
    store.replace_graphs({G: [(S, P, BNode("b2")), (BNode("b2"), P, Literal("two"))]})
    assert {str(o) for _, _, o, _ in store.quads(G) if isinstance(o, Literal)} == {"two"}
    assert store.count(G) == 2
