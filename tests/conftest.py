"""Shared fixtures: store backends, the shared corpus, small hand-written inputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb.stores.sparql import SparqlStore
from armskb.vocab import ARMS
from tests import servers

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a visible reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared/ is only beside CI and developer checkouts)")
    return p


#: backends the shared store suite runs against; the remote ones start a server (marked so that
#: `-m "not server"` leaves them out)
BACKENDS = [
    "memory",
    "disk",
    pytest.param("oxigraph_server", marks=pytest.mark.server),
    pytest.param("virtuoso", marks=pytest.mark.server),
]


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


def shrink_static_graphs(base: KnowledgeBase) -> KnowledgeBase:
    """Keep of the reference graph (25k quads of states and systems) only what the loaded data
    points at, so round-trip tests serialise and re-parse a few hundred quads, not 25k; the
    ontology graph and every data graph stay whole."""
    data = [g for g in base.store.graphs() if g not in (ns.GRAPH_ONTOLOGY, ns.GRAPH_REFERENCE)]
    wanted = {t for g in data for q in base.store.quads(g) for t in (q[0], q[2]) if isinstance(t, URIRef)}
    reference = list(base.store.quads(ns.GRAPH_REFERENCE))
    families = {o for s, p, o, _ in reference if s in wanted and p == ARMS.variantOf}
    keep = [(s, p, o) for s, p, o, _ in reference if s in wanted | families or s == ns.GRAPH_REFERENCE]
    base.store.replace_graphs({ns.GRAPH_REFERENCE: keep})
    return base


@pytest.fixture(scope="module")
def small_kb() -> Iterator[KnowledgeBase]:
    """An in-memory knowledge base with the small claims fixture loaded and reconciled, and the
    static graphs shrunk to what those claims use (see `shrink_static_graphs`); module-scoped:
    tests must not write to it."""
    base = KnowledgeBase.memory()
    base.ingest([FIXTURES / "claims" / "small.jsonl"])
    yield shrink_static_graphs(base)
    base.close()


# -- remote SPARQL servers (tests/servers.py): started once per session, clean state per test ----
def _server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str):
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


SERVER_FIXTURES = {"oxigraph_server", "virtuoso_server", "remote_kb_oxigraph_server", "remote_kb_virtuoso"}


def _require_server_mark(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("server") is None:
        pytest.fail(f"{request.node.nodeid} starts a server but is not marked `server`", pytrace=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for a server fixture by name must carry the `server` mark, so that
    `-m "not server"` really leaves out every test that starts one."""
    unmarked = [
        i.nodeid for i in items
        if SERVER_FIXTURES & set(getattr(i, "fixturenames", ())) and i.get_closest_marker("server") is None
    ]
    if unmarked:
        raise pytest.UsageError("tests using a server fixture without the `server` mark: " + ", ".join(unmarked))


@pytest.fixture
def remote_kb_oxigraph_server(request: pytest.FixtureRequest, oxigraph_server) -> KnowledgeBase:
    _require_server_mark(request)
    return _clean_remote_kb(oxigraph_server)


@pytest.fixture
def remote_kb_virtuoso(request: pytest.FixtureRequest, virtuoso_server) -> KnowledgeBase:
    _require_server_mark(request)
    return _clean_remote_kb(virtuoso_server)
