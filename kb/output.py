"""Rendering query results: rich tables on a terminal, plain text when piped, CSV/TSV, SPARQL JSON/XML.

Numbers are shown as people read them in tables (TIV in whole millions like SIPRI's tables, other
decimals to two places, or as a named query's `@digits` header says) and kept exact in JSON. A
result cut at a limit says so: a warning on stderr, and `"truncated": true` in JSON.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TextIO

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier
from rich.console import Console
from rich.table import Table

from armskb.errors import QueryError
from armskb.namespace import ID_BASE
from armskb.results import serialize_boolean, serialize_solutions
from armskb.store import SelectResult

#: the formats `render` writes; anything else is an error, never a silent table
FORMATS = ("table", "csv", "tsv", "json", "xml")  # json and xml: SPARQL 1.1 results
_NUMERIC = {XSD.decimal, XSD.double, XSD.float}


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format, lower-cased, or a QueryError naming the ones there are."""
    f = fmt.strip().lower()
    if f not in allowed:
        raise QueryError(f"unknown format {fmt!r}; use one of: {', '.join(allowed)}")
    return f


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def default_digits(variable: str) -> int:
    """Decimal places of a decimal column in tables: TIV in whole millions, others two places."""
    return 0 if variable.lower().startswith("tiv") else 2


def _rounded(text: str, digits: int) -> str:
    try:
        d = Decimal(text)
    except InvalidOperation:
        return text
    q = d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format(q, "f") if digits else str(int(q))


def _cell(term: Identifier | None, digits: int | None = None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        return s[len(ID_BASE):] if s.startswith(ID_BASE) else s
    if digits is not None and isinstance(term, Literal) and term.datatype in _NUMERIC:
        return _rounded(str(term), digits)
    return str(term)


def to_json(res: SelectResult | bool) -> str:
    """SPARQL 1.1 Query Results JSON (written by `armskb.results`); a sliced result adds
    `truncated`, `limit` and `offset` members."""
    if isinstance(res, bool):
        return serialize_boolean(res, "json").decode("utf-8")
    doc = json.loads(serialize_solutions(res.variables, res.rows, "json"))
    if res.truncated or res.limit is not None:
        doc.update(truncated=res.truncated, limit=res.limit, offset=res.offset)
    return json.dumps(doc, ensure_ascii=False, indent=1)


def to_delimited(res: SelectResult, delimiter: str, digits: Mapping[str, int] | None = None) -> str:
    """CSV or TSV with a header line; numeric columns named in `digits` are rounded."""
    digits = digits or {}
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(res.variables)
    for row in res.rows:
        w.writerow([_cell(row.get(v), digits.get(v)) for v in res.variables])
    return buf.getvalue()


def pivot(res: SelectResult, row_var: str, col_var: str, value_var: str) -> SelectResult:
    """A long result laid out wide: one row per `row_var`, one column per `col_var` value (sorted),
    cells summing `value_var`, with a Total column and a Total row (SIPRI's table layout)."""
    for v in (row_var, col_var, value_var):
        if v not in res.variables:
            raise QueryError(f"cannot pivot on {v!r}: the result has {', '.join(res.variables)}")
    cells: dict[tuple[str, str], Decimal] = {}
    rows: list[str] = []
    cols: set[str] = set()
    for r in res.rows:
        key, col, val = r.get(row_var), r.get(col_var), r.get(value_var)
        if key is None or col is None:
            continue
        k, c = _cell(key), str(col)
        if k not in rows:
            rows.append(k)
        cols.add(c)
        cells[(k, c)] = cells.get((k, c), Decimal(0)) + (Decimal(str(val)) if val is not None else Decimal(0))
    columns = sorted(cols, key=lambda c: (len(c), c))
    rows.sort(key=str.casefold)

    def lit(d: Decimal) -> Literal:
        return Literal(format(d, "f"), datatype=XSD.decimal)

    out = SelectResult(variables=[row_var, *columns, "total"], truncated=res.truncated, limit=res.limit,
                       offset=res.offset)
    col_totals = dict.fromkeys(columns, Decimal(0))
    for k in rows:
        line: dict[str, Identifier] = {row_var: Literal(k)}
        total = Decimal(0)
        for c in columns:
            if (k, c) in cells:
                line[c] = lit(cells[(k, c)])
                total += cells[(k, c)]
                col_totals[c] += cells[(k, c)]
        line["total"] = lit(total)
        out.rows.append(line)
    footer: dict[str, Identifier] = {row_var: Literal("Total")}
    footer.update({c: lit(t) for c, t in col_totals.items()})
    footer["total"] = lit(sum(col_totals.values(), Decimal(0)))
    out.rows.append(footer)
    return out


def warn_truncated(res: SelectResult) -> None:
    """A warning on stderr when a result was cut (never a silent partial answer)."""
    if res.truncated:
        print(f"warning: result {res.truncation_note()}; use --limit 0 for every row, or "
              f"--offset {res.offset + len(res.rows)} for the next page", file=sys.stderr)


def render(
    res: SelectResult | bool,
    fmt: str = "table",
    title: str | None = None,
    digits: Mapping[str, int] | None = None,
    exact: bool = False,
) -> None:
    """Print a result in the asked format; `table` is rich on a terminal, TSV when piped.

    Tables round decimals (`digits` per column, else `default_digits`); CSV/TSV round only the
    columns named in `digits` unless `exact`; JSON is always exact."""
    fmt = check_format(fmt)
    if isinstance(res, SelectResult):
        warn_truncated(res)
    if fmt == "xml":
        body = serialize_boolean(res, "xml") if isinstance(res, bool) else serialize_solutions(res.variables, res.rows, "xml")
        sys.stdout.write(body.decode("utf-8") + "\n")
        return
    if fmt == "json" or isinstance(res, bool):
        print(to_json(res))
        return
    given = {} if exact else dict(digits or {})
    if fmt in ("csv", "tsv") or not is_terminal():
        sys.stdout.write(to_delimited(res, "," if fmt == "csv" else "\t", given))
        return
    table = Table(title=title, show_lines=False)
    for v in res.variables:
        table.add_column(v, justify="right" if any(isinstance(r.get(v), Literal) and r[v].datatype in
                                                   _NUMERIC | {XSD.integer} for r in res.rows[:20]) else "left")
    for row in res.rows:
        table.add_row(*[_cell(row.get(v), None if exact else given.get(v, default_digits(v)))
                        for v in res.variables])
    Console().print(table)
