"""Choosing an answer's format: the `format` parameter first, then the Accept header (RFC 9110)."""

from __future__ import annotations

from armskb.results import GRAPH_FORMATS, SOLUTION_FORMATS, format_key
from armskb.server.guard import HttpError


def accept_list(header: str) -> list[str]:
    """Media types of an Accept header, best first (ties keep their order); q=0 dropped."""
    ranked = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            ranked.append((-q, i, bits[0].lower()))
    return [mime for _, _, mime in sorted(ranked)]


def negotiate(form: str, fmt: str | None, accept: str | None) -> str:
    """The format key for a query form ('select', 'ask', 'construct', 'describe'; 'graph' for a
    service description), or 406 naming what is available."""
    table = SOLUTION_FORMATS if form in ("select", "ask") else GRAPH_FORMATS
    default = "json" if table is SOLUTION_FORMATS else "turtle"
    if fmt:
        key = format_key(fmt)
        if key in table:
            return key
        # a format that does not fit the query form (SPARQLWrapper sends format=xml for every form
        # unless told otherwise) yields to the Accept header
    if not accept:
        return default
    for mime in accept_list(accept):
        key = format_key(mime)
        if key in table:
            return key
        if mime in ("*/*", "application/*", "text/*"):
            return default
    raise HttpError(406, f"cannot answer a {form.upper()} query as {accept}; "
                         f"available: {', '.join(table.values())}")
