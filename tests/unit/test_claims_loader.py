"""Structured claims: JSONL and CSV, errors with file and line, valid records still load."""

from __future__ import annotations

from pathlib import Path

from armskb import KnowledgeBase
from armskb.loaders.claims import read_claims

from ..conftest import FIXTURES


def test_jsonl_and_csv_agree() -> None:
    a = read_claims(FIXTURES / "claims" / "small.jsonl")
    b = read_claims(FIXTURES / "claims" / "small.csv")
    assert not a.errors and not b.errors
    assert [(d.name, d.url, [c.model_dump() for c in cl]) for d, cl in a.documents] == [
        (d.name, d.url, [c.model_dump() for c in cl]) for d, cl in b.documents
    ]


def test_bad_records_are_reported_with_line_and_reason() -> None:
    path = FIXTURES / "claims" / "bad.jsonl"
    parsed = read_claims(path)
    lines = sorted(e.location.line for e in parsed.errors)  # type: ignore[misc]
    assert lines == [2, 3, 4, 5]
    reasons = {e.location.line: e.reason for e in parsed.errors}
    assert "XYZ" in reasons[2]
    assert "invalid JSON" in reasons[3]
    assert "quantity" in reasons[4]
    assert "date" in reasons[5]
    assert all(str(path) in str(e) for e in parsed.errors)
    assert sum(len(c) for _, c in parsed.documents) == 2  # lines 1 and 6 still load


def test_ingest_bad_file_keeps_store_and_loads_valid(tmp_path: Path) -> None:
    kb = KnowledgeBase.memory()
    kb.ingest([FIXTURES / "claims" / "small.jsonl"])
    before = kb.stats()["claims"]
    report = kb.ingest([FIXTURES / "claims" / "bad.jsonl"])
    assert not report.ok and len(report.rejected) == 4
    assert all(r.line is not None for r in report.rejected)
    # bad.jsonl re-ingests fixture-a (1 valid record) and fixture-b (1 valid record)
    assert kb.stats()["claims"] == 2 and before == 5


def test_unreadable_file_is_rejected_not_fatal(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02garbage")
    kb = KnowledgeBase.memory()
    report = kb.ingest([binary, FIXTURES / "claims" / "small.jsonl"])
    assert [r.path for r in report.rejected] == [str(binary)]
    assert report.claims == 5
