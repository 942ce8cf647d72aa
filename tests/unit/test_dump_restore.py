"""Dumps write only regular files (or standard output), and `restore` loads a TriG/N-Quads dump
back into an empty store, isomorphic to the one dumped (issue 9 item 5, issue 11 item 5)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import to_isomorphic

from armskb import KnowledgeBase
from armskb.dump import dump, restore
from armskb.errors import ArmskbError
from armskb.stores.oxigraph import OxigraphStore

from ..conftest import FIXTURES, shrink_static_graphs


@pytest.fixture(scope="module")
def source_kb() -> KnowledgeBase:
    base = KnowledgeBase.memory()
    base.ingest([FIXTURES / "claims" / "small.jsonl", FIXTURES / "sipri" / "deliveries_2026.csv"])
    return shrink_static_graphs(base)  # round trips of the data, not of 25k reference quads


def _dataset(store: OxigraphStore) -> dict[str, object]:
    """Each named graph (and the default graph) as an rdflib graph, for isomorphism."""
    ds = Dataset()
    for s, p, o, g in store.quads():
        ds.graph(g).add((s, p, o)) if g is not None else ds.default_graph.add((s, p, o))
    return {str(g.identifier): to_isomorphic(g) for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_restore_is_isomorphic(source_kb: KnowledgeBase, tmp_path: Path, suffix: str) -> None:
    path = source_kb.dump(tmp_path / f"all{suffix}")
    with OxigraphStore(tmp_path / "restored") as target:
        n = restore(target, path)
        assert n == source_kb.store.count() > 0
        assert _dataset(target) == _dataset(source_kb.store)  # type: ignore[arg-type]
    again = KnowledgeBase.open(tmp_path / "restored", create=False)  # a store like any other
    assert again.stats()["documents"] == source_kb.stats()["documents"]
    again.close()


def test_restore_refuses_a_store_with_data(source_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = source_kb.dump(tmp_path / "all.trig")
    with OxigraphStore(tmp_path / "s") as target:
        restore(target, path)
        before = target.count()
        with pytest.raises(ArmskbError, match="not empty"):
            restore(target, path)
        assert target.count() == before


def test_restore_refuses_union_formats_and_bad_dumps(source_kb: KnowledgeBase, tmp_path: Path) -> None:
    ttl = source_kb.dump(tmp_path / "all.ttl")
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> \"cut\n", encoding="utf-8")
    with OxigraphStore(tmp_path / "s") as target:
        with pytest.raises(ArmskbError, match="TriG"):
            restore(target, ttl)
        with pytest.raises(ArmskbError, match="nothing restored"):
            restore(target, bad)
        assert target.count() == 0


def test_dump_to_stream(source_kb: KnowledgeBase) -> None:
    out = io.BytesIO()
    dump(source_kb.store, Path("-"), "nquads", out=out)
    assert out.getvalue().count(b"\n") == source_kb.store.count()
    with pytest.raises(ArmskbError, match="--format"):
        dump(source_kb.store, Path("-"), None, out=io.BytesIO())


def test_dump_never_replaces_a_symlink_or_directory(source_kb: KnowledgeBase, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.trig"
    link.symlink_to(outside)
    with pytest.raises(ArmskbError, match="symbolic link"):
        dump(source_kb.store, link)
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == "keep me"
    (tmp_path / "dir.trig").mkdir()
    with pytest.raises(ArmskbError, match="directory"):
        dump(source_kb.store, tmp_path / "dir.trig")
    fifo = tmp_path / "pipe.nq"
    os.mkfifo(fifo)
    with pytest.raises(ArmskbError, match="FIFO"):
        dump(source_kb.store, fifo)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.trig", "link.trig", "outside.txt", "pipe.nq"]


def test_dump_removes_its_temp_file_on_failure(source_kb: KnowledgeBase, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.nq"
    target.write_text("old", encoding="utf-8")

    def disk_error(fd: int) -> None:  # the write is done; syncing it to disk fails
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_error)
    with pytest.raises(OSError):
        dump(source_kb.store, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nq"]


def test_dump_file_gets_the_usual_mode(source_kb: KnowledgeBase, tmp_path: Path) -> None:
    """A dump is a plain new file (mode 0666 less the umask), not the temp file's private 0600."""
    old = os.umask(0o022)
    try:
        out = source_kb.dump(tmp_path / "all.trig")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
