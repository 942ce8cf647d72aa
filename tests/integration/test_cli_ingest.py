"""`armskb ingest`, `dump -o -` and `restore` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import FIXTURES

ARMSKB = shutil.which("armskb", path=str(Path(sys.executable).parent)) or "armskb"


def armskb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ARMSKB, *args], capture_output=True, text=True, timeout=300)


def test_notes_are_warnings_rejections_fail_strict_fails_on_notes(tmp_path: Path) -> None:
    store, report = tmp_path / "s", tmp_path / "report.jsonl"
    register = FIXTURES / "sipri" / "register_2024.csv"
    proc = armskb("ingest", str(register), "--store", str(store), "--report", str(report))
    assert proc.returncode == 0, proc.stderr
    assert "note(s)" in proc.stderr and "0 rejected" in proc.stderr
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert records and {r["kind"] for r in records} == {"note"} and all(r["path"] == str(register) for r in records)
    strict = armskb("ingest", str(register), "--store", str(store), "--strict")
    assert strict.returncode == 1
    bad = FIXTURES / "claims" / "bad.jsonl"
    proc = armskb("ingest", str(bad), "--store", str(store), "--report", str(report))
    assert proc.returncode == 1 and "rejected" in proc.stderr
    assert any(json.loads(line)["kind"] == "rejected" for line in report.read_text(encoding="utf-8").splitlines())


def test_missing_path_once_and_queries_do_not_create_stores(tmp_path: Path) -> None:
    proc = armskb("ingest", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s"))
    assert proc.returncode == 1 and proc.stderr.count("nope.txt") == 1
    proc = armskb("transfers", "--store", str(tmp_path / "typo"))
    assert proc.returncode != 0 and "no store at" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "typo").exists()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "x.txt").write_text("x", encoding="utf-8")
    proc = armskb("stats", "--store", str(junk))
    assert proc.returncode != 0 and "not an armskb store" in proc.stderr and "Traceback" not in proc.stderr


def test_dump_to_stdout_and_restore(tmp_path: Path) -> None:
    store = tmp_path / "s"
    assert armskb("ingest", str(FIXTURES / "claims" / "small.jsonl"), "--store", str(store)).returncode == 0
    out = armskb("dump", "-o", "-", "--format", "nquads", "--store", str(store))
    assert out.returncode == 0 and not (Path.cwd() / "-").exists()
    dump = tmp_path / "all.nq"
    dump.write_text(out.stdout, encoding="utf-8")
    proc = armskb("restore", str(dump), "--store", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    again = armskb("dump", "-o", "-", "--format", "nquads", "--store", str(tmp_path / "r"))
    ground = sorted(ln for ln in out.stdout.splitlines() if "_:" not in ln)  # blank nodes get new labels
    assert sorted(ln for ln in again.stdout.splitlines() if "_:" not in ln) == ground
    assert again.stdout.count("\n") == out.stdout.count("\n")
    proc = armskb("restore", str(dump), "--store", str(tmp_path / "r"))
    assert proc.returncode == 2 and "not empty" in proc.stderr
