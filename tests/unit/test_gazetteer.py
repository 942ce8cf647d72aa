"""The system gazetteer's guards on real reference data: ordinary-word designations need weapon
context or must stand as proper nouns, place names need adjacent context, money is never a system."""

from __future__ import annotations

import pytest

from armskb import reference
from armskb.loaders.gazetteer import find_systems

pytestmark = pytest.mark.skipif(not reference.systems(), reason="systems.csv not present")


def names(text: str) -> list[str]:
    return [m.text for m in find_systems(text)]


@pytest.mark.parametrize("text", [
    "The deal is worth P15.7-billion for the navy.",
    "Manila set aside P15 billion for the programme.",
    "It cost $2.5 billion.",
    "Контракт на €300 млн подписан.",
])
def test_money_is_not_a_designation(text: str) -> None:
    assert names(text) == []


def test_designation_next_to_money_still_found() -> None:
    assert "P-15" not in names("P15.7-billion")
    assert names("The navy ordered two Tiger helicopters for $2.5 billion.") == ["Tiger"]


@pytest.mark.parametrize("text", [
    "Tiger Woods played golf.",            # part of a longer proper name
    "The Cobra Gold military exercises ended.",  # ... even with weapon words nearby
    "Secretary Lloyd Austin said so.",
    "Puma said nothing.",                  # first word of a sentence
    "He visited the castle in Windsor.",   # lower case
])
def test_ordinary_words_without_weapon_use_are_not_systems(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize("text,found", [
    ("They bought the Puma last year.", "Puma"),                # proper noun inside a sentence
    ("Puma helicopters arrived in May.", "Puma"),              # generic noun nearby
    ("The Eurocopter Tiger arrived.", "Eurocopter Tiger"),
    ("the German Boxer arrived", "Boxer"),                      # English state adjective before
    ("Le Tigre et les hélicoptères Puma sont arrivés.", "Puma"),
])
def test_ordinary_word_designations_in_weapon_use(text: str, found: str) -> None:
    assert found in names(text)


def test_place_name_needs_adjacent_weapon_context() -> None:
    assert names("Berlin hat 18 Panzer an die Ukraine geliefert.") == []
    assert names("BERLIN (dpa) - Die Fregatte wurde geliefert.") == []   # a dateline
    assert names("two Berlin-class support ships") == ["Berlin"]


def test_register_spellings_are_whole_spans() -> None:
    assert names("The army received the AGM-158B JASSM-ER last year.") == ["AGM-158B JASSM-ER"]
    assert names("The army received the 2A36 Giatsint-B 152mm last year.") == ["2A36 Giatsint-B 152mm"]
    assert names("Получены С-400 и Су-35.") == ["С-400", "Су-35"]


def test_systems_carry_sipri_description() -> None:
    described = [s for s in reference.systems().values() if s.description]
    assert len(described) > 2000
    assert any(s.description == "towed gun" for s in described)


def test_cyrillic_romanized_and_declined() -> None:
    assert names("Сирия получила Панцирь-С1 и Смерч.") == ["Панцирь-С1", "Смерч"]
    assert names("Україна отримала Хризантему.") == ["Хризантему"]     # 'Khrizantema', accusative
    assert names("В Беларусь прибыли Искандеры.") == ["Искандеры"]
    assert names("отношения между Анкарой и Вашингтоном") == []        # not 'Anka' + a case ending
