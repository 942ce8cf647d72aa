"""The README's Python example runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..conftest import ROOT


def test_readme_python_example_runs(tmp_path: Path, capsys) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Python\n\n```python\n(.*?)```", text, re.S)
    assert code, "README has a Python example"
    src = code.group(1).replace("/tmp/armskb-example.trig", str(tmp_path / "example.trig"))
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(src, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "7 claims loaded, 0 rejected" in out
    assert "RUS SRB T-72 30 delivered news only" in out and "    T-72MS " in out
    assert "('RUS', 73)" in out
    assert (tmp_path / "example.trig").stat().st_size > 0
