"""Reference data shipped under `ontology/reference/`: states, their names, weapon systems.

The files are data, not code: `states.csv` and `state_names.csv` are generated from pycountry by
`scripts/gen_states.py`; `state_lexicon.csv` (adjectives, demonyms, capitals, metonyms),
`systems.csv` and `generic_nouns.csv` are curated (systems partly derived from SIPRI by
`scripts/gen_systems.py`).
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib import resources
from typing import Iterator

from pydantic import BaseModel

from armskb.namespace import slug


class StateRef(BaseModel):
    """A state: ISO alpha-3 code (historical states have their own), alpha-2, English name."""

    code: str
    alpha2: str | None = None
    name: str
    historical: bool = False


class NameRef(BaseModel):
    """One name of a state in one language: kind is name, alt, adjective, demonym, capital, metonym."""

    code: str
    lang: str
    kind: str
    text: str


class SystemRef(BaseModel):
    """A weapon system of the gazetteer."""

    slug: str
    designation: str
    family: str
    category: str
    origin: str | None = None
    manufacturer: str | None = None
    aliases: list[str] = []
    wikidata: str | None = None
    #: SIPRI's weapon description ('towed gun'), when the register gives one
    description: str | None = None
    #: spellings that are also ordinary words ('Puma'): read as the system only where a proper
    #: noun stands or with weapon context
    ambiguous: list[str] = []
    #: very common words, place names, generic descriptions ('Castle', 'Berlin'): weapon context only
    needs_context: list[str] = []


def rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV file under `ontology/reference/` ('#' lines are comments); none if absent."""
    ref = resources.files("armskb.ontology").joinpath("reference", name)
    if not ref.is_file():
        return
    with ref.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Serbie' and 'SERBIE' and 'Sérbie' fold alike."""
    norm = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in norm if not unicodedata.combining(c)).split())


@cache
def states() -> dict[str, StateRef]:
    """All states by code."""
    return {
        r["code"]: StateRef(
            code=r["code"],
            alpha2=r.get("alpha2") or None,
            name=r["name_en"],
            historical=r.get("historical", "0") in ("1", "true", "True"),
        )
        for r in rows("states.csv")
    }


@cache
def state_names() -> list[NameRef]:
    """Every name of every state, generated and curated."""
    out = [NameRef(**r) for r in rows("state_names.csv")]
    out += [NameRef(**r) for r in rows("state_lexicon.csv")]
    return out


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for n in state_names():
        if n.kind in ("name", "alt"):
            index.setdefault(fold(n.text), n.code)
    for code, st in states().items():
        index.setdefault(fold(st.name), code)
    return index


def resolve_state(text: str) -> str | None:
    """ISO code of a state named by code or by name in any supported language, else None."""
    t = text.strip()
    if t.upper() in states():
        return t.upper()
    return _name_index().get(fold(t))


@cache
def systems() -> dict[str, SystemRef]:
    """The weapon-system gazetteer by slug."""
    out: dict[str, SystemRef] = {}
    for r in rows("systems.csv"):
        out[r["slug"]] = SystemRef(
            slug=r["slug"],
            designation=r["designation"],
            family=r["family"],
            category=r["category"],
            origin=r.get("origin") or None,
            manufacturer=r.get("manufacturer") or None,
            aliases=[a for a in (r.get("aliases") or "").split("|") if a],
            wikidata=r.get("wikidata") or None,
            description=r.get("description") or None,
            ambiguous=[a for a in (r.get("ambiguous") or "").split("|") if a],
            needs_context=[a for a in (r.get("needs_context") or "").split("|") if a],
        )
    return out


@cache
def _system_index() -> dict[str, str]:
    """Normalised designation or alias -> slug."""
    index: dict[str, str] = {}
    for s in systems().values():
        for form in [s.designation, *s.aliases]:
            index.setdefault(_norm_designation(form), s.slug)
    return index


def _norm_designation(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def resolve_system_slug(text: str) -> str:
    """Slug of a system named by designation or alias; unknown names get their own slug."""
    return _system_index().get(_norm_designation(text), slug(text))


def family_slug(system_slug: str) -> str:
    """Slug of the family a system belongs to (itself when it is a family or unknown)."""
    ref = systems().get(system_slug)
    return slug(ref.family) if ref else system_slug


# --- the system resolver: one answer to "which gazetteer system is this?" for every stage ------


def claim_system(designation: str, family: str | None = None) -> tuple[str, bool]:
    """(slug, known) of the system a claim names: the gazetteer's entry for the designation, else
    the one for its family designation, else a slug of its own (known False)."""
    key = slug(designation)
    if key in systems():
        return key, True
    fam = slug(family) if family else None
    if fam and fam in systems():
        return fam, True
    return key, False


def system_family(system_slug: str, family_designation: str | None = None) -> str | None:
    """The family slug transfers are keyed by: the gazetteer's family of a known system, else
    the family the source names (`family_designation`), else the system itself; None for a
    generic system (no family to match on)."""
    if system_slug.startswith("generic-"):
        return None
    if system_slug in systems():
        return family_slug(system_slug)
    if family_designation:
        return family_slug(resolve_system_slug(family_designation))
    return system_slug

