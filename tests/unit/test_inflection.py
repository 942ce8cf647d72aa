"""Declined forms of state names and adjectives (pl, uk, pt) and the states found through them."""

from __future__ import annotations

import pytest

from armskb.loaders.gazetteer import find_states
from armskb.loaders.inflection import adjective_forms, name_forms
from armskb.loaders.lexicon import fold_keep


@pytest.mark.parametrize("name,lang,forms", [
    ("Polska", "pl", {"Polski", "Polsce", "Polskę", "Polską"}),
    ("Ukraina", "pl", {"Ukrainy", "Ukrainie", "Ukrainę"}),
    ("Francja", "pl", {"Francji", "Francję"}),
    ("Egipt", "pl", {"Egiptu", "Egipcie", "Egiptem"}),
    ("Stany Zjednoczone", "pl", {"Stanów Zjednoczonych", "Stanach Zjednoczonych", "Stanom Zjednoczonym"}),
    ("Korea Południowa", "pl", {"Korei Południowej", "Koreę Południową"}),
    ("Republika Korei", "pl", {"Republiki Korei", "Republice Korei"}),
    ("Україна", "uk", {"України", "Україні", "Україну", "Україною"}),
    ("Росія", "uk", {"Росії", "Росію", "Росією"}),
    ("Китай", "uk", {"Китаю", "Китаєм"}),
    ("Велика Британія", "uk", {"Великої Британії", "Великою Британією"}),
])
def test_name_cases(name: str, lang: str, forms: set[str]) -> None:
    assert forms <= set(name_forms(name, lang))


def test_undeclined_languages_keep_the_name() -> None:
    assert name_forms("Pologne", "fr") == ("Pologne",)


@pytest.mark.parametrize("adj,lang,forms", [
    ("polski", "pl", {"polskiej", "polskich", "polscy", "polską"}),
    ("niemiecki", "pl", {"niemieckiego", "niemieccy"}),
    ("український", "uk", {"українського", "українська", "українських"}),
    ("russo", "pt", {"russa", "russos", "russas"}),
    ("francês", "pt", {"francesa", "franceses"}),
    ("alemão", "pt", {"alemã", "alemães"}),
])
def test_adjective_forms(adj: str, lang: str, forms: set[str]) -> None:
    assert forms <= set(adjective_forms(adj, lang))


@pytest.mark.parametrize("text,lang,codes", [
    ("Polska kupiła od Korei Południowej czołgi, a Stany Zjednoczone sprzedały Polsce Abramsy.", "pl",
     ["POL", "KOR", "USA", "POL"]),
    ("Україна отримала від Німеччини системи, а Польща передала Україні танки.", "uk",
     ["UKR", "DEU", "POL", "UKR"]),
    ("Sprzęt polskiej produkcji trafi do Ukrainy.", "pl", ["POL", "UKR"]),
    ("O Brasil comprou caças suecos e blindados italianos.", "pt", ["BRA", "SWE", "ITA"]),
])
def test_states_found_in_declined_text(text: str, lang: str, codes: list[str]) -> None:
    assert [m.code for m in find_states(text, fold_keep(text), lang)] == codes
