"""`armskb serve`: a read-only SPARQL 1.1 Protocol endpoint and a small query page.

Why our own app rather than the PyPI `oxigraph` server binary: the binary always allows SERVICE
calls to other hosts (a public endpoint would fetch whatever a query names), has no read-only
guard we control, and opening a store read-only while `armskb ingest` writes it is undefined
behaviour. Its one strength, stopping a query at `--timeout-s`, we get from a worker process:

- The HTTP side is the standard library's ThreadingHTTPServer (no new dependency). It never touches
  the store. Each query is first parsed with rdflib's SPARQL parser: anything that does not parse as
  a query is refused (an update gets 403, a syntax error 400), and so is any query whose parse tree
  holds a SERVICE pattern (403). The check works on the parse tree, so a keyword in a comment, a
  string or an IRI neither triggers it nor hides from it; a query rdflib cannot parse is refused
  rather than passed on unchecked (fail closed).
- Queries run in a pool of worker processes (multiprocessing, spawn). A query still running at
  `--timeout-s` is stopped on the server by killing its worker (pyoxigraph queries cannot be
  cancelled from Python), answered with 503, and the worker is replaced.
- Workers serve a snapshot: at start the store is backed up (`Store.backup`, a RocksDB checkpoint)
  into a private directory that the workers open read-only (`Store.read_only`). No process ever
  reads a store another process writes, `armskb ingest` keeps working beside the server, and the
  endpoint cannot change data even if a check above were wrong. New data shows after a restart.
- Results are capped at `--max-rows` (header `X-Armskb-Truncated: true` when cut) and serialized in
  the worker: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples or
  JSON-LD (RDF/XML too, SPARQLWrapper's default); chosen by the `format` parameter, else by the Accept header.
- `/queries/NAME?param=value` runs a named query of `queries/*.rq`; parameters are bound as terms
  (`armskb.bind`), never pasted. `/queries` lists them as JSON; `/` is the query page.
- With `--endpoint`, the workers query that remote endpoint instead (through `SparqlStore`); killing
  a worker then abandons the request, and the remote server's own timeout applies there.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import queue
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from rdflib import BNode, URIRef

# -- formats ----------------------------------------------------------------------------------------
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_ALIASES = {
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
    "srj": "json", "srx": "xml", "application/json": "json", "text/plain": "ntriples",
    "application/xml": "xml", "text/xml": "xml",
}
for _k, _v in {**SOLUTION_FORMATS, **GRAPH_FORMATS}.items():
    _ALIASES[_v] = _k


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _accept_list(header: str) -> list[tuple[float, str]]:
    out = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mime = bits[0].lower()
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if mime and q > 0:
            out.append((-q, i, mime))
    return [(q, m) for q, _, m in sorted(out)]


def negotiate(form: str, fmt: str | None, accept: str | None) -> str:
    """The output format key for a query form ('select', 'ask', 'construct', 'describe')."""
    table = SOLUTION_FORMATS if form in ("select", "ask") else GRAPH_FORMATS
    default = "json" if table is SOLUTION_FORMATS else "turtle"
    if fmt:
        key = _ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
        if key in table:
            return key
        # a format that does not fit the query form (SPARQLWrapper sends format=xml for every form
        # unless told otherwise) yields to the Accept header
    if not accept:
        return default
    for _, mime in _accept_list(accept):
        key = _ALIASES.get(mime)
        if key in table:
            return key
        if mime in ("*/*", "application/*", "text/*"):
            return default
    raise HttpError(406, f"cannot answer a {form.upper()} query as {accept}; "
                         f"available: {', '.join(table.values())}")


# -- serializers (rdflib terms) ---------------------------------------------------------------------
def _nt(term: Any) -> str:
    """A term in N-Triples syntax (SPARQL TSV results), escaped by Oxigraph's writer."""
    from armskb.stores.oxigraph import to_ox

    return str(to_ox(term))


def _xml_term(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{xml_escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{xml_escape(str(term))}</bnode>"
    attrs = ""
    if term.language:
        attrs = f' xml:lang="{xml_escape(term.language)}"'
    elif term.datatype:
        attrs = f' datatype="{xml_escape(str(term.datatype), {chr(34): "&quot;"})}"'
    return f"<literal{attrs}>{xml_escape(str(term))}</literal>"


def serialize_solutions(variables: list[str], rows: list[dict], fmt: str) -> bytes:
    from armskb.output import json_term

    if fmt == "json":
        doc = {"head": {"vars": variables},
               "results": {"bindings": [{k: json_term(v) for k, v in r.items()} for r in rows]}}
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f'<variable name="{v}"/>' for v in variables), "</head><results>"]
        for r in rows:
            out.append("<result>")
            out += [f'<binding name="{k}">{_xml_term(v)}</binding>' for k, v in r.items()]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for r in rows:
            w.writerow([("_:" + str(r[v]) if isinstance(r[v], BNode) else str(r[v])) if v in r else ""
                        for v in variables])
        return buf.getvalue().encode()
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_nt(r[v]) if v in r else "" for v in variables) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n").encode()
    return (str(value).lower() + "\n").encode()


def serialize_triples(triples: list, fmt: str) -> bytes:
    import pyoxigraph as ox

    ox_fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    from armskb import namespace as ns

    return ox.serialize(triples, format=ox_fmt, prefixes=ns.PREFIXES if fmt == "turtle" else None) or b""


# -- checking a query -------------------------------------------------------------------------------
def check_query(text: str) -> str:
    """The query form ('select', 'ask', 'construct', 'describe'), or HttpError: updates, SERVICE and
    anything that does not parse as a query are refused."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except Exception as e:  # pyparsing's ParseException and friends
        try:
            parseUpdate(text)
        except Exception:
            raise HttpError(400, f"SPARQL syntax error: {e}") from None
        raise HttpError(403, "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is not allowed: "
                             "this endpoint is read-only") from None

    def names(node: Any):
        if isinstance(node, CompValue):
            yield node.name
            for v in node.values():
                yield from names(v)
        elif isinstance(node, (list, tuple)) or hasattr(node, "as_list"):
            for v in node:
                yield from names(v)

    if "ServiceGraphPattern" in set(names(tree)):
        raise HttpError(403, "SERVICE (federated query to another endpoint) is not allowed here")
    form = tree[1].name
    return {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
            "DescribeQuery": "describe"}.get(form) or _bad_form(form)


def _bad_form(form: str) -> str:
    raise HttpError(400, f"unsupported query form {form}")


# -- the worker process -----------------------------------------------------------------------------
@dataclass
class Source:
    """What the workers query: a read-only snapshot directory, or a remote endpoint."""

    snapshot: str | None = None
    endpoint: dict | None = None


def _worker_main(conn: Any, source: Source) -> None:  # runs in the worker process
    import pyoxigraph as ox

    from armskb.stores.oxigraph import from_ox, to_ox

    store = None
    remote = None
    if source.snapshot:
        store = ox.Store.read_only(source.snapshot)
    else:
        from armskb.stores.sparql import SparqlStore

        remote = SparqlStore(**(source.endpoint or {}))
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        text, form, fmt, max_rows = msg
        try:
            truncated = False
            if store is not None:
                res = store.query(text, use_default_graph_as_union=True)
                if isinstance(res, ox.QueryBoolean):
                    body = serialize_boolean(bool(res), fmt)
                elif isinstance(res, ox.QuerySolutions):
                    variables = [v.value for v in res.variables]
                    rows = []
                    for sol in res:
                        if len(rows) >= max_rows:
                            truncated = True
                            break
                        rows.append({v: from_ox(sol[v]) for v in variables if sol[v] is not None})
                    body = serialize_solutions(variables, rows, fmt)
                else:
                    triples = []
                    for t in res:
                        if len(triples) >= max_rows:
                            truncated = True
                            break
                        triples.append(t)
                    body = serialize_triples(triples, fmt)
            else:
                from armskb.store import SelectResult

                assert remote is not None
                res = remote.query(text)
                if isinstance(res, bool):
                    body = serialize_boolean(res, fmt)
                elif isinstance(res, SelectResult):
                    truncated = len(res.rows) > max_rows
                    body = serialize_solutions(res.variables, res.rows[:max_rows], fmt)
                else:
                    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in res]
                    truncated = len(triples) > max_rows
                    body = serialize_triples(triples[:max_rows], fmt)
            conn.send(("ok", body, truncated))
        except Exception as e:  # a query error is an answer, not a crash
            conn.send(("error", f"{type(e).__name__}: {e}"))


class Worker:
    def __init__(self, ctx: Any, source: Source) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, source), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv()[0] != "ready":
            self.kill()
            raise RuntimeError("query worker did not start")

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryTimeout(Exception):
    pass


class Pool:
    """Worker processes; a query past its time kills its worker, which is replaced."""

    def __init__(self, source: Source, size: int, timeout_s: float) -> None:
        self.ctx = mp.get_context("spawn")
        self.source = source
        self.timeout_s = timeout_s
        self.idle: queue.Queue[Worker] = queue.Queue()
        for _ in range(size):
            self.idle.put(Worker(self.ctx, source))
        self.stopped = 0  # queries stopped at the timeout (for tests and logs)

    def run(self, text: str, form: str, fmt: str, max_rows: int) -> tuple[bytes, bool]:
        start = time.monotonic()
        try:
            worker = self.idle.get(timeout=self.timeout_s)
        except queue.Empty:
            raise HttpError(503, f"server busy: no query worker free within {self.timeout_s:g} s") from None
        left = max(0.1, self.timeout_s - (time.monotonic() - start))
        try:
            worker.conn.send((text, form, fmt, max_rows))
            if not worker.conn.poll(left):
                worker.kill()
                self.stopped += 1
                worker = Worker(self.ctx, self.source)
                raise QueryTimeout(f"query stopped after {self.timeout_s:g} s (--timeout-s)")
            answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = Worker(self.ctx, self.source)
            raise HttpError(500, "the query worker died; it was restarted") from None
        finally:
            if worker.proc.is_alive():  # a replacement that failed to start is not pooled
                self.idle.put(worker)
        if answer[0] == "error":
            raise HttpError(400, answer[1])
        return answer[1], answer[2]

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                return


# -- HTTP -------------------------------------------------------------------------------------------
def page_html() -> bytes:
    from armskb.catalog import catalog

    named = {q.name: {"title": q.title, "text": q.text} for q in catalog().values()}
    data = json.dumps(named, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
    html = resources.files("armskb").joinpath("server_page.html").read_text(encoding="utf-8")
    return html.replace("/*NAMED_QUERIES*/{}", data).encode("utf-8")


class App:
    def __init__(self, pool: Pool, max_rows: int) -> None:
        self.pool = pool
        self.max_rows = max_rows

    def answer_query(self, text: str, fmt: str | None, accept: str | None) -> tuple[int, str, bytes, dict]:
        form = check_query(text)
        key = negotiate(form, fmt, accept)
        try:
            body, truncated = self.pool.run(text, form, key, self.max_rows)
        except QueryTimeout as e:
            raise HttpError(503, str(e)) from None
        ctype = {**SOLUTION_FORMATS, **GRAPH_FORMATS}[key]
        headers = {"X-Armskb-Truncated": "true"} if truncated else {}
        return 200, ctype + "; charset=utf-8", body, headers

    def named_query(self, name: str, params: dict[str, str], fmt: str | None,
                    accept: str | None) -> tuple[int, str, bytes, dict]:
        from armskb import catalog
        from armskb.bind import bind
        from armskb.errors import ArmskbError

        try:
            q = catalog.get(name)
            text = bind(q.text, catalog.bindings_for(q, params))
        except (ArmskbError, ValueError) as e:
            raise HttpError(400 if name in catalog.catalog() else 404, str(e)) from None
        return self.answer_query(text, fmt, accept)


def _handler(app: App) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "armskb"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: Any) -> None:  # quiet unless asked
            if getattr(self.server, "verbose", False):
                super().log_message(fmt, *args)

        def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, "text/plain; charset=utf-8", (message + "\n").encode())

        def _params(self, raw: str) -> dict[str, list[str]]:
            return urllib.parse.parse_qs(raw, keep_blank_values=True)

        def _dispatch(self, params: dict[str, list[str]], body_query: str | None) -> None:
            path = urllib.parse.urlsplit(self.path).path
            accept = self.headers.get("Accept")
            fmt = (params.get("format") or [None])[0]
            try:
                if path == "/sparql":
                    if "update" in params:
                        raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only")
                    texts = params.get("query", [])
                    if body_query is not None:
                        texts = [body_query]
                    if len(texts) != 1:
                        raise HttpError(400, "give exactly one `query` (SPARQL 1.1 Protocol)")
                    if params.get("default-graph-uri") or params.get("named-graph-uri"):
                        raise HttpError(400, "default-graph-uri / named-graph-uri are not supported: "
                                             "queries run over the union of all graphs")
                    self._send(*app.answer_query(texts[0], fmt, accept))
                elif path.startswith("/queries/") and self.command in ("GET", "HEAD"):
                    name = urllib.parse.unquote(path[len("/queries/"):])
                    ps = {k: v[-1] for k, v in params.items() if k != "format"}
                    self._send(*app.named_query(name, ps, fmt, accept))
                elif path == "/queries" and self.command in ("GET", "HEAD"):
                    from armskb.catalog import catalog

                    doc = [{"name": q.name, "title": q.title,
                            "params": [p.model_dump() for p in q.params]} for q in catalog().values()]
                    self._send(200, "application/json", json.dumps(doc, indent=1).encode())
                elif path in ("/", "/index.html") and self.command in ("GET", "HEAD"):
                    self._send(200, "text/html; charset=utf-8", page_html(),
                               {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                                                           "style-src 'unsafe-inline'"})
                else:
                    raise HttpError(404, f"no such resource {path}; the query endpoint is /sparql")
            except HttpError as e:
                self._error(e.status, e.message)
            except Exception as e:  # never leave a client hanging
                self._error(500, f"internal error: {type(e).__name__}: {e}")

        def do_GET(self) -> None:
            self._dispatch(self._params(urllib.parse.urlsplit(self.path).query), None)

        do_HEAD = do_GET

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > 10_000_000:
                self._error(413, "request too large")
                return
            raw = self.rfile.read(length)
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = self._params(urllib.parse.urlsplit(self.path).query)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self._error(400, "the request body is not UTF-8")
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

    return Handler


class Server:
    """The running endpoint (used by the CLI and by tests)."""

    def __init__(self, source: Source, host: str = "127.0.0.1", port: int = 7878,
                 timeout_s: float = 30, max_rows: int = 10_000, workers: int = 2,
                 cleanup: str | None = None, verbose: bool = False) -> None:
        self.pool = Pool(source, workers, timeout_s)
        self.httpd = ThreadingHTTPServer((host, port), _handler(App(self.pool, max_rows)))
        self.httpd.daemon_threads = True
        self.httpd.verbose = verbose  # type: ignore[attr-defined]
        self._cleanup = cleanup
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def start(self) -> Server:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread = None
        self.httpd.server_close()
        self.pool.close()
        if self._cleanup:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None


def snapshot(store_dir: Path) -> str:
    """Open the store (loading the ontology and reference graphs if missing), back it up into a
    fresh private directory and close it again. Returns the snapshot directory."""
    from armskb.knowledgebase import KnowledgeBase

    parent = Path(tempfile.mkdtemp(prefix="armskb-serve-"))
    try:
        with KnowledgeBase.open(store_dir) as kb:
            kb.store.oxigraph.backup(str(parent / "snapshot"))  # type: ignore[attr-defined]
    except BaseException:
        shutil.rmtree(parent, ignore_errors=True)
        raise
    return str(parent / "snapshot")


def make_server(store: Path | None = None, endpoint: dict | None = None, **kw: Any) -> Server:
    if endpoint:
        return Server(Source(endpoint=endpoint), **kw)
    import os

    from armskb.knowledgebase import DEFAULT_STORE

    snap = snapshot(Path(store or os.environ.get("ARMSKB_STORE") or DEFAULT_STORE))
    try:
        return Server(Source(snapshot=snap), cleanup=str(Path(snap).parent), **kw)
    except BaseException:  # e.g. the port is taken: do not leave the snapshot behind
        shutil.rmtree(Path(snap).parent, ignore_errors=True)
        raise


if __name__ == "__main__":  # pragma: no cover - `armskb serve` is the entry point
    print("use `armskb serve`", file=sys.stderr)
