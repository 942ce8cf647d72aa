"""`armskb serve` follows the SPARQL 1.1 Protocol and Service Description conventions: a service
description at GET /sparql, CORS, the dataset from default-graph-uri / named-graph-uri or FROM /
FROM NAMED (union of graphs otherwise), and real clients: rdflib's SPARQLStore, curl, pandas."""

from __future__ import annotations

import gc
import io
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb.server import Server, make_server

from ..conftest import FIXTURES
from ..servers import free_port

pytestmark = pytest.mark.server

SD = "http://www.w3.org/ns/sparql-service-description#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def counts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A store and the triple count of each of its graphs, read from the store itself."""
    path = tmp_path_factory.mktemp("protocol") / "store"
    kb = KnowledgeBase.open(path)
    assert kb.ingest([FIXTURES / "claims" / "small.jsonl"]).ok
    sizes = {str(g): kb.store.count(g) for g in kb.store.graphs()}
    kb.close()
    del kb
    gc.collect()
    return path, sizes


@pytest.fixture(scope="module")
def server(counts) -> Server:
    srv = make_server(counts[0], port=free_port(), timeout_s=30, workers=2).start()
    yield srv
    srv.close()


def _get(url: str, headers: dict | None = None, method: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _count(server: Server, query: str = COUNT, **params: list[str]) -> int:
    pairs = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items() for v in vs]
    status, _, body = _get(server.url + "/sparql?" + urllib.parse.urlencode(pairs), {"Accept": "text/csv"})
    assert status == 200, body
    return int(body.decode().splitlines()[1])


# -- service description, CORS ------------------------------------------------------------------
@pytest.mark.parametrize(("accept", "fmt"), [(None, ox.RdfFormat.TURTLE), ("text/turtle", ox.RdfFormat.TURTLE),
                                             ("application/ld+json", ox.RdfFormat.JSON_LD),
                                             ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_service_description(server: Server, accept: str | None, fmt: ox.RdfFormat) -> None:
    status, headers, body = _get(server.url + "/sparql", {"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(accept or "text/turtle")
    triples = list(ox.parse(body, format=fmt))
    objects = {(t.predicate.value, t.object.value) for t in triples}
    assert (SD + "endpoint", server.url + "/sparql") in objects
    assert (SD + "supportedLanguage", SD + "SPARQL11Query") in objects
    assert (SD + "feature", SD + "UnionDefaultGraph") in objects
    assert (SD + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_CSV") in objects
    assert (SD + "feature", SD + "BasicFederatedQuery") not in objects


def test_cors_headers_and_preflight(server: Server) -> None:
    _, headers, _ = _get(server.url + "/sparql?query=" + urllib.parse.quote("ASK {}"), {"Origin": "http://a.example"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = _get(server.url + "/sparql", {"Origin": "http://a.example",
                                                          "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "content-type"},
                                 method="OPTIONS")
    assert status == 204 and body == b""
    assert "POST" in headers["Access-Control-Allow-Methods"] and "GET" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    assert headers["Access-Control-Allow-Origin"] == "*"


# -- the dataset ----------------------------------------------------------------------------------
def test_union_of_graphs_is_the_default(server: Server, counts) -> None:
    assert _count(server) == sum(counts[1].values())


def test_default_graph_uri(server: Server, counts) -> None:
    onto, ref = str(ns.GRAPH_ONTOLOGY), str(ns.GRAPH_REFERENCE)
    sizes = counts[1]
    assert _count(server, default_graph_uri=[onto]) == sizes[onto]
    assert _count(server, default_graph_uri=[onto, ref]) == sizes[onto] + sizes[ref]


def test_named_graph_uri(server: Server, counts) -> None:
    onto = str(ns.GRAPH_ONTOLOGY)
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(server, named) == sum(counts[1].values())
    assert _count(server, named, named_graph_uri=[onto]) == counts[1][onto]
    assert _count(server, named_graph_uri=[onto]) == 0  # the dataset has no default graph then


def test_from_and_from_named_in_the_query(server: Server, counts) -> None:
    onto = str(ns.GRAPH_ONTOLOGY)
    assert _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{onto}> WHERE {{ ?s ?p ?o }}") == counts[1][onto]
    q = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{onto}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _count(server, q) == counts[1][onto]
    # the protocol's parameters take precedence over the query's dataset (SPARQL 1.1 Protocol 2.1.4)
    ref = str(ns.GRAPH_REFERENCE)
    assert _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{onto}> WHERE {{ ?s ?p ?o }}",
                  default_graph_uri=[ref]) == counts[1][ref]


def test_bad_graph_iri_is_400(server: Server) -> None:
    status, _, body = _get(server.url + "/sparql?" + urllib.parse.urlencode(
        {"query": COUNT, "default-graph-uri": "not an iri"}))
    assert status == 400 and b"default-graph-uri" in body


# -- clients --------------------------------------------------------------------------------------
def test_rdflib_sparqlstore(server: Server, counts) -> None:
    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    onto = str(ns.GRAPH_ONTOLOGY)
    graph = Graph(store, identifier=URIRef(onto))  # sends default-graph-uri
    assert len(graph) == counts[1][onto]
    assert (None, None, None) in graph
    union = Graph(store)
    assert len(union) == sum(counts[1].values())
    names = {str(c) for c in store.contexts()}
    assert names == set(counts[1])
    res = union.query("SELECT ?c WHERE { ?c a <https://w3id.org/armskb/ontology#Claim> }")
    assert len(list(res)) == 5


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_service_description_and_preflight(server: Server) -> None:
    out = subprocess.run(["curl", "-s", "-S", "-H", "Accept: text/turtle", server.url + "/sparql"],
                         capture_output=True, timeout=30, check=True).stdout
    assert b"sparql-service-description" in out
    out = subprocess.run(["curl", "-s", "-S", "-i", "-X", "OPTIONS", "-H", "Origin: http://a.example",
                          server.url + "/sparql"], capture_output=True, timeout=30, check=True).stdout
    assert out.startswith(b"HTTP/1.1 204") and b"Access-Control-Allow-Origin: *" in out


def test_pandas_read_csv_of_a_query_url(server: Server) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install -e '.[pandas]')")
    q = ("SELECT ?c ?n WHERE { ?c a <https://w3id.org/armskb/ontology#Claim> "
         "OPTIONAL { ?c <https://w3id.org/armskb/ontology#quantity> ?n } } ORDER BY ?c")
    frame = pd.read_csv(server.url + "/sparql?" + urllib.parse.urlencode({"query": q, "format": "csv"}))
    assert list(frame.columns) == ["c", "n"] and len(frame) == 5
    assert frame["c"].str.startswith("https://w3id.org/armskb/id/claim/").all()
    direct = pd.read_csv(io.BytesIO(_get(server.url + "/sparql?" + urllib.parse.urlencode(
        {"query": q}), {"Accept": "text/csv"})[2]))
    assert frame.equals(direct)
