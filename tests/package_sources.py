"""The armskb package's own source files, found through the import system (the package-dir
mapping puts `armskb.loaders` and friends outside `kb/`), for tests that read code as data."""

from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

PACKAGE = "armskb"
SUBPACKAGES = ("stores", "mapping", "loaders", "ontology", "queries")


def _root(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def modules() -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package and its subpackages."""
    out: dict[str, Path] = {}
    roots = [(PACKAGE, _root(PACKAGE))] + [(f"{PACKAGE}.{s}", _root(f"{PACKAGE}.{s}")) for s in SUBPACKAGES]
    for prefix, root in roots:
        if root is None:
            continue
        for p in sorted(root.rglob("*.py")):
            parts = [*prefix.split("."), *p.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.setdefault(".".join(parts), p)
    return out


def query_files() -> list[Path]:
    """Every SPARQL file shipped under `armskb.queries` (named and internal)."""
    root = Path(str(files(f"{PACKAGE}.queries")))
    return sorted(root.rglob("*.rq"))
