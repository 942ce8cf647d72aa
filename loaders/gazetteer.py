"""Find states, weapon systems and generic weapon nouns in a text, from the reference data files.

All lists come from `ontology/reference/` through `armskb.reference` (states, names, lexicon,
systems) and `generic_nouns.csv`; nothing is hard-coded here. Systems are matched with
Aho-Corasick on a folded, Cyrillic-transliterated copy of the text, hyphen/space-insensitively,
then extended over a glued variant suffix ("T-72" + "MS"). Guards keep the large register-built
table from reading ordinary text as designations: spellings that are ordinary words ('Castle',
'Puma'; systems.csv column `ambiguous`) need weapon context (a generic weapon noun nearby, a
company right before, or capitals), and money ('P15.7-billion', '$2.5 billion') is never a system.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from armskb import reference
from armskb.loaders.cues import all_cues
from armskb.loaders.inflection import adjective_forms, name_forms
from armskb.loaders.lexicon import CYRILLIC_LATIN, PhraseSet, fold_keep, romanize
from armskb.loaders.quantities import money_after, money_before, word_value
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
            adjs += [(f, n.code) for f in adjective_forms(n.text, n.lang)]
        elif n.kind in NAME_KINDS:
            forms = _ru_forms(n.text) if n.lang == "ru" else name_forms(n.text, n.lang)
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
    return " " not in folded_word and word_value(folded_word, lang) is not None


def _squeeze(s: str) -> str:
    return re.sub(r"[\s\-‐–.]+", "", romanize(s))


@cache
def _system_index() -> tuple[ahocorasick.Automaton | None, dict[str, reference.SystemRef]]:
    """Squeezed spelling -> (slug, key length, spelling, ambiguous, stem) for every system; a stem
    entry is a word-like spelling without its final vowel, for Russian and Ukrainian case endings
    ('Хризантему' for 'Khrizantema')."""
    systems = reference.systems()
    auto = ahocorasick.Automaton()
    n = 0
    # how ambiguous a spelling is, whichever system it names: 1 ordinary word, 2 very common/place
    # (-1: an ambiguous spelling that some system writes in capitals, 'ARMA', 'MILAN')
    tier: dict[str, int] = {}
    for ref in systems.values():
        for f in ref.ambiguous:
            tier[_squeeze(f)] = max(tier.get(_squeeze(f), 0), 1)
        for f in ref.needs_context:
            tier[_squeeze(f)] = 2
    caps = {_squeeze(f) for ref in systems.values() for f in ref.ambiguous if f.isupper()}
    tier.update({k: -1 for k in caps if tier.get(k) == 1})
    for slug, ref in systems.items():
        for form in sorted({ref.designation, ref.family, *ref.aliases}):
            if not form or len(_squeeze(form)) < 2:
                continue
            if form == ref.family and form != ref.designation and form not in ref.aliases:
                continue
            key = _squeeze(form)
            prev = auto.get(key, None) if n else None
            # keep the more specific entry (designation equal to the form wins); among spellings of
            # one entry keep the most spaced one ('OPV 58' over 'OPV58') for the spacing check
            entry = (slug, len(key), form, tier.get(key, 0), False)
            if prev is not None and prev[0] == slug and form.count(" ") > prev[2].count(" "):
                auto.add_word(key, entry)
            elif prev is None or (systems[prev[0]].designation != form and ref.designation == form):
                auto.add_word(key, entry)
                n += 1
    if not n:
        return None, systems
    for slug, ref in systems.items():
        for form in sorted({ref.designation, *ref.aliases}):
            key = _squeeze(form)
            m = _VOWEL_END.search(key)
            if m and len(key) >= 6 and m.start() >= 5 and key[: m.start()] not in auto:
                auto.add_word(key[: m.start()], (slug, m.start(), form, tier.get(key, 0), True))
    auto.make_automaton()
    return auto, systems


_VOWEL_END = re.compile(r"(?<=[a-z])(?:ya|yu|[aeiouy])$")
#: a Russian or Ukrainian case ending after a designation written in Cyrillic ('Искандеры')
_CYR_ENDING = re.compile(r"[аеёиоуыэюяіїє][а-яёіїєґ]{0,2}(?![\w])")


_SQUEEZE = " \t\n-‐–.\u00a0"
_SQUEEZE_TABLE = {ord(c): None for c in _SQUEEZE}


_CYRILLIC = re.compile("[а-яёіїєґ]")


def _squeezed_with_map(text: str) -> tuple[str, list[int]]:
    """The text folded, romanized and without spaces/dashes/dots, and for each of its characters
    the offset of the character of `text` it comes from (a Cyrillic letter may give several)."""
    t = fold_keep(text)
    if _CYRILLIC.search(t) is None:
        idx = [i for i, c in enumerate(t) if c not in _SQUEEZE]
        return t.translate(_SQUEEZE_TABLE), idx
    out: list[str] = []
    idx = []
    for i, c in enumerate(t):
        if c in _SQUEEZE:
            continue
        r = CYRILLIC_LATIN.get(c, c)
        out.append(r)
        idx.extend([i] * len(r))
    return "".join(out), idx


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
    for e, (slug, key_len, form, amb, stem) in (auto.iter(sq[j:k]) if k > j else ()):
        e += j
        s = e - key_len + 1
        if (s > 0 and idx[s - 1] == idx[s]) or (e + 1 < len(idx) and idx[e + 1] == idx[e]):
            continue  # starts or ends inside the romanization of one letter ('ш' -> 'sh')
        a, b = idx[s] - start, idx[e] + 1 - start
        if not _case_ok(form, seg[a:b]):
            continue
        # whole-word check in the original text; Cyrillic takes case endings ('Хризантему')
        if a > 0 and (seg[a - 1].isalnum()):
            continue
        ending = _CYR_ENDING.match(seg, b) if _CYRILLIC.match(seg[b - 1 : b].lower()) else None
        if stem and ending is None:
            continue
        if ending is not None:
            b = ending.end()
        elif b < len(seg) and seg[b].isalnum() and not _variant_suffix(seg, b):
            continue
        # designations must not start mid-token; a match must span at most 4 words
        if seg[a:b].count(" ") > max(3, form.count(" ")):
            continue
        if amb == -1 and _acronym(seg, a, b):
            amb = 0
        if _money(seg, a, b) or (abs(amb) == 1 and not _weapon_context(seg, a, b, _CONTEXT_WINDOW)
                                 and not _proper_noun(seg, a, b)):
            continue
        if amb == 2 and not _weapon_context(seg, a, b, 1):
            continue
        cands.append((a, b, slug, amb != 0))
    cands.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    starts = {a for a, _, _, _ in cands}
    out: list[SystemMention] = []
    last = -1
    for a, b, slug, amb in cands:
        if a < last or (amb and _in_longer_name(seg, a, b, starts)):
            continue
        b = _extend(seg, b)
        ref = systems[slug]
        out.append(
            SystemMention(start + a, start + b, seg[a:b], slug, ref.family or ref.designation,
                          ref.category, _successor(ref.origin), ref.manufacturer)
        )
        last = b
    return out


def _money(seg: str, a: int, b: int) -> bool:
    """seg[a:b] is part of an amount of money: 'P15.7-billion' (a decimal goes on), '$2.5 billion'
    (a currency sign before), 'P15 billion' (a multiplier word after)."""
    if seg[b - 1 : b].isdigit() and re.match(r"[.,]\d", seg[b : b + 2]):
        return True
    return money_before(seg, a) or (seg[b - 1 : b].isdigit() and money_after(seg, b))


_CONTEXT_WINDOW = 60  # characters either side of an ambiguous spelling searched for weapon nouns
_CLASS_AFTER = re.compile(r"[\s-]+(?:class|classe|clase|klasse|klasy|класса|класу|типа)(?!\w)", re.I)


def _weapon_context(seg: str, a: int, b: int, window: int) -> bool:
    """Weapon context for an ambiguous spelling ('Tiger', 'Castle'): written in capitals like an
    acronym, a generic weapon noun (any language) within `window` characters (1: adjacent), a
    'class' word after it ('Castle-class'), or a company name right before it ('Eurocopter Tiger')."""
    if _CLASS_AFTER.match(seg, b):
        return True
    lo, hi = _word_window(seg, a, b) if window == 1 else (max(0, a - window), min(len(seg), b + window))
    folded = fold_keep(seg[lo:hi])
    if any(not (lo + h.start < b and a < lo + h.end) for h in _all_generic().find(folded)):
        return True
    before = fold_keep(seg[max(0, a - 40) : a])
    return any(not before[h.end :].strip() for h in _company_set()[0].find(before))


def _acronym(seg: str, a: int, b: int) -> bool:
    """seg[a:b] is written in capitals like the acronym it spells ('ARMA', not 'Arma'), and is not a
    dateline at the start of a line ('MILAN (Reuters) -')."""
    found = seg[a:b]
    head = seg[max(0, a - 80) : a].rstrip(" \t")
    return found.isupper() and sum(c.isalpha() for c in found) >= 3 and bool(head) and head[-1] != "\n"


def _word_window(seg: str, a: int, b: int) -> tuple[int, int]:
    """Offsets of the word before seg[a:b] and the word after it (the span itself in between)."""
    m = re.search(r"[\w'’-]+[\s\u00a0]+$", seg[max(0, a - 40) : a])
    lo = a - (len(m.group(0)) if m else 0)
    n = re.match(r"[\s\u00a0-]+[\w'’-]+", seg[b : b + 40])
    return lo, b + (n.end() if n else 0)


_OPENERS = ".!?:;\"«»“”„()[]–—\n"
_NEIGHBOUR_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)[ \u00a0]+$")
_NEIGHBOUR_AFTER = re.compile(r"[ \u00a0-]+([^\W\d_][\w'’-]*)")


def _proper_noun(seg: str, a: int, b: int) -> bool:
    """An ordinary-word spelling ('Puma') stands as a designation: capitalised inside a sentence
    (not its first word, where any word is capitalised), and not part of a longer proper name
    ('Tiger Woods', 'Lloyd Austin'): no capitalised word right before or after it, other than an
    English state adjective ('the German Boxer')."""
    if not seg[a : a + 1].isupper():
        return False
    head = seg[max(0, a - 80) : a].rstrip()
    if not head or head[-1] in _OPENERS:
        return False
    prev = _NEIGHBOUR_BEFORE.search(seg, max(0, a - 40), a)
    if prev and prev.group(1)[:1].isupper() and not _state_adjective(prev.group(1)):
        return False
    nxt = _NEIGHBOUR_AFTER.match(seg, b)
    return not (nxt and nxt.group(1)[:1].isupper())


def _in_longer_name(seg: str, a: int, b: int, starts: set[int]) -> bool:
    """An ordinary-word spelling followed by a capitalised word that is no designation of its own
    ('Cobra Gold exercises', 'Tiger Woods'; not 'Boxer Skyranger 30')."""
    nxt = _NEIGHBOUR_AFTER.match(seg, b)
    return bool(nxt and nxt.group(1)[:1].isupper() and nxt.start(1) not in starts
                and not any(h.start == 0 for h in _all_generic().find(fold_keep(seg[nxt.start(1) : nxt.start(1) + 40]))))


def _state_adjective(word: str) -> bool:
    folded = fold_keep(word)
    return any(h.start == 0 and h.end == len(folded) for h in state_adjectives("en").find(folded))


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


@cache
def _all_generic() -> PhraseSet:
    """Generic weapon nouns of every language (context for ambiguous spellings)."""
    return PhraseSet([(r.get("text") or "", r.get("category") or "other")
                      for r in reference_rows("generic_nouns.csv")])


def find_generic(text: str, folded: str, lang: str | None, start: int = 0, end: int | None = None) -> list[SystemMention]:
    """Generic weapon nouns ('frigates', 'hélicoptères de combat') with their category."""
    out = []
    for h in _generic_set(lang).find(folded, start, end):
        out.append(SystemMention(h.start, h.end, text[h.start : h.end], None, None, h.value))
    return out


@cache
def _company_set() -> tuple[PhraseSet, dict[str, str]]:
    """Company names: system manufacturers (systems.csv), `cues.csv` kind `company` and the company
    table (`companies.csv`, spellings mapped to the company's name); with the table's ambiguous
    spellings by folded key ('CASA': searched only as written, in capitals)."""
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
    exact: dict[str, str] = {}
    for r in reference_rows("companies.csv"):
        ambiguous = {a for a in (r.get("ambiguous") or "").split("|") if a}
        for spelling in [r["name"], *(a for a in (r.get("aliases") or "").split("|") if a)]:
            if spelling in ambiguous:  # an acronym that is a word ('CASA'): only in capitals
                if spelling.isupper():
                    exact[fold_keep(spelling)] = spelling
                elif spelling not in names:
                    continue  # 'Damen', 'Patria': not searched (manufacturer names stay as curated)
            if len(fold_keep(spelling)) >= 2:
                names.setdefault(spelling, r["name"])
    return PhraseSet(list(names.items())), exact


def find_companies(text: str, folded: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Arms companies named in text[start:end] (capitalised, as written): (start, end, name)."""
    phrases, exact = _company_set()
    out = []
    for h in phrases.find(folded, start, end):
        if h.key in exact and text[h.start : h.end] != exact[h.key]:
            continue
        if text[h.start].isupper() or text[h.start].isdigit():
            out.append((h.start, h.end, h.value))
    return out
