"""A process killed (SIGKILL) in the middle of a bulk load: the next open has the old graphs intact
and none of the half-written one. (Oxigraph 0.5 held this load in its loader's buffers when killed;
tests/unit/test_bulk_load.py::test_interrupted_load_is_dropped_on_next_open covers quads that did
reach the disk.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from armskb.stores.oxigraph import BULK_JOURNAL, OxigraphStore

CHILD = r"""
import sys, time
from pathlib import Path
from rdflib import Literal, URIRef
from armskb.stores.oxigraph import OxigraphStore

store = OxigraphStore(sys.argv[1])
store.replace_graphs({URIRef("https://w3id.org/armskb/id/graph/doc/old"):
                      [(URIRef("https://example.org/keep"), URIRef("https://example.org/p"), Literal("kept"))]})
ready = Path(sys.argv[2])

def triples():
    for i in range(300_000):
        yield URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(i)
        if i == 200_000:  # mid-load: the journal is written, the loader holds or wrote part of it
            ready.write_text("1")
            time.sleep(600)

store.add_new_graphs({URIRef("https://w3id.org/armskb/id/graph/doc/new"): triples()})
"""


def test_kill_during_bulk_load(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "s"), str(ready)])
    try:
        deadline = time.monotonic() + 300
        while not ready.exists():
            assert proc.poll() is None, "the loading process ended early"
            assert time.monotonic() < deadline, "the loading process never got half-way"
            time.sleep(0.2)
        time.sleep(1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert (tmp_path / "s" / BULK_JOURNAL).exists()
    store = OxigraphStore(tmp_path / "s")
    assert [str(g) for g in store.graphs()] == ["https://w3id.org/armskb/id/graph/doc/old"]
    assert store.count() == 1
    assert not (tmp_path / "s" / BULK_JOURNAL).exists()
