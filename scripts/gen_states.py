#!/usr/bin/env python3
"""Generate ontology/reference/states.csv and state_names.csv from pycountry.

Deterministic: same pycountry version -> byte-identical files (rows sorted).

    python scripts/gen_states.py [--out ontology/reference]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import io
from collections import defaultdict
from pathlib import Path

import pycountry

LANGS = ["en", "fr", "es", "de", "ru", "it", "pt", "tl", "pl", "uk"]
REQUIRED = ["en", "fr", "es", "de", "ru"]
HISTORICAL = ["SUN", "YUG", "SCG", "CSK", "DDR"]

# Usual labels of historical states: the first entry per language is kind `name`, the rest `alt`.
HIST_LABELS: dict[str, dict[str, list[str]]] = {
    "SUN": {
        "en": ["Soviet Union", "USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
        "fr": ["Union soviétique", "URSS", "Union des républiques socialistes soviétiques"],
        "es": ["Unión Soviética", "URSS", "Unión de Repúblicas Socialistas Soviéticas"],
        "de": ["Sowjetunion", "UdSSR", "Union der Sozialistischen Sowjetrepubliken"],
        "ru": ["Советский Союз", "СССР", "Союз Советских Социалистических Республик"],
        "it": ["Unione Sovietica", "URSS", "Unione delle Repubbliche Socialiste Sovietiche"],
        "pt": ["União Soviética", "URSS"],
        "tl": ["Unyong Sobyet"],
        "pl": ["Związek Radziecki", "ZSRR", "Związek Sowiecki", "Związek Socjalistycznych Republik Radzieckich"],
        "uk": ["Радянський Союз", "СРСР", "Союз Радянських Соціалістичних Республік"],
    },
    "YUG": {
        "en": ["Yugoslavia", "SFR Yugoslavia", "Socialist Federal Republic of Yugoslavia",
               "Federal Republic of Yugoslavia"],
        "fr": ["Yougoslavie", "République fédérative socialiste de Yougoslavie"],
        "es": ["Yugoslavia", "República Federativa Socialista de Yugoslavia"],
        "de": ["Jugoslawien", "Sozialistische Föderative Republik Jugoslawien"],
        "ru": ["Югославия", "СФРЮ", "Социалистическая Федеративная Республика Югославия"],
        "it": ["Jugoslavia", "Iugoslavia"],
        "pt": ["Iugoslávia", "Jugoslávia"],
        "tl": ["Yugoslavia"],
        "pl": ["Jugosławia", "Socjalistyczna Federacyjna Republika Jugosławii"],
        "uk": ["Югославія", "СФРЮ"],
    },
    "SCG": {
        "en": ["Serbia and Montenegro"],
        "fr": ["Serbie-et-Monténégro", "Serbie et Monténégro"],
        "es": ["Serbia y Montenegro"],
        "de": ["Serbien und Montenegro"],
        "ru": ["Сербия и Черногория"],
        "it": ["Serbia e Montenegro"],
        "pt": ["Sérvia e Montenegro"],
        "tl": ["Serbiya at Montenegro"],
        "pl": ["Serbia i Czarnogóra"],
        "uk": ["Сербія і Чорногорія"],
    },
    "CSK": {
        "en": ["Czechoslovakia", "Czechoslovak Socialist Republic"],
        "fr": ["Tchécoslovaquie"],
        "es": ["Checoslovaquia"],
        "de": ["Tschechoslowakei"],
        "ru": ["Чехословакия", "ЧССР"],
        "it": ["Cecoslovacchia"],
        "pt": ["Checoslováquia", "Tchecoslováquia"],
        "tl": ["Tsekoslobakya"],
        "pl": ["Czechosłowacja", "CSRS"],
        "uk": ["Чехословаччина", "ЧССР"],
    },
    "DDR": {
        "en": ["East Germany", "German Democratic Republic", "GDR"],
        "fr": ["Allemagne de l'Est", "RDA", "République démocratique allemande"],
        "es": ["Alemania Oriental", "RDA", "República Democrática Alemana", "Alemania del Este"],
        "de": ["DDR", "Deutsche Demokratische Republik", "Ostdeutschland"],
        "ru": ["ГДР", "Германская Демократическая Республика", "Восточная Германия"],
        "it": ["Germania Est", "RDT", "Repubblica Democratica Tedesca"],
        "pt": ["Alemanha Oriental", "RDA"],
        "tl": ["Silangang Alemanya"],
        "pl": ["Niemiecka Republika Demokratyczna", "NRD", "Niemcy Wschodnie"],
        "uk": ["Німецька Демократична Республіка", "НДР", "Східна Німеччина"],
    },
}

# Partially recognised states absent from ISO 3166-1 but present in arms registers.
EXTRA_STATES = [
    # code, alpha2, numeric, name_en, labels per language
    ("XKX", "XK", "", "Kosovo", {"en": "Kosovo", "fr": "Kosovo", "es": "Kosovo", "de": "Kosovo",
                                  "ru": "Косово", "it": "Kosovo", "pt": "Kosovo", "tl": "Kosovo",
                                  "pl": "Kosowo", "uk": "Косово"}),
]


def _translators(domain: str) -> dict[str, gettext.NullTranslations | None]:
    out: dict[str, gettext.NullTranslations | None] = {}
    for lang in LANGS:
        if lang == "en":
            out[lang] = None
            continue
        try:
            out[lang] = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            out[lang] = None
    return out


def _tr(t: gettext.NullTranslations | None, msgid: str) -> str | None:
    """The translation if the catalogue really has one (not the msgid fallback)."""
    if t is None:
        return None
    cat = getattr(t, "_catalog", {})
    val = cat.get(msgid)
    return val or None


def build() -> tuple[list[list[str]], list[list[str]]]:
    states: list[list[str]] = []
    names: set[tuple[str, str, str, str]] = set()
    tr1 = _translators("iso3166-1")
    tr3 = _translators("iso3166-3")

    def add(code: str, lang: str, kind: str, text: str | None) -> None:
        if text and text.strip():
            names.add((code, lang, kind, " ".join(text.split())))

    for c in pycountry.countries:
        states.append([c.alpha_3, c.alpha_2, c.numeric, c.name, "0"])
        add(c.alpha_3, "en", "name", c.name)
        for attr in ("common_name", "official_name"):
            add(c.alpha_3, "en", "alt", getattr(c, attr, None))
        for lang in LANGS[1:]:
            t = tr1[lang]
            add(c.alpha_3, lang, "name", _tr(t, c.name))
            for attr in ("common_name", "official_name"):
                v = getattr(c, attr, None)
                if v:
                    add(c.alpha_3, lang, "alt", _tr(t, v))
        # required languages without translation: the English name (names often coincide)
        for lang in REQUIRED:
            if not any(n[0] == c.alpha_3 and n[1] == lang and n[2] == "name" for n in names):
                add(c.alpha_3, lang, "name", c.name)

    hist = {h.alpha_3: h for h in pycountry.historic_countries}
    for code in HISTORICAL:
        h = hist.get(code)
        labels = HIST_LABELS[code]
        name_en = labels["en"][0]
        states.append([code, getattr(h, "alpha_2", "") if h else "",
                       getattr(h, "numeric", "") if h else "", name_en, "1"])
        for lang, texts in labels.items():
            add(code, lang, "name", texts[0])
            for t in texts[1:]:
                add(code, lang, "alt", t)
        if h is not None:
            add(code, "en", "alt", h.name)
            for lang in LANGS[1:]:
                add(code, lang, "alt", _tr(tr3[lang], h.name))

    for code, a2, num, name_en, labels in EXTRA_STATES:
        states.append([code, a2, num, name_en, "0"])
        for lang, text in labels.items():
            add(code, lang, "name", text)

    # "Russie, Fédération de" -> also "Russie", when that short form is unambiguous.
    by_text: dict[str, set[str]] = defaultdict(set)
    for code, lang, kind, text in names:
        by_text[text.casefold()].add(code)
    heads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, lang, kind, text in list(names):
        if ", " in text:
            heads[(lang, text.split(", ")[0])].add(code)
    all_heads: dict[str, set[str]] = defaultdict(set)
    for (lang, head), codes in heads.items():
        all_heads[head.casefold()] |= codes
    for (lang, head), codes in heads.items():
        if len(codes) == 1 and len(all_heads[head.casefold()]) == 1:
            code = next(iter(codes))
            if by_text.get(head.casefold(), {code}) <= {code}:
                add(code, lang, "alt", head)

    # an alt identical to a name of the same code and language is noise
    name_keys = {(c, l, t) for c, l, k, t in names if k == "name"}
    rows = sorted(n for n in names if n[2] == "name" or (n[0], n[1], n[3]) not in name_keys)
    return sorted(states), [list(r) for r in rows]


def _write(path: Path, header: list[str], rows: list[list[str]], comment: str) -> None:
    buf = io.StringIO()
    buf.write(comment)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parents[1] / "ontology" / "reference")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    states, names = build()
    note = ("# Generated by scripts/gen_states.py from pycountry (ISO 3166-1 / ISO 3166-3, "
            "iso-codes translations); do not edit by hand.\n")
    _write(args.out / "states.csv", ["code", "alpha2", "numeric", "name_en", "historical"],
           states, note)
    _write(args.out / "state_names.csv", ["code", "lang", "kind", "text"], names, note)
    print(f"states: {len(states)}  names: {len(names)}")


if __name__ == "__main__":
    main()
