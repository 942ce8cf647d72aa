"""`armskb serve --store` on a path with no store said nothing and served a new empty store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_serve_refuses_a_path_without_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-store"
    armskb = Path(sys.executable).with_name("armskb")
    proc = subprocess.run([str(armskb), "serve", "--store", str(missing), "--port", "0"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert f"no store at {missing}" in proc.stderr
    assert not missing.exists()
