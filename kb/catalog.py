"""The named queries of `queries/*.rq` and their parameters.

Each file starts with a comment header: a title line, free text, `@param NAME TYPE [optional]`
lines, and `Example:` lines. Parameter types say how a user value becomes an RDF term:

- `state`   a state by ISO code or name in any supported language, or an organisation name
- `system`  a weapon system by designation or alias (matches the family and its variants)
- `status`  a status of the lifecycle scheme
- `year`    a four-digit year (xsd:integer)
- `string`  a plain string literal
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from pydantic import BaseModel
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from armskb import namespace as ns
from armskb.errors import QueryError
from armskb.models import Status
from armskb.parties import resolve_party
from armskb.reference import resolve_system_slug

_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)(\s+optional)?\s*(.*)$")


class Param(BaseModel):
    name: str
    type: str
    optional: bool = False
    doc: str = ""


class NamedQuery(BaseModel):
    name: str
    title: str
    text: str
    params: list[Param]
    examples: list[str] = []


@cache
def catalog() -> dict[str, NamedQuery]:
    """Every named query shipped in `armskb.queries`, by name."""
    out: dict[str, NamedQuery] = {}
    root = resources.files("armskb.queries")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        header = [line for line in text.splitlines() if line.startswith("#")]
        title = header[0].lstrip("# ").strip() if header else entry.name
        params = []
        examples = []
        for line in header:
            m = _PARAM.match(line)
            if m:
                params.append(
                    Param(name=m[1], type=m[2], optional=bool(m[3]), doc=m[4].strip())
                )
            elif "armskb query" in line:
                examples.append(line.lstrip("# ").strip())
        name = entry.name[: -len(".rq")]
        out[name] = NamedQuery(name=name, title=title, text=text, params=params, examples=examples)
    return out


def get(name: str) -> NamedQuery:
    try:
        return catalog()[name]
    except KeyError:
        raise QueryError(f"no named query {name!r}; known: {', '.join(sorted(catalog()))}") from None


def to_term(ptype: str, value: str | int) -> Identifier:
    """A user value as the RDF term a parameter of this type binds."""
    text = str(value).strip()
    if ptype == "state":
        party = resolve_party(text)
        return party.iri if party else ns.organization(text)
    if ptype == "system":
        return ns.system(resolve_system_slug(text))
    if ptype == "status":
        try:
            return ns.status(Status(text.lower()).value)
        except ValueError:
            raise QueryError(
                f"unknown status {text!r}; one of: {', '.join(s.value for s in Status)}"
            ) from None
    if ptype == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise QueryError(f"a year has four digits, got {text!r}")
        return Literal(int(text), datatype=XSD.integer)
    if ptype == "string":
        return Literal(text)
    if ptype == "iri":
        return URIRef(text)
    raise QueryError(f"unknown parameter type {ptype!r}")


def bindings_for(query: NamedQuery, params: dict[str, str | int | None]) -> dict[str, Identifier | None]:
    """Check parameters against the query's header and turn them into terms."""
    known = {p.name: p for p in query.params}
    unknown = set(params) - set(known)
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
            f"it takes: {', '.join(known) or 'none'}"
        )
    out: dict[str, Identifier | None] = {}
    for p in query.params:
        v = params.get(p.name)
        if v is None or v == "":
            if not p.optional:
                raise QueryError(f"query {query.name!r} needs parameter {p.name!r} ({p.type})")
            out[p.name] = None
        else:
            out[p.name] = to_term(p.type, v)
    return out
