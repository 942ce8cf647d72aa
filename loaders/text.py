"""Sentence segmentation with character offsets, robust to the run-together copies of real pages.

`sentences(text)` returns `Span`s whose `start`/`end` slice `text` exactly (`text[s.start:s.end] ==
s.text`). Boundaries: line breaks, except a hard break inside a sentence (wrapped text: the next
line goes on in lower case, or the line ends in a comma — the sentence then spans the break),
sentence punctuation followed by a space or by a capital letter
glued to it ("en Europe.Il s'est refusé"), closing quotes after the punctuation. Not boundaries:
abbreviations ("M.", "Dr.", "U.S.", "No.", "Dec."), decimals and dotted dates ("1.5",
"11.10.2021"), initials ("T. N. Kaul"), ellipses inside a sentence followed by lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: lower-cased abbreviations (without the final dot) that do not end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    m mm mme mlle dr prof gen gén lt col capt cmdr cdr adm sgt maj mr mrs ms st ste sr jr
    no nr nos vs etc cf fig ca approx inc ltd corp co jan feb mar apr jun jul aug sep sept oct
    nov dec janv févr avr juil déc u.s u.k u.n e.g i.e p.s a.m p.m dept govt sen rep gov
    art bd av ave réf vol pp env resp st-
    """.split()
)

_CAP = r"A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
_BOUNDARY = re.compile(
    rf"""
    (?P<punct>[.!?…]+|[。！？])            # sentence punctuation
    (?P<close>["'»”’)\]]*)                 # closing quotes/brackets that belong to the sentence
    (?=(?P<gap>\s+|(?=["«“‘(\[]?[{_CAP}]))) # followed by space, or glued to a capital
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of text with its offsets in the document."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at `dot` ends an abbreviation, an initial or a number."""
    j = dot
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".-"):
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    low = word.lower().strip(".")
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # initial: "T. N. Kaul", "M. Vulin"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word):  # U.S, e.g
        return True
    nxt = text[dot + 1 : dot + 2]
    if word[-1:].isdigit() and nxt.isdigit():  # 1.5, 11.10.2021
        return True
    return False


def _boundaries(text: str) -> list[int]:
    """Offsets at which a new sentence starts (excluding 0)."""
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        punct = m.group("punct")
        end = m.end("close")
        gap = m.group("gap") or ""
        if end >= len(text):
            continue
        if punct == "." and _is_abbreviation(text, m.start("punct")):
            continue
        nxt_i = end + len(gap)
        nxt = text[nxt_i : nxt_i + 1]
        if not gap:
            # glued: only split before a capital followed by a lower-case letter (a word, not "U.S.")
            after = text[nxt_i : nxt_i + 3]
            if not re.match(rf"[\"«“‘(\[]?[{_CAP}][a-zà-ÿа-яё]", after):
                continue
        elif nxt and (nxt.islower() or nxt.isdigit() and punct in ("…", "...")):
            continue
        cuts.append(nxt_i)
    return cuts


_LINE = re.compile(r"[^\n]+")
#: a line that does not end a sentence: ends in a comma, a hyphen or an opening bracket/quote ...
_OPEN_END = re.compile(r"[,(\[«“‘-]\s*$")
#: ... or is followed by a line going on in lower case ('Si tratta del\nsecondo invio')
_LOWER_START = re.compile(r"\s*[a-zà-öø-ÿа-яёіїєґ]")
_FINAL = re.compile(r"[.!?…:;。！？]['\"»”’)\]]*\s*$")


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines that form one piece of prose: a single line break joins two lines when the
    first does not end a sentence and the second goes on (see `_OPEN_END`, `_LOWER_START`)."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        ls, le = line.start(), line.end()
        if out and out[-1][1] + 1 == ls:  # a single line break between the two lines
            prev = text[out[-1][0] : out[-1][1]]
            if prev.strip() and not _FINAL.search(prev) and (
                _OPEN_END.search(prev) or _LOWER_START.match(text, ls)
            ):
                out[-1] = (out[-1][0], le)
                continue
        out.append((ls, le))
    return out


def sentences(text: str, max_len: int = 2000) -> list[Span]:
    """Split `text` into sentences (and lines); offsets slice `text` exactly; blanks dropped."""
    out: list[Span] = []
    for ls, le in _blocks(text):
        chunk = text[ls:le]
        starts = [0] + [c for c in _boundaries(chunk)] + [len(chunk)]
        for a, b in zip(starts, starts[1:]):
            while b - a > max_len:  # no punctuation at all: cut at a space
                cut = chunk.rfind(" ", a, a + max_len)
                cut = cut if cut > a else a + max_len
                _add(out, text, ls + a, ls + cut)
                a = cut
            _add(out, text, ls + a, ls + b)
    return out


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end, text[start:end]))
