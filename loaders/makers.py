"""Who makes an item and where: company home states and nationality cues, as data and lookups.

`company_home('Saab')` -> 'SWE' reads `ontology/reference/companies.csv` (made by
`scripts/gen_companies.py`; 'MULTI' for multinationals such as MBDA, which have no supplier state).
`made_in(...)` finds the phrases of `origin_cues.csv` around the state adjectives and names of a
text: 'Polish-made', 'de fabricación belga', 'российского производства' (kind `made`: the item's
origin) and 'le constructeur naval français', 'the Turkish company' (kind `maker`: the home state of
a company, so the supplier when that company sells). The extractor decides what a cue means for a
claim; this module only finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from armskb.loaders.gazetteer import StateMention, find_states
from armskb.loaders.lexicon import fold_keep
from armskb.reference import fold, resolve_state
from armskb.reference import rows as reference_rows

#: home value of a multinational company (no single supplier state)
MULTINATIONAL = "MULTI"


@dataclass(frozen=True, slots=True)
class Company:
    """An arms company of the table: canonical name, home state (alpha-3 or MULTI), spellings."""

    name: str
    home: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OriginCue:
    """A nationality cue in the text: offsets of the whole phrase, the state, and its kind
    ('made': the item's origin; 'maker': the home state of the company that makes or sells it)."""

    start: int
    end: int
    code: str
    kind: str


@cache
def companies() -> dict[str, Company]:
    """The company table by folded spelling (name and every alias)."""
    out: dict[str, Company] = {}
    for r in reference_rows("companies.csv"):
        c = Company(r["name"], r["home"], tuple(a for a in (r.get("aliases") or "").split("|") if a))
        for spelling in (c.name, *c.aliases):
            out.setdefault(fold(spelling), c)
    return out


def company(name: str) -> Company | None:
    """The company a name or alias designates ('DCNS' -> Naval Group), else None."""
    return companies().get(fold(name.strip()))


def company_home(name: str) -> str | None:
    """Home state (alpha-3) of a company named by the text, 'MULTI' for a multinational, else None."""
    c = company(name)
    return c.home if c else None


@cache
def _patterns(lang: str | None) -> list[tuple[str, str, re.Pattern[str] | None, re.Pattern[str] | None]]:
    """(kind, slot, regex before the slot, regex after it) for the language and English."""
    out = []
    for r in reference_rows("origin_cues.csv"):
        if r.get("lang") not in {lang or "en", "en"}:
            continue
        pattern = fold_keep(r["pattern"].strip())
        slot = "{adj}" if "{adj}" in pattern else "{name}"
        before, _, after = pattern.partition(slot)
        rx_b = re.compile(_loose(before.rstrip()) + (r"\s+" if before.endswith(" ") else "") + r"$") if before else None
        rx_a = re.compile((r"\s+" if after.startswith(" ") else "") + _loose(after.lstrip()) + r"(?!\w)") if after else None
        out.append((r["kind"], slot, rx_b, rx_a))
    return out


def _loose(phrase: str) -> str:
    """A folded phrase as a regex: any run of spaces for a space, any dash for a dash."""
    return r"\s+".join(re.escape(w).replace(r"\-", "[-‐‑–]") for w in phrase.split())


_CODE_MADE = re.compile(r"(?<![\w.])(U\.S\.|U\.K\.|[A-Z]{2,3})(?=[-‐‑](?:made|built|designed|manufactured|produced|supplied)\b)")


def made_in(text: str, folded: str, lang: str | None, start: int = 0, end: int | None = None) -> list[OriginCue]:
    """Nationality cues in text[start:end] ('Polish-made', 'le constructeur naval français')."""
    end = len(text) if end is None else end
    mentions = list(find_states(text, folded, lang, start, end))
    for m in _CODE_MADE.finditer(text, start, end):  # 'US-made': codes too short for the state gazetteer
        code = resolve_state(m.group(1).replace(".", ""))
        if code:
            mentions.append(StateMention(m.start(), m.end(), code, "adjective"))
    out: list[OriginCue] = []
    for m in mentions:
        is_adj = m.kind in ("adjective", "demonym")
        for kind, slot, rx_b, rx_a in _patterns(lang):
            if (slot == "{adj}") != is_adj:
                continue
            a, b = m.start, m.end
            if rx_b is not None:
                hit = rx_b.search(folded, max(start, m.start - 60), m.start)
                if hit is None:
                    continue
                a = hit.start()
            if rx_a is not None:
                hit = rx_a.match(folded, m.end, min(end, m.end + 60))
                if hit is None:
                    continue
                b = hit.end()
            out.append(OriginCue(a, b, m.code, kind))
            break
    out.sort(key=lambda c: c.start)
    return out
