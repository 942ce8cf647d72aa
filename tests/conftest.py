"""Shared fixtures: store backends, the shared corpus, small hand-written inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from armskb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a visible reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared/ is only beside CI and developer checkouts)")
    return p


#: backends the shared store suite runs against; remote ones are added by their fixtures
BACKENDS = ["memory", "disk"]


@pytest.fixture(params=BACKENDS)
def kb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeBase]:
    """A fresh, empty knowledge base on each backend."""
    if request.param == "memory":
        base = KnowledgeBase.memory()
    elif request.param == "disk":
        base = KnowledgeBase.open(tmp_path / "store")
    else:
        base = request.getfixturevalue(f"remote_kb_{request.param}")
    yield base
    base.close()


@pytest.fixture
def claims_file() -> Path:
    return FIXTURES / "claims" / "small.jsonl"
