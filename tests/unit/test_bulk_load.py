"""The bulk path: Oxigraph's bulk loader writes the same quads as the transactional path, and a
load that fails or is interrupted leaves the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from armskb import namespace as ns
from armskb.errors import StoreError
from armskb.knowledgebase import KnowledgeBase
from armskb.loaders import sipri
from armskb.store import Triple
from armskb.stores.oxigraph import BULK_JOURNAL, BULK_MIN, OxigraphStore

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "sipri"
OLD = URIRef(ns.ID_BASE + "graph/doc/old")
NEW = URIRef(ns.ID_BASE + "graph/doc/new")
P = URIRef("https://example.org/p")


def _quads(store: OxigraphStore) -> set[tuple[str, str, str, str]]:
    return {tuple(map(str, (q.subject, q.predicate, q.object, q.graph_name)))
            for q in store.oxigraph.quads_for_pattern(None, None, None)}


@pytest.mark.parametrize("fixture", ["register_2024.csv", "deliveries_2026.csv"])
def test_register_bulk_path_writes_the_same_quads(tmp_path: Path, fixture: str) -> None:
    release, deals, _ = sipri.read_register(FIX / fixture)
    graph = ns.sipri_graph(release)
    triples = list(sipri.register_triples(release, deals))
    assert len(triples) > 50
    old, bulk = OxigraphStore(tmp_path / "old"), OxigraphStore(tmp_path / "bulk")
    old.replace_graphs({graph: triples})
    seen: list[int] = []
    bulk.add_new_graphs({graph: iter(triples)}, seen.append)
    assert _quads(bulk) == _quads(old)
    assert sum(seen) == len(triples)
    assert not (tmp_path / "bulk" / BULK_JOURNAL).exists()


def test_write_graphs_picks_the_path_by_size(tmp_path: Path) -> None:
    """Big or streamed new graphs: bulk loader; small ones: one transaction. Same quads either way."""
    triples = [(URIRef(f"https://example.org/s{i}"), P, Literal(i)) for i in range(BULK_MIN + 1)]
    small, big = OxigraphStore(tmp_path / "small"), OxigraphStore(tmp_path / "big")
    small.write_graphs({NEW: triples[:10]})
    big.write_graphs({NEW: triples})
    assert small.count(NEW) == 10 and big.count(NEW) == len(triples)
    assert {q for q in _quads(big) if q[0] in {f"<{t[0]}>" for t in triples[:10]}} == _quads(small)


def test_register_ingest_through_the_knowledge_base_matches(tmp_path: Path) -> None:
    """The ingest hook: a register file read into an empty store equals the transactional write."""
    with KnowledgeBase.open(tmp_path / "kb") as kb:
        kb.ingest([FIX / "register_2024.csv"], reconcile=False)
        stored = _quads(kb.store)  # type: ignore[arg-type]
    release, deals, _ = sipri.read_register(FIX / "register_2024.csv")
    ref = KnowledgeBase.memory()
    graph = ns.sipri_graph(release)
    digest = (graph, ns.ARMS.contentHash, Literal(sha256((FIX / "register_2024.csv").read_bytes()).hexdigest()))
    ref.store.replace_graphs({graph: [*sipri.register_triples(release, deals), digest]})
    assert stored == _quads(ref.store)  # type: ignore[arg-type]


def test_existing_graph_is_replaced_transactionally(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.write_graph(NEW, [(URIRef("https://example.org/a"), P, Literal(1))])
    store.write_graph(NEW, [(URIRef("https://example.org/b"), P, Literal(2))])
    assert {str(s) for s, _, _, _ in store.quads(NEW)} == {"https://example.org/b"}
    with pytest.raises(StoreError, match="new graphs only"):
        store.add_new_graphs({NEW: []})


def _failing(n: int) -> Iterator[Triple]:
    for i in range(n):
        yield URIRef(f"https://example.org/s{i}"), P, Literal(i)
    raise OSError("disk went away")


@pytest.mark.parametrize("where", [None, "disk"])
def test_failed_bulk_load_leaves_the_store_as_it_was(tmp_path: Path, where: str | None) -> None:
    store = OxigraphStore(tmp_path / "s" if where else None)
    store.replace_graphs({OLD: [(URIRef("https://example.org/keep"), P, Literal("kept"))]})
    before = _quads(store)
    with pytest.raises(StoreError, match="bulk load failed"):
        store.add_new_graphs({NEW: _failing(5_000)})
    assert _quads(store) == before
    assert NEW not in store.graphs()
    if where:
        assert not (tmp_path / "s" / BULK_JOURNAL).exists()


def test_bad_iri_is_refused_whole(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    triples = [(URIRef("https://example.org/ok"), P, Literal(1)), (URIRef("https://example.org/a b"), P, Literal(2))]
    with pytest.raises(StoreError):
        store.add_new_graphs({NEW: triples})
    assert store.count() == 0


def test_interrupted_load_is_dropped_on_next_open(tmp_path: Path) -> None:
    """What a killed process leaves: a journal and part of the graph; opening drops that part."""
    import pyoxigraph as ox

    db = ox.Store(str(tmp_path / "s"))
    g = ox.NamedNode(str(NEW))
    keep = ox.Quad(ox.NamedNode("https://example.org/keep"), ox.NamedNode(str(P)), ox.Literal("kept"),
                   ox.NamedNode(str(OLD)))
    db.add(keep)
    db.bulk_extend(ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode(str(P)), ox.Literal(str(i)), g)
                   for i in range(1000))
    (tmp_path / "s" / BULK_JOURNAL).write_text('{"graphs": ["%s"]}' % NEW)
    db.flush()
    del db
    store = OxigraphStore(tmp_path / "s")
    assert store.graphs() == [OLD]
    assert store.count() == 1
    assert not (tmp_path / "s" / BULK_JOURNAL).exists()
