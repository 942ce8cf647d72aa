"""The date words table (`ontology/reference/date_words.csv`) as phrase sets, and month lookup.

Kept apart from `dates` so that `quantities` (which must not read the day of a date as a count)
and `dates` (which reads 'three years ago' with `quantities.word_value`) share it without an
import cycle.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from armskb.loaders.lexicon import PhraseSet, fold_keep
from armskb.reference import rows as reference_rows


def _phrase(text: str) -> str:
    """A table entry as a phrase: 'январ*' keeps its trailing wildcard; 'vor * jahren' (a number
    slot, see `ago_patterns`) and '* anni fa' drop it."""
    star = "*" in text and not text.startswith("*") and " * " not in text
    return text.replace("*", "") + ("*" if star else "")


@cache
def date_words(lang: str | None) -> dict[str, PhraseSet]:
    """Phrase sets by kind (month, weekday, relative, last, last_week) for a language plus English."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for r in reference_rows("date_words.csv"):
        if r.get("lang") in (lang, "en") or lang is None:
            kinds.setdefault(r["kind"], []).append((_phrase(r["text"]), r.get("value") or ""))
    return {k: PhraseSet(v) for k, v in kinds.items()}


@lru_cache(maxsize=8192)
def month_value(folded_word: str, lang: str | None) -> int | None:
    """Month number of a (folded) month word of the language, else None."""
    ps = date_words(lang).get("month")
    if not ps:
        return None
    hits = ps.find(folded_word)
    if hits and hits[0].start == 0 and hits[0].end == len(folded_word):
        return int(hits[0].value)
    return None


@cache
def ago_patterns(lang: str | None) -> list[tuple[re.Pattern[str], str]]:
    """'N years ago' phrases of the language and English (kind `ago`: '* лет назад', 'há * anos';
    '*' is the number), as regexes over folded text with the number in group 1, and their unit."""
    out: list[tuple[re.Pattern[str], str]] = []
    for r in reference_rows("date_words.csv"):
        if r.get("kind") != "ago" or r.get("lang") not in (lang, "en"):
            continue
        text = fold_keep(r["text"].strip())
        if "*" not in text:
            text = "* " + text
        body = r"\s+".join(r"(\w[\w']*)" if w == "*" else re.escape(w) for w in text.split())
        out.append((re.compile(rf"(?<![\w]){body}(?!\w)"), r.get("value") or "year"))
    return out
