"""Every third-party module the package imports is declared in pyproject.toml (core or an extra),
with a lower bound: a fresh install must not meet an ImportError the developer's venv hid."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib

from packaging.requirements import Requirement

from tests.package_sources import PACKAGE, modules

from ..conftest import ROOT

#: import name -> distribution, for optional extras that may not be installed here
NOT_INSTALLED = {"sklearn": "scikit-learn", "pandas": "pandas", "wordfreq": "wordfreq"}


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    reqs += [Requirement(r) for extra in project.get("optional-dependencies", {}).values() for r in extra]
    return {re.sub(r"[-_.]+", "-", r.name).lower(): r for r in reqs}


def _imported_tops() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top not in sys.stdlib_module_names and top != PACKAGE:
                    out.setdefault(top, set()).add(name)
    return out


def test_every_import_is_declared() -> None:
    declared = _declared()
    dists = md.packages_distributions()
    missing = {}
    for top, where in sorted(_imported_tops().items()):
        names = dists.get(top) or [NOT_INSTALLED.get(top, top)]
        if not any(re.sub(r"[-_.]+", "-", n).lower() in declared for n in names):
            missing[top] = sorted(where)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_dependency_has_a_lower_bound() -> None:
    unbounded = [str(r) for r in _declared().values() if not any(s.operator in (">=", "==", "~=") for s in r.specifier)]
    assert not unbounded, f"dependencies without a lower bound: {unbounded}"
