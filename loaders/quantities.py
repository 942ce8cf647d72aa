"""Numbers in text: digits ('5,000', '2 475'), number words (text2num for fr/en/es/de/it/pt, the
`number_words.csv` table for other languages), dozens, and the count standing before an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from armskb.loaders.cues import cues
from armskb.loaders.datewords import month_value
from armskb.loaders.lexicon import fold_keep
from armskb.reference import rows as reference_rows

_T2N_LANGS = {"fr", "en", "es", "de", "it", "pt"}
#: a multiplier or currency word right after a number makes it money ('15 billion', '300 млн')
_MONEY_AFTER = re.compile(
    r"[\s\u00a0-]*(?:billions?|millions?|trillions?|bn|mn|mln|mld|mlrd|mrd|mio|mds?|milliards?|"
    r"millones|milhões|milhoes|bilhões|bilhoes|miliard\w*|milion\w*|mil\s+millones|"
    r"millionen|milliarden|миллион\w*|миллиард\w*|млн|млрд|трлн|тыс|мільйон\w*|мільярд\w*|"
    r"crores?|lakhs?|bilyon|milyon|euros?|dollars?|dólar\w*|reais|złotych|zł|zlotych|"
    r"рубл\w*|гривень|гривн\w*|usd|eur|pesos?)(?![\w])",
    re.I,
)
#: a currency sign or code right before a number ('$2.5', 'US$ 300', '€300', 'Rs 50', 'PHP 10')
_MONEY_BEFORE = re.compile(r"(?:[$€£¥₹₽₱₴₩]|\b(?:US|USD|EUR|GBP|PHP|Rs|INR|RUB|UAH|PLN|R|zł|CHF|SEK)\$?\.?)\s*$")


def money_after(text: str, end: int) -> bool:
    """True when a multiplier or currency word follows offset `end` ('… billion', '… млн')."""
    return _MONEY_AFTER.match(text, end, end + 24) is not None


def money_before(text: str, start: int) -> bool:
    """True when a currency sign or code directly precedes offset `start` ('$', 'US$ ', 'PHP ')."""
    return _MONEY_BEFORE.search(text[max(0, start - 6) : start]) is not None

#: words after a number that make it a measure, not a count of items
_UNIT = re.compile(
    r"^\s*(?:%|mm\b|cm\b|km|kms\b|(?-i:m|t)(?![\w-])|ton|tonn|kg|hp\b|ch\b|mph|knot|noeud|nœud|"
    r"million|milliard|billion|bilh|mil\b|millones|milliarden|millionen|миллиард|миллион|тыс|"
    r"crore|lakh|bilyon|milyon|euros?\b|dollars?\b|dólar|usd\b|\$|€|year|ans?\b|años|anos\b|jahre|лет|год|anni|"
    r"lat\b|lata\b|rok\b|років|роки|рік\b|dias\b|dni\b|днів|дні\b|horas\b|godzin|годин|metros\b|metrów|"
    r"метр|тонн|toneladas|"
    r"days?|jours?|hours?|heures?|minutes?|metres?|mètres?|meters?|pieds?|feet|obus|rang|e(?![\w-])|th\b|st\b|nd\b|rd\b)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in the text, with its offsets and whether it is approximate."""

    start: int
    end: int
    value: int
    approx: bool = False


@cache
def _word_table(lang: str | None) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for r in reference_rows("number_words.csv"):
        if r.get("lang") == lang:
            try:
                out[fold_keep(r["text"])] = (r["kind"], int(r["value"]))
            except (KeyError, ValueError):
                continue
    return out


def word_value(word: str, lang: str | None) -> int | None:
    """Integer value of a number word in a language, else None."""
    w = fold_keep(word.strip())
    if not w or not w.replace("-", "").replace("'", "").isalpha():
        return None
    row = _word_table(lang).get(w)
    if row and row[0] in ("number", "dozen"):
        return row[1]
    if lang in _T2N_LANGS:
        try:
            from text_to_num import text2num

            v = text2num(word.lower(), lang)
            return int(v) if v is not None and v > 0 else None
        except (ValueError, TypeError, IndexError, KeyError):
            return None
    return None


_DIGITS = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+|\d+)(?![\w]|[.,]\d|-\w)")
_WORD = re.compile(r"(?<![\w-])([^\W\d_]+(?:['’ʼ-][^\W\d_]+)?)(?![\w])")


def numbers(text: str, lang: str | None, start: int = 0, end: int | None = None) -> list[Number]:
    """Counts in text[start:end]: digits and number words, not years, measures or prices."""
    end = len(text) if end is None else end
    out: list[Number] = []
    for m in _DIGITS.finditer(text, start, end):
        raw = m.group(1)
        val = int(re.sub(r"\D", "", raw))
        after = text[m.end() : m.end() + 14]
        if _UNIT.match(after) or money_before(text, m.start()) or money_after(text, m.end()):
            continue
        if len(raw) == 4 and 1900 <= val <= 2100:
            continue
        nxt = re.match(r"\s*(?:er|st|nd|rd|th)?\s*([^\W\d_]+)", text[m.end() : m.end() + 20])
        if nxt and val <= 31 and _is_month(nxt.group(1), lang):
            continue  # a day of a date ("30 mars 2022")
        out.append(Number(m.start(), m.end(), val))
    words: list[Number] = []
    for m in _WORD.finditer(text, start, end):
        got = _word_number(m.group(1), lang)
        prev = words[-1] if words else None
        if got is None:
            mult = word_value(m.group(1), lang) if m.group(1)[:1].isalpha() else None
            if mult in _MULTIPLIERS and prev is not None and prev.value < 1000 and _JOIN.fullmatch(text, prev.end, m.start()):
                words[-1] = Number(prev.start, m.end(), prev.value * mult, prev.approx)  # 'dos mil'
            continue
        if prev is not None and _JOIN.fullmatch(text, prev.end, m.start()) and _compound(prev.value, got[0]):
            words[-1] = Number(prev.start, m.end(), prev.value + got[0], prev.approx)  # 'dwadzieścia cztery'
            continue
        words.append(Number(m.start(), m.end(), got[0], approx=got[1]))
    for n in words:
        if not (_UNIT.match(text[n.end : n.end + 14]) or money_after(text, n.end)):
            out.append(n)
    out.sort(key=lambda n: n.start)
    return out


_MULTIPLIERS = {1000, 10_000, 100_000}
#: what stands between the words of one written number ('trinta e seis', 'treinta y seis')
_JOIN = re.compile(r"\s+(?:(?:e|y|и|і|та)\s+)?")


def _compound(tens: int, unit: int) -> bool:
    """'twenty' + 'four', 'двісті' + 'п'ятдесят': the second number fills the zeros of the first
    (written as two words in pl, uk, ru, pt 'vinte e', …)."""
    if tens < 20 or unit < 1:
        return False
    place = 1
    while tens % (place * 10) == 0:
        place *= 10
    return place > 1 and unit < place


@lru_cache(maxsize=16384)
def _word_number(w: str, lang: str | None) -> tuple[int, bool] | None:
    """A word's count value and approx flag, or None (a pure function of the word: cached)."""
    if len(w) < 2 and fold_keep(w) not in _word_table(lang):
        return None
    row = _word_table(lang).get(fold_keep(w))
    if row and row[0] == "one" and fold_keep(w) != "one":
        return None  # an indefinite article is a count only right before the item (one_article)
    if cues(lang, "vague").find(fold_keep(w)):
        return None  # "hundreds of weapons": vague, no count (approx is set by the caller)
    v = word_value(w, lang)
    if v is None or v >= 1_000_000 or (v >= 1000 and v in _MULTIPLIERS):
        return None  # 'mil', 'tausend' alone: a multiplier or 'thousands of', not a count
    return v, bool(row and row[0] == "dozen")


def _is_month(word: str, lang: str | None) -> bool:
    return month_value(fold_keep(word), lang) is not None


def one_article(text: str, lang: str | None, pos: int, more: bool = True) -> bool:
    """True when an indefinite article meaning 'one unit' directly precedes offset `pos`, or
    precedes it with one 'more' word between ('eine weitere Fregatte', 'another frigate')."""
    base = max(0, pos - 12)
    m = re.search(r"(\w+)\s+$", text[base:pos])
    if not m:
        return False
    w = fold_keep(m.group(1))
    row = _word_table(lang).get(w)
    if row and row[0] == "one":
        return True
    if more and cues(lang, "more").find(w) and w not in ("more", "mas"):  # 'more frigates' is plural
        return w == "another" or one_article(text, lang, base + m.start(), more=False)
    return False


def ordinal_unit(text: str, folded: str, lang: str | None, lo: int, pos: int) -> bool:
    """'la deuxième unité du programme de navires OPV 58', 'the second vessel': an ordinal (first,
    second, …, last) right before a singular unit noun (`cues.csv` kind `unit`) in the clause before
    the item counts one unit."""
    for h in cues(lang, "unit").find(folded, lo, pos):
        if h.end < len(folded) and folded[h.end : h.end + 1] == "s" and lang in ("en", "fr", "es"):
            continue
        m = re.search(r"(\w+)\s+$", text[max(lo, h.start - 16) : h.start])
        if not m or len(text[h.end : pos].split()) > 6:
            continue
        row = _word_table(lang).get(fold_keep(m.group(1)))
        if row and row[0] in ("first", "ordinal"):
            return True
    return False


def part_of_whole(folded: str, lang: str | None, lo: int, num_start: int) -> bool:
    """'un premier lot des 36 canons', 'the first batch of the 44 tanks': a unit noun (lot, batch)
    and a definite partitive right before the number: the number counts the whole deal, not this part."""
    for h in cues(lang, "partof").find(folded, max(lo, num_start - 12), num_start):
        if folded[h.end : num_start].strip():
            continue
        for u in cues(lang, "batch").find(folded, max(lo, h.start - 14), h.start):
            if not folded[u.end : h.start].strip():
                return True
    return False


def approx_before(text: str, folded: str, lang: str | None, pos: int, window: int = 30) -> bool:
    """True when an approximation cue ('about', 'plus de', 'больше') ends just before `pos`."""
    a = max(0, pos - window)
    for h in cues(lang, "approx").find(folded, a, pos):
        if not folded[h.end : pos].strip(" ,") or len(folded[h.end : pos].split()) <= 1:
            return True
    return False


def first_one(text: str, lang: str | None, start: int, end: int) -> bool:
    """'the first VT5 tank', 'le premier Rafale': a singular ordinal 'first' right before the item
    (text[start:end]) counts one unit; not when a plural noun follows ('the first VT5 tanks')."""
    m = re.search(r"(\w+)\s+$", text[max(0, start - 14) : start])
    if not m:
        return False
    row = _word_table(lang).get(fold_keep(m.group(1)))
    if not (row and row[0] == "first"):
        return False
    nxt = re.match(r"\s+(\w+)", text[end : end + 30])
    return not (nxt and lang in ("en", "fr", "es") and len(nxt.group(1)) > 3 and nxt.group(1).lower().endswith("s"))
