"""Stage cues of a sentence: status verbs and nouns per verb class (supplier-subject `supply`,
recipient-subject `acquire`, weak `noun`), the cue nearest an item, further events of one item,
blocking contexts (exercise, parade, inventory), and the date and date role of a claim."""

from __future__ import annotations

from dataclasses import dataclass

from armskb.loaders import dates as dates_mod
from armskb.loaders.cues import cues
from armskb.loaders.gazetteer import SystemMention
from armskb.loaders.lexicon import Hit
from armskb.loaders.text import Span
from armskb.models import DateRole, Status


COARSE = {
    Status.delivered: "d", Status.delivering: "d", Status.ordered: "o", Status.agreed: "o",
    Status.negotiating: "i", Status.offered: "i", Status.interest: "i", Status.planned: "i",
    Status.cancelled: "x", Status.denied: "x", Status.unknown: "u",
}


@dataclass
class Cue:
    start: int
    end: int
    kind: str  # supply | acquire | noun
    status: Status


def status_cues(folded: str, lang: str | None, a: int, b: int) -> list[Cue]:
    out: list[Cue] = []
    for kind in ("supply", "acquire", "noun"):
        for h in cues(lang, kind).find(folded, a, b):
            try:
                out.append(Cue(h.start, h.end, kind, Status(h.value)))
            except ValueError:
                continue
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Cue] = []
    for c in out:  # drop cues inside longer ones
        if any(k.start <= c.start and c.end <= k.end and (k.end - k.start) > (c.end - c.start) for k in out):
            continue
        kept.append(c)
    return kept


def nearest_cue(cands: list[Cue], item: SystemMention) -> Cue | None:
    if not cands:
        return None
    verbs = [c for c in cands if c.kind != "noun"] or cands

    def dist(c: Cue) -> int:
        if c.end <= item.start:
            return item.start - c.end
        if c.start >= item.end:
            return c.start - item.end + 5
        return 0

    outcome = [c for c in cands if c.status in (Status.denied, Status.cancelled) and dist(c) < 120]
    if outcome:
        return min(outcome, key=dist)
    return min(verbs, key=dist)


def cue_dist(c: Cue, item: SystemMention) -> int:
    if c.end <= item.start:
        return item.start - c.end
    if c.start >= item.end:
        return c.start - item.end + 5
    return 0


def other_events(folded: str, scs: list[Cue], items: list[SystemMention], item: SystemMention,
                  cue: Cue) -> list[Cue]:
    """Further events of one item in its sentence ('the deal for 44 VT5 was inked in 2019 ... the
    first VT5 landed on April 23, 2020'; 'bought ... recently arrived'; 'is supplying ... likely to
    order more'): verb cues of another coarse stage whose nearest item is this one, one per stage."""
    out: list[Cue] = []
    seen = {COARSE[cue.status]}
    for c in sorted((c for c in scs if c.kind != "noun" and c is not cue), key=lambda c: cue_dist(c, item)):
        if COARSE[c.status] in seen or c.status in (Status.denied, Status.cancelled):
            continue
        if cue.status in (Status.denied, Status.cancelled):
            break  # a final outcome overrides the earlier stages of the same sentence
        real = [i for i in items if not (i.generic and i.category == "other")] or items
        if min(real, key=lambda i: cue_dist(c, i)) is not item:
            continue  # ('munitions' next to the cue accompanies the named item, it is no event of its own)
        if folded[min(c.end, cue.end) : max(c.start, cue.start)].strip() == "":
            continue  # adjacent cues are one phrase
        seen.add(COARSE[c.status])
        out.append(c)
    return out


def date_for(ds: list[dates_mod.DateMention], cue: Cue, item: SystemMention, folded: str = "",
              lang: str | None = None) -> dates_mod.DateMention | None:
    if not ds:
        return None

    def cost(d: dates_mod.DateMention) -> int:
        c = min(abs(d.start - cue.start), abs(d.start - item.start) + 15)
        a, b = (d.end, item.start) if d.end <= item.start else (item.end, d.start)
        if a < b and (";" in folded[a:b] or cues(lang, "and").find(folded, a, b)):
            c += 60  # another clause ("donated ... in 2019 and airlifted 10 BRDM-2 ... last year")
        return c

    return min(ds, key=cost)


def date_role_for(status: Status, d: dates_mod.DateMention) -> DateRole:
    if status in (Status.delivered, Status.delivering):
        return DateRole.delivery
    if status in (Status.ordered, Status.agreed):
        return DateRole.order
    if status == Status.planned and d.future:
        return DateRole.expected_delivery
    return DateRole.announcement


def in_block(folded: str, lang: str | None, sent: Span, cue: Cue, item: SystemMention,
              blocks: list[Hit] | None = None) -> bool:
    if blocks is None:
        blocks = cues(lang, "block").find(folded, sent.start, sent.end)
    for b in blocks:
        db = min(abs(b.start - item.start), abs(b.end - item.start))
        dc = min(abs(cue.start - item.start), abs(cue.end - item.start))
        if db <= dc + 10:
            return True
    return False
