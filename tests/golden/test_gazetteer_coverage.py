"""System gazetteer coverage on the SIPRI register: nearly every designation of a deal ordered
since 2000 must be found as one whole span in a plain sentence (issue 8, item 7)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from armskb.loaders.gazetteer import find_systems
from tests.conftest import shared_path

pytestmark = pytest.mark.shared

PREFIX = "The army received the "
SUFFIX = " last year."


def recent_designations(register: Path, since: int = 2000) -> list[str]:
    """Distinct designations (as SIPRI writes them) of the deals ordered in or after `since`."""
    out: set[str] = set()
    with register.open(encoding="utf-8", errors="replace", newline="") as fh:
        rows = csv.reader(fh)
        next(rows, None)
        for row in rows:
            if len(row) >= 12 and row[2].strip().isdigit() and int(row[2]) >= since:
                out.add(row[6].strip())
    return sorted(d for d in out if d)


def whole_span_found(designation: str) -> bool:
    """The designation, without SIPRI's decorations ('Boxer IFV -', '-BOV 3.00'), is one mention."""
    name = designation.strip(" -")
    text = PREFIX + name + SUFFIX
    return any(m.start == len(PREFIX) and m.end == len(PREFIX) + len(name) for m in find_systems(text))


def test_register_designations_found_as_whole_spans() -> None:
    register = shared_path("sipri", "sipri_trade_register_all_1950-2023.csv")
    designations = recent_designations(register)
    assert len(designations) > 2000, "the 2024 register export lists ~2,173 such designations"
    missed = [d for d in designations if not whole_span_found(d)]
    coverage = 1 - len(missed) / len(designations)
    assert coverage >= 0.95, f"{coverage:.3f} of {len(designations)}; missed e.g. {missed[:30]}"
