"""Length-preserving text folding and whole-word phrase matching for the data-driven lexicons.

`fold_keep` lower-cases, strips accents and unifies apostrophes/dashes *one character for one
character*, so a match in the folded text has the same offsets in the original. `PhraseSet`
compiles phrases (a trailing `*` matches any word ending, spaces match any whitespace) into one
regular expression over folded text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache


_APOS = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "‒": "-", "\u00a0": " ", "\u202f": " "}


@cache
def _fold_char(c: str) -> str:
    if c in _APOS:
        return _APOS[c]
    low = c.lower()
    if len(low) != 1:
        low = c
    base = unicodedata.normalize("NFKD", low)
    if base and len(base) >= 1 and not unicodedata.combining(base[0]):
        rest = base[1:]
        if all(unicodedata.combining(x) for x in rest):
            return base[0]
    return low


class _FoldTable(dict):
    """`str.translate` table that folds each code point on first sight (one char -> one char)."""

    def __missing__(self, k: int) -> str:
        v = _fold_char(chr(k))
        self[k] = v
        return v


_FOLD = _FoldTable()


def fold_keep(text: str) -> str:
    """Lower-case, accent-free, apostrophe-unified copy of `text` with the same length."""
    return text.translate(_FOLD)


#: Cyrillic (Russian, Ukrainian; after `fold_keep`, so й/ё/ї are и/е/і) to the Latin spellings
#: weapon designations use: 'Панцирь' -> 'pantsir', 'Смерч' -> 'smerch', 'Хризантема' -> 'khrizantema'
CYRILLIC_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_CYR_TABLE = {ord(k): v for k, v in CYRILLIC_LATIN.items()}


def romanize(text: str) -> str:
    """`fold_keep` plus Cyrillic written in Latin letters ('С-400' -> 's-400', 'Су-35' -> 'su-35');
    not length-preserving (see `gazetteer` for the offset map)."""
    return fold_keep(text).translate(_CYR_TABLE)


def _phrase_regex(phrase: str) -> str:
    p = fold_keep(phrase.strip())
    star = p.endswith("*")
    p = p.rstrip("*")
    parts = [re.escape(w) for w in p.split()]
    body = r"\s+".join(parts)
    if star:
        body += r"\w*"
    return body


def _prefix_trie(keys: list[str]) -> str:
    """A regex matching exactly where one of `keys` starts (a character trie: `re` tries an
    alternation of hundreds of literals one by one, a trie level by level)."""
    root: dict = {}
    for k in keys:
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def rx(node: dict) -> str:
        ends, alts = [], []
        for ch in sorted(c for c in node if c):
            sub = node[ch]
            if "" in sub:
                ends.append(re.escape(ch))  # a key ends here: any continuation qualifies
            else:
                alts.append(re.escape(ch) + rx(sub))
        parts = ([ends[0]] if len(ends) == 1 else ["[" + "".join(ends) + "]"]) if ends else []
        return "(?:" + "|".join(parts + alts) + ")"

    return rx(root)


_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found in a text: offsets in the original text, the phrase key and its value."""

    start: int
    end: int
    key: str
    value: str


class PhraseSet:
    """A set of phrases with values, matched as whole words on folded text (longest first)."""

    def __init__(self, items: list[tuple[str, str]]):
        self.values: dict[str, str] = {}
        pats: list[tuple[int, str, str]] = []
        for phrase, value in items:
            key = fold_keep(phrase.strip()).rstrip("*")
            if not key or key in self.values:
                continue
            self.values[key] = value
            pats.append((len(key), key, _phrase_regex(phrase)))
        pats.sort(key=lambda t: -t[0])
        self._keys = [k for _, k, _ in pats]
        special_keys = any(not k[:1].isalnum() and k[:1] != "_" for _, k, _ in pats)
        indexed = len(pats) > 40 or (len(pats) > 10 and not special_keys)
        if pats and not indexed:
            alt = "|".join(f"(?P<g{i}>{rx})" for i, (_, _, rx) in enumerate(pats))
            self._rx: re.Pattern[str] | None = re.compile(rf"(?<![\w-])(?:{alt})(?![\w])")
        else:  # an indexed set never uses the one big alternation (costly to compile): a marker only
            self._rx = _NEVER if pats else None
        # index for large sets: phrases by the first (up to) 3 characters of their first word; a
        # single alternation of thousands of phrases costs ~40 µs per character in `re`
        self._index: dict[str, list[tuple[re.Pattern[str], str]]] | None = None
        self._special: re.Pattern[str] | None = None
        if indexed:
            index: dict[str, list[tuple[re.Pattern[str], str]]] = {}
            special: list[tuple[int, str, str]] = []
            for n, key, rx in pats:
                if not key[:1].isalnum() and not key[:1] == "_":
                    special.append((n, key, rx))
                    continue
                first = key.split()[0]
                index.setdefault(first[:3], []).append((rx, key))
            self._index = index
            self._combined: dict[tuple[str, ...], tuple[re.Pattern[str], list[str]]] = {}
            # the buckets of a word start depend only on its first three characters
            self._by3: dict[str, tuple[re.Pattern[str], list[str]] | None] = {}
            # word starts that begin with an index key (the only places a phrase can start)
            self._starts = re.compile(r"(?<![\w-])(?=%s)" % _prefix_trie(list(index))) if index else None
            if special:
                self._special_keys = [k for _, k, _ in special]
                alt = "|".join(f"(?P<g{i}>{rx})" for i, (_, _, rx) in enumerate(special))
                self._special = re.compile(rf"(?<![\w-])(?:{alt})(?![\w])")

    _WORDSTART = re.compile(r"(?<![\w-])\w")

    def find(self, folded: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """All non-overlapping hits in folded[start:end] (offsets in the full text)."""
        if self._rx is None:
            return []
        end = len(folded) if end is None else end
        return self._scan(folded, start, end)

    def _scan(self, folded: str, start: int, end: int) -> list[Hit]:
        if self._index is not None:
            return self._find_indexed(folded, start, end)
        out: list[Hit] = []
        for m in self._rx.finditer(folded, start, end):
            i = int(m.lastgroup[1:]) if m.lastgroup else 0
            key = self._keys[i]
            out.append(Hit(m.start(), m.end(), key, self.values[key]))
        return out

    def _bucket_rx(self, prefixes: tuple[str, ...]) -> tuple[re.Pattern[str], list[str]]:
        """One alternation for the phrases of these index buckets, longest key first (ties: the
        3-, then 2-, then 1-character bucket, each in its own order): its first matching
        alternative is the longest matching phrase."""
        got = self._combined.get(prefixes)
        if got is None:
            index = self._index or {}
            cands: list[tuple[int, int, int, str, str]] = []
            for r, p in enumerate(prefixes):
                for j, (rx, key) in enumerate(index[p]):
                    cands.append((-len(key), r, j, key, rx))
            cands.sort(key=lambda t: t[:3])
            alt = "|".join(f"(?P<g{i}>(?:{c[4]})(?![\\w]))" for i, c in enumerate(cands))
            got = (re.compile(alt), [c[3] for c in cands])
            self._combined[prefixes] = got
        return got

    def _find_indexed(self, folded: str, start: int, end: int) -> list[Hit]:
        index = self._index or {}
        by3 = self._by3
        found: list[Hit] = []
        pos = start
        for w in (self._starts.finditer(folded, start, end) if self._starts is not None else ()):
            i = w.start()
            if i < pos:
                continue
            p3 = folded[i : i + 3]
            got = by3.get(p3, by3)
            if got is by3:
                prefixes = tuple(p for p in (p3, p3[:2], p3[:1]) if p in index)
                got = by3[p3] = self._bucket_rx(prefixes) if prefixes else None
            if got is None:
                continue
            rx, keys = got
            m = rx.match(folded, i, end)
            if m is not None:
                key = keys[int(m.lastgroup[1:])]  # type: ignore[index]
                found.append(Hit(i, m.end(), key, self.values[key]))
                pos = m.end()
        if self._special is not None:
            for m in self._special.finditer(folded, start, end):
                key = self._special_keys[int(m.lastgroup[1:]) if m.lastgroup else 0]
                if not any(h.start < m.end() and m.start() < h.end for h in found):
                    found.append(Hit(m.start(), m.end(), key, self.values[key]))
            found.sort(key=lambda h: h.start)
        return found

    def __bool__(self) -> bool:
        return self._rx is not None
