"""The test suite's own rules: its layout mirrors the package's kinds of test, and no fixture
shadows another (a module's `kb` silently replacing conftest's `kb` is how a test ends up on
another store than the one its reader expects)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
KINDS = {"unit", "integration", "conformance", "golden", "regressions"}


def _fixture_names(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    name = node.name
                    if isinstance(dec, ast.Call):
                        for kw in dec.keywords:
                            if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                                name = str(kw.value.value)
                    out.append(name)
    return out


#: pytest's own fixtures a test module must not redefine
BUILTIN_FIXTURES = {
    "request", "tmp_path", "tmp_path_factory", "tmpdir", "capsys", "capfd", "caplog",
    "monkeypatch", "pytestconfig", "recwarn", "cache", "record_property",
}


def test_no_fixture_shadows_another() -> None:
    """No test module redefines a fixture of a conftest above it or of pytest itself (two modules
    may each have their own `server`; neither may replace conftest's `kb`)."""
    inherited: dict[Path, set[str]] = {}
    for conftest in sorted(TESTS.rglob("conftest.py")):
        inherited[conftest.parent] = set(_fixture_names(conftest))
    shadowed = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        above = set(BUILTIN_FIXTURES)
        for directory, names in inherited.items():
            if directory in path.parents:
                above |= names
        clash = sorted(set(_fixture_names(path)) & above)
        if clash:
            shadowed[str(path.relative_to(TESTS))] = clash
    assert not shadowed, f"fixtures that shadow a conftest or pytest fixture: {shadowed}"
    conftest_names = [n for names in inherited.values() for n in names]
    assert len(conftest_names) == len(set(conftest_names)), "a conftest redefines another conftest's fixture"


def test_tests_live_in_their_kind() -> None:
    stray = [
        str(p.relative_to(TESTS)) for p in TESTS.rglob("test_*.py")
        if p.relative_to(TESTS).parts[0] not in KINDS
    ]
    assert not stray, f"test files outside {sorted(KINDS)}: {stray}"
    assert {p.name for p in TESTS.iterdir() if p.is_dir() and (p / "__init__.py").exists()} >= KINDS



def test_unit_tests_run_no_programs() -> None:
    """Tests that run the CLI or a server as a process live in integration/ (unit tests call code)."""
    offenders = []
    for path in sorted((TESTS / "unit").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            if "subprocess" in names:
                offenders.append(path.name)
            if isinstance(node, ast.Attribute) and node.attr == "server" and ast.unparse(node.value) == "pytest.mark":
                offenders.append(path.name)
    assert not offenders, f"move to tests/integration/: {sorted(set(offenders))}"
