"""The HTTP side: SPARQL 1.1 Protocol at /sparql, named queries, the query page, limits on sockets.

Standard library ThreadingHTTPServer; it never touches the store (workers do). Limits: a socket
timeout per connection, a cap on open connections (503 past it), a validated Content-Length with a
body cap, and CORS headers so browser pages elsewhere can query it (answers are public and read-only).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox

from armskb import catalog
from armskb.bind import bind
from armskb.errors import ArmskbError
from armskb.results import GRAPH_FORMATS, MEDIA_TYPES, serialize_triples
from armskb.server import pages
from armskb.server.execute import Job
from armskb.server.guard import MAX_QUERY_BYTES, HttpError, check_limits
from armskb.server.negotiation import negotiate
from armskb.server.workers import Pool, QueryTimeout

#: largest request body (a form-encoded query grows up to 3x)
MAX_BODY_BYTES = 4 * MAX_QUERY_BYTES
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-Armskb-Truncated, Content-Type"}

SD = "http://www.w3.org/ns/sparql-service-description#"
_RESULT_IRIS = {"json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
                "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
                "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
                "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
                "turtle": "http://www.w3.org/ns/formats/Turtle",
                "ntriples": "http://www.w3.org/ns/formats/N-Triples",
                "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
                "rdfxml": "http://www.w3.org/ns/formats/RDF_XML"}


#: pages are self-contained: scripts inline or from this server, nothing from elsewhere
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                                           "style-src 'unsafe-inline'; img-src 'self' data:"}


def service_description(endpoint: str) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of this endpoint (what it runs, which formats it answers in)."""
    svc, sd = ox.BlankNode(), (lambda name: ox.NamedNode(SD + name))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [ox.Triple(svc, rdf_type, sd("Service")),
               ox.Triple(svc, sd("endpoint"), ox.NamedNode(endpoint)),
               ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph"))]  # and no BasicFederatedQuery
    triples += [ox.Triple(svc, sd("resultFormat"), ox.NamedNode(iri)) for iri in _RESULT_IRIS.values()]
    return triples


class App:
    """What the handler asks: answers to queries and named queries, limits applied."""

    def __init__(self, pool: Pool, max_rows: int) -> None:
        self.pool = pool
        self.max_rows = max_rows

    def answer_query(self, text: str, fmt: str | None, accept: str | None,
                     default_graphs: list[str] | None = None,
                     named_graphs: list[str] | None = None) -> tuple[int, str, bytes, dict]:
        check_limits(text)
        return self._run(Job(text, fmt, accept, tuple(default_graphs or ()), tuple(named_graphs or ()),
                             self.max_rows))

    def _run(self, job: Job) -> tuple[int, str, bytes, dict]:
        try:
            answer = self.pool.run(job)
        except QueryTimeout as e:
            raise HttpError(503, str(e)) from None
        headers = {"X-Armskb-Truncated": "true"} if answer.truncated else {}
        return 200, MEDIA_TYPES[answer.key] + "; charset=utf-8", answer.body, headers

    def named_query(self, name: str, params: dict[str, str], fmt: str | None,
                    accept: str | None) -> tuple[int, str, bytes, dict]:
        try:
            q = catalog.get(name)
            text = bind(q.text, catalog.bindings_for(q, params))
        except (ArmskbError, ValueError) as e:
            raise HttpError(400 if name in catalog.catalog() else 404, str(e)) from None
        return self._run(Job(text, fmt, accept, max_rows=self.max_rows, named=True))


class Handler(BaseHTTPRequestHandler):
    """One connection; `server.app` answers. Socket timeout from `server.request_timeout`."""

    server_version = "armskb"
    protocol_version = "HTTP/1.1"
    server: EndpointHTTPServer

    def setup(self) -> None:
        self.timeout = self.server.request_timeout
        super().setup()

    def log_message(self, fmt: str, *args: Any) -> None:  # quiet unless asked
        if self.server.verbose:
            super().log_message(fmt, *args)

    def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in {**CORS, **(headers or {})}.items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode())

    @staticmethod
    def _params(raw: str) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(raw, keep_blank_values=True)

    def _service_description(self, fmt: str | None, accept: str | None) -> None:
        key = negotiate("graph", fmt, accept)
        body = serialize_triples(service_description(self.server.url + "/sparql"), key)
        self._send(200, GRAPH_FORMATS[key] + "; charset=utf-8", body)

    def _dispatch(self, params: dict[str, list[str]], body_query: str | None) -> None:
        path = urllib.parse.urlsplit(self.path).path
        accept = self.headers.get("Accept")
        fmt = (params.get("format") or [None])[0]
        app = self.server.app
        try:
            if path == "/sparql":
                if "update" in params:
                    raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only")
                texts = [body_query] if body_query is not None else params.get("query", [])
                if not texts and self.command in ("GET", "HEAD"):
                    self._service_description(fmt, accept)
                    return
                if len(texts) != 1:
                    raise HttpError(400, "give exactly one `query` (SPARQL 1.1 Protocol)")
                self._send(*app.answer_query(texts[0], fmt, accept, params.get("default-graph-uri"),
                                             params.get("named-graph-uri")))
            elif path.startswith("/queries/") and self.command in ("GET", "HEAD"):
                name = urllib.parse.unquote(path[len("/queries/"):])
                ps = {k: v[-1] for k, v in params.items() if k != "format"}
                self._send(*app.named_query(name, ps, fmt, accept))
            elif path == "/queries" and self.command in ("GET", "HEAD"):
                doc = [{"name": q.name, "title": q.title, "params": [p.model_dump() for p in q.params]}
                       for q in catalog.catalog().values()]
                self._send(200, "application/json", json.dumps(doc, indent=1).encode())
            elif self.command in ("GET", "HEAD") and (page := pages.route(path, params, app.pool)) is not None:
                status, ctype, body, headers = page
                self._send(status, ctype, body, {**PAGE_HEADERS, **headers})
            else:
                raise HttpError(404, f"no such resource {path}; the query endpoint is /sparql")
        except HttpError as e:
            self._error(e.status, e.message)
        except Exception as e:  # never leave a client hanging
            self._error(500, f"internal error: {type(e).__name__}")
            print(f"armskb: internal error on {path}: {type(e).__name__}: {e}", file=sys.stderr)

    def do_GET(self) -> None:
        self._dispatch(self._params(urllib.parse.urlsplit(self.path).query), None)

    do_HEAD = do_GET

    def do_OPTIONS(self) -> None:
        """CORS preflight."""
        self._send(204, "text/plain", b"", {"Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
                                             "Access-Control-Allow-Headers": "Accept, Content-Type",
                                             "Access-Control-Max-Age": "86400",
                                             "Allow": "GET, POST, HEAD, OPTIONS"})

    def _body(self) -> bytes | None:
        """The request body, or None after answering why it is refused."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._error(411, "send the body with a Content-Length (chunked transfer is not accepted)")
            return None
        raw = self.headers.get("Content-Length")
        if raw is None:
            self.close_connection = True
            self._error(411, "POST needs a Content-Length header")
            return None
        if not raw.strip().isdigit():
            self.close_connection = True
            self._error(400, f"Content-Length is not a non-negative integer: {raw[:40]!r}")
            return None
        length = int(raw)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._error(413, f"request body is {length} bytes; the limit is {MAX_BODY_BYTES}")
            return None
        body = self.rfile.read(length)
        if len(body) != length:
            self.close_connection = True
            return None  # the client went away or sent less than announced: nothing to answer
        return body

    def do_POST(self) -> None:
        raw = self._body()
        if raw is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = self._params(urllib.parse.urlsplit(self.path).query)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self._error(400, f"the request body is not UTF-8 (byte {e.start})")
            return
        if ctype == "application/x-www-form-urlencoded":
            for k, v in self._params(text).items():
                params.setdefault(k, []).extend(v)
            self._dispatch(params, None)
        elif ctype == "application/sparql-query":
            self._dispatch(params, text)
        elif ctype == "application/sparql-update":
            self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
        else:
            self._error(415, "POST application/sparql-query or application/x-www-form-urlencoded")


class EndpointHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a cap on open connections: past it, a short 503 and close."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App, max_connections: int = 64,
                 request_timeout: float = 30, verbose: bool = False) -> None:
        super().__init__(address, Handler)
        self.app = app
        self.request_timeout = request_timeout
        self.verbose = verbose
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        self.refused_connections = 0

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.refused_connections += 1
            msg = b"server busy: too many open connections; retry later\n"
            try:
                request.settimeout(2)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(msg)).encode() + b"\r\n\r\n" + msg)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (socket.timeout, ConnectionError)):
            return  # a slow or vanished client: its connection is closed, nothing to report
        super().handle_error(request, client_address)

