"""`armskb serve`: SPARQL 1.1 Protocol with real clients (SPARQLWrapper, curl), read-only guards,
server-side timeout, row cap, hostile parameters, and the query page in headless Chromium."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from armskb import KnowledgeBase
from armskb.server import HttpError, check_query, make_server

from ..conftest import FIXTURES
from ..servers import free_port
from .test_store_backends import HOSTILE

pytestmark = pytest.mark.server

CLAIM = "https://w3id.org/armskb/ontology#Claim"
CLAIMS_Q = f"SELECT ?c WHERE {{ ?c a <{CLAIM}> }} ORDER BY ?c"
SLOW_Q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_Q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("served") / "store"
    kb = KnowledgeBase.open(store)
    assert kb.ingest([FIXTURES / "claims" / "small.jsonl"]).ok
    kb.close()
    del kb  # releases the store's lock
    gc.collect()
    server = make_server(store, port=free_port(), timeout_s=5, max_rows=3, workers=2).start()
    yield server
    server.close()


def _get(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _wait_for_pool(pool, size: int = 2) -> None:
    """Replacements start in the background: wait until the pool is whole again."""
    deadline = time.monotonic() + 60
    while pool.idle.qsize() < size and time.monotonic() < deadline:
        time.sleep(0.05)


def _count(served) -> int:
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setQuery(COUNT_Q)
    sw.setReturnFormat(JSON)
    return int(sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"])


# -- SPARQLWrapper --------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(served, method: str) -> None:
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setMethod(method)
    sw.setQuery(f"SELECT ?c WHERE {{ ?c a <{CLAIM}> ; <https://w3id.org/armskb/ontology#buyer> ?b }} LIMIT 2")
    sw.setReturnFormat(JSON)
    res = sw.queryAndConvert()
    assert res["head"]["vars"] == ["c"]
    assert len(res["results"]["bindings"]) == 2
    assert res["results"]["bindings"][0]["c"]["type"] == "uri"


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_other_result_formats(served, fmt: str) -> None:
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setQuery(f"SELECT ?c WHERE {{ ?c a <{CLAIM}> }} ORDER BY ?c LIMIT 2")
    sw.setReturnFormat(fmt)
    body = sw.query().response.read()
    if fmt == XML:
        assert b"<sparql" in body and body.count(b"<result>") == 2
    elif fmt == CSV:
        assert body.splitlines()[0] == b"c" and len(body.splitlines()) == 3
    else:
        lines = body.decode().splitlines()
        assert lines[0] == "?c" and lines[1].startswith("<https://w3id.org/armskb/id/claim/")


def test_sparqlwrapper_ask_and_construct(served) -> None:
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setQuery(f"ASK {{ ?c a <{CLAIM}> }}")
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["boolean"] is True
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setQuery(f"CONSTRUCT {{ ?c a <{CLAIM}> }} WHERE {{ ?c a <{CLAIM}> }}")
    g = sw.queryAndConvert()  # SPARQLWrapper asks for RDF/XML first, accepts Turtle: content negotiation
    assert len(g) == 3  # capped at max_rows=3 (5 claims)


def test_sparqlwrapper_update_is_refused(served) -> None:
    before = _count(served)
    sw = SPARQLWrapper(served.url + "/sparql")
    sw.setMethod("POST")
    sw.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises(Exception) as err:
        sw.query()
    assert "403" in str(err.value) or "Forbidden" in str(err.value) or "read-only" in str(err.value)
    assert _count(served) == before


# -- curl -----------------------------------------------------------------------------------------
needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def _curl(*args: str) -> tuple[int, str, str]:
    out = subprocess.run(["curl", "-s", "-S", "-D", "-", *args], capture_output=True, timeout=30)
    head, _, body = out.stdout.decode("utf-8").partition("\r\n\r\n")
    status = int(head.split()[1])
    ctype = next((line.split(":", 1)[1].strip() for line in head.splitlines()
                  if line.lower().startswith("content-type:")), "")
    return status, ctype, body


@needs_curl
def test_curl_three_protocol_forms(served) -> None:
    url = served.url + "/sparql"
    q = urllib.parse.quote(CLAIMS_Q)
    forms = [
        ["-H", "Accept: text/csv", f"{url}?query={q}"],
        ["-H", "Accept: text/csv", "--data-urlencode", f"query={CLAIMS_Q}", url],
        ["-H", "Accept: text/csv", "-H", "Content-Type: application/sparql-query", "--data-binary", CLAIMS_Q, url],
    ]
    bodies = set()
    for args in forms:
        status, ctype, body = _curl(*args)
        assert status == 200 and ctype.startswith("text/csv")
        bodies.add(body)
    assert len(bodies) == 1 and len(next(iter(bodies)).splitlines()) == 4  # header + 3 (max rows)


@needs_curl
@pytest.mark.parametrize(("fmt", "ctype"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_select(served, fmt: str, ctype: str) -> None:
    status, got, _ = _curl("--data-urlencode", f"query={CLAIMS_Q}", "--data-urlencode", f"format={fmt}",
                           served.url + "/sparql")
    assert status == 200 and got.startswith(ctype)


@needs_curl
@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_construct_formats_by_accept(served, accept: str, fmt: ox.RdfFormat) -> None:
    q = f"CONSTRUCT {{ ?c a <{CLAIM}> }} WHERE {{ ?c a <{CLAIM}> }}"
    status, ctype, body = _curl("-H", f"Accept: {accept}", "--data-urlencode", f"query={q}", served.url + "/sparql")
    assert status == 200 and ctype.startswith(accept)
    assert len(list(ox.parse(body.encode(), format=fmt))) == 3


def test_truncation_header_and_406(served) -> None:
    status, headers, _ = _get(served.url + "/sparql?query=" + urllib.parse.quote(CLAIMS_Q))
    assert status == 200 and headers.get("X-Armskb-Truncated") == "true"
    status, _, body = _get(served.url + "/sparql?query=" + urllib.parse.quote(CLAIMS_Q),
                           {"Accept": "image/png"})
    assert status == 406 and b"available" in body


# -- read-only guards -----------------------------------------------------------------------------
REFUSED = [
    ("DROP ALL", 403),
    ("LOAD <http://example.org/data.ttl>", 403),
    ("CLEAR DEFAULT", 403),
    ("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }", 403),
    ("# a comment SELECT * WHERE {}\nDELETE WHERE { ?s ?p ?o }", 403),
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", 400),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403),
    ("select * where { service silent <http://127.0.0.1:1/x> { ?s ?p ?o } }", 403),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/q> { ?s ?p ?o } } }", 403),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE ?endpoint { ?s ?p ?o } } }", 403),
    ("SELECT * WHERE { ?s ?p ?o # }\n SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403),
    ('SELECT * WHERE { ?s ?p "}" SERVICE <http://example.org/sparql> { ?s ?p ?o } }', 403),
    ("SELECT * WHERE { ?s ?p ?o } garbage", 400),
]


@pytest.mark.parametrize(("text", "status"), REFUSED)
def test_refused_over_http(served, text: str, status: int) -> None:
    before = _count(served)
    for method in ("GET", "POST"):
        if method == "GET":
            got, _, body = _get(served.url + "/sparql?query=" + urllib.parse.quote(text))
        else:
            got, _, body = _get(served.url + "/sparql", {"Content-Type": "application/sparql-query"},
                                text.encode())
        assert got == status, body
        assert body.strip()  # a message saying why
    assert _count(served) == before


@pytest.mark.parametrize("text", [
    'SELECT ?x WHERE { BIND("SERVICE <http://example.org/> { }" AS ?x) }',
    "SELECT ?x WHERE { BIND(<http://example.org/SERVICE> AS ?x) } # SERVICE <http://e/> {}",
    'SELECT ?x WHERE { BIND("DROP ALL ; LOAD <http://x>" AS ?x) }',
])
def test_keywords_in_strings_comments_iris_are_harmless(served, text: str) -> None:
    assert check_query(text).form == "select"
    status, _, body = _get(served.url + "/sparql?query=" + urllib.parse.quote(text))
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


def test_update_forms_refused(served) -> None:
    before = _count(served)
    for data, ctype in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                        (b"DROP ALL", "application/sparql-update")):
        status, _, body = _get(served.url + "/sparql", {"Content-Type": ctype}, data)
        assert status == 403 and b"read-only" in body
    assert _count(served) == before


def test_check_query_unit() -> None:
    assert check_query("ASK {}").form == "ask"
    assert check_query("DESCRIBE <http://x>").form == "describe"
    with pytest.raises(HttpError) as e:
        check_query("INSERT DATA { <a:b> <a:b> <a:b> }")
    assert e.value.status == 403


# -- timeout --------------------------------------------------------------------------------------
def test_timeout_stops_query_on_server(served) -> None:
    pool = served.pool
    stopped = pool.stopped
    pids = {w.proc.pid for w in list(pool.idle.queue)}
    status, _, body = _get(served.url + "/sparql?query=" + urllib.parse.quote(SLOW_Q))
    assert status == 503 and b"stopped" in body
    assert pool.stopped == stopped + 1
    # the worker running it was killed (not left computing) and replaced by a new process
    _wait_for_pool(pool)
    now = {w.proc.pid for w in list(pool.idle.queue)}
    assert len(now) == 2 and now != pids
    assert all(w.proc.is_alive() for w in list(pool.idle.queue))
    assert _count(served) > 0  # and the endpoint still answers


# -- named queries over HTTP, hostile values ------------------------------------------------------
def test_named_query_endpoint(served) -> None:
    status, _, body = _get(served.url + "/queries/transfers?buyer=Serbie&format=json")
    assert status == 200
    labels = {b["system_label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    # reconciled transfers (issue 10): FK-3 is labelled by its family HQ-22
    assert labels <= {"T-72MS", "Mi-17", "Mi-35", "FK-3", "HQ-22"} and len(labels) == 3  # capped at 3 rows
    status, _, body = _get(served.url + "/queries/nope")
    assert status == 404
    status, _, body = _get(served.url + "/queries/transfers?colour=red")
    assert status == 400 and b"no parameter" in body
    status, _, body = _get(served.url + "/queries")
    assert status == 200 and "transfers" in {q["name"] for q in json.loads(body)}


@pytest.mark.parametrize("value", HOSTILE + ["S-400> . ?s ?p ?o } #", "\\u0022 ) } ; CLEAR ALL #"])
def test_hostile_named_query_parameters(served, value: str) -> None:
    before = _count(served)
    for name, param in (("transfers", "buyer"), ("transfers", "system"), ("claims-for", "seller"),
                        ("suppliers-of", "recipient"), ("sources", "language")):
        answers = []
        for v in (value, "zz-no-such-value"):  # a hostile value answers as any unknown value does
            url = f"{served.url}/queries/{name}?" + urllib.parse.urlencode({param: v, "format": "json"})
            status, _, body = _get(url)
            assert status in (200, 400), body  # 400: an unknown state/system is refused with suggestions
            answers.append((status, json.loads(body)["results"]["bindings"] if status == 200 else None))
        assert answers[0] == answers[1] and answers[0] in ((200, []), (400, None))
    assert _count(served) == before


# -- the page in headless Chromium ----------------------------------------------------------------
def test_page_serves_named_queries(served) -> None:
    status, headers, body = _get(served.url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"transfers" in body
    # nothing from elsewhere: scripts inline or served by armskb itself (/static/...)
    assert not re.search(rb"<(script|link|img)[^>]*\b(src|href)=\"?(https?:)?//", body)
    assert re.findall(rb'<script src="([^"]+)"', body) == [b"/static/plotly.min.js"]
    status, headers, js = _get(served.url + "/static/plotly.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and len(js) > 1_000_000


def test_page_in_headless_chromium(served) -> None:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        reason = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    assert selenium
    profile = tempfile.mkdtemp(prefix="armskb-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver), options=opts)
    try:
        browser.set_page_load_timeout(30)
        browser.get(served.url + "/")
        assert "armskb" in browser.title
        options = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#named option")]
        assert "transfers" in options and "claims-for" in options
        assert "SELECT" in browser.find_element(By.ID, "query").get_property("value")
        browser.find_element(By.ID, "run").click()
        WebDriverWait(browser, 20).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, "#results tbody tr")
            or "error" in (b.find_element(By.ID, "status").get_attribute("class") or "")
        )
        status = browser.find_element(By.ID, "status").text
        rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results thead th")]
        assert rows, status
        assert "supplier_code" in headers and "row(s)" in status
        cells = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results tbody td")}
        assert "RUS" in cells or "FRA" in cells or "CHN" in cells
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_snapshot_is_private(served, tmp_path: Path) -> None:
    # the workers read a backup, never the store directory a writer may hold
    snap = served.pool.source.snapshot
    assert snap and Path(snap).is_dir() and "armskb-serve-" in snap
