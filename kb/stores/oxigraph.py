"""Embedded backend: pyoxigraph on disk (transactional) or in memory."""

from __future__ import annotations

from functools import lru_cache
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from armskb.bind import bind
from armskb.errors import StoreError
from armskb.store import Quad, QueryResult, SelectResult, Store, Triple



@lru_cache(maxsize=262144)
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=262144)
def _uriref(iri: str) -> URIRef:
    return URIRef(iri)


def _has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    return any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


def _data_update(verb: str, quads: Iterable[ox.Quad]) -> str:
    """`INSERT DATA` / `DELETE DATA` of quads grouped by graph, terms in N-Triples syntax
    (empty string when there are none)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in sorted(by_graph.items()))
    return f"{verb} DATA {{ {body} }}" if body else ""


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term (IRIs cached: stores repeat the same few IRIs)."""
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term: object) -> Identifier:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return _uriref(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


class OxigraphStore(Store):
    """The embedded default store. `path=None` keeps everything in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self._handle: ox.Store | None = (
                ox.Store(str(self.path)) if self.path is not None else ox.Store()
            )
        except OSError as e:
            raise StoreError(f"cannot open store at {self.path}: {e}") from e

    @property
    def _db(self) -> ox.Store:
        if self._handle is None:
            raise StoreError(f"the store {self.path or '(memory)'} is closed")
        return self._handle

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for the rdflib view and bulk loads)."""
        return self._db

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace graphs in ONE SPARQL update (one Oxigraph transaction) that applies only the
        difference between old and new content. Deletes are what is slow in a transaction on
        disk, so re-ingest and re-reconcile stay cheap when little changed. Graphs with blank
        nodes (the ontology) are dropped and inserted whole; when there is nothing to remove the
        new quads go in with one `extend` transaction."""
        ops: list[str] = []
        additions: list[ox.Quad] = []
        try:
            for name, triples in graphs.items():
                node = _named(str(name))
                new = {
                    ox.Quad(to_ox(s), to_ox(p), to_ox(o), node)  # type: ignore[arg-type]
                    for s, p, o in triples
                }
                old = (
                    set(self._db.quads_for_pattern(None, None, None, node))
                    if self._db.contains_named_graph(node)
                    else set()
                )
                if not old:
                    additions += new
                elif _has_blank_nodes(old) or _has_blank_nodes(new):
                    ops += [f"DROP SILENT GRAPH {node}", _data_update("INSERT", new)]
                else:
                    ops += [_data_update("DELETE", old - new), _data_update("INSERT", new - old)]
            if not ops:
                self._db.extend(additions)
                return
            ops.append(_data_update("INSERT", additions))
            self._db.update(" ;\n".join(op for op in ops if op))
        except (OSError, SyntaxError) as e:
            raise StoreError(f"graph replacement failed, store unchanged: {e}") from e

    def drop_graph(self, graph: URIRef) -> None:
        node = ox.NamedNode(str(graph))
        if self._db.contains_named_graph(node):
            self._db.remove_graph(node)

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        try:
            res = self._db.query(bind(text, bindings or {}), use_default_graph_as_union=True)
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"SPARQL syntax error: {e}") from e
        if isinstance(res, ox.QueryBoolean):
            return bool(res)
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = []
            for sol in res:
                row: dict[str, Identifier] = {}
                for n in names:
                    val = sol[n]
                    if val is not None:
                        row[n] = from_ox(val)
                rows.append(row)
            return SelectResult(variables=names, rows=rows)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def update(self, text: str) -> None:
        try:
            self._db.update(text)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"update failed: {e}") from e

    def graphs(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        gname = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self._db.quads_for_pattern(None, None, None, gname):
            g = q.graph_name
            yield (
                from_ox(q.subject),
                from_ox(q.predicate),
                from_ox(q.object),
                URIRef(g.value) if isinstance(g, ox.NamedNode) else None,
            )

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._db)
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
        assert isinstance(res, SelectResult)
        return int(res.rows[0]["n"])  # type: ignore[arg-type]

    def close(self) -> None:
        """Flush and release the store (and its directory lock); later calls raise StoreError."""
        if self._handle is not None:
            if self.path is not None:
                self._handle.flush()
            self._handle = None
