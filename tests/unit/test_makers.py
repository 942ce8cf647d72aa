"""Company home states and nationality cues ('Polish-made', 'le constructeur naval français')."""

from __future__ import annotations

import pytest

from armskb.loaders.gazetteer import find_companies
from armskb.loaders.lexicon import fold_keep
from armskb.loaders.makers import MULTINATIONAL, company, company_home, made_in


@pytest.mark.parametrize("name,home", [
    ("Saab", "SWE"), ("Naval Group", "FRA"), ("naval group", "FRA"), ("DCNS", "FRA"), ("Rheinmetall", "DEU"),
    ("Krauss-Maffei Wegmann", "DEU"), ("Baykar", "TUR"), ("Hanwha", "KOR"), ("Рособоронэкспорт", "RUS"),
    ("Hindustan Aeronautics Limited", "IND"), ("Uralvagonzavod", "RUS"),
])
def test_company_home(name: str, home: str) -> None:
    assert company_home(name) == home


def test_multinationals_and_unknown_companies() -> None:
    assert company_home("MBDA") == MULTINATIONAL
    assert company_home("Acme Widgets") is None
    assert company("TKMS").name == "thyssenkrupp Marine Systems"


def test_ambiguous_company_spellings_only_in_capitals() -> None:
    t = "CASA delivered two aircraft; la casa blanca; Casa nostra."
    assert [n for _, _, n in find_companies(t, fold_keep(t))] == ["CASA"]


@pytest.mark.parametrize("text,lang,found", [
    ("The army received Polish-made Piorun missiles.", "en", ("Polish-made", "POL", "made")),
    ("US-made F-16 jets arrived.", "en", ("US-made", "USA", "made")),
    ("Chile compró fusiles de fabricación belga.", "es", ("de fabricación belga", "BEL", "made")),
    ("le constructeur naval français a livré la frégate", "fr", ("le constructeur naval français", "FRA", "maker")),
    ("wyrzutnie polskiej produkcji", "pl", ("polskiej produkcji", "POL", "made")),
    ("техніка українського виробництва", "uk", ("українського виробництва", "UKR", "made")),
    ("танки российского производства", "ru", ("российского производства", "RUS", "made")),
    ("Waffen aus deutscher Produktion", "de", ("aus deutscher Produktion", "DEU", "made")),
    ("blindados de fabricação brasileira", "pt", ("de fabricação brasileira", "BRA", "made")),
    ("droni di produzione italiana", "it", ("di produzione italiana", "ITA", "made")),
    ("the Turkish company Baykar", "en", ("Turkish company", "TUR", "maker")),
])
def test_made_in(text: str, lang: str, found: tuple[str, str, str]) -> None:
    assert [(text[c.start : c.end], c.code, c.kind) for c in made_in(text, fold_keep(text), lang)] == [found]


def test_a_state_adjective_alone_is_no_origin_cue() -> None:
    t = "The Russian army bought French jets."
    assert made_in(t, fold_keep(t), "en") == []
