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


def _strip_comments(text: str) -> str:
    """Blank out `#` comments (outside IRIs and strings) keeping offsets."""
    out = []
    in_str: str | None = None
    in_iri = False
    i = 0
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            if c == in_str:
                in_str = None
        elif in_iri:
            if c == ">":
                in_iri = False
        elif c in "\"'":
            in_str = c
        elif c == "<" and re.match(r"<[^\s<>]*>", text[i:]):
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
