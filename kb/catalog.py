"""The named queries of `queries/*.rq`, the internal ones of `queries/internal/`, their parameters.

Each named query starts with a comment header: a title line, free text, `@param NAME TYPE
[optional] doc` lines, optional `@pivot ROW COLUMN VALUE` and `@digits COLUMN N` lines (how the CLI
tabulates and rounds), and `Example:` lines. Parameter types say how a user value becomes a term:

- `state`     a state by ISO code or name in any supported language, or a known organisation
- `system`    a weapon system by designation or alias (matches the family and its variants)
- `status`    a status of the lifecycle scheme
- `category`  a SIPRI armament category (Aircraft, Air-defence systems, ...)
- `year`      a four-digit year (xsd:integer)
- `string`    a plain string literal
- `iri`       an IRI
- `choice:a|b|c`  one of the listed words

An unknown name is an `UnknownNameError` (a `QueryError`: exit 2 on the CLI, HTTP 400 on the
server) that gives the closest known names, found with rapidfuzz.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from pydantic import BaseModel
from rapidfuzz import fuzz, process
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from armskb import namespace as ns
from armskb.errors import QueryError
from armskb.models import Status
from armskb.parties import PartyKind, resolve_party
from armskb.reference import fold, resolve_system_slug, rows, state_names, states, systems
from armskb.store import SelectResult, Store

_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(\S+)(\s+optional)?\s*(.*)$")
_PIVOT = re.compile(r"^#\s*@pivot\s+(\w+)\s+(\w+)\s+(\w+)\s*$")
_DIGITS = re.compile(r"^#\s*@digits\s+(\w+)\s+(\d+)\s*$")


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
    #: (row variable, column variable, value variable) of the CLI's `--pivot` table
    pivot: tuple[str, str, str] | None = None
    #: decimal places of numeric columns in tables and CSV (JSON keeps every digit)
    digits: dict[str, int] = {}


class UnknownNameError(QueryError):
    """A state, system, status or category that nobody knows; carries the closest known names."""

    def __init__(self, kind: str, value: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.value = value
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions[:-1])}{' or ' if len(suggestions) > 1 else ''}{suggestions[-1]}?" if suggestions else ""
        super().__init__(f"{value}: no such {kind}{hint}")


def _parse(name: str, text: str) -> NamedQuery:
    header = [line for line in text.splitlines() if line.startswith("#")]
    title = header[0].lstrip("# ").strip() if header else name
    params: list[Param] = []
    examples: list[str] = []
    pivot: tuple[str, str, str] | None = None
    digits: dict[str, int] = {}
    for line in header:
        if m := _PARAM.match(line):
            params.append(Param(name=m[1], type=m[2], optional=bool(m[3]), doc=m[4].strip()))
        elif m := _PIVOT.match(line):
            pivot = (m[1], m[2], m[3])
        elif m := _DIGITS.match(line):
            digits[m[1]] = int(m[2])
        elif "armskb query" in line:
            examples.append(line.lstrip("# ").strip().removeprefix("Example:").strip())
    return NamedQuery(name=name, title=title, text=text, params=params, examples=examples, pivot=pivot,
                      digits=digits)


@cache
def catalog() -> dict[str, NamedQuery]:
    """Every named query shipped in `armskb.queries`, by name."""
    out: dict[str, NamedQuery] = {}
    root = resources.files("armskb.queries")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return out


@cache
def internal(name: str) -> str:
    """The text of an internal query, `queries/internal/NAME.rq` (used by armskb's own code)."""
    entry = resources.files("armskb.queries").joinpath("internal", f"{name}.rq")
    if not entry.is_file():
        raise QueryError(f"no internal query {name!r}")
    return entry.read_text(encoding="utf-8")


def get(name: str) -> NamedQuery:
    try:
        return catalog()[name]
    except KeyError:
        close = _closest(name, list(catalog()), limit=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise QueryError(
            f"no named query {name!r}{hint} (known: {', '.join(sorted(catalog()))})"
        ) from None


def _closest(value: str, choices: list[str], limit: int = 3, cutoff: float = 70) -> list[str]:
    """The choices closest to a value (rapidfuzz WRatio over folded text), best first."""
    folded = {fold(c): c for c in choices}
    hits = process.extract(fold(value), list(folded), scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [folded[h[0]] for h in hits]


@cache
def _state_choices() -> dict[str, str]:
    """Folded name or code of every state -> 'Name (CODE)'."""
    label = {code: f"{st.name} ({code})" for code, st in states().items()}
    out = {fold(st.name): label[code] for code, st in states().items()}
    for n in state_names():
        if n.kind in ("name", "alt") and n.code in label:
            out.setdefault(fold(n.text), label[n.code])
    return out


@cache
def _system_choices() -> dict[str, str]:
    """Folded designation or alias of every gazetteer system -> its designation."""
    out: dict[str, str] = {}
    for s in systems().values():
        for form in (s.designation, *s.aliases):
            out.setdefault(fold(form), s.designation if form == s.designation else f"{form} ({s.designation})")
    return out


@cache
def sipri_categories() -> dict[str, str]:
    """SIPRI armament categories by folded name (from the shipped description table)."""
    return {_key(r["category"]): r["category"] for r in rows("sipri_descriptions.csv") if r.get("category")}


def _key(text: str) -> str:
    """Folded letters and digits only: 'Air defence systems' and 'air-defence systems' agree."""
    return "".join(c for c in fold(text) if c.isalnum())


def _near_state(value: str) -> bool:
    """Whether a name is a near-miss of a state name (a typo, not another party's name)."""
    return process.extractOne(fold(value), list(_state_choices()), scorer=fuzz.ratio, score_cutoff=85) is not None


def _suggest(value: str, choices: dict[str, str], limit: int = 3) -> list[str]:
    hits = process.extract(fold(value), list(choices), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=75)
    out: list[str] = []
    for key, _score, _i in hits:
        label = choices[key]
        if label not in out:
            out.append(label)
    return out[:limit]


class Resolver:
    """Turns user values into the terms parameters bind, checking names against the reference data
    and, when a store is given, against the organisations and systems that store knows (without
    one, a name far from every state is taken as an organisation's, and any system designation
    is accepted only when the gazetteer knows it)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self._orgs: dict[str, str] | None = None
        self._store_systems: set[str] | None = None

    def _known_orgs(self) -> dict[str, str]:
        """Folded label -> organisation IRI, of the organisations in the store."""
        if self._orgs is None:
            self._orgs = {}
            if self.store is not None:
                res = self.store.query(internal("organizations"))
                assert isinstance(res, SelectResult)
                for r in res.rows:
                    self._orgs.setdefault(fold(str(r["label"])), str(r["org"]))
        return self._orgs

    def _known_system(self, iri: URIRef) -> bool:
        if self._store_systems is None:
            self._store_systems = set()
            if self.store is not None:
                res = self.store.query(internal("systems-in-use"))
                assert isinstance(res, SelectResult)
                self._store_systems = {str(r["system"]) for r in res.rows}
        return str(iri) in self._store_systems

    def state(self, text: str) -> URIRef:
        party = resolve_party(text)
        if party is not None and party.kind is PartyKind.state:
            return party.iri
        orgs = self._known_orgs()
        hit = orgs.get(fold(text)) or orgs.get(fold(text.rstrip("*")))
        if hit:
            return URIRef(hit)
        if party is not None and str(party.iri) in orgs.values():
            return party.iri
        org_choices = {k: f"{k} (organisation)" for k in orgs}
        suggestions = _suggest(text, {**_state_choices(), **org_choices})
        if self.store is None and party is not None and not _near_state(text):
            return party.iri  # no store to check organisations against: only a near-miss of a state is refused
        raise UnknownNameError("state or organisation" if orgs else "state", text, suggestions)

    def system(self, text: str) -> URIRef:
        slug = resolve_system_slug(text)
        iri = ns.system(slug)
        if slug in systems() or self._known_system(iri):
            return iri
        raise UnknownNameError("weapon system", text, _suggest(text, _system_choices()))

    def status(self, text: str) -> URIRef:
        try:
            return ns.status(Status(text.lower()).value)
        except ValueError:
            raise UnknownNameError("status", text, _closest(text, [s.value for s in Status])) from None

    def category(self, text: str) -> Literal:
        hit = sipri_categories().get(_key(text))
        if hit is None:
            raise UnknownNameError("SIPRI category", text, _suggest(text, sipri_categories()))
        return Literal(hit)

    def term(self, ptype: str, value: str | int) -> Identifier:
        """A user value as the RDF term a parameter of this type binds."""
        text = str(value).strip()
        if ptype == "state":
            return self.state(text)
        if ptype == "system":
            return self.system(text)
        if ptype == "status":
            return self.status(text)
        if ptype == "category":
            return self.category(text)
        if ptype == "year":
            if not re.fullmatch(r"\d{4}", text):
                raise QueryError(f"a year has four digits, got {text!r}")
            return Literal(int(text), datatype=XSD.integer)
        if ptype == "string":
            return Literal(text)
        if ptype == "iri":
            return URIRef(text)
        if ptype.startswith("choice:"):
            words = ptype.removeprefix("choice:").split("|")
            if text.lower() not in words:
                raise UnknownNameError(f"choice (one of {', '.join(words)})", text, _closest(text, words))
            return Literal(text.lower())
        raise QueryError(f"unknown parameter type {ptype!r}")


def to_term(ptype: str, value: str | int) -> Identifier:
    """A user value as a term, checked against the reference data only (no store)."""
    return Resolver().term(ptype, value)


def bindings_for(
    query: NamedQuery, params: dict[str, str | int | None], resolver: Resolver | None = None
) -> dict[str, Identifier | None]:
    """Check parameters against the query's header and turn them into terms."""
    resolver = resolver or Resolver()
    known = {p.name: p for p in query.params}
    unknown = set(params) - set(known)
    if unknown:
        bad = sorted(unknown)
        close = _closest(bad[0], list(known), limit=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(bad)}{hint}; "
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
            out[p.name] = resolver.term(p.type, v)
    return out
