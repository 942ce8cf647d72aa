"""Rule-based claim extraction: sentences -> (buyer, seller, system, quantity, date, status) claims.

Per sentence: find weapon items (named systems from the gazetteer, generic nouns with their own
number, anaphors like "these weapons" resolved to the last named system), status cues (verbs whose
subject is the supplier or the recipient, weaker nouns), and state mentions (names, capitals as
metonyms, adjectives). Roles come from prepositions ("to", "from", "par", "an"), from the subject
position relative to the cue verb, from origin adjectives ("armes russes", "China-made") and by
elimination; missing parties fall back to the document's dominant buyer/seller and, for the
seller, to the system's origin state (low confidence). Exercise/parade/inventory contexts,
domestic procurement (seller == buyer) and claims without both parties produce nothing.
All word lists are data files under `ontology/reference/`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from armskb.loaders import dates as dates_mod
from armskb.loaders.cues import cues
from armskb.loaders.gazetteer import StateMention, SystemMention, find_generic, find_states, find_systems
from armskb.loaders.lexicon import Hit, fold_keep
from armskb.loaders.quantities import approx_before, numbers, one_article
from armskb.loaders.text import Span, sentences
from armskb.models import STATUS_ORDER, Category, Claim, DateRole, Document, Evidence, PartialDate, Status

EXTRACTOR = "armskb.rules"
EXTRACTOR_VERSION = "0.3.0"

log = logging.getLogger(__name__)

_ARTICLES = re.compile(
    r"(?:\b(?:the|la|le|les|l'|los|las|el|il|lo|gli|die|der|dem|den|des|du|de la|del|al|au|aux|ang|ng|na)\s*)+$"
)
_MAX_TEXT = 2_000_000
_COARSE = {
    Status.delivered: "d", Status.delivering: "d", Status.ordered: "o", Status.agreed: "o",
    Status.negotiating: "i", Status.offered: "i", Status.interest: "i", Status.planned: "i",
    Status.cancelled: "x", Status.denied: "x", Status.unknown: "u",
}


@dataclass
class _Cue:
    start: int
    end: int
    kind: str  # supply | acquire | noun
    status: Status


@dataclass
class _Draft:
    item: SystemMention
    buyer: str | None
    seller: str | None
    status: Status
    span: Span
    quantity: int | None = None
    group: int | None = None
    approx: bool = False
    date: PartialDate | None = None
    role: DateRole | None = None
    hedged: bool = False
    in_comment: bool = False
    confidence: float = 0.8
    attribution: str | None = None
    seller_org: str | None = None
    explicit: set[str] = field(default_factory=set)


def _status_cues(folded: str, lang: str | None, a: int, b: int) -> list[_Cue]:
    out: list[_Cue] = []
    for kind in ("supply", "acquire", "noun"):
        for h in cues(lang, kind).find(folded, a, b):
            try:
                out.append(_Cue(h.start, h.end, kind, Status(h.value)))
            except ValueError:
                continue
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cue] = []
    for c in out:  # drop cues inside longer ones
        if any(k.start <= c.start and c.end <= k.end and (k.end - k.start) > (c.end - c.start) for k in out):
            continue
        kept.append(c)
    return kept


def _nearest(cands: list[_Cue], item: SystemMention) -> _Cue | None:
    if not cands:
        return None
    verbs = [c for c in cands if c.kind != "noun"] or cands

    def dist(c: _Cue) -> int:
        if c.end <= item.start:
            return item.start - c.end
        if c.start >= item.end:
            return c.start - item.end + 5
        return 0

    outcome = [c for c in cands if c.status in (Status.denied, Status.cancelled) and dist(c) < 120]
    if outcome:
        return min(outcome, key=dist)
    return min(verbs, key=dist)


def _prev_words(folded: str, a: int, lo: int) -> str:
    """Folded text just before offset `a` (within the sentence), articles stripped."""
    before = folded[max(lo, a - 40) : a]
    before = _ARTICLES.sub("", before.rstrip())
    return before


def _ends_with(ps_hits: list[Hit], text: str) -> bool:
    return any(h.end == len(text) for h in ps_hits)


def _roles(sent: Span, folded: str, lang: str | None, states: list[StateMention], cue: _Cue) -> tuple[str | None, str | None, set[str]]:
    """Buyer and seller of a cue from the sentence's state mentions."""
    buyer: list[tuple[int, str]] = []
    seller: list[tuple[int, str]] = []
    loose: list[tuple[int, str]] = []
    explicit: set[str] = set()
    for m in states:
        prev = _prev_words(folded, m.start, sent.start)
        d = abs(m.start - cue.start)
        after = folded[m.end : m.end + 30]
        if m.kind == "adjective":
            org_after = [h for h in cues(lang, "org").find(folded, max(sent.start, m.start - 30), m.start)
                         if not folded[h.end : m.start].strip(" '")]
            org_before = [h for h in cues(lang, "org").find(folded, m.end, min(sent.end, m.end + 25))
                          if not folded[m.end : h.start].strip(" '")]
            if not org_after and not org_before:
                if re.match(r"^\s*-?\s*made", after) or True:
                    seller.append((d + 20, m.code))
                    continue
        made = [h for h in cues(lang, "made").find(folded, max(sent.start, m.start - 25), min(sent.end, m.end + 8))]
        if made and m.kind != "adjective":
            seller.append((d, m.code))
            explicit.add("seller")
            continue
        tail = prev[-25:]
        if _ends_with(cues(lang, "from").find(tail), tail):
            seller.append((d, m.code))
            explicit.add("seller")
        elif _ends_with(cues(lang, "to").find(tail), tail):
            buyer.append((d, m.code))
            explicit.add("buyer")
        elif _ends_with(cues(lang, "by").find(tail), tail):
            role = "seller" if cue.kind == "supply" else "buyer" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d, m.code))
        elif _ends_with(cues(lang, "with").find(tail), tail):
            role = "buyer" if cue.kind == "supply" else "seller" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d, m.code))
        elif m.start < cue.start:  # subject position
            role = "seller" if cue.kind == "supply" else "buyer" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d - 10, m.code))
        else:  # object without preposition (dative, indirect object)
            role = "buyer" if cue.kind == "supply" else None
            (buyer if role == "buyer" else loose).append((d + 10, m.code))
    b = min(buyer)[1] if buyer else None
    s = min(seller)[1] if seller else None
    if b and s and b == s:
        others = [c for _, c in sorted(seller) if c != b]
        s = others[0] if others else s
    rest = [c for _, c in sorted(loose) if c not in (b, s)]
    if b is None and rest:
        b = rest.pop(0)
    if s is None and rest:
        s = rest.pop(0)
    return b, s, explicit


def _items(text: str, folded: str, lang: str | None, sent: Span) -> list[SystemMention]:
    named = find_systems(text, sent.start, sent.end)
    gen = [g for g in find_generic(text, folded, lang, sent.start, sent.end)
           if not any(n.start < g.end + 40 and g.start < n.end + 3 for n in named if n.start >= g.start)
           and not any(n.start <= g.start < n.end + 2 for n in named)]
    items = sorted(named + gen, key=lambda x: x.start)
    return items


def _quantity(text: str, folded: str, lang: str | None, sent: Span, item: SystemMention, prev_end: int) -> tuple[int | None, bool]:
    lo = max(sent.start, prev_end, item.start - 70)
    window = text[lo : item.start]
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
        if words_between <= 5:
            ap = n.approx or approx_before(text, folded, lang, n.start)
            return n.value, ap
    if one_article(text, lang, item.start) and item.generic:
        return 1, False
    if approx_before(text, folded, lang, item.start, 40) and item.generic:
        return None, True
    return None, False


def _date_for(ds: list[dates_mod.DateMention], cue: _Cue, item: SystemMention) -> dates_mod.DateMention | None:
    if not ds:
        return None
    return min(ds, key=lambda d: min(abs(d.start - cue.start), abs(d.start - item.start) + 15))


def _role_for(status: Status, d: dates_mod.DateMention) -> DateRole:
    if status in (Status.delivered, Status.delivering):
        return DateRole.delivery
    if status in (Status.ordered, Status.agreed):
        return DateRole.order
    if status == Status.planned and d.future:
        return DateRole.expected_delivery
    return DateRole.announcement


def _in_block(folded: str, lang: str | None, sent: Span, cue: _Cue, item: SystemMention) -> bool:
    blocks = cues(lang, "block").find(folded, sent.start, sent.end)
    for b in blocks:
        db = min(abs(b.start - item.start), abs(b.end - item.start))
        dc = min(abs(cue.start - item.start), abs(cue.end - item.start))
        if db <= dc + 10:
            return True
    return False


def extract(doc: Document) -> list[Claim]:
    """Claims of a document; never raises (returns [] on internal failure)."""
    try:
        return _extract(doc)
    except Exception:  # pragma: no cover - safety net: extraction must never break a batch
        log.exception("extraction failed for %s", doc.name)
        return []


def _extract(doc: Document) -> list[Claim]:
    text = doc.text or ""
    if not text.strip():
        return []
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT]
    lang = (doc.language or "en").lower()[:2]
    folded = fold_keep(text)
    cstart = doc.comment_start if doc.comment_start is not None else len(text) + 1
    drafts: list[_Draft] = []
    last_named: SystemMention | None = None
    body_index = 0
    for sent in sentences(text):
        if len(sent.text) < 12 or not re.search(r"[^\W\d_]{3}", sent.text):
            continue
        body_index += 1
        items = _items(text, folded, lang, sent)
        named = [i for i in items if not i.generic]
        if not named and last_named is not None:
            for h in cues(lang, "anaphor").find(folded, sent.start, sent.end):
                items.append(SystemMention(h.start, h.end, last_named.text, last_named.slug, last_named.canonical,
                                           last_named.category, last_named.origin, last_named.manufacturer))
                break
        if named:
            last_named = named[-1]
        if not items:
            continue
        scs = _status_cues(folded, lang, sent.start, sent.end)
        if not scs:
            continue
        states = find_states(text, folded, lang, sent.start, sent.end)
        ds = None
        hedged_sent = bool(cues(lang, "hedge").find(folded, sent.start, sent.end))
        prev_end = sent.start
        for item in items:
            cue = _nearest(scs, item)
            if cue is None or _in_block(folded, lang, sent, cue, item):
                prev_end = item.end
                continue
            status = cue.status
            neg = [h for h in cues(lang, "negation").find(folded, max(sent.start, cue.start - 25), cue.start)]
            if neg and status not in (Status.denied, Status.cancelled):
                status = Status.denied
            if status in (Status.delivered,) and cue.kind != "noun":
                fut = cues(lang, "future").find(folded, max(sent.start, cue.start - 25), cue.start)
                if fut:
                    status = Status.planned
            b, s, explicit = _roles(sent, folded, lang, [m for m in states if not (item.start <= m.start < item.end)], cue)
            qty, ap = _quantity(text, folded, lang, sent, item, prev_end)
            prev_end = item.end
            if ds is None:
                ds = dates_mod.find_dates(text, folded, lang, doc.published, sent.start, sent.end)
            dm = _date_for(ds, cue, item)
            d = _Draft(item=item, buyer=b, seller=s, status=status, span=sent, quantity=qty, approx=ap,
                       in_comment=sent.start >= cstart, explicit=explicit)
            if dm is not None and not d.in_comment:
                d.date, d.role = dm.date, _role_for(status, dm)
            d.hedged = hedged_sent or status == Status.interest
            if item.generic and qty is None and not ap and named:
                continue  # generic noun accompanying named systems
            d.confidence = 0.8 if (b and s) else 0.5
            d.body_index = body_index  # type: ignore[attr-defined]
            drafts.append(d)
    _groups(text, drafts)
    _fill_parties(drafts)
    claims = []
    for d in _merge(drafts):
        c = _finish(doc, text, d)
        if c is not None:
            claims.append(c)
    return claims


def _groups(text: str, drafts: list[_Draft]) -> None:
    """Coordinated systems sharing one number: 'sept hélicoptères Mi-17 et Mi-35' -> group 7."""
    for a, b in zip(drafts, drafts[1:]):
        if a.span is not b.span or a.quantity is None or b.quantity is not None:
            continue
        between = fold_keep(text[a.item.end : b.item.start]).strip(" ,")
        if re.fullmatch(r"(?:et|and|y|e|und|и|at|mais aussi|but also|ainsi que|as well as|,)?(?:\s*de)?(?:\s*\w{0,10})?", between) and len(between.split()) <= 4:
            b.group = a.quantity
            a.group = a.quantity
            a.quantity = None
            b.approx = a.approx


def _fill_parties(drafts: list[_Draft]) -> None:
    """Missing buyer/seller from the document's dominant parties, then the system's origin."""
    buyers = Counter(d.buyer for d in drafts if d.buyer and d.seller and d.buyer != d.seller)
    sellers = Counter(d.seller for d in drafts if d.buyer and d.seller and d.buyer != d.seller)
    top_b = buyers.most_common(1)[0][0] if buyers else None
    top_s = sellers.most_common(1)[0][0] if sellers else None
    for d in drafts:
        if d.seller is None and d.item.origin and d.item.origin != d.buyer:
            d.seller = d.item.origin
            d.confidence = min(d.confidence, 0.4)
        if d.buyer is None and top_b and top_b != d.seller:
            d.buyer = top_b
            d.confidence = min(d.confidence, 0.4)
        if d.seller is None and top_s and top_s != d.buyer:
            d.seller = top_s
            d.confidence = min(d.confidence, 0.35)
        if d.buyer and d.seller and d.buyer == d.seller and d.item.origin and d.item.origin != d.buyer and "seller" not in d.explicit:
            d.seller = d.item.origin


def _key(d: _Draft) -> tuple:
    fam = d.item.canonical or fold_keep(d.item.text)
    return (d.buyer, d.seller, fam, _COARSE[d.status], d.in_comment)


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """One claim per event: same parties, system and stage merge when quantity and date agree."""
    out: list[_Draft] = []
    for d in drafts:
        for o in out:
            if _key(o) != _key(d):
                continue
            if o.quantity is not None and d.quantity is not None and o.quantity != d.quantity:
                continue
            if o.date is not None and d.date is not None and o.date != d.date:
                continue
            if STATUS_ORDER.get(d.status, -1) > STATUS_ORDER.get(o.status, -1):
                o.status, o.hedged, o.span = d.status, d.hedged, d.span
                continue_merge = True
            else:
                continue_merge = False
            o.quantity = o.quantity if o.quantity is not None else d.quantity
            o.date, o.role = (o.date, o.role) if o.date is not None else (d.date, d.role)
            if not continue_merge and d.status == o.status:
                o.hedged = o.hedged and d.hedged
            break
        else:
            out.append(d)
    return out


def _finish(doc: Document, text: str, d: _Draft) -> Claim | None:
    if not d.buyer or not d.seller or d.buyer == d.seller:
        return None
    date, role = d.date, d.role
    if date is None and not d.in_comment and doc.published is not None:
        current = d.status in (Status.interest, Status.negotiating, Status.offered, Status.planned,
                               Status.cancelled, Status.denied, Status.delivering)
        if current or getattr(d, "body_index", 99) <= 3:
            date, role = doc.published, DateRole.announcement
    item = d.item
    cat = None
    if item.category:
        try:
            cat = Category(item.category)
        except ValueError:
            cat = Category.other
    quote = d.span.text
    try:
        return Claim(
            buyer=d.buyer, seller=d.seller, seller_org=d.seller_org,
            system=item.text, system_canonical=item.canonical, system_category=cat,
            quantity=None if d.group is not None else d.quantity, quantity_group=d.group,
            approx=d.approx, date=date, date_role=role if date else None, status=d.status,
            hedged=d.hedged, in_comment=d.in_comment, attribution=d.attribution,
            confidence=round(d.confidence, 2),
            evidence=Evidence(quote=quote, start=d.span.start, end=d.span.end),
            extractor=EXTRACTOR, extractor_version=EXTRACTOR_VERSION,
        )
    except ValueError:
        return None
