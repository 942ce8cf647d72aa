"""A store held by another process: the message names the holder's pid and what to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from armskb import KnowledgeBase
from armskb.errors import StoreOpenError

HOLD = """
import sys, time
from armskb.stores.oxigraph import OxigraphStore
s = OxigraphStore(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
s.close()
"""


def test_store_held_by_another_process(tmp_path: Path) -> None:
    store = tmp_path / "s"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreOpenError) as e:
            KnowledgeBase.open(store)
        msg = str(e.value)
        assert f"process {holder.pid}" in msg and "armskb serve" in msg and "\n" not in msg
        with pytest.raises(StoreOpenError, match=f"process {holder.pid}"):
            KnowledgeBase.open(store, read_only=True)
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    with KnowledgeBase.open(store) as kb:  # free again once the holder closed it
        assert kb.stats()["documents"] == 0
