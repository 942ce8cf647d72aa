"""Find states, weapon systems and generic weapon nouns in a text, from the reference data files.

All lists come from `ontology/reference/` through `armskb.reference` (states, names, lexicon,
systems) and `generic_nouns.csv`; nothing is hard-coded here. Systems are matched with
Aho-Corasick on a folded, Cyrillic-transliterated copy of the text, hyphen/space-insensitively,
then extended over a glued variant suffix ("T-72" + "MS").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from armskb import reference
from armskb.loaders.lexicon import PhraseSet, translit_keep
from armskb.reference import rows as reference_rows

NAME_KINDS = ("name", "alt", "capital", "metonym")
ADJ_KINDS = ("adjective", "demonym")


@dataclass(frozen=True, slots=True)
class StateMention:
    """A state named in the text: kind is name/alt/capital/metonym/adjective/demonym."""

    start: int
    end: int
    code: str
    kind: str


@dataclass(frozen=True, slots=True)
class SystemMention:
    """A weapon system (named, with its gazetteer entry) or a generic noun (slug None)."""

    start: int
    end: int
    text: str
    slug: str | None
    canonical: str | None
    category: str | None
    origin: str | None = None
    manufacturer: str | None = None

    @property
    def generic(self) -> bool:
        return self.slug is None


_RU_ENDINGS = "аяеиоуыьй"


def _ru_forms(name: str) -> list[str]:
    """Declension-tolerant patterns for a Russian name: stem + any short ending."""
    if len(name) < 4 or " " in name or not re.search("[а-яё]", name.lower()):
        return [name]
    stem = name[:-1] if name[-1].lower() in _RU_ENDINGS else name
    if len(stem) < 4:
        return [name]
    return [name, stem + "*"]


@cache
def _state_sets(lang: str | None) -> tuple[PhraseSet, PhraseSet]:
    langs = {"en", lang or "en"}
    names: list[tuple[str, str]] = []
    adjs: list[tuple[str, str]] = []
    for n in reference.state_names():
        if n.lang not in langs and n.kind not in ("metonym",):
            continue
        if len(n.text.strip()) < 3 and n.kind != "capital":
            continue
        if n.kind in ADJ_KINDS:
            adjs.append((n.text, n.code))
        elif n.kind in NAME_KINDS:
            forms = _ru_forms(n.text) if n.lang == "ru" else [n.text]
            for f in forms:
                names.append((f, f"{n.code}|{n.kind}"))
    for code, st in reference.states().items():
        if not st.historical:
            names.append((st.name, f"{code}|name"))
    return PhraseSet(names), PhraseSet(adjs)


def state_adjectives(lang: str | None) -> PhraseSet:
    """Origin adjectives of states ('Russian', 'russes', 'китайский'), value = alpha-3 code."""
    return _state_sets(lang)[1]


def find_states(text: str, folded: str, lang: str | None, start: int = 0, end: int | None = None) -> list[StateMention]:
    """State names, capitals, metonyms and adjectives in text[start:end]."""
    names, adjs = _state_sets(lang)
    out: list[StateMention] = []
    taken: list[tuple[int, int]] = []
    for h in names.find(folded, start, end):
        code, kind = h.value.split("|", 1)
        hs = h.start
        if not text[hs].isupper():  # proper names start with a capital letter ('the Netherlands')
            art = re.match(r"(?:the|la|le|les|el|los|las|die|der|den|il|lo|l')\s*", folded[hs : h.end])
            if not art or art.end() >= h.end - hs or not text[hs + art.end()].isupper():
                continue
            hs += art.end()
        if kind in ("capital", "metonym") and _common_word(folded[h.start : h.end], lang):
            continue  # 'Lima' (Tagalog "five"), a capital spelled like a number word of the language
        out.append(StateMention(hs, h.end, code, kind))
        taken.append((hs, h.end))
    for h in adjs.find(folded, start, end):
        if any(a < h.end and h.start < b for a, b in taken):
            continue
        out.append(StateMention(h.start, h.end, h.value, "adjective"))
    out.sort(key=lambda m: m.start)
    return out


def _common_word(folded_word: str, lang: str | None) -> bool:
    """A capital or metonym that is also a number word of the document's language."""
    from armskb.loaders.quantities import word_value

    return " " not in folded_word and word_value(folded_word, lang) is not None


def _squeeze(s: str) -> str:
    return re.sub(r"[\s\-‐–.]+", "", translit_keep(s))


@cache
def _system_index() -> tuple[ahocorasick.Automaton | None, dict[str, reference.SystemRef]]:
    systems = reference.systems()
    auto = ahocorasick.Automaton()
    n = 0
    for slug, ref in systems.items():
        for form in {ref.designation, ref.family, *ref.aliases}:
            if not form or len(_squeeze(form)) < 2:
                continue
            if form == ref.family and form != ref.designation and form not in ref.aliases:
                continue
            key = _squeeze(form)
            prev = auto.get(key, None) if n else None
            # keep the more specific entry (designation equal to the form wins); among spellings of
            # one entry keep the most spaced one ('OPV 58' over 'OPV58') for the spacing check
            if prev is not None and prev[0] == slug and form.count(" ") > prev[2].count(" "):
                auto.add_word(key, (slug, len(key), form))
            elif prev is None or (systems[prev[0]].designation != form and ref.designation == form):
                auto.add_word(key, (slug, len(key), form))
                n += 1
    if not n:
        return None, systems
    auto.make_automaton()
    return auto, systems


_SQUEEZE = " \t\n-‐–.\u00a0"
_SQUEEZE_TABLE = {ord(c): None for c in _SQUEEZE}


def _squeezed_with_map(text: str) -> tuple[str, list[int]]:
    t = translit_keep(text)
    idx = [i for i, c in enumerate(t) if c not in _SQUEEZE]
    return t.translate(_SQUEEZE_TABLE), idx


_SQ_CACHE: list = [None, None]


def _squeezed_whole(text: str) -> tuple[str, list[int]]:
    """`_squeezed_with_map` of a whole text, kept for the last text seen (a document is searched
    sentence by sentence; the map is per character, so a sentence's part is a slice of it)."""
    if _SQ_CACHE[0] is not text:
        _SQ_CACHE[1] = _squeezed_with_map(text)
        _SQ_CACHE[0] = text
    return _SQ_CACHE[1]


@lru_cache(maxsize=1024)
def _successor(code: str | None) -> str | None:
    """The state that supplies a system today when its maker state no longer exists (Soviet designs
    -> Russia; `cues.csv` kind `successor`)."""
    if not code:
        return code
    from armskb.loaders.cues import all_cues

    for h in all_cues("successor").find(code.lower()):
        if h.start == 0 and h.end == len(code):
            return h.value
    return code


def find_systems(text: str, start: int = 0, end: int | None = None) -> list[SystemMention]:
    """Named weapon systems in text[start:end], longest match first, extended over variant suffixes."""
    auto, systems = _system_index()
    end = len(text) if end is None else end
    if auto is None or end <= start:
        return []
    seg = text[start:end]
    sq, idx = _squeezed_whole(text)
    j, k = bisect_left(idx, start), bisect_left(idx, end)
    cands: list[tuple[int, int, str]] = []
    for e, (slug, key_len, form) in (auto.iter(sq[j:k]) if k > j else ()):
        e += j
        s = e - key_len + 1
        a, b = idx[s] - start, idx[e] + 1 - start
        if not _case_ok(form, seg[a:b]):
            continue
        # whole-word check in the original text
        if a > 0 and (seg[a - 1].isalnum()):
            continue
        if b < len(seg) and seg[b].isalnum() and not _variant_suffix(seg, b):
            continue
        # designations must not start mid-token; a match must span at most 4 words
        if seg[a:b].count(" ") > max(3, form.count(" ")):
            continue
        cands.append((a, b, slug))
    cands.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[SystemMention] = []
    last = -1
    for a, b, slug in cands:
        if a < last:
            continue
        b = _extend(seg, b)
        ref = systems[slug]
        out.append(
            SystemMention(start + a, start + b, seg[a:b], slug, ref.family or ref.designation,
                          ref.category, _successor(ref.origin), ref.manufacturer)
        )
        last = b
    return out


def _case_ok(form: str, found: str) -> bool:
    """Designations are written with capitals: 'MARS 2' is not 'mars 2', 'Rafale' not 'rafale'."""
    letters = [c for c in found if c.isalpha()]
    if not letters:
        return True
    if sum(c.isupper() for c in form) >= 2 and not any(c.isupper() for c in letters):
        return False
    if not any(c.isdigit() for c in form) and not found[:1].isupper():
        return False
    if found.count(" ") > form.count(" "):  # squeezing must not join separate words
        return False
    return True


_SUFFIX_AFTER_DIGIT = re.compile(r"[A-ZА-ЯЁ]{1,3}(?![\wа-яё])")
_SUFFIX = re.compile(r"[A-ZА-ЯЁ0-9]{1,3}(?![a-zа-яё0-9])")


def _suffix_rx(seg: str, b: int) -> re.Match[str] | None:
    """A glued variant suffix at seg[b:]; match offsets are relative to b (no copy of the tail)."""
    if b > 0 and seg[b - 1].isdigit():
        m = _SUFFIX_AFTER_DIGIT.match(seg, b)
    else:
        m = _SUFFIX.match(seg, b)
    return m


def _variant_suffix(seg: str, b: int) -> bool:
    return _suffix_rx(seg, b) is not None


def _extend(seg: str, b: int) -> int:
    """Extend a designation over a glued upper-case/digit variant suffix ('T-72' -> 'T-72MS')."""
    m = _suffix_rx(seg, b)
    return m.end() if m else b


@cache
def _generic_set(lang: str | None) -> PhraseSet:
    items: list[tuple[str, str]] = []
    for r in reference_rows("generic_nouns.csv"):
        if r.get("lang") in (lang, None) or (lang is None and r.get("lang") == "en"):
            items.append((r.get("text") or "", r.get("category") or "other"))
    return PhraseSet(items)


def find_generic(text: str, folded: str, lang: str | None, start: int = 0, end: int | None = None) -> list[SystemMention]:
    """Generic weapon nouns ('frigates', 'hélicoptères de combat') with their category."""
    out = []
    for h in _generic_set(lang).find(folded, start, end):
        out.append(SystemMention(h.start, h.end, text[h.start : h.end], None, None, h.value))
    return out


@cache
def _company_set() -> PhraseSet:
    """Company names: system manufacturers (systems.csv) and `cues.csv` kind `company`."""
    from armskb.loaders.cues import all_cues  # noqa: F401  (cue table loaded lazily)

    names: dict[str, str] = {}
    for ref in reference.systems().values():
        for part in re.split(r"\s*/\s*|\s*;\s*", ref.manufacturer or ""):
            part = part.strip()
            if len(part) >= 3:
                names.setdefault(part, part)
    for r in reference_rows("cues.csv"):
        if (r.get("kind") or "").strip() == "company" and (r.get("cue") or "").strip():
            c = r["cue"].strip()
            names.setdefault(c, c)
    return PhraseSet(list(names.items()))


def find_companies(text: str, folded: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Arms companies named in text[start:end] (capitalised, as written)."""
    out = []
    for h in _company_set().find(folded, start, end):
        if text[h.start].isupper() or text[h.start].isdigit():
            out.append((h.start, h.end, h.value))
    return out
