"""Inflected forms of state names and adjectives for languages that decline them (pl, uk; pt
adjectives by gender and number).

The reference tables list a name once, in the nominative ('Polska', 'Україна', 'Stany Zjednoczone')
and an adjective once, in its dictionary form ('polski', 'український'). News writes every case
('do Polski', 'w Polsce', 'Україні', 'Stanów Zjednoczonych', 'polskiej produkcji'), so the
gazetteer matches forms made here by general paradigms: the six cases of each word of a name, by
its ending, aligned across the words of a multi-word name; words no paradigm fits ('Korei' in
'Republika Korei') stay as written. Russian keeps its stem-plus-any-ending patterns. Overproducing
a form that no one writes is harmless; missing one loses a state.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Polish consonant alternations before the locative/dative -e ('Polska' -> 'Polsce')
_PL_LOC = (("st", "ście"), ("ch", "sze"), ("sk", "sce"), ("k", "ce"), ("g", "dze"), ("r", "rze"),
           ("t", "cie"), ("d", "dzie"), ("ł", "le"), ("n", "nie"), ("w", "wie"), ("b", "bie"),
           ("p", "pie"), ("m", "mie"), ("s", "sie"), ("z", "zie"), ("f", "fie"))
_PL_SOFT = ("j", "i", "e", "l", "c", "sz", "cz", "rz", "ż", "dż", "x")


def _pl_loc(stem: str) -> str:
    for end, rep in _PL_LOC:
        if stem.endswith(end):
            return stem[: -len(end)] + rep
    return stem + "u"


#: Polish adjective endings of the feminine singular and the plural (non-personal)
_PL_ADJ_FEM = ("ska", "cka", "dzka", "owa", "lka", "ona", "czna", "cna", "alna", "ilna")
_PL_ADJ_PLURAL = ("one", "kie", "ne", "we")


def _pl_adjective(w: str) -> bool:
    low = w.lower()
    return low.endswith(_PL_ADJ_FEM + _PL_ADJ_PLURAL) and (not low.endswith("ie") or low.endswith("kie"))


def _pl_word(w: str, in_phrase: bool = False) -> list[set[str]] | None:
    """Six case forms (nom, gen, dat, acc, inst, loc) of one Polish word, or None if no paradigm fits;
    adjective paradigms only for a word of a several-word name ('Polska' alone is a noun)."""
    low = w.lower()
    if len(w) < 3 or not w.isalpha():
        return None
    if in_phrase and low.endswith(_PL_ADJ_FEM):  # Wielka, Południowa, Rosyjska
        s = w[:-1]
        ej = s + ("iej" if s.lower().endswith(("k", "g")) else "ej")
        return [{w}, {ej}, {ej}, {s + "ą"}, {s + "ą"}, {ej}]
    if in_phrase and _pl_adjective(w) and not low.endswith(_PL_ADJ_FEM):  # Zjednoczone, Arabskie
        s = w[:-2] if low.endswith("ie") else w[:-1]
        i = "i" if s.lower().endswith(("k", "g")) else "y"
        return [{w}, {s + i + "ch"}, {s + i + "m"}, {w}, {s + i + "mi"}, {s + i + "ch"}]
    if low.endswith(("ia", "ja", "ea")):  # Francja, Brazylia, Korea
        s = w[:-1]
        return [{w}, {s + "i"}, {s + "i"}, {s + "ę"}, {s + "ą"}, {s + "i"}]
    if low.endswith("a"):  # Polska, Ukraina, Kanada, Litwa
        s = w[:-1]
        soft = s.lower().endswith(_PL_SOFT)
        gen = s + ("i" if soft or s.lower().endswith(("k", "g")) else "y")
        loc = s + "i" if soft else _pl_loc(s)
        return [{w}, {gen}, {loc}, {s + "ę"}, {s + "ą"}, {loc}]
    if low.endswith("ie"):  # Indie -> Indii, Indiom, Indiach
        s = w[:-1]
        return [{w}, {s + "i"}, {s + "om"}, {w}, {s + "ami"}, {s + "ach"}]
    if low.endswith(("y", "i")) and len(w) >= 5:  # Chiny, Czechy, Stany, Filipiny
        s = w[:-1]
        return [{w}, {s, s + "ów"}, {s + "om"}, {w}, {s + "ami"}, {s + "ach"}]
    if low.endswith("o"):  # Kosowo, Maroko
        s = w[:-1]
        return [{w}, {s + "a"}, {s + "u"}, {w}, {s + "em"}, {_pl_loc(s), s + "u"}]
    if re.search(r"[bcćdfghjklłmnńprsśtwzźż]$", low):  # Iran, Egipt, Izrael, Irak, Katar
        inst = w + ("iem" if low.endswith(("k", "g")) else "em")
        return [{w}, {w + "u", w + "a"}, {w + "owi"}, {w}, {inst}, {_pl_loc(w), w + "u"}]
    return None


_UK_VOWELS = "аеєиіїоуюя"
_UK_ADJ_FEM = ("ська", "цька", "зька", "нна", "ічна", "ична", "жна")


def _uk_word(w: str, attributive: bool = False, in_phrase: bool = False) -> list[set[str]] | None:
    """Six case forms of one Ukrainian word (name nouns and the adjectives of several-word names:
    `attributive` for a word before another one), or None."""
    low = w.lower()
    if len(w) < 3 or not re.fullmatch(r"[а-щьюяєіїґ'’ʼ-]+", low):
        return None
    if (in_phrase and low.endswith(_UK_ADJ_FEM)) or (attributive and low.endswith("а")):  # Південна, Велика
        s = w[:-1]
        return [{w}, {s + "ої"}, {s + "ій"}, {s + "у"}, {s + "ою"}, {s + "ій"}]
    if attributive and low.endswith("і"):  # Сполучені, Об’єднані
        s = w[:-1]
        return [{w}, {s + "их"}, {s + "им"}, {w}, {s + "ими"}, {s + "их"}]
    if low.endswith("я"):  # Росія, Франція, Корея
        s = w[:-1]
        return [{w}, {s + "ї"}, {s + "ї"}, {s + "ю"}, {s + "єю"}, {s + "ї"}]
    if low.endswith("а"):  # Україна, Польща, Туреччина
        s = w[:-1]
        return [{w}, {s + "и", s + "і"}, {s + "і"}, {s + "у"}, {s + "ою", s + "ею"}, {s + "і"}]
    if low.endswith(("и", "і")) and len(w) >= 5:  # Штати, Філіппіни, Нідерланди
        s = w[:-1]
        return [{w}, {s, s + "ів"}, {s + "ам"}, {w}, {s + "ами"}, {s + "ах"}]
    if low.endswith("й"):  # Китай
        s = w[:-1]
        return [{w}, {s + "ю", s + "я"}, {s + "ю", s + "єві"}, {w}, {s + "єм"}, {s + "ї"}]
    if low.endswith("ь"):  # Ізраїль
        s = w[:-1]
        return [{w}, {s + "ю", s + "я"}, {s + "ю", s + "еві"}, {w}, {s + "ем"}, {s + "і"}]
    if low[-1] not in _UK_VOWELS:  # Іран, Пакистан (vowel-dropping stems, Єгипет, are alt names)
        return [{w}, {w + "у", w + "а"}, {w + "у", w + "ові"}, {w}, {w + "ом"}, {w + "і", w + "у"}]
    return None


@lru_cache(maxsize=None)
def name_forms(text: str, lang: str) -> tuple[str, ...]:
    """The case forms of a state name (nominative first); the name alone for undeclined languages."""
    words = text.split()
    if lang not in ("pl", "uk") or not words or len(words) > 4:
        return (text,)
    multi = len(words) > 1
    if lang == "uk":
        tables = [_uk_word(w, i < len(words) - 1, multi) for i, w in enumerate(words)]
    else:  # the head noun and its adjectives decline; a noun after the head ('Republika Korei') is fixed
        tables, head = [], False
        for w in words:
            adjective = multi and _pl_adjective(w)
            tables.append(_pl_word(w, multi) if adjective or not head else None)
            head = head or not adjective
    out = dict.fromkeys([text])
    for case in range(6):
        variants = [[w] if t is None else sorted(t[case]) for w, t in zip(words, tables)]
        combos = [""]
        for vs in variants:
            combos = [f"{c} {v}".strip() for c in combos for v in vs]
        out.update(dict.fromkeys(combos))
    return tuple(out)


_PL_ADJ_I = ("i", "iego", "iemu", "im", "ich", "imi", "a", "iej", "ą", "ie")
_PL_ADJ_Y = ("y", "ego", "emu", "ym", "ych", "ymi", "a", "ej", "ą", "e")
_PL_PERSONAL = (("ski", "scy"), ("cki", "ccy"), ("dzki", "dzcy"), ("ny", "ni"), ("wy", "wi"))
_UK_ADJ = ("ий", "ого", "ому", "им", "ім", "а", "ої", "ій", "у", "ою", "е", "і", "их", "ими")


@lru_cache(maxsize=None)
def adjective_forms(text: str, lang: str) -> tuple[str, ...]:
    """Every gender, number and case of a state adjective ('polski' -> 'polskiej', 'polscy' ...)."""
    low = text.lower()
    if " " in text.strip():
        return (text,)
    out = dict.fromkeys([text])
    if lang == "pl" and low.endswith(("i", "y")):
        stem = text[:-1]
        out.update(dict.fromkeys(stem + e for e in (_PL_ADJ_I if low.endswith("i") else _PL_ADJ_Y)))
        for end, personal in _PL_PERSONAL:
            if low.endswith(end):
                out[text[: -len(end)] + personal] = None
    elif lang == "uk" and low.endswith("ий"):
        stem = text[:-2]
        out.update(dict.fromkeys(stem + e for e in _UK_ADJ))
    elif lang == "pt":
        for end, forms in _PT_ADJ:
            if low.endswith(end):
                out.update(dict.fromkeys(text[: len(text) - len(end)] + f for f in forms))
                break
    return tuple(out)


#: Portuguese adjective endings -> gender and number forms (first match wins)
_PT_ADJ = (("ês", ("ês", "esa", "eses", "esas")), ("ão", ("ão", "ã", "ães", "ãos", "ãs")),
           ("ol", ("ol", "ola", "óis", "olas")), ("o", ("o", "a", "os", "as")),
           ("e", ("e", "es")), ("a", ("a", "as")), ("i", ("i", "is")), ("", ("s",)))
