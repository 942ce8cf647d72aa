"""The SIPRI views through the real `armskb` command (a subprocess): names refused with
suggestions, unknown formats, truncation warnings, the pivot table, rounding and exact JSON."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ..conftest import FIXTURES

ARMSKB = shutil.which("armskb", path=str(Path(sys.executable).parent)) or "armskb"
R2024 = FIXTURES / "reconcile" / "register_2024.csv"


def _run(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ARMSKB, *args, "--store", str(store)], capture_output=True, text=True, timeout=120)


def test_cli_views_errors_truncation_and_pivot(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert _run("ingest", str(R2024), store=store).returncode == 0
    bad = _run("transfers", "--buyer", "Serbiaa", store=store)
    assert bad.returncode == 2 and "Serbiaa: no such state; did you mean Serbia (SRB)" in bad.stderr
    for cmd in (["query", "sources", "--format", "xlsx"], ["sparql", "ASK {}", "-f", "yaml"], ["stats", "-f", "xml2"]):
        proc = _run(*cmd, store=store)
        assert proc.returncode == 2 and "unknown format" in proc.stderr, cmd
    cut = _run("query", "trade-register", "--limit", "2", "--format", "csv", store=store)
    assert cut.returncode == 0 and "warning: result cut at 2 rows" in cut.stderr
    assert len(cut.stdout.splitlines()) == 3
    js = json.loads(_run("query", "trade-register", "--limit", "2", "-f", "json", store=store).stdout)
    assert js["truncated"] is True and len(js["results"]["bindings"]) == 2
    every = _run("query", "trade-register", "--limit", "0", "-f", "csv", store=store)
    assert every.stderr == "" and len(every.stdout.splitlines()) == 7
    wide = _run("query", "tiv-suppliers-by-year", "-p", "recipient=HUN", "--pivot", "-f", "csv", store=store)
    rows = list(csv.reader(wide.stdout.splitlines()))
    assert rows[0] == ["supplier_name", "2016", "2017", "2019", "2020", "total"]
    assert rows[1:] == [["France", "", "", "50", "50", "100"], ["Russia", "7", "70", "", "46", "123"],
                        ["Total", "7", "70", "50", "96", "223"]]
    top = _run("query", "top-suppliers", "-p", "recipient=HUN", "-p", "since=2017", "-f", "csv", store=store)
    assert list(csv.reader(top.stdout.splitlines()))[1][3:5] == ["116", "53.7"]  # whole millions, 1-place share
    exact = json.loads(_run("query", "top-suppliers", "-p", "recipient=HUN", "-p", "since=2017", "-f", "json",
                            store=store).stdout)
    assert Decimal(exact["results"]["bindings"][0]["share_percent"]["value"]) == pytest.approx(Decimal(11600) / 216)
