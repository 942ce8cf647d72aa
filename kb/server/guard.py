"""The query check: what may run on the endpoint (read-only queries, no SERVICE, bounded size).

SPARQL 1.1 §19.2 processes `\\u`/`\\U` codepoint escapes before the grammar, and rdflib and Oxigraph
do not do it the same way (a `\\u0022` once hid a SERVICE from the check). So the server expands the
escapes itself, once, refuses a text in which an escape is still left (`\\u005Cu0022`, `"\\\\u0022"`:
a second reader could expand it again), and hands that expanded text, byte for byte, to both the
check (rdflib's parser) and the engine (Oxigraph). Parsing happens inside the query worker, so it
is single-threaded (pyparsing is not thread-safe) and bounded by `--timeout-s` and the worker's
memory cap. Outbound connections are also impossible from a worker (see `workers`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass
from typing import Any

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

#: largest query text accepted, in bytes of UTF-8 (300 triple patterns take about 20 KB)
MAX_QUERY_BYTES = 100_000
#: deepest nesting of { ( [ accepted (outside strings and comments)
MAX_NESTING = 48
#: rdflib's parser recurses once per triple pattern; 100 KB of patterns need about this much
PARSE_RECURSION = 50_000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFT_ESCAPE = re.compile(r"\\[uU]")
# strings (long forms first), comments, IRIs: skipped when measuring nesting
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|#[^\n\r]*'
                   r'|<[^<>"{}|^`\\\x00-\x20]*>', re.S)
_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
          "DescribeQuery": "describe"}


class HttpError(Exception):
    """A refusal with its HTTP status and a short message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Checked:
    """A query that passed the check: the exact text to run, its form, whether it names a dataset."""

    text: str
    form: str
    has_dataset: bool


def expand_escapes(text: str) -> str:
    """The query with its codepoint escapes expanded once (SPARQL 1.1 §19.2); 400 if one is left."""

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise HttpError(400, f"invalid codepoint escape {m.group(0)} at offset {m.start()}")
        return chr(code)

    out = _ESCAPE.sub(char, text)
    left = _LEFT_ESCAPE.search(out)
    if left:
        raise HttpError(400, f"a \\u or \\U escape is left at offset {left.start()} after expanding "
                             "codepoint escapes once (SPARQL 1.1 §19.2); write the character itself")
    return out


def nesting(text: str) -> int:
    """The deepest nesting of braces, parentheses and brackets outside strings, comments and IRIs."""
    depth = deepest = 0
    for ch in _SKIP.sub(" ", text):
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth = max(0, depth - 1)
    return deepest


def check_limits(text: str) -> None:
    """Size and nesting caps, cheap enough to run before a worker is taken (400/413 on failure)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise HttpError(413, f"query is {size} bytes; the limit is {MAX_QUERY_BYTES}")
    deep = nesting(text)
    if deep > MAX_NESTING:
        raise HttpError(400, f"query nests {deep} levels of {{ ( [; the limit is {MAX_NESTING}")


@contextmanager
def _recursion_for_parsing() -> Iterator[None]:
    """Python's recursion limit raised while rdflib parses (the default fails at 100 triple
    patterns); size and nesting are capped first, so the C stack stays within bounds."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, PARSE_RECURSION))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _names(node: Any) -> Iterator[str]:
    if isinstance(node, CompValue):
        yield node.name
        for v in node.values():
            yield from _names(v)
    elif isinstance(node, (list, tuple)) or hasattr(node, "as_list"):
        for v in node:
            yield from _names(v)


@lru_cache(maxsize=128)
def check_query(text: str) -> Checked:
    """Check a query and return what to run, or raise HttpError: updates (403), SERVICE (403) and
    anything that does not parse as a query (400) are refused. Works on the parse tree, so keywords
    in strings, comments and IRIs neither trigger it nor hide from it; fail closed. Cached by text:
    rdflib takes about a second for a 4 KB query, and clients repeat theirs."""
    check_limits(text)
    expanded = expand_escapes(text)
    try:
        with _recursion_for_parsing():
            tree = parseQuery(expanded)
    except RecursionError:
        raise HttpError(400, "query is nested too deeply to parse") from None
    except Exception as e:  # pyparsing's ParseException and friends
        try:
            with _recursion_for_parsing():
                parseUpdate(expanded)
        except Exception:
            raise HttpError(400, f"SPARQL syntax error: {str(e)[:300]}") from None
        raise HttpError(403, "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is not allowed: "
                             "this endpoint is read-only") from None
    names = set(_names(tree))
    if "ServiceGraphPattern" in names:
        raise HttpError(403, "SERVICE (federated query to another endpoint) is not allowed here")
    form = _FORMS.get(tree[1].name)
    if form is None:
        raise HttpError(400, f"unsupported query form {tree[1].name}")
    return Checked(expanded, form, "datasetClause" in tree[1])
