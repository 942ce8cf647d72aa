"""Typed literals shared by every graph, in the lexical forms every store keeps as written."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Literal
from rdflib.namespace import XSD

from armskb.models import PartialDate, Precision

_DATE_TYPES = {Precision.year: XSD.gYear, Precision.month: XSD.gYearMonth, Precision.day: XSD.date}
_TRUE = Literal(True)
_FALSE = Literal(False)


def date_literal(d: PartialDate) -> Literal:
    """A date typed by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(d.iso(), datatype=_DATE_TYPES[d.precision])


@lru_cache(maxsize=65536)
def integer_literal(n: int) -> Literal:
    """An xsd:integer (quantities, years, offsets): the integer type every store keeps as written."""
    return Literal(str(n), datatype=XSD.integer)


def decimal_literal(value: float, places: int = 3) -> Literal:
    """An xsd:decimal in the canonical lexical form stores keep ('1', '0.85'), so a value reads
    back from any backend exactly as written."""
    return exact_decimal_literal(Decimal(str(round(value, places))))


def exact_decimal_literal(d: Decimal) -> Literal:
    """An xsd:decimal of an exact value (TIV), canonical form ('0.9', '100'), not rounded."""
    return _decimal_text_literal(format(d.normalize(), "f"))


@lru_cache(maxsize=65536)
def _decimal_text_literal(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def string_literal(text: str) -> Literal:
    """A plain string literal (names and designations repeat: built once)."""
    return Literal(text)


def boolean_literal(b: bool) -> Literal:
    """xsd:boolean true or false."""
    return _TRUE if b else _FALSE
