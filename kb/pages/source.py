"""Where the pages read from: anything that answers a bound SELECT (a store, or the server's
query workers), and the internal page queries `queries/internal/page-*.rq`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Protocol

from rdflib.term import Identifier

from armskb.store import QueryResult, SelectResult


class QuerySource(Protocol):
    """The one thing the page data needs: run a query with bound values."""

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult: ...


@cache
def query_text(name: str) -> str:
    """An internal page query by name (`queries/internal/page-NAME.rq`)."""
    return resources.files("armskb.queries.internal").joinpath(f"page-{name}.rq").read_text(encoding="utf-8")


def select(source: QuerySource, name: str, bindings: Mapping[str, Identifier]) -> list[dict[str, Identifier]]:
    """The rows of internal query `name` with `bindings`."""
    res = source.query(query_text(name), bindings)
    if not isinstance(res, SelectResult):
        raise TypeError(f"internal query {name} is not a SELECT")
    return res.rows
