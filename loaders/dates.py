"""Dates in a sentence, resolved against the publication date, at the precision the text gives.

Explicit dates ('18 avril 2022', 'April 23, 2020', 'в 2018 году', 'en novembre 2019'), years,
relative phrases ('last year', "l'an dernier", 'в этом году', 'im nächsten Jahr', "d'ici à la fin
de l'année"), 'N years ago', weekdays ('on Friday', 'mardi dernier', 'el miércoles de la semana
pasada') and '<month> dernier/last'. Words come from `ontology/reference/date_words.csv`;
dateparser validates explicit candidates the table does not know.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from armskb.loaders.datewords import ago_patterns, date_words, month_value
from armskb.loaders.lexicon import PhraseSet, fold_keep
from armskb.loaders.quantities import word_value
from armskb.models import PartialDate
from armskb.reference import rows as reference_rows


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: offsets, resolved date, and whether it lies after the publication."""

    start: int
    end: int
    date: PartialDate
    relative: bool = False
    future: bool = False


@cache
def _month_literals(lang: str | None) -> re.Pattern[str] | None:
    """Where a month word can start: a word beginning with one of the one-word month keys (a word
    that `_month_value` accepts begins with its key), so a segment without one has no month."""
    ps = date_words(lang).get("month")
    keys = sorted({k for k in (ps.values if ps else {}) if k and not any(c.isspace() for c in k)}, key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(?:%s)" % "|".join(re.escape(k) for k in keys)) if keys else None


def _mk(y: int, m: int | None = None, d: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year=y, month=m if m else None, day=d if m and d else None)
    except ValueError:
        return None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


_YEAR = r"((?:19|20)\d{2})"
_DAY = r"(\d{1,2})(?:er|st|nd|rd|th|\.|º)?"
_WORDRX = r"([^\W\d_]{3,}\.?)"
_RX_DMY = re.compile(rf"(?<!\d){_DAY}\s+(?:de\s+)?{_WORDRX}\s+(?:de\s+|del?\s+)?{_YEAR}")
_RX_MDY = re.compile(rf"(?<![^\W\d_]){_WORDRX}\s+{_DAY},?\s+{_YEAR}")
_RX_MY = re.compile(rf"(?<![^\W\d_]){_WORDRX}\s+(?:de\s+|del\s+)?{_YEAR}")
_RX_DM = re.compile(rf"(?<!\d){_DAY}\s+(?:de\s+)?{_WORDRX}")
_RX_MD = re.compile(rf"(?<![^\W\d_]){_WORDRX}\s+(\d{{1,2}})(?!\d|[.,]\d)")


@cache
def _rx_month_last() -> re.Pattern[str]:
    """A month word, optionally followed by a 'last' word of any language ('juin dernier', 'marzo
    scorso'; `date_words.csv` kind `last`)."""
    lasts = sorted({fold_keep(r["text"].strip()) for r in reference_rows("date_words.csv")
                    if r.get("kind") == "last" and r["text"].strip()}, key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in lasts) or "(?!)"
    return re.compile(rf"(?<![^\W\d_]){_WORDRX}(?:\s+({alt})(?!\w))?")
_RX_PREP = re.compile(r"(?<!\w)(?:en|in|im|au|a|de|em|no|w|we|в|у|во)\s+$")
_RX_YEAR = re.compile(rf"(?<![\d./-]){_YEAR}(?![\d./-]|\s*(?:%|km|mm))")
_RX_DIGIT = re.compile(r"\d")
_RX_WORD_DIGIT = re.compile(r"[^\W\d_]\.?\s+\d")  # every month-word-then-number pattern needs one
_RX_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})(?![\d.])")


def _month_words(seg: str, starts: list[int]) -> list[re.Match[str]]:
    """`_rx_month_last()` matches at the words that can be months (what its `finditer` yields there:
    a word match never reaches into the next word, except 'dernier/last/…', which no month key begins)."""
    out: list[re.Match[str]] = []
    last = 0
    for p in starts:
        if p < last:
            continue
        m = _rx_month_last().match(seg, p)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


def find_dates(text: str, folded: str, lang: str | None, published: PartialDate | None,
               start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in text[start:end], resolved (relative ones need `published`)."""
    end = len(text) if end is None else end
    seg = folded[start:end]
    out: list[DateMention] = []
    used: list[tuple[int, int]] = []

    def add(a: int, b: int, d: PartialDate | None, rel: bool = False) -> None:
        if d is None or any(x < b and a < y for x, y in used):
            return
        fut = False
        if published is not None:
            fut = (d.year, d.month or 12) > (published.year, published.month or 12) if d.month else d.year > published.year
        used.append((a, b))
        out.append(DateMention(start + a, start + b, d, rel, fut))

    mrx = _month_literals(lang)
    month_starts = [m.start() for m in mrx.finditer(seg)] if mrx is not None else []
    months = bool(month_starts)
    has_digit = _RX_DIGIT.search(seg) is not None
    digits = months and has_digit
    word_digit = digits and _RX_WORD_DIGIT.search(seg) is not None
    # day month year / month day, year / month year
    for m in (_RX_DMY.finditer(seg) if digits else ()):
        mo = month_value(m.group(2).rstrip("."), lang)
        if mo:
            add(m.start(), m.end(), _mk(int(m.group(3)), mo, int(m.group(1))))
    for m in (_RX_MDY.finditer(seg) if word_digit else ()):
        mo = month_value(m.group(1).rstrip("."), lang)
        if mo:
            add(m.start(), m.end(), _mk(int(m.group(3)), mo, int(m.group(2))))
    for m in (_RX_MY.finditer(seg) if word_digit else ()):
        mo = month_value(m.group(1).rstrip("."), lang)
        if mo:
            add(m.start(), m.end(), _mk(int(m.group(2)), mo))
    # day month (no year): year from publication
    if published is not None:
        for m in (_RX_DM.finditer(seg) if digits else ()):
            mo = month_value(m.group(2).rstrip("."), lang)
            if mo:
                y = published.year if (published.month or 12) >= mo else published.year - 1
                add(m.start(), m.end(), _mk(y, mo, int(m.group(1))))
        for m in (_RX_MD.finditer(seg) if word_digit else ()):
            mo = month_value(m.group(1).rstrip("."), lang)
            if mo:
                y = published.year if (published.month or 12) >= mo else published.year + 1
                add(m.start(), m.end(), _mk(y, mo, int(m.group(2))))
    # relative phrases
    w = date_words(lang)
    if published is not None:
        py, pm, pd = published.year, published.month, published.day
        for h in w["relative"].find(seg) if "relative" in w else []:
            kind = h.value
            if kind == "year_end":
                d = _mk(py, 12)
            elif kind.startswith("year"):
                d = _mk(py + int(kind[4:]))
            elif kind.startswith("month"):
                d = _mk(*_shift_month(py, pm, int(kind[5:]))) if pm else _mk(py)
            elif kind == "year_end":
                d = _mk(py, 12)
            else:  # day+0
                d = published
            add(h.start, h.end, d, True)
        for rx, unit in ago_patterns(lang):
            for m in rx.finditer(seg):
                tok = m.group(1)
                n = int(tok) if tok.isdigit() else word_value(tok, lang)
                if not n or n >= 100:
                    continue
                if unit == "month" and pm:
                    add(m.start(), m.end(), _mk(*_shift_month(py, pm, -n)), True)
                else:
                    add(m.start(), m.end(), _mk(py - n), True)
        # "<month> dernier/last/pasado" and bare "en juin" without year
        for m in _month_words(seg, month_starts):
            mo = month_value(m.group(1).rstrip("."), lang)
            if mo and (m.group(2) or _RX_PREP.search(seg[max(0, m.start() - 6) : m.start()])):
                if pm is None:
                    add(m.start(), m.end(), _mk(py), True)
                else:
                    y = py if mo <= pm and not (m.group(2) and mo == pm) else py - 1
                    add(m.start(), m.end(), _mk(y, mo), True)
        # weekdays: the latest such day on or before the publication date
        for h in w["weekday"].find(seg) if "weekday" in w else []:
            wd = int(h.value)
            if any(not o.relative and 0 <= o.start - (start + h.end) <= 3 for o in out):
                continue  # 'le lundi 18 avril 2022': the weekday names the explicit date after it
            tail = seg[h.end : h.end + 30]
            lw = any(x.start <= 3 for x in w.get("last_week", PhraseSet([])).find(tail))
            if pd is None:
                if pm:
                    add(h.start, h.end, _mk(py, pm), True)
                continue
            base = dt.date(py, pm, pd)  # type: ignore[arg-type]
            back = (base.weekday() - wd) % 7
            day = base - dt.timedelta(days=back + (7 if lw else 0))
            add(h.start, h.end, _mk(day.year, day.month, day.day), True)
    # bare years ("in 2019", "en 2014", "в 2018 году")
    for m in (_RX_YEAR.finditer(seg) if has_digit else ()):
        add(m.start(), m.end(), _mk(int(m.group(1))))
    # dotted/slashed/ISO dates
    for m in (_RX_DOTTED.finditer(seg) if has_digit else ()):
        add(m.start(), m.end(), _mk(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    out.sort(key=lambda d: d.start)
    return out
