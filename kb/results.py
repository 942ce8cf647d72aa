"""SPARQL result formats, written by libraries: one module for the server and the CLI.

Solutions and booleans are written as SPARQL 1.1 JSON by rdflib's result serializer; the XML, CSV
and TSV forms are Oxigraph's writers fed that JSON (rdflib has no TSV writer, and Oxigraph cannot be
handed rows of its own, which a row cap needs). Graphs (CONSTRUCT/DESCRIBE) go through
`pyoxigraph.serialize`. No format is written by hand here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import Variable
from rdflib.query import Result
from rdflib.term import Identifier

from armskb import namespace as ns

#: format key -> media type, for SELECT/ASK answers
SOLUTION_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: format key -> media type, for CONSTRUCT/DESCRIBE answers
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
MEDIA_TYPES: dict[str, str] = {**SOLUTION_FORMATS, **GRAPH_FORMATS}

#: other names a format goes by (file extensions, media types clients send)
ALIASES: dict[str, str] = {
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
    "srj": "json", "srx": "xml", "application/json": "json", "text/plain": "ntriples",
    "application/xml": "xml", "text/xml": "xml", "rdf": "rdfxml", "owl": "rdfxml",
    **{mime: key for key, mime in MEDIA_TYPES.items()},
}

_OX_RESULTS = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
               "tsv": ox.QueryResultsFormat.TSV}
_OX_GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


def format_key(name: str) -> str:
    """The canonical key of a format name, extension or media type ('application/sparql-results+json'
    -> 'json'); an unknown name is returned lower-cased, for the caller to refuse."""
    key = name.strip().lower()
    return ALIASES.get(key, key)


def _from_json(doc: bytes, fmt: str) -> bytes:
    if fmt == "json":
        return doc
    if fmt not in _OX_RESULTS:
        raise ValueError(f"unknown result format {fmt!r}; available: {', '.join(SOLUTION_FORMATS)}")
    parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_OX_RESULTS[fmt]) or b""


def serialize_solutions(variables: list[str], rows: Iterable[Mapping[str, Identifier]], fmt: str) -> bytes:
    """SELECT results (rows of rdflib terms, unbound variables absent) in format `fmt`."""
    result = Result("SELECT")
    result.vars = [Variable(v) for v in variables]
    result.bindings = [{Variable(k): v for k, v in row.items() if v is not None} for row in rows]
    return _from_json(result.serialize(format="json") or b"", fmt)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in format `fmt`."""
    result = Result("ASK")
    result.askAnswer = value
    return _from_json(result.serialize(format="json") or b"", fmt)


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """CONSTRUCT/DESCRIBE results (Oxigraph triples) in an RDF format; Turtle uses the project prefixes."""
    if fmt not in _OX_GRAPHS:
        raise ValueError(f"unknown graph format {fmt!r}; available: {', '.join(GRAPH_FORMATS)}")
    return ox.serialize(triples, format=_OX_GRAPHS[fmt],
                        prefixes=ns.PREFIXES if fmt == "turtle" else None) or b""
