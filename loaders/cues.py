"""Per-language cue words (status verbs, hedges, negations, role prepositions ...) from `cues.csv`.

The cue lists are data (`ontology/reference/cues.csv`, columns lang,kind,cue,value); this module
only loads them into `PhraseSet`s. Unknown languages fall back to English plus every language's
cues of the same kind.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from armskb.loaders.lexicon import PhraseSet
from armskb.reference import rows as reference_rows


@cache
def _table() -> dict[tuple[str, str], list[tuple[str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for r in reference_rows("cues.csv"):
        lang, kind, cue = (r.get("lang") or "").strip(), (r.get("kind") or "").strip(), r.get("cue") or ""
        if lang and kind and cue.strip():
            out[(lang, kind)].append((cue, (r.get("value") or "").strip()))
    return dict(out)


def languages() -> set[str]:
    """Languages that have cue words."""
    return {lang for lang, _ in _table()}


@cache
def cues(lang: str | None, kind: str) -> PhraseSet:
    """The cue phrases of one kind for a language (English when the language has none)."""
    table = _table()
    lang = lang if lang and any(k == (lang, kind) for k in table) else None
    if lang is None:
        items = list(table.get(("en", kind), []))
    else:
        items = list(table.get((lang, kind), []))
    return PhraseSet(items)


@cache
def all_cues(kind: str) -> PhraseSet:
    """The cue phrases of one kind in every language (for language-independent cues, e.g. comments)."""
    items: list[tuple[str, str]] = []
    for (_, k), rows in _table().items():
        if k == kind:
            items += rows
    return PhraseSet(items)
