"""Binding user values into SPARQL without pasting them into query text.

Values are turned into RDF terms first (IRIs minted from slugs and ISO codes, typed literals), and
reach the query as a `VALUES` block of strictly serialized terms placed at the start of the outermost
WHERE group, which every SPARQL 1.1 backend evaluates the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
#: a line `# @values` marks where the VALUES block goes (needed inside subqueries)
_MARKER = re.compile(r"^[ \t]*#[ \t]*@values[ \t]*$", re.MULTILINE)
_IRIREF = re.compile(r"<[^\s<>]*>")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def serialize_term(term: Identifier) -> str:
    """A term in SPARQL syntax that cannot break out of its position."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise ValueError(f"refusing an IRI with forbidden characters: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = "".join(_ECHAR.get(c, c) for c in str(term))
        body = "".join(c if c.isprintable() else f"\\u{ord(c):04X}" for c in body)
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise ValueError(f"bad language tag {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype:
            return f'"{body}"^^{serialize_term(URIRef(term.datatype))}'
        return f'"{body}"'
    raise TypeError(f"cannot bind {term!r}")


def _strip_comments(text: str, strings: bool = False) -> str:
    """Blank out `#` comments (outside IRIs and strings) keeping offsets; with `strings`, the
    contents of string literals too (so keywords inside them are not taken for syntax)."""
    out = []
    in_str: str | None = None
    in_iri = False
    i = 0
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                out.append("  " if strings else text[i : i + 2])
                i += 2
                continue
            if c == in_str:
                in_str = None
            elif strings:
                c = "\n" if c == "\n" else " "
        elif in_iri:
            if c == ">":
                in_iri = False
        elif c in "\"'":
            in_str = c
        elif c == "<" and _IRIREF.match(text, i):
            in_iri = True
        elif c == "#":
            j = text.find("\n", i)
            j = len(text) if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


def bind(query: str, bindings: Mapping[str, Identifier | None]) -> str:
    """The query with a VALUES block for the bound variables (None values stay unbound).

    The block goes on every `# @values` marker line, else at the start of the first WHERE group.
    """
    bound = {k: v for k, v in bindings.items() if v is not None}
    if not bound:
        return query
    for name in bound:
        if not _VAR.match(name):
            raise ValueError(f"bad variable name {name!r}")
    names = sorted(bound)
    row = " ".join(serialize_term(bound[n]) for n in names)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    if _MARKER.search(query):
        return _MARKER.sub(lambda _: values, query)
    m = _WHERE.search(_strip_comments(query))
    if not m:
        raise ValueError("a query with bound parameters needs a WHERE clause")
    return query[: m.end()] + values + query[m.end() :]


_DATASET = re.compile(r"(?<![\w:?$])FROM\s+(NAMED\s+)?(<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_SELECT = re.compile(
    r"^\s*(?:(?:BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*SELECT\b", re.IGNORECASE
)
_OWN_SLICE = re.compile(r"\b(LIMIT|OFFSET)\s+\d+", re.IGNORECASE)


def names_dataset(query: str) -> bool:
    """Whether a query has a dataset clause (FROM / FROM NAMED): then it, not the union of all
    graphs, is the query's dataset."""
    return bool(_DATASET.search(_strip_comments(query, strings=True)))


def with_slice(query: str, limit: int | None, offset: int = 0) -> tuple[str, bool]:
    """The query with `LIMIT limit+1 OFFSET offset` appended (one row more than asked, so a cut
    can be told from an exact fit), and whether it was appended. A query that is not a SELECT,
    that slices itself at its top level, or ends in a VALUES block is returned unchanged."""
    if limit is None and not offset:
        return query, False
    text = _strip_comments(query, strings=True)
    if not _SELECT.match(text):
        return query, False
    tail = text[text.rfind("}") + 1 :]
    if _OWN_SLICE.search(tail) or re.search(r"\bVALUES\b[^{}]*\{[^{}]*(\([^{}]*\)[^{}]*)*\}\s*$", text, re.I):
        return query, False
    parts = [query.rstrip(), "\n"]
    if limit is not None:
        parts.append(f"LIMIT {int(limit) + 1} ")
    if offset:
        parts.append(f"OFFSET {int(offset)}")
    return "".join(parts) + "\n", True
