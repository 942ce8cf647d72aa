"""Which reconciliation keys a batch of writes touches, seen at the store boundary.

`TouchRecorder` wraps a store for the length of an ingest. Before a document graph is replaced or
dropped it reads the keys of the claims stored there, and after the write the keys of the new
claims: both sets need re-reconciling (a claim may have moved to another key). Any other write (a
register graph, a raw update, a backend method it does not know) marks the batch for a full
rebuild, so nothing is missed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from rdflib import URIRef
from rdflib.term import Identifier

from armskb import namespace as ns
from armskb.reconcile.inputs import claims_in_graphs
from armskb.reconcile.model import Key
from armskb.store import Quad, QueryResult, Store, Triple

#: attributes of a backend that only read (forwarded without forcing a full rebuild)
_READ_ONLY = frozenset({"writable", "path"})


class TouchRecorder(Store):
    """A store that records the keys its writes touch (see the module docstring)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.keys: set[Key] = set()
        self.full = False  # a write whose keys cannot be known: rebuild everything
        self.writes = 0

    def _note(self, graphs: Iterable[URIRef]) -> list[URIRef]:
        docs = []
        for g in graphs:
            if str(g).startswith(ns.GRAPH_DOC_PREFIX):
                docs.append(g)
            else:
                self.full = True
        if docs and not self.full:
            self.keys |= {c.key for c in claims_in_graphs(self.inner, docs)}
        return docs

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        self.writes += 1
        docs = self._note(graphs)
        self.inner.replace_graphs(graphs)
        if docs and not self.full:
            self.keys |= {c.key for c in claims_in_graphs(self.inner, docs)}

    def write_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
    ) -> None:
        """The inner store's bulk path (a register, a big claims file), keys recorded as above."""
        self.writes += 1
        docs = self._note(graphs)
        self.inner.write_graphs(graphs, progress)
        if docs and not self.full:
            self.keys |= {c.key for c in claims_in_graphs(self.inner, docs)}

    def drop_graph(self, graph: URIRef) -> None:
        self.writes += 1
        self._note([graph])
        self.inner.drop_graph(graph)

    def update(self, text: str) -> None:
        self.writes += 1
        self.full = True
        self.inner.update(text)

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        return self.inner.query(text, bindings)

    def graphs(self) -> list[URIRef]:
        return self.inner.graphs()

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        return self.inner.quads(graph)

    def count(self, graph: URIRef | None = None) -> int:
        return self.inner.count(graph)

    def close(self) -> None:
        """The wrapped store stays open: its owner closes it."""

    def __getattr__(self, name: str) -> object:
        # backend-specific methods (bulk loaders, ...): forwarded, and treated as unknown writes
        if name not in _READ_ONLY and not name.startswith("__"):
            self.full = True
            self.writes += 1
        return getattr(self.inner, name)
