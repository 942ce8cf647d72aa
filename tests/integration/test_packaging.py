"""The wheel installs one namespace, `armskb`, with the ontology and queries as package data."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile

import pytest

from ..conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("armskb-*.whl")
    return zipfile.ZipFile(whl)


def test_wheel_has_one_namespace(wheel: zipfile.ZipFile) -> None:
    tops = {n.split("/")[0] for n in wheel.namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"armskb"}


def test_wheel_carries_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for required in (
        "armskb/ontology/armskb.ttl",
        "armskb/ontology/shapes.ttl",
        "armskb/ontology/schemes.ttl",
        "armskb/ontology/reference/states.csv",
        "armskb/ontology/reference/systems.csv",
        "armskb/queries/transfers.rq",
        "armskb/queries/suppliers-of.rq",
        "armskb/queries/claims-for.rq",
        "armskb/queries/sources.rq",
        "armskb/loaders/claims.py",
        "armskb/cli.py",
    ):
        assert required in names, required
    for rq in (ROOT / "queries").glob("*.rq"):
        assert f"armskb/queries/{rq.name}" in names
    for rq in (ROOT / "queries" / "internal").glob("*.rq"):
        assert f"armskb/queries/internal/{rq.name}" in names
    for csv_file in (ROOT / "ontology" / "reference").glob("*.csv"):
        assert f"armskb/ontology/reference/{csv_file.name}" in names


def test_wheel_carries_every_module(wheel: zipfile.ZipFile) -> None:
    """Every source file of the package-dir trees is in the wheel (a subpackage missing from
    `[tool.setuptools] packages` works in an editable install and is absent from a real one)."""
    names = set(wheel.namelist())
    trees = {"kb": "armskb", "loaders": "armskb/loaders", "queries": "armskb/queries"}
    missing = [
        f"{target}/{f.relative_to(ROOT / src).as_posix()}"
        for src, target in trees.items()
        for f in sorted((ROOT / src).rglob("*"))
        if f.suffix in (".py", ".rq") and "__pycache__" not in f.parts
        and f"{target}/{f.relative_to(ROOT / src).as_posix()}" not in names
    ]
    assert not missing, f"not in the wheel (add the package to pyproject.toml): {missing}"


def test_console_script_declared(wheel: zipfile.ZipFile) -> None:
    entry = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "armskb = armskb.cli:app" in wheel.read(entry).decode()


def test_queries_headers_name_parameters() -> None:
    from armskb.catalog import catalog

    assert {"transfers", "suppliers-of", "claims-for", "sources"} <= set(catalog())
    for q in catalog().values():
        assert q.title and q.examples, f"{q.name}.rq needs a title and an Example line"
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
        for p in q.params:
            assert re.search(rf"\?{re.escape(p.name)}\b", body), f"{q.name}.rq: parameter ?{p.name} unused in the query"


def test_internal_queries_have_headers_and_parse() -> None:
    """Every internal query names what uses it, its parameters and an example, and parses."""
    import pyoxigraph as ox

    from armskb.catalog import internal

    files = sorted((ROOT / "queries" / "internal").glob("*.rq"))
    assert len(files) >= 5
    store = ox.Store()
    for rq in files:
        text = internal(rq.stem)
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert header and header[0].startswith(f"# {rq.stem} "), f"{rq.name}: a title line naming the query"
        if not rq.stem.startswith(("reconcile-", "compare-")):  # reconcile's own header convention
            assert any("Internal:" in line for line in header), f"{rq.name}: say which code uses it"
            assert any("Example:" in line for line in header), f"{rq.name}: needs an Example line"
            assert any("@param" in line or "Parameters: none" in line for line in header), rq.name
        try:
            store.query(text)  # raises SyntaxError when it does not parse
        except SyntaxError:
            ox.Store().update(text)  # an update (reconcile's deletes) on a throwaway empty store


def test_no_sparql_text_inside_python() -> None:
    """SPARQL lives in .rq files: no string constant in the package's Python code is a query (data
    updates built from triples, INSERT DATA, are not queries)."""
    query = re.compile(r"^\s*(PREFIX\s[^\n]*\s+)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b.*(WHERE|\{)", re.I | re.S)
    found = []
    for py in [*(ROOT / "kb").rglob("*.py"), *(ROOT / "loaders").rglob("*.py")]:
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and query.match(node.value):
                found.append(f"{py.relative_to(ROOT)}:{node.lineno}: {node.value.strip()[:60]}")
    assert not found, "\n".join(found)
