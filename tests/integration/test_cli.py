"""The command line, run as a user runs it (a real subprocess, output piped)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import FIXTURES

ARMSKB = shutil.which("armskb", path=str(Path(sys.executable).parent)) or "armskb"


def run(*args: str, store: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [ARMSKB, *args, "--store", str(store)] if args[0] not in ("--version",) else [ARMSKB, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"armskb {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    s = tmp_path_factory.mktemp("cli") / "store"
    run("ingest", str(FIXTURES / "claims" / "small.jsonl"), store=s)
    return s


def test_version() -> None:
    out = run("--version", store=Path(".")).stdout
    assert out.startswith("armskb ")


def test_ingest_reports_rejects_and_exits_nonzero(tmp_path: Path) -> None:
    proc = run("ingest", str(FIXTURES / "claims" / "bad.jsonl"), store=tmp_path / "s", check=False)
    assert proc.returncode == 1
    assert f"{FIXTURES / 'claims' / 'bad.jsonl'}:2" in proc.stderr
    assert "4 rejected" in proc.stderr


def test_ingest_directory(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(FIXTURES / "claims" / "small.csv", d)
    proc = run("ingest", str(d), store=tmp_path / "s")
    assert "5 claim(s) loaded" in proc.stderr


def test_query_formats(store: Path) -> None:
    tsv = run("query", "claims", "--param", "buyer=Serbien", "--param", "seller=RUS", store=store).stdout
    assert tsv.splitlines()[0].startswith("seller_code\tbuyer_code\tsystem_label")
    assert "RUS\tSRB\tT-72MS\tdelivered\t10" in tsv
    csv_out = run("query", "suppliers-of", "-p", "recipient=SRB", "--format", "csv", store=store).stdout
    assert csv_out.splitlines()[1].startswith("RUS,")
    js = json.loads(run("query", "sources", "--format", "json", store=store).stdout)
    assert js["head"]["vars"][0] == "document"
    assert len(js["results"]["bindings"]) == 2
    assert js["results"]["bindings"][0]["url"] == {
        "type": "literal",
        "value": "https://example.org/a",
        "datatype": "http://www.w3.org/2001/XMLSchema#anyURI",
    }


def test_query_errors(store: Path) -> None:
    proc = run("query", "nope", store=store, check=False)
    assert proc.returncode == 2 and "no named query 'nope'" in proc.stderr
    proc = run("query", "suppliers-of", store=store, check=False)
    assert proc.returncode == 2 and "needs parameter 'recipient'" in proc.stderr
    proc = run("query", "transfers", "-p", "colour=red", store=store, check=False)
    assert proc.returncode == 2 and "no parameter colour" in proc.stderr


def test_transfers_command(store: Path) -> None:
    out = run("transfers", "--buyer", "India", store=store).stdout  # reconciled: news only here
    assert out.splitlines()[0].startswith("supplier_code\trecipient_code\tsystem_label\tdesignations")
    assert "FRA\tIND\tRafale\t\t\tordered\t36\t" in out and "\tnews only\t" in out
    claims = run("claims", "--buyer", "India", store=store).stdout  # the raw claims view
    assert "FRA\tIND\tRafale\tordered\t36" in claims


def test_sparql_text_file_and_stdin(store: Path, tmp_path: Path) -> None:
    q = "PREFIX arms: <https://w3id.org/armskb/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?c a arms:Claim }"
    assert run("sparql", q, store=store).stdout.splitlines()[1] == "5"
    f = tmp_path / "q.rq"
    f.write_text(q)
    assert run("sparql", str(f), store=store).stdout.splitlines()[1] == "5"
    proc = subprocess.run([ARMSKB, "sparql", "-", "--store", str(store)], input=q, capture_output=True, text=True)
    assert proc.stdout.splitlines()[1] == "5"
    bad = run("sparql", "SELECT WHERE {", store=store, check=False)
    assert bad.returncode == 2 and "syntax" in bad.stderr.lower()


def test_stats_json(store: Path) -> None:
    data = json.loads(run("stats", "--format", "json", store=store).stdout)
    assert data["claims"] == 5 and data["documents"] == 2
    assert data["triples"] == sum(data["graphs"].values())


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_dump_is_deterministic(store: Path, tmp_path: Path, suffix: str) -> None:
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    run("dump", "-o", str(a), store=store)
    run("dump", "--output", str(b), store=store)
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0


def test_dump_unknown_suffix(store: Path, tmp_path: Path) -> None:
    proc = run("dump", "-o", str(tmp_path / "x.xyz"), store=store, check=False)
    assert proc.returncode == 2 and "--format" in proc.stderr


def test_validate_passes(store: Path) -> None:
    proc = run("validate", store=store)
    assert "conforms" in proc.stdout


def test_store_from_environment(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, ARMSKB_STORE=str(tmp_path / "envstore"))
    subprocess.run([ARMSKB, "ingest", str(FIXTURES / "claims" / "small.jsonl")], env=env, check=True, capture_output=True)
    assert (tmp_path / "envstore").is_dir()
