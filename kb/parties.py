"""One party resolver for every stage: a name or code becomes a `Party` (a state by ISO code, or
an organisation by name), a party becomes its IRI, and an IRI becomes a party again.

Readers (claims files, the SIPRI register), the mapping, reconcile and query parameters all go
through here, so "Serbia", "SRB", "Serbie" and `id/state/SRB` are one party everywhere.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict
from rdflib import URIRef

from armskb import namespace as ns
from armskb.reference import resolve_state


class PartyKind(str, Enum):
    """What a supplier, recipient, buyer or seller name stands for."""

    state = "state"
    non_state = "non-state"  # armed groups, rival governments, companies, unlisted entities
    organization = "organization"  # international organisations (UN, NATO, African Union, ...)
    unknown = "unknown"  # 'unknown supplier(s)': no party


class Party(BaseModel):
    """A resolved party: `key` is the ISO alpha-3 code of a state, else the organisation's name."""

    model_config = ConfigDict(frozen=True)

    key: str
    kind: PartyKind

    @property
    def iri(self) -> URIRef:
        """`id/state/{code}` for a state, `id/org/{slug}` for anything else."""
        iri = party_iri(self.key, self.kind)
        assert iri is not None  # a Party is never of the unknown kind
        return iri


def resolve_party(text: str | None) -> Party | None:
    """A party named by ISO code or by a state name in any supported language, else an
    organisation by the name given; None for an empty name."""
    name = (text or "").strip()
    if not name:
        return None
    code = resolve_state(name)
    return Party(key=code, kind=PartyKind.state) if code else Party(key=name, kind=PartyKind.non_state)


def party_of_key(key: str) -> Party:
    """The party of a value already resolved (a model's buyer/seller: code or organisation name)."""
    return Party(key=key, kind=PartyKind.state if ns.is_state_code(key) else PartyKind.non_state)


def party_iri(key: str | None, kind: PartyKind) -> URIRef | None:
    """The IRI of a party given by key and kind (None for an unknown party)."""
    if key is None or kind is PartyKind.unknown:
        return None
    return ns.state(key) if kind is PartyKind.state else ns.organization(key)


def party_code(iri: str | URIRef | None) -> str | None:
    """The key back out of a party IRI: a state's code or an organisation's slug."""
    return ns.parse_party(iri)
