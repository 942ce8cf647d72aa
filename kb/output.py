"""Rendering query results: rich tables on a terminal, plain text when piped, CSV/TSV, SPARQL JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import TextIO

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from armskb.store import SelectResult


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        from armskb.namespace import ID_BASE

        s = str(term)
        return s[len(ID_BASE):] if s.startswith(ID_BASE) else s
    return str(term)


def json_term(term: Identifier) -> dict[str, str]:
    """One term in SPARQL 1.1 Query Results JSON form."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_json(res: SelectResult | bool) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if isinstance(res, bool):
        return json.dumps({"head": {}, "boolean": res})
    return json.dumps(
        {
            "head": {"vars": res.variables},
            "results": {
                "bindings": [{k: json_term(v) for k, v in row.items()} for row in res.rows]
            },
        },
        ensure_ascii=False,
        indent=1,
    )


def to_delimited(res: SelectResult, delimiter: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(res.variables)
    for row in res.rows:
        w.writerow([_cell(row.get(v)) for v in res.variables])
    return buf.getvalue()


def render(res: SelectResult | bool, fmt: str = "table", title: str | None = None) -> None:
    """Print a result in the asked format; `table` is rich on a terminal, TSV when piped."""
    if fmt == "json" or isinstance(res, bool):
        print(to_json(res))
        return
    if fmt == "csv":
        sys.stdout.write(to_delimited(res, ","))
        return
    if fmt == "tsv" or not is_terminal():
        sys.stdout.write(to_delimited(res, "\t"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for v in res.variables:
        table.add_column(v)
    for row in res.rows:
        table.add_row(*[_cell(row.get(v)) for v in res.variables])
    Console().print(table)
