"""Remote backend: any SPARQL 1.1 endpoint (Protocol + Graph Store Protocol).

Queries and updates go through SPARQLWrapper; bulk uploads use the Graph Store Protocol (HTTP POST
of N-Triples) when a graph store URL is given, else `INSERT DATA` updates. `write_graphs` (push,
`armskb load`) sends each graph whole in one Graph Store Protocol PUT.

- Queries: the query text with the `VALUES` block of `armskb.bind` (values are never pasted). They
  must see the union of named graphs: start Oxigraph server with `--union-default-graph`; Virtuoso's
  default graph already is the union of all graphs.
- Graph replacement: small batches go in ONE update request
  (`DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }` for every graph), which servers run
  as one transaction. Large graphs (more than `update_batch` triples in all) are uploaded in chunks into a
  fresh staging graph first (Graph Store POSTs of `upload_chunk` triples, or INSERT DATA updates of
  `update_batch` triples without a graph store URL), then swapped in by one final update
  (`DROP SILENT GRAPH <g> ; ADD <staging> TO <g> ; DROP SILENT GRAPH <staging>`), so readers never
  see a half-written graph. Triples that mention a blank node all go in one request (a blank node
  label is scoped to one request), so blank-node structures survive chunking.
- Only graphs whose IRI starts with `graph_prefix` (armskb's own graph namespace by default) are
  listed, counted, dumped and dropped: a server's system graphs (Virtuoso has several) and other
  users' graphs are left alone.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

from armskb.bind import bind, serialize_term
from armskb.catalog import internal
from armskb.errors import StoreError
from armskb.namespace import ID_BASE
from armskb.store import Quad, QueryResult, SelectResult, Store, Triple
from armskb.stores.oxigraph import from_ox, to_ox

GRAPH_PREFIX = ID_BASE + "graph/"
_STAGING = ID_BASE + "graph/staging/"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(b: dict[str, str]) -> Identifier:
    """A SPARQL JSON result term -> rdflib term."""
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    lang = b.get("xml:lang")
    if lang:
        return Literal(b["value"], lang=lang)
    dt = b.get("datatype")
    if dt and dt != _XSD_STRING:
        return Literal(b["value"], datatype=URIRef(dt))
    return Literal(b["value"])


def _nt_lines(triples: Iterable[Triple]) -> tuple[list[str], list[str]]:
    """Triples as N-Triples lines: (without blank nodes, with blank nodes)."""
    plain: list[str] = []
    with_bnodes: list[str] = []
    for s, p, o in triples:
        line = str(ox.Triple(to_ox(s), to_ox(p), to_ox(o))) + " ."  # type: ignore[arg-type]
        (with_bnodes if isinstance(s, BNode) or isinstance(o, BNode) else plain).append(line)
    return plain, with_bnodes


class SparqlStore(Store):
    """A knowledge base kept on a SPARQL 1.1 server.

    `auth` is `(user, password)` or `(user, password, "digest"|"basic")` (default basic); it is
    sent to the update and graph store endpoints, and to the query endpoint too.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        auth: tuple[str, ...] | None = None,
        *,
        graph_prefix: str | None = GRAPH_PREFIX,
        update_batch: int = 2_000,
        upload_chunk: int = 50_000,
        timeout_s: float = 600,
        graph_param: str = "graph",
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.graph_prefix = graph_prefix
        #: most triples written inline in one update request (Virtuoso's SPARQL compiler runs out
        #: of memory near 5,000); bigger graphs are staged in chunks, then swapped in
        self.update_batch = update_batch
        #: triples per Graph Store Protocol POST when staging
        self.upload_chunk = upload_chunk
        self.timeout_s = timeout_s
        #: query parameter naming the graph on the graph store endpoint (Virtuoso: `graph-uri`)
        self.graph_param = graph_param
        self._auth: tuple[str, str, str] | None = None
        if auth:
            user, password, *rest = auth
            scheme = (rest[0] if rest else "basic").lower()
            if scheme not in ("basic", "digest"):
                raise StoreError(f"unknown HTTP auth scheme {scheme!r}: basic or digest")
            self._auth = (user, password, scheme)
        self._opener = self._make_opener()

    @property
    def writable(self) -> bool:
        return self.update_url is not None

    # -- plumbing ------------------------------------------------------------------------------
    def _make_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self._auth:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.query_url, self.update_url, self.graph_store_url):
                if url:
                    mgr.add_password(None, url, self._auth[0], self._auth[1])
            if self._auth[2] == "digest":
                handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
            else:
                handlers.append(urllib.request.HTTPBasicAuthHandler(mgr))
        return urllib.request.build_opener(*handlers)

    def _wrapper(self, url: str) -> SPARQLWrapper:
        sw = SPARQLWrapper(url)
        sw.setMethod(POST)
        sw.setOnlyConneg(True)  # content negotiation only: no format=/output= parameters
        sw.setTimeout(int(self.timeout_s))
        if self._auth:
            sw.setHTTPAuth(DIGEST if self._auth[2] == "digest" else BASIC)
            sw.setCredentials(self._auth[0], self._auth[1])
        return sw

    def _http(self, method: str, url: str, data: bytes | None = None,
              headers: Mapping[str, str] | None = None) -> bytes:
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        if self._auth and self._auth[2] == "basic":  # send at once, no challenge round trip
            token = base64.b64encode(f"{self._auth[0]}:{self._auth[1]}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with self._opener.open(req, timeout=self.timeout_s) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            body = e.read()[:500].decode("utf-8", "replace")
            raise StoreError(f"{method} {url}: HTTP {e.code}: {body}") from e
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"{method} {url}: {e}") from e

    def _raw_query(self, text: str, accept: str) -> bytes:
        """POST a query and return the response body as it came."""
        sw = self._wrapper(self.query_url)
        sw.setRequestMethod(URLENCODED)
        sw.setQuery(text)
        sw.addCustomHttpHeader("Accept", accept)
        try:
            return sw.query().response.read()
        except Exception as e:  # SPARQLWrapper raises its own and urllib's exceptions
            raise StoreError(f"query failed at {self.query_url}: {_message(e)}") from e

    # -- Store ---------------------------------------------------------------------------------
    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        bound = bind(text, bindings or {})
        sw = self._wrapper(self.query_url)
        sw.setRequestMethod(URLENCODED)
        sw.setQuery(bound)
        if sw.queryType in ("CONSTRUCT", "DESCRIBE"):
            data = self._raw_query(bound, "text/turtle")
            g = Graph()
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
            return g
        sw.setReturnFormat(JSON)
        try:
            raw = sw.query().response.read()
        except Exception as e:
            raise StoreError(f"query failed at {self.query_url}: {_message(e)}") from e
        try:
            doc = json.loads(raw)
        except ValueError as e:
            raise StoreError(f"{self.query_url} did not answer SPARQL JSON: {raw[:200]!r}") from e
        if "boolean" in doc:
            return bool(doc["boolean"])
        names = list(doc.get("head", {}).get("vars", []))
        rows = [
            {k: _term(v) for k, v in b.items() if k in names}
            for b in doc.get("results", {}).get("bindings", [])
        ]
        return SelectResult(variables=names, rows=rows)

    def update(self, text: str) -> None:
        if not self.update_url:
            raise StoreError("this remote store is read-only: no update endpoint was given")
        sw = self._wrapper(self.update_url)
        sw.setRequestMethod(POSTDIRECTLY)
        sw.setQuery(text)
        try:
            sw.query().response.read()
        except Exception as e:
            raise StoreError(f"update failed at {self.update_url}: {_message(e)}") from e

    def _check_graph(self, graph: URIRef) -> str:
        if self.graph_prefix and not str(graph).startswith(self.graph_prefix):
            raise StoreError(f"graph {graph} is outside {self.graph_prefix}")
        return serialize_term(URIRef(graph))

    def _upload_chunk(self, graph: str, lines: list[str]) -> None:
        body = "\n".join(lines) + "\n"
        if self.graph_store_url:
            sep = "&" if "?" in self.graph_store_url else "?"
            url = self.graph_store_url + sep + urllib.parse.urlencode({self.graph_param: graph})
            self._http("POST", url, body.encode("utf-8"), {"Content-Type": "application/n-triples"})
        else:
            self.update(" ;\n".join(_insert_ops(f"<{graph}>", lines if not _has_bnode(lines) else [],
                                                  lines if _has_bnode(lines) else [])))

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        inline: list[str] = []
        inline_triples = 0
        swaps: list[str] = []
        staged: list[str] = []
        chunk = self.upload_chunk if self.graph_store_url else self.update_batch
        try:
            for name, triples in graphs.items():
                iri = self._check_graph(name)
                plain, with_bnodes = _nt_lines(triples)
                size = len(plain) + len(with_bnodes)
                if inline_triples + size <= self.update_batch:
                    inline.append(f"DROP SILENT GRAPH {iri}")
                    inline += _insert_ops(iri, plain, with_bnodes)
                    inline_triples += size
                    continue
                tmp = _STAGING + uuid.uuid4().hex
                staged.append(tmp)
                for i in range(0, len(plain), chunk):
                    self._upload_chunk(tmp, plain[i : i + chunk])
                if with_bnodes:
                    self._upload_chunk(tmp, with_bnodes)
                swaps += [
                    f"DROP SILENT GRAPH {iri}",
                    f"ADD SILENT GRAPH <{tmp}> TO GRAPH {iri}",
                    f"DROP SILENT GRAPH <{tmp}>",
                ]
            ops = inline + swaps
            if ops:
                self.update(" ;\n".join(ops))
        except BaseException:
            # the swap drops its staging graphs itself; only a failure leaves them behind
            for tmp in staged:
                try:
                    self.update(f"DROP SILENT GRAPH <{tmp}>")
                except StoreError as cleanup:
                    warnings.warn(f"could not drop staging graph {tmp}: {cleanup}", stacklevel=2)
            raise

    def write_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
    ) -> None:
        """With a graph store URL: ONE Graph Store Protocol PUT per graph, the whole graph as
        N-Triples, which the server applies as a replacement of that graph (Oxigraph server in one
        transaction), blank nodes included; a refused PUT, or no graph store URL, takes the staged
        path (chunks into a staging graph, then a swap)."""
        if not self.graph_store_url:
            super().write_graphs(graphs, progress)
            return
        for graph, triples in graphs.items():
            self._check_graph(graph)
            listed = list(triples)
            plain, with_bnodes = _nt_lines(listed)
            if not plain and not with_bnodes:
                self.drop_graph(graph)
            else:
                sep = "&" if "?" in self.graph_store_url else "?"
                url = self.graph_store_url + sep + urllib.parse.urlencode({self.graph_param: str(graph)})
                body = ("\n".join(plain + with_bnodes) + "\n").encode("utf-8")
                try:
                    self._http("PUT", url, body, {"Content-Type": "application/n-triples"})
                except StoreError as e:
                    # some servers refuse one large body (Virtuoso resets the connection): a failed
                    # PUT replaced nothing, so upload in chunks to a staging graph and swap it in
                    warnings.warn(f"PUT of {graph} failed ({e}); uploading it in chunks instead", stacklevel=2)
                    self.replace_graphs({graph: listed})
            if progress is not None:
                progress(len(plain) + len(with_bnodes))

    def drop_graph(self, graph: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH {self._check_graph(graph)}")

    def _prefix_binding(self) -> dict[str, Identifier]:
        return {"armskb_prefix": Literal(self.graph_prefix)} if self.graph_prefix else {}

    def graphs(self) -> list[URIRef]:
        res = self.query(internal("graph-names"), self._prefix_binding())
        assert isinstance(res, SelectResult)
        return sorted(URIRef(r["g"]) for r in res.rows if isinstance(r.get("g"), URIRef))

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        names = [URIRef(graph)] if graph is not None else self.graphs()
        for name in names:
            if self.graph_prefix and not str(name).startswith(self.graph_prefix):
                continue
            data = self._raw_query(
                bind(internal("graph-triples"), {"g": name}),
                "text/turtle",
            )
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
                yield from_ox(t.subject), from_ox(t.predicate), from_ox(t.object), name

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            res = self.query(internal("graph-size"), {"g": graph})
        else:
            res = self.query(internal("store-size"), self._prefix_binding())
        assert isinstance(res, SelectResult)
        return int(res.rows[0]["n"])  # type: ignore[arg-type]

    def drop_all(self) -> None:
        """Drop every graph under `graph_prefix` (test fixtures, `push --replace-all`)."""
        for g in self.graphs():
            self.drop_graph(g)

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r})"


def _has_bnode(lines: list[str]) -> bool:
    return any(line.startswith("_:") or " _:" in line for line in lines)


def _insert_ops(iri: str, plain: list[str], with_bnodes: list[str]) -> list[str]:
    """Update operations adding triples to a graph. Blank nodes are not allowed in INSERT DATA by
    some servers (Virtuoso): those triples go in an `INSERT { ... } WHERE {}` template, whose blank
    nodes are fresh but shared within the one template instance."""
    ops = []
    if plain:
        ops.append("INSERT DATA { GRAPH " + iri + " {\n" + "\n".join(plain) + "\n} }")
    if with_bnodes:
        ops.append("INSERT { GRAPH " + iri + " {\n" + "\n".join(with_bnodes) + "\n} } WHERE {}")
    return ops


def _message(e: Exception, limit: int = 800) -> str:
    text = str(e)
    body = getattr(e, "msg", None)
    text = text if not body or body in text else f"{text}: {body}"
    return text if len(text) <= limit else text[:limit] + " [...]"
