"""`armskb serve` under hostile use: SERVICE by any spelling over HTTP (a listener proves nothing
connects), concurrent clients on a cold server, size/nesting caps, socket and connection limits,
Content-Length, the worker memory cap, a quick lane beside slow queries, respawn failure, signals."""

from __future__ import annotations

import gc
import shutil
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from armskb import KnowledgeBase
from armskb.server import Limits, Server, Source, make_server, snapshot

from ..conftest import FIXTURES
from ..servers import free_port, start_armskb
from ..unit.test_server_guard import BYPASSES, LARGE_QUERY, Listener, _service

pytestmark = pytest.mark.server

CLAIM = "https://w3id.org/armskb/ontology#Claim"
SLOW_Q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_Q = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "store"
    kb = KnowledgeBase.open(path)
    assert kb.ingest([FIXTURES / "claims" / "small.jsonl"]).ok
    kb.close()
    del kb
    gc.collect()
    return path


@pytest.fixture(scope="module")
def server(store: Path):
    srv = make_server(store, port=free_port(), workers=2, max_connections=6, request_timeout=1,
                      limits=Limits(timeout_s=5, memory_mb=1024, slow_after_s=0.5)).start()
    yield srv
    srv.close()


def _get(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _query(srv: Server, text: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    return _get(srv.url + "/sparql", urllib.parse.urlencode({"query": text}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})


def _raw(srv: Server, request: bytes, wait: float = 15) -> bytes:
    host, port = srv.httpd.server_address[:2]
    with socket.create_connection((host, port), timeout=wait) as s:
        s.sendall(request)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                return out + b"<timeout>"
            if not chunk:
                return out
            out += chunk


def _wait_whole(srv: Server) -> None:
    """Until every worker and the standby are started again (replacements start in the background)."""
    deadline = time.monotonic() + 60
    standby = 1 if srv.pool.limits.standby else 0
    while ((srv.pool.idle.qsize() < srv.pool.size or srv.pool.standby.qsize() < standby)
           and time.monotonic() < deadline):
        time.sleep(0.05)


# -- SERVICE over HTTP ------------------------------------------------------------------------------
def test_service_spellings_never_connect_over_http(server: Server) -> None:
    listener = Listener()
    try:
        for template in BYPASSES:
            text = template.format(svc=_service(listener.port), port=listener.port)
            status, body = _query(server, text)
            assert status in (200, 400, 403), body
            assert len(body) < 600  # a short message, never an echo of a network error
        assert listener.hits == 0
    finally:
        listener.close()


def test_worker_errors_are_short(server: Server) -> None:
    status, body = _query(server, "SELECT * WHERE { ?s ?p ?o } GROUP BY ?x")  # rdflib accepts, Oxigraph not
    assert status == 400 and body.startswith(b"SPARQL syntax error")
    assert len(body) < 300 and body.count(b"\n") == 1


# -- a thread-safe, bounded check -------------------------------------------------------------------
def test_eight_concurrent_clients_on_a_cold_server(store: Path) -> None:
    srv = make_server(store, port=free_port(), timeout_s=30, workers=2).start()
    try:
        queries = [f"SELECT ?c ?x{i} WHERE {{ ?c a <{CLAIM}> BIND({i} AS ?x{i}) }} ORDER BY ?c" for i in range(8)]
        barrier = threading.Barrier(8)

        def ask(q: str) -> tuple[int, bytes]:
            barrier.wait()
            return _query(srv, q, "text/csv")

        with ThreadPoolExecutor(8) as ex:
            answers = list(ex.map(ask, queries))
        for i, (status, body) in enumerate(answers):
            lines = body.decode().splitlines()
            assert status == 200, body
            assert lines[0] == f"c,x{i}" and len(lines) == 6  # 5 claims
            assert all(line.endswith(f",{i}") for line in lines[1:])
    finally:
        srv.close()


def test_size_and_nesting_caps_over_http(server: Server) -> None:
    status, body = _query(server, "SELECT * WHERE { " + "?s ?p ?o . " * 12_000 + "}")
    assert status == 413 and b"limit" in body
    status, body = _query(server, "SELECT * WHERE " + "{ " * 80 + "?s ?p ?o" + " }" * 80)
    assert status == 400 and b"nests" in body
    status, body = _query(server, LARGE_QUERY)
    assert status == 200, body


def test_parse_time_counts_against_the_timeout(server: Server) -> None:
    """2,400 triple patterns (95 KB) take rdflib about 9 s to parse: past the 5 s limit, stopped."""
    text = "SELECT * WHERE { " + " ".join(f"?s <http://e.org/p{i}> ?o{i} ." for i in range(2400)) + " }"
    stopped = server.pool.stopped
    status, body = _query(server, text)
    assert status == 503 and b"stopped after 5 s" in body
    assert server.pool.stopped == stopped + 1
    _wait_whole(server)


# -- sockets, connections, Content-Length ------------------------------------------------------------
def test_idle_connection_is_closed_by_socket_timeout(server: Server) -> None:
    out = _raw(server, b"GET /sparql HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    assert out == b""  # closed by the server after request_timeout=1 s, not held


def test_connection_cap(server: Server) -> None:
    host, port = server.httpd.server_address[:2]
    idle = [socket.create_connection((host, port), timeout=10) for _ in range(server.httpd.max_connections)]
    try:
        time.sleep(0.3)  # let the server accept them all
        refused = server.httpd.refused_connections
        status, body = _get(server.url + "/queries")
        assert status == 503 and b"too many open connections" in body
        assert server.httpd.refused_connections == refused + 1
    finally:
        for s in idle:
            s.close()
    deadline = time.monotonic() + 20
    while _get(server.url + "/queries")[0] != 200:
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.parametrize(("length", "status"), [("abc", b"400"), ("-5", b"400"), ("99999999999", b"413")])
def test_bad_content_length(server: Server, length: str, status: bytes) -> None:
    out = _raw(server, f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                       f"Content-Length: {length}\r\n\r\nASK {{}}".encode())
    assert out.split(b" ")[1] == status, out


def test_missing_content_length_and_chunked(server: Server) -> None:
    out = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n\r\nASK {}")
    assert out.split(b" ")[1] == b"411"
    out = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       b"Content-Type: application/sparql-query\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n")
    assert out.split(b" ")[1] == b"411"


def test_short_body_does_not_pin_a_thread(server: Server) -> None:
    out = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: 1000\r\n\r\nASK {}")
    assert out == b""  # the server gave up after its socket timeout and closed
    assert _get(server.url + "/queries")[0] == 200


# -- workers: memory cap, quick lane, respawn ---------------------------------------------------------
def test_memory_cap_stops_the_query_not_the_server(server: Server) -> None:
    status, body = _query(server, MEMORY_Q)
    assert status == 503 and b"memory cap" in body
    _wait_whole(server)
    assert _query(server, "ASK {}")[0] == 200


def test_quick_queries_answered_while_slow_ones_run(server: Server) -> None:
    _wait_whole(server)
    with ThreadPoolExecutor(2) as ex:
        slow = [ex.submit(_query, server, SLOW_Q) for _ in range(2)]
        time.sleep(1)  # both slow queries past slow_after_s: one holds the slow slot, one is refused
        quick = [_query(server, f"ASK {{ ?c a <{CLAIM}> }}") for _ in range(10)]
        slow_answers = [f.result() for f in slow]
    assert all(status == 200 and b"true" in body for status, body in quick), quick
    assert sorted(s for s, _ in slow_answers) == [503, 503]
    assert any(b"too many long-running" in b for _, b in slow_answers)
    _wait_whole(server)


def test_failed_respawn_is_retried_then_the_server_stops(store: Path) -> None:
    snap = snapshot(store)
    srv = Server(Source(snapshot=snap), port=free_port(), workers=1,
                 limits=Limits(timeout_s=1, respawn_tries=3, respawn_backoff_s=0.05, standby=False)).start()
    try:
        shutil.rmtree(snap)  # a replacement worker can no longer open the snapshot
        status, _ = _query(srv, SLOW_Q)
        assert status == 503
        deadline = time.monotonic() + 60
        while srv.fatal is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert srv.fatal and "no query worker can run" in srv.fatal
        assert srv.pool.respawn_failures == 3 and srv.pool.live == 0
    finally:
        srv.close()
        shutil.rmtree(Path(snap).parent, ignore_errors=True)


# -- the CLI process: start failure, SIGTERM and SIGINT remove the snapshot ---------------------------
def test_no_worker_can_start_exits_non_zero(store: Path, tmp_path: Path) -> None:
    proc, _ = start_armskb(store, tmp_path, "--worker-memory-mb", "40", wait=False)
    proc.wait(timeout=120)
    assert proc.returncode == 3
    assert "query worker did not start" in (tmp_path / "armskb-serve.log").read_text()
    assert not list(tmp_path.glob("armskb-serve-*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_removes_the_snapshot(store: Path, tmp_path: Path, sig: signal.Signals) -> None:
    proc, _ = start_armskb(store, tmp_path)
    try:
        assert len(list(tmp_path.glob("armskb-serve-*"))) == 1
        proc.send_signal(sig)
        proc.wait(timeout=60)
        assert proc.returncode == 0
        assert not list(tmp_path.glob("armskb-serve-*"))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
