"""Running one checked query inside a worker: dataset, row cap, result format.

The dataset follows the SPARQL 1.1 Protocol: `default-graph-uri` / `named-graph-uri` when given,
else the query's own FROM / FROM NAMED, else the union of all graphs as the default graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from armskb.results import serialize_boolean, serialize_solutions, serialize_triples
from armskb.server.guard import HttpError, check_query
from armskb.server.negotiation import negotiate
from armskb.store import SelectResult
from armskb.stores.oxigraph import from_ox, to_ox
from armskb.stores.sparql import SparqlStore


@dataclass(frozen=True)
class Source:
    """What the workers query: a read-only snapshot directory, or a remote endpoint."""

    snapshot: str | None = None
    endpoint: dict | None = None


@dataclass(frozen=True)
class Job:
    """One query as the HTTP side received it (unchecked: the worker checks it)."""

    text: str
    fmt: str | None = None
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    #: a named query of the catalog with its values bound by `armskb.bind` (set by the server, never
    #: by a client): its text is the project's own (tests check every template passes the guard),
    #: so it skips rdflib's parse, which takes seconds for the larger templates
    named: bool = False


@dataclass(frozen=True)
class Answer:
    """A serialized answer: its format key, bytes, and whether rows were cut at the cap."""

    key: str
    body: bytes
    truncated: bool


def _graph(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise HttpError(400, f"not an absolute IRI in default-graph-uri/named-graph-uri: {iri[:200]!r}") from None


class Executor:
    """Answers jobs from a read-only snapshot or a remote endpoint."""

    def __init__(self, source: Source) -> None:
        self.store = ox.Store.read_only(source.snapshot) if source.snapshot else None
        self.remote = None if source.snapshot else SparqlStore(**(source.endpoint or {}))

    def run(self, job: Job) -> Answer:
        if job.named:
            return self._named(job)
        checked = check_query(job.text)
        key = negotiate(checked.form, job.fmt, job.accept)
        if self.store is None:
            if job.default_graphs or job.named_graphs:
                raise HttpError(400, "default-graph-uri / named-graph-uri are not supported when "
                                     "serving a remote --endpoint; use FROM / FROM NAMED")
            return self._remote(checked.text, job)
        options: dict[str, Any] = {}
        if job.default_graphs or job.named_graphs:
            options = {"default_graph": [_graph(g) for g in job.default_graphs],
                       "named_graphs": [_graph(g) for g in job.named_graphs]}
        elif not checked.has_dataset:
            options = {"use_default_graph_as_union": True}
        return self._answer(self.store.query(checked.text, **options), key, job.max_rows)

    def _named(self, job: Job) -> Answer:
        """A catalog query over the union of graphs; its format is chosen once its form is known."""
        if self.store is None:
            return self._remote(job.text, job)
        res = self.store.query(job.text, use_default_graph_as_union=True)
        form = ("ask" if isinstance(res, ox.QueryBoolean) else
                "select" if isinstance(res, ox.QuerySolutions) else "construct")
        return self._answer(res, negotiate(form, job.fmt, job.accept), job.max_rows)

    @staticmethod
    def _answer(res: Any, key: str, max_rows: int) -> Answer:
        if isinstance(res, ox.QueryBoolean):
            return Answer(key, serialize_boolean(bool(res), key), False)
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = []
            for sol in res:
                if len(rows) >= max_rows:
                    return Answer(key, serialize_solutions(variables, rows, key), True)
                rows.append({v: from_ox(sol[v]) for v in variables if sol[v] is not None})
            return Answer(key, serialize_solutions(variables, rows, key), False)
        triples = []
        for t in res:
            if len(triples) >= max_rows:
                return Answer(key, serialize_triples(triples, key), True)
            triples.append(t)
        return Answer(key, serialize_triples(triples, key), False)

    def _remote(self, text: str, job: Job) -> Answer:
        assert self.remote is not None
        res = self.remote.query(text)
        form = "ask" if isinstance(res, bool) else "select" if isinstance(res, SelectResult) else "construct"
        key, max_rows = negotiate(form, job.fmt, job.accept), job.max_rows
        if isinstance(res, bool):
            return Answer(key, serialize_boolean(res, key), False)
        if isinstance(res, SelectResult):
            return Answer(key, serialize_solutions(res.variables, res.rows[:max_rows], key),
                          len(res.rows) > max_rows)
        triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in res]
        return Answer(key, serialize_triples(triples[:max_rows], key), len(triples) > max_rows)
