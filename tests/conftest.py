"""Shared fixtures: store backends, the shared corpus, small hand-written inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

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
BACKENDS = ["memory", "disk", "oxigraph_server", "virtuoso"]


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


# -- remote SPARQL servers (tests/servers.py): started once per session, clean state per test ----
def _server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str):
    from tests import servers

    if name == "virtuoso":
        why = servers.virtuoso_unavailable()
    else:
        why = None if servers.oxigraph_binary() else "the oxigraph server binary is not installed (pip install oxigraph)"
    if why:
        print(f"SKIP {name}: {why}")
        pytest.skip(why)
    directory = tmp_path_factory.mktemp(name)
    running = servers.start_virtuoso(directory) if name == "virtuoso" else servers.start_oxigraph(directory)
    request.addfinalizer(running.stop)
    return running


@pytest.fixture(scope="session")
def oxigraph_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """An `oxigraph serve --union-default-graph` process on a free loopback port."""
    return _server(request, tmp_path_factory, "oxigraph_server")


@pytest.fixture(scope="session")
def virtuoso_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A private Virtuoso (own ini, database dir and loopback ports)."""
    return _server(request, tmp_path_factory, "virtuoso")


_STATIC_COUNTS: dict[str, dict[str, int]] = {}


def _clean_remote_kb(running) -> KnowledgeBase:
    """A knowledge base on the server in the state of a fresh one: every armskb graph dropped but
    the ontology and reference graphs, which are kept (re-uploading them costs seconds per test)
    only when they hold exactly what a fresh knowledge base wrote the first time."""
    from armskb import namespace as ns
    from armskb.stores.sparql import SparqlStore

    store = SparqlStore(**running.store_kwargs(), graph_param=running.graph_param)
    static = {str(ns.GRAPH_ONTOLOGY), str(ns.GRAPH_REFERENCE)}
    known = _STATIC_COUNTS.get(running.name)
    for g in store.graphs():
        if known is not None and str(g) in static and store.count(g) == known.get(str(g)):
            continue
        store.drop_graph(g)
    base = KnowledgeBase(store)
    if known is None:
        _STATIC_COUNTS[running.name] = {g: store.count(URIRef(g)) for g in static}
    return base


@pytest.fixture
def remote_kb_oxigraph_server(oxigraph_server) -> KnowledgeBase:
    return _clean_remote_kb(oxigraph_server)


@pytest.fixture
def remote_kb_virtuoso(virtuoso_server) -> KnowledgeBase:
    return _clean_remote_kb(virtuoso_server)
