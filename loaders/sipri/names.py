"""SIPRI's names for parties and weapon descriptions -> armskb states, organisations, categories.

Reference tables: ``ontology/reference/sipri_names.csv`` (SIPRI spellings, historical states) and
``ontology/reference/sipri_descriptions.csv`` (description -> SIPRI and armskb category).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Protocol

from armskb.loaders.sipri.models import PartyKind
from armskb.reference import fold, resolve_state, states
from armskb.reference import rows as reference_rows


class Notes(Protocol):
    """Where name mappings are reported: per row, or once per name with a row count."""

    def row(self, line: int | None, reason: str) -> None: ...

    def once(self, key: tuple[str, str], line: int, reason: str) -> None: ...


@cache
def sipri_names() -> dict[str, tuple[str, str]]:
    """SIPRI spelling -> (code or '', canonical name) from sipri_names.csv."""
    return {
        r["sipri_name"]: ((r.get("code") or "").strip().upper(), (r.get("name") or "").strip())
        for r in reference_rows("sipri_names.csv")
    }


@cache
def sipri_descriptions() -> dict[str, tuple[str, str]]:
    """SIPRI description -> (SIPRI category, armskb category), keyed exactly and folded."""
    out: dict[str, tuple[str, str]] = {}
    rows = list(reference_rows("sipri_descriptions.csv"))
    for r in rows:
        out[r["description"]] = (r["category"], r["armskb_category"])
    for r in rows:
        out.setdefault(fold(r["description"]), (r["category"], r["armskb_category"]))
    return out


@cache
def _armskb_category_of_sipri() -> dict[str, str]:
    """SIPRI category -> most frequent armskb category in the table (fallback for 2026 rows)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in reference_rows("sipri_descriptions.csv"):
        votes[r["category"]][r["armskb_category"]] += 1
    return {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in votes.items()}


def party(raw: str, role: str, rep: Notes, line: int) -> tuple[str | None, PartyKind]:
    """(ISO code or organisation name or None, kind) of a SIPRI supplier/recipient name."""
    name = raw.strip()
    if not name:
        rep.row(line, f"{role}: empty; no party")
        return None, PartyKind.unknown
    if name.lower().startswith("unknown"):
        rep.once(("unknown", name), line, f"{role} {name!r}: no party; name kept as a literal")
        return None, PartyKind.unknown
    stars = len(name) - len(name.rstrip("*"))
    bare = name.rstrip("*").strip()
    mapped = sipri_names().get(name)
    if mapped is not None:
        code, canonical = mapped
        if code and code in states():
            rep.once(("mapped", name), line, f"{role} {name!r}: SIPRI spelling, mapped to state {code}")
            return code, PartyKind.state
        org = canonical or bare
        why = (f"state code {code} is not in states.csv" if code else "not a listed state")
        kind = PartyKind.organization if stars >= 2 else PartyKind.non_state
        rep.once(("mapped", name), line,
                 f"{role} {name!r}: {why}; kept as non-state party {org!r}")
        return org, kind
    if stars >= 2:
        rep.once(("org", name), line, f"{role} {name!r}: '**' international organisation; kept by name")
        return bare, PartyKind.organization
    if stars == 1:
        rep.once(("org", name), line, f"{role} {name!r}: '*' non-state party; kept by name")
        return bare, PartyKind.non_state
    code = resolve_state(name)
    if code is not None:
        ref = states().get(code)
        if ref is not None and ref.historical:
            rep.once(("historical", name), line, f"{role} {name!r}: historical state {code}")
        return code, PartyKind.state
    rep.once(("unresolved", name), line,
             f"{role} {name!r}: not a known state name; kept as non-state party by name")
    return name, PartyKind.non_state


def categories(description: str | None, sipri_cat: str | None) -> tuple[str | None, str | None]:
    table = sipri_descriptions()
    hit = None
    if description:
        hit = table.get(description) or table.get(fold(description))
    if sipri_cat:
        armskb = hit[1] if hit and hit[0] == sipri_cat else _armskb_category_of_sipri().get(sipri_cat)
        return sipri_cat, armskb
    if hit:
        return hit
    return None, None
