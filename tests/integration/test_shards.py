"""Scale-out: `armskb extract --out` shards from two overlapping runs, merged by `armskb load`,
give exactly the graphs that ingesting the articles directly gives (no duplicates)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from armskb.knowledgebase import KnowledgeBase
from armskb.stores.oxigraph import OxigraphStore, to_ox

from ..conftest import FIXTURES

ARMSKB = shutil.which("armskb", path=str(Path(sys.executable).parent)) or "armskb"
ARTICLES = sorted(p for p in (FIXTURES / "articles").iterdir() if p.is_file())


def _armskb(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([ARMSKB, *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"armskb {' '.join(args)}: {proc.stderr}"
    return proc


def _doc_quads(store: OxigraphStore) -> set[tuple[str, ...]]:
    return {tuple(map(str, (q.subject, q.predicate, q.object, q.graph_name)))
            for q in store.oxigraph.quads_for_pattern(None, None, None)
            if "/graph/doc/" in str(q.graph_name)}


def test_shards_of_two_runs_merge_without_duplicates(tmp_path: Path) -> None:
    assert len(ARTICLES) >= 4
    run_a, run_b = ARTICLES[:3], ARTICLES[1:]  # overlapping partitions, as two machines might get
    err = _armskb("extract", "--out", str(tmp_path / "a"), "--batch-size", "2", *map(str, run_a)).stderr
    assert "shard(s)" in err
    _armskb("extract", "--out", str(tmp_path / "b"), "--jobs", "2", "--batch-size", "1", *map(str, run_b))
    shards_a, shards_b = sorted((tmp_path / "a").glob("*.nq")), sorted((tmp_path / "b").glob("*.nq"))
    assert len(shards_a) == 2 and len(shards_b) == len(run_b)
    for shard in shards_a + shards_b:  # every shard is plain N-Quads any store can read
        assert all(isinstance(q.graph_name, ox.NamedNode) for q in ox.parse(path=str(shard), format=ox.RdfFormat.N_QUADS))

    merged = tmp_path / "merged"
    out = _armskb("load", "--store", str(merged), str(tmp_path / "a"), str(tmp_path / "b")).stderr
    assert "replaced" in out and "transfer(s)" in out
    direct = tmp_path / "direct"
    with KnowledgeBase.open(direct) as kb:
        kb.ingest(ARTICLES)
        want = _doc_quads(kb.store)  # type: ignore[arg-type]
        want_transfers = kb.stats()["transfers"]
    with KnowledgeBase.open(merged) as kb:
        got = _doc_quads(kb.store)  # type: ignore[arg-type]
        assert kb.stats()["transfers"] == want_transfers
        assert kb.store.count() == sum(1 for _ in kb.store.quads())
    assert want and got == want
    # the same shards again: every graph is already there and nothing changes
    _armskb("load", "--store", str(merged), "--no-reconcile", str(tmp_path / "b"))
    with KnowledgeBase.open(merged) as kb:
        assert _doc_quads(kb.store) == want  # type: ignore[arg-type]


def test_bad_shard_names_file_and_line(tmp_path: Path) -> None:
    shard = tmp_path / "shard-bad.nq"
    shard.write_text('<https://w3id.org/armskb/id/a> <https://w3id.org/armskb/id/p> "x" <https://w3id.org/armskb/id/graph/doc/x> .\n'
                     "this is not n-quads\n")
    proc = subprocess.run([ARMSKB, "load", "--store", str(tmp_path / "s"), str(shard)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1
    assert "shard-bad.nq" in proc.stderr and "2" in proc.stderr
    with KnowledgeBase.open(tmp_path / "s") as kb:
        assert not [g for g in kb.store.graphs() if "/graph/doc/" in str(g)]


@pytest.mark.server
def test_load_shards_into_a_server_by_graph_store_put(tmp_path: Path) -> None:
    """`armskb load --endpoint`: one Graph Store Protocol PUT per graph into Oxigraph server;
    loading again replaces (no duplicates)."""
    from tests import servers

    if not servers.oxigraph_binary():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    _armskb("extract", "--out", str(tmp_path / "shards"), *map(str, ARTICLES))
    server = servers.start_oxigraph(tmp_path / "server")
    try:
        remote = ["--endpoint", server.query_url, "--update-endpoint", server.update_url,
                  "--graph-store", server.graph_store_url]
        for _ in range(2):
            _armskb("load", *remote, "--no-reconcile", str(tmp_path / "shards"))
        with KnowledgeBase.open(tmp_path / "direct") as kb:
            kb.ingest(ARTICLES, reconcile=False)
            want = _doc_quads(kb.store)  # type: ignore[arg-type]
        got = KnowledgeBase.remote(server.query_url)
        quads = {tuple(str(to_ox(t)) for t in (s, p, o, g)) for s, p, o, g in got.store.quads()
                 if "/graph/doc/" in str(g)}
        assert quads == want
    finally:
        server.stop()
