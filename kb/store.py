"""One store interface, several backends (embedded Oxigraph, remote SPARQL endpoints).

Backends speak rdflib terms at this boundary, so the knowledge base above them never sees which
one it runs on. The shared test suite in `tests/integration/test_store_backends.py` runs against each.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from armskb.rows import Row, to_html, to_pandas

if TYPE_CHECKING:
    import pandas

#: a quad as rdflib terms: subject, predicate, object, graph name (None = default graph)
Quad = tuple[Node, Node, Node, URIRef | None]
Triple = tuple[Node, Node, Node]


@dataclass
class SelectResult:
    """Rows of a SELECT query: variable names in order, each row a dict of bound rdflib terms.

    Iterating gives typed `Row`s (Python values); `to_pandas()` a DataFrame; in Jupyter it shows
    as a table. `truncated` says that more rows exist beyond `limit` (ask again with a larger
    limit, none, or the next `offset`)."""

    variables: list[str]
    rows: list[dict[str, Identifier]] = field(default_factory=list)
    truncated: bool = False
    limit: int | None = None
    offset: int = 0

    def __iter__(self) -> Iterator[Row]:
        return (Row(self.variables, r) for r in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> Row:
        return Row(self.variables, self.rows[i])

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame (numbers as numbers, dates as datetime64); needs `armskb[pandas]`."""
        if self.truncated:
            warnings.warn(f"the result was {self.truncation_note()}; the frame holds only those", stacklevel=2)
        return to_pandas(self.variables, self.rows)

    def truncation_note(self) -> str:
        """A sentence saying where the result was cut and how to get the rest ('' when complete)."""
        if not self.truncated:
            return ""
        return f"cut at {self.limit} rows (rows {self.offset + 1}-{self.offset + len(self.rows)} shown); more rows exist"

    def _repr_html_(self) -> str:
        note = self.truncation_note()
        if note:
            note += f": ask with limit=None for every row, or offset={self.offset + len(self.rows)} for the next page"
        return to_html(self.variables, self.rows, note)


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
