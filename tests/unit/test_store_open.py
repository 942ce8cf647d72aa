"""Opening a store: layout version, what is not a store, creation only when asked, read-only
beside other readers (issue 9 item 5, issue 11 item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from armskb.errors import StoreOpenError
from armskb.stores.oxigraph import LAYOUT_VERSION, MARKER, OxigraphStore, is_store_dir

G = URIRef("https://w3id.org/armskb/id/graph/doc/test")
S, P = URIRef("https://example.org/s"), URIRef("https://example.org/p")


def test_new_store_records_its_layout(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").close()
    assert json.loads((tmp_path / "s" / MARKER).read_text(encoding="utf-8"))["layout"] == LAYOUT_VERSION
    assert is_store_dir(tmp_path / "s") and not is_store_dir(tmp_path)


def test_other_layout_version_is_one_line(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").close()
    (tmp_path / "s" / MARKER).write_text('{"layout": 99}', encoding="utf-8")
    with pytest.raises(StoreOpenError) as e:
        OxigraphStore(tmp_path / "s")
    assert "layout version 99" in str(e.value) and "\n" not in str(e.value)


def test_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreOpenError, match="not an armskb store"):
        OxigraphStore(tmp_path / "junk")
    with pytest.raises(StoreOpenError, match="is a file"):
        OxigraphStore(tmp_path / "file")
    assert sorted(p.name for p in (tmp_path / "junk").iterdir()) == ["notes.txt"]


def test_create_only_when_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreOpenError, match="no store at"):
        OxigraphStore(tmp_path / "typo", create=False)
    assert not (tmp_path / "typo").exists()
    with pytest.raises(StoreOpenError, match="no store at"):
        OxigraphStore(tmp_path / "typo", read_only=True)


def test_read_only_beside_readers_not_beside_the_writer(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "s") as w:
        w.replace_graphs({G: [(S, P, Literal("one"))]})
        with pytest.raises(StoreOpenError, match="open for writing in process"):
            OxigraphStore(tmp_path / "s", read_only=True)
    a = OxigraphStore(tmp_path / "s", read_only=True)
    b = OxigraphStore(tmp_path / "s", read_only=True)
    assert a.count(G) == b.count(G) == 1 and not a.writable
    with pytest.raises(StoreOpenError, match="open read-only in another process"):
        OxigraphStore(tmp_path / "s")
    a.close()
    b.close()
    OxigraphStore(tmp_path / "s").close()  # the locks are gone with the readers
