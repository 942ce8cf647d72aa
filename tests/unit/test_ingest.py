"""Ingest never loses stored data silently and isolates every file (issue 9 items 3 and 4).

Real components throughout: the reader registry, the extractor, and a real Oxigraph store (in
memory, or on disk under tmp_path where the layout matters)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from armskb import namespace as ns
from armskb.ingest import IngestReport, ingest_paths, plan
from armskb.stores.oxigraph import OxigraphStore

FIX = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLE = FIX / "articles" / "header-en.txt"
REGISTER_2026 = FIX / "sipri" / "deliveries_2026.csv"
REGISTER_2024 = FIX / "sipri" / "register_2024.csv"


def _ingest(store: OxigraphStore, *paths: Path, replace: bool = False) -> IngestReport:
    return ingest_paths(store, list(paths), replace=replace)


def _doc_graphs(store: OxigraphStore) -> list[str]:
    return [str(g) for g in store.graphs() if str(g).startswith(ns.GRAPH_DOC_PREFIX)]


# -- stored data is never silently replaced --------------------------------------------------


def test_register_cut_mid_record_is_refused_unless_replace(tmp_path: Path) -> None:
    data = REGISTER_2024.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: data.rstrip(b"\n").rindex(b"\n") + 20])  # 19 bytes into the last record
    store = OxigraphStore(None)
    report = _ingest(store, cut)
    assert not report.loaded and store.count() == 0
    assert any("ends mid-record" in r.reason and r.path == str(cut) for r in report.rejected)
    report = _ingest(store, cut, replace=True)
    assert [item.kind for item in report.loaded] == ["sipri"] and store.count() > 0
    # the partial record itself never loads
    assert any("ends mid-record" in r.reason for r in report.rejected)


def test_register_2026_cut_mid_line_is_refused(tmp_path: Path) -> None:
    text = REGISTER_2026.read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text.rstrip("\n")[:-12], encoding="utf-8")  # the last line loses its ';'
    report = _ingest(OxigraphStore(None), cut)
    assert not report.loaded and any("ends mid-record" in r.reason for r in report.rejected)


def test_register_that_shrinks_its_graph_is_refused(tmp_path: Path) -> None:
    lines = REGISTER_2026.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID"))
    half = tmp_path / "half.csv"  # same release (the preamble's date), half of the rows
    half.write_text("".join(lines[: header_at + 1 + (len(lines) - header_at) // 2]), encoding="utf-8")
    store = OxigraphStore(None)
    assert _ingest(store, REGISTER_2026).ok
    (graph,) = [g for g in store.graphs() if str(g).startswith(ns.GRAPH_SIPRI_PREFIX)]
    full = store.count(graph)
    report = _ingest(store, half)
    assert not report.loaded and store.count(graph) == full
    (rej,) = report.rejected
    assert "would shrink" in rej.reason and "--replace" in rej.reason and rej.path == str(half)
    report = _ingest(store, half, replace=True)
    assert report.ok and 0 < store.count(graph) < full
    assert any("replaced register graph" in n.reason for n in report.notes)


def test_register_graph_records_its_content_hash() -> None:
    store = OxigraphStore(None)
    _ingest(store, REGISTER_2026)
    res = store.query("SELECT ?h WHERE { GRAPH ?g { ?g ?p ?h } }", {"p": ns.ARMS.contentHash})
    assert len(res.rows) == 1 and len(str(res.rows[0]["h"])) == 64


def test_same_stem_without_url_are_three_documents(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    body = "Serbia received six Mi-35M helicopters from Russia in 2019, the ministry said.\n"
    (tmp_path / "a" / "report.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b" / "report.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b" / "report.html").write_text(f"<html><body><article><p>{body * 3}</p></article></body></html>",
                                                encoding="utf-8")
    store = OxigraphStore(None)
    report = _ingest(store, tmp_path)
    assert report.ok and report.documents == 3
    assert len(_doc_graphs(store)) == 3


def test_two_jsonl_records_with_one_url_load_once(tmp_path: Path) -> None:
    rec = {"url": "https://example.org/one", "title": "t", "language": "en",
           "text": "Serbia received six Mi-35M helicopters from Russia in 2019."}
    p = tmp_path / "batch.jsonl"
    p.write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "text": rec["text"] + " Again."}) + "\n",
                 encoding="utf-8")
    store = OxigraphStore(None)
    report = _ingest(store, p)
    assert report.documents == 1 and len(_doc_graphs(store)) == 1
    (rej,) = report.rejected
    assert rej.line == 2 and "duplicate document" in rej.reason and f"{p}:1" in rej.reason


def test_same_url_in_two_files_of_one_batch_is_a_duplicate(tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    (tmp_path / "copy.txt").write_text(text, encoding="utf-8")
    report = _ingest(OxigraphStore(None), ARTICLE, tmp_path / "copy.txt")
    assert report.documents == 1 and [r.path for r in report.rejected] == [str(tmp_path / "copy.txt")]


# -- per-file isolation ------------------------------------------------------------------------

GARBAGE = {
    "surrogate.jsonl": '{"url": "https://x.org/s", "text": "bad \\ud800 text"}\n',
    "language.jsonl": '{"url": "https://x.org/l", "language": 7, "text": "Some text."}\n',
    "bigint.jsonl": '{"url": "https://x.org/i", "text": "t", "published": ' + "9" * 5000 + "}\n",
    "deep.jsonl": "[" * 20000 + "]" * 20000 + "\n",
    "deep-claims.jsonl": '{"article": "a", "buyer": "SRB", "seller": "RUS", "evidence": "e", "x": '
    + "[" * 20000 + "]" * 20000 + "}\n",
    "bigint-claims.jsonl": '{"article": "a", "buyer": "SRB", "seller": "RUS", "evidence": "e", "quantity": '
    + "9" * 5000 + "}\n",
    "surrogate-claims.jsonl": '{"article": "a", "buyer": "SRB", "seller": "RUS", "evidence": "\\udc00"}\n',
    "bigfield-claims.csv": "article,buyer,seller,evidence\na,SRB,RUS,\"" + "x" * 140_000 + "\"\n",
    "bigfield-register.csv": "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation\n"
    + "Serbia,Russia,\"" + "9" * 140_000 + "\"\n",
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_one_bad_file_does_not_stop_the_batch(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_text(GARBAGE[name], encoding="utf-8", errors="surrogatepass")
    store = OxigraphStore(None)
    report = _ingest(store, bad, ARTICLE)
    assert [item.path for item in report.loaded if item.path == str(ARTICLE)] == [str(ARTICLE)]
    assert report.rejected and all(r.path == str(bad) and r.reason for r in report.rejected)
    assert not any(item.path == str(bad) for item in report.loaded) or report.rejected


def test_html_without_its_cleaning_dependency_is_one_rejection(tmp_path: Path, monkeypatch) -> None:
    page = tmp_path / "page.html"
    shutil.copy(FIX / "articles" / "page-with-comments.html", page)
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails like a missing lxml_html_clean
    report = _ingest(OxigraphStore(None), page, ARTICLE)
    assert [item.path for item in report.loaded] == [str(ARTICLE)]
    (rej,) = report.rejected
    assert rej.path == str(page) and "lxml_html_clean" in rej.reason


# -- what a directory ingest reads -----------------------------------------------------------


def test_directory_skips_stores_dot_files_dumps_and_unknown_files(tmp_path: Path) -> None:
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    (tmp_path / ".hidden.txt").write_text("Serbia bought tanks.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "dump.trig").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    shutil.copy(Path("/work/shared/sipri/sipri_tiv_exports_russia_1950-2021.csv")
                if Path("/work/shared/sipri/sipri_tiv_exports_russia_1950-2021.csv").exists()
                else FIX / "sipri" / "not_sipri.csv", tmp_path / "table.csv")
    OxigraphStore(tmp_path / "store").close()
    os.mkfifo(tmp_path / "pipe.txt")
    store = OxigraphStore(None)
    report = _ingest(store, tmp_path)
    assert [Path(i.path).name for i in report.loaded] == ["article.txt"]
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert {".hidden.txt", ".git", "README.md", "dump.trig", "blob.txt", "table.csv", "store"} <= skipped.keys()
    assert "armskb restore" in skipped["dump.trig"] and "store" in skipped["store"]
    (rej,) = report.rejected
    assert rej.path == str(tmp_path / "pipe.txt") and "FIFO" in rej.reason


def test_named_file_no_reader_recognises_is_rejected(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# not an article\n", encoding="utf-8")
    (rej,) = _ingest(OxigraphStore(None), notes).rejected
    assert "no reader recognises" in rej.reason and "text" in rej.reason


def test_named_dump_is_rejected_with_restore_hint(tmp_path: Path) -> None:
    dump = tmp_path / "all.nq"
    dump.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    (rej,) = _ingest(OxigraphStore(None), dump).rejected
    assert "armskb restore" in rej.reason


def test_missing_path_reported_once(tmp_path: Path) -> None:
    report = _ingest(OxigraphStore(None), tmp_path / "nope.txt", ARTICLE)
    assert [r.path for r in report.rejected] == [str(tmp_path / "nope.txt")]
    assert report.documents == 1


def test_plan_refuses_devices() -> None:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null on this machine")
    todo = plan(["/dev/null"])  # only stat()ed, never opened or written
    assert not todo.files and "character device" in todo.rejected[0].reason


def test_oversized_csv_field_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "register.csv"
    bad.write_text(GARBAGE["bigfield-register.csv"], encoding="utf-8")
    (rej,) = _ingest(OxigraphStore(None), bad).rejected
    assert rej.line == 2 and "field larger than field limit" in rej.reason
    claims = tmp_path / "claims.csv"
    claims.write_text(GARBAGE["bigfield-claims.csv"], encoding="utf-8")
    (rej,) = _ingest(OxigraphStore(None), claims).rejected
    assert rej.line is not None and "field larger" in rej.reason
