"""One party resolver: names and codes -> parties -> IRIs -> keys, the same for every stage."""

from __future__ import annotations

import pytest

from armskb import namespace as ns
from armskb.parties import Party, PartyKind, party_code, party_iri, party_of_key, resolve_party


@pytest.mark.parametrize("text", ["Serbia", "SRB", "srb", "Serbie", "  serbia "])
def test_state_by_code_or_name(text: str) -> None:
    assert resolve_party(text) == Party(key="SRB", kind=PartyKind.state)


def test_organisation_by_name() -> None:
    p = resolve_party("Wagner Group")
    assert p == Party(key="Wagner Group", kind=PartyKind.non_state)
    assert p.iri == ns.organization("Wagner Group")


def test_empty_is_no_party() -> None:
    assert resolve_party("") is None and resolve_party(None) is None


def test_key_iri_key_round_trip() -> None:
    assert party_of_key("RUS").iri == ns.state("RUS")
    assert party_of_key("Hamas").iri == ns.organization("Hamas")
    assert party_code(party_of_key("RUS").iri) == "RUS"
    assert party_code(party_of_key("Hamas").iri) == "hamas"
    assert party_code(ns.system("t-72")) is None


def test_kind_decides_the_iri_not_the_spelling() -> None:
    """A non-state party whose name looks like a code (an acronym) stays an organisation."""
    assert party_iri("PKK", PartyKind.non_state) == ns.organization("PKK")
    assert party_iri("SRB", PartyKind.state) == ns.state("SRB")
    assert party_iri("anyone", PartyKind.unknown) is None and party_iri(None, PartyKind.state) is None
