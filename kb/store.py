"""One store interface, several backends (embedded Oxigraph, remote SPARQL endpoints).

Backends speak rdflib terms at this boundary, so the knowledge base above them never sees which
one it runs on. The shared test suite in `tests/unit/test_store_backends.py` runs against each.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

#: a quad as rdflib terms: subject, predicate, object, graph name (None = default graph)
Quad = tuple[Node, Node, Node, URIRef | None]
Triple = tuple[Node, Node, Node]


@dataclass
class SelectResult:
    """Rows of a SELECT query: variable names in order, each row a dict of bound rdflib terms."""

    variables: list[str]
    rows: list[dict[str, Identifier]] = field(default_factory=list)


QueryResult = SelectResult | bool | Graph


class Store(ABC):
    """What every backend offers: atomic graph replacement, bound queries, quads out."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace each named graph with the given triples (an rdflib Graph or any iterable).
        All graphs are replaced together: a reader sees them before or after, never half-written."""

    def write_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
    ) -> None:
        """Replace large graphs, each as a whole (a register, a big claims file, loaded shards).
        Backends override this with their bulk path; `progress` gets counts of triples written."""
        items = {g: list(t) for g, t in graphs.items()}
        self.replace_graphs(items)
        if progress is not None:
            progress(sum(len(t) for t in items.values()))

    def write_graph(
        self, graph: URIRef, triples: Iterable[Triple], progress: Callable[[int], None] | None = None
    ) -> None:
        """`write_graphs` for one graph."""
        self.write_graphs({graph: triples}, progress)

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> None:
        """Remove one named graph (no error if absent)."""

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of graphs; `bindings` bind variables by name
        (values are never pasted into the text)."""

    @abstractmethod
    def update(self, text: str) -> None:
        """Run a SPARQL update (internal use: the project's own updates only)."""

    @abstractmethod
    def graphs(self) -> list[URIRef]:
        """Named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Every quad of the store, or of one named graph."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in the store or in one named graph."""

    def close(self) -> None:
        """Release resources (files, connections)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
