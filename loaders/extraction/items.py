"""Weapon items of a sentence: named systems, generic nouns, generic nouns resolved to a named
system (anaphora, the article's only system of a category, origin adjectives), and their quantity."""

from __future__ import annotations

import re

from armskb.loaders.cues import cues
from armskb.loaders.gazetteer import SystemMention, find_generic, find_systems, state_adjectives
from armskb.loaders.lexicon import fold_keep
from armskb.loaders.quantities import approx_before, first_one, numbers, one_article, ordinal_unit, part_of_whole
from armskb.loaders.text import Span


def find_items(text: str, folded: str, lang: str | None, sent: Span) -> list[SystemMention]:
    named = find_systems(text, sent.start, sent.end)
    gen = [g for g in find_generic(text, folded, lang, sent.start, sent.end)
           if not any(n.start >= g.start and attached(text, folded, lang, g.end, n.start) for n in named)
           and not any(n.start <= g.start < n.end + 2 for n in named)]
    # 'sa pamamagitan ng barko', 'by ship', 'par avion': the transport, not the object
    gen = [g for g in gen if not any(not folded[h.end : g.start].strip()
                                     for h in cues(lang, "means").find(folded, max(sent.start, g.start - 25), g.start))]
    items = sorted(named + gen, key=lambda x: x.start)
    return items


def attached(text: str, folded: str, lang: str | None, a: int, b: int) -> bool:
    """A generic noun ending at `a` heads the designation starting at `b` ('chars T-72MS',
    'hélicoptères de fabrication russe de type MI-35P'): few words, no digits, commas or 'and'."""
    gap = text[a:b]
    if b < a or len(gap) > 45 or len(gap.split()) > 5 or re.search(r"[\d,;:()]", gap):
        return False
    return not cues(lang, "and").find(folded[a:b])


def umbrella(folded: str, lang: str | None, item: SystemMention, num_end: int) -> bool:
    """'17 military vehicles consisting of VT-4 tanks and … howitzers': the number counts a generic
    umbrella noun whose parts are listed after it (`cues.csv` kind `consisting`): a group number."""
    hits = cues(lang, "consisting").find(folded, num_end, item.start)
    return bool(hits) and len(folded[hits[-1].end : item.start].split()) <= 3 and len(folded[num_end : hits[0].start].split()) <= 4


def quantity_at(text: str, folded: str, lang: str | None, sent: Span, item: SystemMention,
                 prev_end: int) -> tuple[int | None, bool, int | None]:
    """Units of `item` in its sentence, approx flag, and the end offset of the number used."""
    lo = max(sent.start, prev_end, item.start - 70)
    window = text[lo : item.start]
    window = re.sub(r"(?<=\d)[,.](?=\d)", "0", window)  # thousands separators and decimals are not clause breaks
    cut = max(window.rfind(","), window.rfind(";"), window.rfind("("), window.rfind(":"))
    if cut >= 0 and cut < len(window) - 1:
        lo += cut + 1
    nums = [n for n in numbers(text, lang, lo, item.start)]
    if nums:
        # "five of the 16", "Lima sa 16": the first of two numbers joined by a short word
        n = nums[-1]
        if len(nums) >= 2:
            between = fold_keep(text[nums[-2].end : nums[-1].start]).strip()
            if len(between.split()) <= 3 and re.fullmatch(r"(?:of|of the|sa|des|de|de los|de las|из|von|dei|delle)", between):
                n = nums[-2]
        words_between = len(text[n.end : item.start].split())
        if any(not folded[n.end : h.start].strip() for h in cues(lang, "sorts").find(folded, n.end, item.start)):
            return None, False, None  # 'two types of self-propelled howitzers' counts types, not units
        if words_between <= 5 or (words_between <= 9 and any(
                len(text[n.end : g.start].split()) <= 2 and attached(text, folded, lang, g.end, item.start)
                for g in find_generic(text, folded, lang, n.end, item.start))):  # 'deux hélicoptères de fabrication russe de type MI-35P'
            if part_of_whole(folded, lang, lo, n.start):
                return n.value, False, -2  # 'un premier lot des 36 canons': 36 counts the whole order
            ap = n.approx or approx_before(text, folded, lang, n.start)
            return n.value, ap, n.end
    # a generic noun, also one resolved to the article's named system ('einer Fregatte' -> Meko 200)
    nounlike = item.generic or text[item.start : item.end] != item.text
    if one_article(text, lang, item.start) and nounlike:
        return 1, False, None
    if first_one(text, lang, item.start, item.end) or ordinal_unit(text, folded, lang, lo, item.start):
        return 1, False, -1  # one unit of a series ('the first VT5 tank', 'la deuxième unité'): not the deal's size
    if approx_before(text, folded, lang, item.start, 40) and item.generic:
        return None, True, None
    return None, False, None


def as_named(start: int, end: int, ref: SystemMention) -> SystemMention:
    return SystemMention(start, end, ref.text, ref.slug, ref.canonical, ref.category, ref.origin, ref.manufacturer)


def det_before(folded: str, lang: str | None, kind: str, pos: int, lo: int) -> bool:
    """A determiner of `kind` (demonstrative / indefinite) ends right before `pos` (adjectives and numbers may intervene)."""
    a = max(lo, pos - 30)
    for h in cues(lang, kind).find(folded, a, pos):
        gap = folded[h.end : pos].split()
        if len(gap) <= 2:
            return True
    return False


def origin_named(text: str, folded: str, lang: str | None, sent: Span, g: SystemMention,
                  fams: dict[str, dict[str, SystemMention]]) -> SystemMention | None:
    """The article's only named family of the generic noun's category made by the state whose
    origin adjective stands right next to the noun ('Russian warplanes', 'avions russes')."""
    cands = fams.get(g.category or "", {})
    if len(cands) < 2:
        return None  # one family: the ordinary 'only system of the category' rule applies
    adjs = state_adjectives(lang)
    codes = {h.value for h in adjs.find(folded, max(sent.start, g.start - 20), min(sent.end, g.end + 15))
             if (h.end <= g.start and not folded[h.end : g.start].strip())
             or (h.start >= g.end and not folded[g.end : h.start].strip())}
    if len(codes) != 1:
        return None
    code = codes.pop()
    hits = [n for n in cands.values() if n.origin == code]
    return hits[0] if len(hits) == 1 else None


def resolve_generics(text: str, folded: str, lang: str | None, sent: Span, items: list[SystemMention],
                      named: list[SystemMention], recent: dict[str, SystemMention],
                      last_named: SystemMention | None,
                      fams: dict[str, dict[str, SystemMention]] | None = None) -> list[SystemMention]:
    """Generic nouns that refer to a named system take its name ('these weapons' -> the last system,
    'dos fragatas' -> the frigate class named before); 'equipment and weapons' -> one unnamed item."""
    out: list[SystemMention] = []
    skip: set[int] = set()
    for k, g in enumerate(items):
        if k in skip:
            continue
        if not g.generic:
            out.append(g)
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        if g.category == "other" and nxt is not None and nxt.generic and nxt.category == "other":
            between = folded[g.end : nxt.start].strip()
            if named or any(o.category not in (None, "other") for o in items):
                skip.add(k + 1)  # 'Mi-171, des armes et des munitions': vague nouns that accompany items
                continue
            if len(between.split()) <= 2 and cues(lang, "and").find(between):
                out.append(SystemMention(g.start, nxt.end, "", None, None, None))
                skip.add(k + 1)
                continue
        if det_before(folded, lang, "demonstrative", g.start, sent.start) and last_named is not None \
                and not named and (g.category == "other" or g.category == last_named.category):
            out.append(as_named(g.start, g.end, last_named))
            continue
        if g.category and g.category != "other":
            same = [n for n in named if n.category == g.category]
            if same:
                continue  # a second mention of the named system of this sentence
            made = origin_named(text, folded, lang, sent, g, fams or {})
            if made is not None:  # 'Russian warplanes' -> the article's one Russian aircraft
                out.append(as_named(g.start, g.end, made))
                continue
            ref = recent.get(g.category)
            if ref is not None and not det_before(folded, lang, "indefinite", g.start, sent.start):
                out.append(as_named(g.start, g.end, ref))
                continue
        out.append(g)
    return out
