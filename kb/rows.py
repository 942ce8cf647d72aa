"""Query results for Python users and notebooks: typed rows, pandas frames, HTML tables.

A result row holds rdflib terms; `Row` gives them as Python values (int, Decimal, float, bool,
datetime.date / datetime, str for IRIs and strings; partial dates such as xsd:gYear stay text).
`to_pandas` makes numeric columns numbers and date columns datetime64 (a partial date is its first
day, and a `<column>_precision` column says day, month or year, so nothing is silently made exact).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

if TYPE_CHECKING:
    import pandas

_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
             XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt,
             XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_FLOATS = {XSD.double, XSD.float}
_PARTIAL = {XSD.gYear: "year", XSD.gYearMonth: "month"}

Value = int | Decimal | float | bool | dt.date | dt.datetime | str | None


def value(term: Identifier | None) -> Value:
    """A term as a plain Python value (see the module doc); a malformed literal stays text."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)) or not isinstance(term, Literal):
        return str(term)
    d = term.datatype
    text = str(term)
    try:
        if d in _INTEGERS:
            return int(text)
        if d == XSD.decimal:
            return Decimal(text)
        if d in _FLOATS:
            return float(text)
        if d == XSD.boolean:
            return text in ("true", "1")
        if d == XSD.date:
            return dt.date.fromisoformat(text[:10])
        if d == XSD.dateTime:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return text


class Row(Mapping[str, Value]):
    """One result row: `row.tiv`, `row["tiv"]`, `row[0]`, `dict(row)`; `row.terms` are the RDF terms."""

    __slots__ = ("_names", "terms")

    def __init__(self, names: Sequence[str], terms: Mapping[str, Identifier]) -> None:
        self._names = list(names)
        self.terms = dict(terms)

    def __getitem__(self, key: str | int) -> Value:  # type: ignore[override]
        if isinstance(key, int):
            key = self._names[key]
        if key not in self._names:
            raise KeyError(key)
        return value(self.terms.get(key))

    def __getattr__(self, name: str) -> Value:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no column {name!r}; columns: {', '.join(self._names)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return "Row(" + ", ".join(f"{k}={self[k]!r}" for k in self._names) + ")"


def _kind(terms: list[Identifier | None]) -> str:
    """The pandas kind of a column: int, float, bool, date, or object."""
    kinds = set()
    for t in terms:
        if t is None:
            continue
        if not isinstance(t, Literal):
            return "object"
        d = t.datatype
        if d in _INTEGERS:
            kinds.add("int")
        elif d == XSD.decimal or d in _FLOATS:
            kinds.add("float")
        elif d == XSD.boolean:
            kinds.add("bool")
        elif d in (XSD.date, XSD.dateTime) or d in _PARTIAL:
            kinds.add("date")
        else:
            return "object"
    if kinds == {"int", "float"}:
        return "float"
    return kinds.pop() if len(kinds) == 1 else "object"


def _date_start(t: Literal) -> tuple[str, str]:
    """(ISO text of the first instant, precision) of a date literal."""
    text = str(t)
    if t.datatype == XSD.gYear:
        return f"{text[:4]}-01-01", "year"
    if t.datatype == XSD.gYearMonth:
        return f"{text[:7]}-01", "month"
    return text, "day"


def to_pandas(variables: Sequence[str], rows: Sequence[Mapping[str, Identifier]]) -> pandas.DataFrame:
    """A DataFrame with one column per variable, typed as the module doc says."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_pandas needs pandas: pip install 'armskb[pandas]'") from None
    data: dict[str, Any] = {}
    for v in variables:
        terms = [r.get(v) for r in rows]
        kind = _kind(terms)
        if kind == "int":
            data[v] = pd.array([None if t is None else int(str(t)) for t in terms], dtype="Int64")
        elif kind == "float":
            data[v] = pd.to_numeric(pd.Series([None if t is None else str(t) for t in terms], dtype="object"))
            data[v] = data[v].astype("float64")
        elif kind == "bool":
            data[v] = pd.array([None if t is None else str(t) in ("true", "1") for t in terms], dtype="boolean")
        elif kind == "date":
            starts = [None if t is None else _date_start(t) for t in terms]  # type: ignore[arg-type]
            data[v] = pd.to_datetime([None if s is None else s[0] for s in starts], utc=None, format="ISO8601")
            if any(s is not None and s[1] != "day" for s in starts):
                data[f"{v}_precision"] = [None if s is None else s[1] for s in starts]
        else:
            data[v] = pd.Series([value(t) for t in terms], dtype="object")
    return pd.DataFrame(data, columns=list(data))


def to_html(variables: Sequence[str], rows: Sequence[Mapping[str, Identifier]], note: str = "",
            max_rows: int = 50) -> str:
    """An HTML table of the first `max_rows` rows (Jupyter's rich display), with a note below."""
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = []
    for r in rows[:max_rows]:
        cells = "".join(f"<td>{html.escape('' if r.get(v) is None else str(value(r.get(v))))}</td>"
                        for v in variables)
        body.append(f"<tr>{cells}</tr>")
    notes = []
    if len(rows) > max_rows:
        notes.append(f"first {max_rows} of {len(rows)} rows shown")
    if note:
        notes.append(note)
    foot = f"<p>{html.escape('; '.join(notes))}</p>" if notes else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{foot}"
