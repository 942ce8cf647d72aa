"""Claim extraction: sentences -> candidate (buyer, seller, system, quantity, date, status) claims,
kept or dropped by the ranker.

Per sentence: weapon items (`extraction.items`: named systems, generic nouns, anaphora and counter
nouns resolved to the salient system), stage cues per verb class and the blocking contexts
(`extraction.stages`), role frames from prepositions, subject position and verb class, origin
adjectives and coordination (`extraction.roles`). Drafts then get companies, attributions, group
numbers and the fall-back parties (the seller only when the text names or makes it clear, else
`seller_inferred`), and merge into one claim per event (`extraction.drafts`). Every candidate carries
features; the shipped ranker (`loaders.ranker`, weights in `ontology/reference/ranker.json` when
present) decides which become claims. All word lists are data files under `ontology/reference/`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from armskb.errors import ArmskbError
from armskb.loaders import dates as dates_mod
from armskb.loaders.cues import cues
from armskb.loaders.cues import languages as cue_languages
from armskb.loaders.extraction.drafts import (Draft, companies_and_sources, features, fill_parties, merge_drafts, multinational_suppliers, share_group_numbers)
from armskb.loaders.extraction.items import as_named, find_items, quantity_at, resolve_generics, umbrella
from armskb.loaders.extraction.roles import assign_roles, gapped_recipients
from armskb.loaders.extraction.stages import (Cue, date_for, date_role_for, in_block, nearest_cue, other_events, status_cues)
from armskb.loaders.gazetteer import StateMention, SystemMention, find_companies, find_states, find_systems
from armskb.loaders.lexicon import Hit, fold_keep
from armskb.loaders.makers import made_in
from armskb.loaders.quantities import numbers
from armskb.loaders.ranker import Ranker, default_ranker
from armskb.loaders.text import Span, sentences
from armskb.models import Category, Claim, DateRole, Document, Evidence, Status

EXTRACTOR = "armskb.rules"
EXTRACTOR_VERSION = "0.7.0"

log = logging.getLogger(__name__)
_MAX_TEXT = 2_000_000
_SALIENCE_SENTENCES = 3  # how many sentences back a named system stays salient for counter nouns


class ExtractionError(ArmskbError):
    """Extraction failed on a document (names the document); callers skip it and go on."""


@dataclass
class Candidate:
    """A candidate claim and the features the ranker scores it by."""

    claim: Claim
    features: dict[str, float]


def extract(doc: Document, ranker: Ranker | None = None, *, warn: bool = True) -> list[Claim]:
    """Claims of a document: the candidates the ranker keeps (`ranker` default: the shipped one).
    A language without cue words is logged as a warning (`warn=False`: the caller reports it).

    Raises ExtractionError (naming the document) on an internal failure, never anything else."""
    ranker = ranker if ranker is not None else default_ranker()
    warning = language_warning(doc) if warn else None
    if warning:
        log.warning(warning)
    found = candidates(doc)
    return [c.claim for c in found if ranker is None or ranker.keep(c.features)]


def language_warning(doc: Document) -> str | None:
    """A warning when the extractor has no cue words for the document's language (it then reads
    the text with the English cues, so claims are likely missed), else None."""
    lang = (doc.language or "").lower()[:2]
    if lang and lang not in cue_languages():
        return (f"{doc.name}: language {lang!r} has no extraction cue words (read with English cues; "
                f"supported: {', '.join(sorted(cue_languages()))})")
    return None


def candidates(doc: Document) -> list[Candidate]:
    """Every candidate claim of a document, with ranker features; raises ExtractionError."""
    try:
        return _extract(doc)
    except ArmskbError:
        raise
    except Exception as e:
        raise ExtractionError(f"extraction failed for {doc.name}: {type(e).__name__}: {e}") from e


def _extract(doc: Document) -> list[Candidate]:
    text = doc.text or ""
    if not text.strip():
        return []
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT]
    lang = (doc.language or "en").lower()[:2]
    folded = fold_keep(text)
    cstart = doc.comment_start if doc.comment_start is not None else len(text) + 1
    drafts: list[Draft] = []
    last_named: SystemMention | None = None
    recent: dict[str, SystemMention] = {}  # last named system per category (body only)
    votes_b: Counter[str] = Counter()  # document-level recipient / supplier evidence
    votes_s: Counter[str] = Counter()
    body_systems = find_systems(text, 0, min(len(text), cstart))
    doc_named = bool(body_systems)
    # the article's only named system of a category: what a generic noun of that category refers to
    # ('dos fragatas usadas' ... 'dos barcos tipo Adelaida')
    fams: dict[str, dict[str, SystemMention]] = {}
    for n in body_systems:
        fams.setdefault(n.category or "", {}).setdefault(n.canonical or n.text, n)
    only = {c: next(iter(f.values())) for c, f in fams.items() if len(f) == 1 and c}
    # the article's one named system, if it names just one: salient for counter nouns throughout
    families = {n.canonical or n.text for n in body_systems}
    single = body_systems[0] if len(families) == 1 else None
    body_index = 0
    last_named_at = 0
    from_discourse: set[int] = set()  # ids of items that take the salient system of earlier sentences
    frame: Draft | None = None  # the last draft with both parties, and its sentence
    frame_at = -1
    title = fold_keep(doc.title or "").strip().rstrip(".")
    for sent in sentences(text):
        if len(sent.text) < 12 or not re.search(r"[^\W\d_]{3}", sent.text):
            continue
        if title and fold_keep(sent.text).strip().rstrip(".") == title:
            continue  # the headline repeated above the body (header lines are not evidence)
        body_index += 1
        items = find_items(text, folded, lang, sent)
        named = [i for i in items if not i.generic]
        if not named and last_named is not None and not any(i.generic for i in items):
            for h in cues(lang, "anaphor").find(folded, sent.start, sent.end):
                items.append(as_named(h.start, h.end, last_named))
                break
        items = resolve_generics(text, folded, lang, sent, items, named, {**only, **recent}, last_named, fams)
        salient = last_named if last_named is not None and body_index - last_named_at <= _SALIENCE_SENTENCES else single
        if salient is not None and not any(not i.generic for i in items):
            # a counter noun or pronoun with no system of its own ('24 units', 'en a commandé douze',
            # '36 комплексов') refers to the salient system of the preceding sentences
            for h in cues(lang, "unitnoun").find(folded, sent.start, sent.end):
                pronoun = " " in h.value or " " in folded[h.start : h.end].strip()
                if not pronoun and not numbers(text, lang, max(sent.start, h.start - 25), h.start):
                    continue  # a bare 'systems' is no reference; '36 комплексов', '24 of them' are
                ref = as_named(h.start, h.end, salient)
                items.append(ref)
                from_discourse.add(id(ref))
            items.sort(key=lambda x: x.start)
        for n in named:
            if sent.start < cstart:
                recent[n.category or ""] = n
        if named:
            last_named, last_named_at = named[-1], body_index
        if not items:
            continue
        scs = status_cues(folded, lang, sent.start, sent.end)
        if not scs:
            if frame is not None and frame_at == body_index - 1:
                drafts += _continuation(text, folded, lang, sent, items, frame, body_index)
                frame_at = body_index  # a list may run over several sentences
            continue
        states = find_states(text, folded, lang, sent.start, sent.end)
        ds = None
        hedged_sent = bool(cues(lang, "hedge").find(folded, sent.start, sent.end))
        prev_end = sent.start
        pairs: list[tuple[SystemMention, Cue | None, bool]] = []
        for item in items:
            cue = nearest_cue(scs, item)
            pairs.append((item, cue, False))
            if cue is not None and len(scs) > 1 and len(items) < 20:
                pairs += [(item, c, True) for c in other_events(folded, scs, items, item, cue)]
        blocks: list[Hit] | None = None
        now_sent: bool | None = None
        role_memo: dict = {}
        item_prev: dict[int, int] = {}
        item_parties: dict[int, tuple[str | None, str | None, set[str]]] = {}
        gapped: dict[int, list[tuple[str, int]]] = {}
        origin_cues = made_in(text, folded, lang, sent.start, sent.end)
        for item, cue, extra in pairs:
            if not extra:
                item_prev[id(item)] = prev_end
            if cue is not None and blocks is None:
                blocks = cues(lang, "block").find(folded, sent.start, sent.end)
            if cue is None or in_block(folded, lang, sent, cue, item, blocks):
                prev_end = item.end
                continue
            status = cue.status
            neg = [h for h in cues(lang, "negation").find(folded, max(sent.start, cue.start - 25), cue.start)]
            if neg and status not in (Status.denied, Status.cancelled):
                status = Status.denied
            schedule = False
            if status in (Status.delivered,) and cue.kind != "noun":
                fut = cues(lang, "future").find(folded, max(sent.start, cue.start - 25), cue.start)
                if fut:
                    status, schedule = Status.planned, True
            elif status == Status.planned and cue.kind == "supply":
                schedule = True  # "will deliver": the schedule of a deal
            role_cue = cue
            if cue.kind == "noun":
                verbs = [c for c in scs if c.kind != "noun"]
                if verbs:
                    role_cue = min(verbs, key=lambda c: abs(c.start - item.start))
            if id(item) not in gapped:
                gapped[id(item)] = _gapped(text, folded, lang, states, item, sent.end)
            listed = {c for c, _ in gapped[id(item)]}
            b, s, explicit = assign_roles(sent, folded, lang, [m for m in states if not (item.start <= m.start < item.end)
                                                               and not (m.code in listed and m.start > item.end)],
                                    role_cue, item.origin, items, item, role_memo, origin_cues)
            if extra and id(item) in item_parties:
                b, s, explicit = item_parties[id(item)]  # another event of the same transfer
            elif not extra:
                item_parties[id(item)] = (b, s, explicit)
            for code, vote in ((b, votes_b), (s, votes_s)):
                if code:
                    vote[code] += 2 if (b and s) else 1
            qty, ap, num_end = quantity_at(text, folded, lang, sent, item, item_prev.get(id(item), prev_end))
            group = None
            if extra and num_end == -1:
                qty = None  # the order of a series whose n-th unit is delivered here
            if schedule and qty is not None and num_end is not None and num_end >= 0 and any(
                    not folded[num_end : h.start].strip() for h in cues(lang, "more").find(folded, num_end, min(sent.end, num_end + 25))):
                schedule = False  # 'to sell 140 more M-1 tanks': a further deal, not the schedule of the last one
            if num_end == -2 and status not in (Status.ordered, Status.agreed):
                qty = None  # a first lot of the whole order: the number is the order's, not the lot's
            if qty is not None and num_end is not None and num_end >= 0 and umbrella(folded, lang, item, num_end):
                qty, group = None, qty
            prev_end = item.end
            if extra and status in (Status.planned, Status.interest):
                qty, ap, group = None, False, None  # 'supplying 44 tanks ... likely to order more': a further intention
            if ds is None:
                ds = dates_mod.find_dates(text, folded, lang, doc.published, sent.start, sent.end)
            dm = date_for(ds, cue, item, folded, lang)
            d = Draft(item=item, buyer=b, seller=s, status=status, span=sent, quantity=qty, group=group, approx=ap,
                       in_comment=sent.start >= cstart, explicit=explicit)
            if dm is not None and not d.in_comment:
                d.date, d.role = dm.date, date_role_for(status, dm)
            d.hedged = hedged_sent or status == Status.interest
            if now_sent is None:
                now_sent = bool(cues(lang, "now").find(folded, sent.start, sent.end))
            d.now = now_sent
            if b and s and not extra and not d.in_comment:
                frame, frame_at = d, body_index  # what a following list sentence continues
            typed = any(not folded[h.end : item.start].strip() for h in
                        cues(lang, "sorts").find(folded, max(sent.start, item.start - 20), item.start))
            if item.generic and item.text and qty is None and group is None and not ap and not typed and (
                    named or any(o is not item and (o.slug or o.start < item.start) for o in items)
                    or (item.category == "other" and doc_named)):
                continue  # generic noun accompanying other items, or vague "weapons" in an article naming systems
            d.confidence = 0.8 if (b and s) else 0.5
            d.body_index, d.schedule = body_index, schedule
            d.cue_kind, d.n_items, d.n_states = cue.kind, len(items), len({m.code for m in states})
            d.from_discourse = id(item) in from_discourse
            drafts.append(d)
            for joined in sorted(x[1:] for x in explicit if x.startswith("+")):
                drafts.append(Draft(**{**d.__dict__, "buyer": joined, "explicit": set(), "coordinated": True}))
            if b and not extra and d.quantity is not None:
                for code, n in gapped.get(id(item), []):
                    if code not in (b, s):
                        drafts.append(Draft(**{**d.__dict__, "buyer": code, "quantity": n, "group": None,
                                               "explicit": set(), "coordinated": True}))
    companies_and_sources(text, folded, lang, drafts)
    share_group_numbers(text, drafts)
    body = min(len(text), cstart)
    doc_states = {m.code for m in find_states(text, folded, lang, 0, body)}
    doc_companies = {name for _, _, name in find_companies(text, folded, 0, body)}
    fill_parties(drafts, votes_b, votes_s, doc_states, doc_companies)
    multinational_suppliers(drafts)
    out: list[Candidate] = []
    for d in merge_drafts(drafts):
        c = _finish(doc, text, d)
        if c is not None:
            out.append(Candidate(c, features(d, lang)))
    return out


def _continuation(text: str, folded: str, lang: str, sent: Span, items: list[SystemMention], frame: Draft,
                  body_index: int) -> list[Draft]:
    """A sentence without stage cue and without states that lists counted or named items right after a
    claim ('Dabei handelt es sich um zwei …, zehn … und …', 'The package includes 12 … and 4 …')
    continues that claim: its items take the frame's parties, stage and date."""
    if find_states(text, folded, lang, sent.start, sent.end):
        return []
    out: list[Draft] = []
    prev_end = sent.start
    for item in items:
        qty, ap, _ = quantity_at(text, folded, lang, sent, item, prev_end)
        prev_end = item.end
        if qty is None and (item.generic or not item.text):
            continue
        d = Draft(item=item, buyer=frame.buyer, seller=frame.seller, status=frame.status, span=sent, quantity=qty,
                  approx=ap, date=frame.date, role=frame.role, hedged=frame.hedged, explicit=set(frame.explicit))
        d.confidence, d.body_index, d.cue_kind = 0.5, body_index, frame.cue_kind
        d.from_discourse = True
        out.append(d)
    return out if sum(d.quantity is not None for d in out) >= 2 else []  # a list, not a remark


def _gapped(text: str, folded: str, lang: str, states: list[StateMention], item: SystemMention,
            end: int) -> list[tuple[str, int]]:
    """Gapped recipients after the item, or after the first recipient that follows it ('to Serbia and 20 to Bolivia')."""
    found = gapped_recipients(text, folded, lang, states, item.end, end)
    if not found:
        after = [m for m in states if m.start >= item.end and m.kind != "adjective"]
        if after:
            found = gapped_recipients(text, folded, lang, states, min(after, key=lambda m: m.start).end, end)
    return found


def _finish(doc: Document, text: str, d: Draft) -> Claim | None:
    if not d.buyer or not (d.seller or d.multinational or d.seller_inferred) or d.buyer == d.seller:
        return None
    if d.guessed_buyer and d.status in (Status.interest, Status.negotiating):
        return None  # interest needs its party in the sentence ('a number of countries have shown interest')
    date, role = d.date, d.role
    if date is None and not d.in_comment and doc.published is not None:
        current = d.status in (Status.interest, Status.negotiating, Status.offered, Status.planned,
                               Status.cancelled, Status.denied, Status.delivering)
        if current or d.body_index <= 3 or d.now:
            date, role = doc.published, DateRole.announcement
    item = d.item
    cat = None
    if item.category:
        try:
            cat = Category(item.category)
        except ValueError:
            cat = Category.other
    conf = d.confidence  # 0.8 both parties in the sentence, 0.5 one, <= 0.4 from fall-backs
    if d.hedged:
        conf -= 0.15
    if d.in_comment:
        conf -= 0.25
    if item.generic:
        conf -= 0.05
    d.confidence = max(0.05, conf)
    quote = d.span.text
    if not item.text:  # unnamed materiel ("équipements et armes")
        cat = None
    try:
        return Claim(
            buyer=d.buyer, seller=d.seller, seller_org=d.seller_org,
            system=item.text or None, system_canonical=item.canonical, system_category=cat,
            quantity=None if d.group is not None else d.quantity, quantity_group=d.group,
            approx=d.approx, date=date, date_role=role if date else None, status=d.status,
            hedged=d.hedged, in_comment=d.in_comment, attribution=d.attribution, seller_inferred=d.seller_inferred,
            confidence=round(d.confidence, 2),
            evidence=Evidence(quote=quote, start=d.span.start, end=d.span.end),
            extractor=EXTRACTOR, extractor_version=EXTRACTOR_VERSION,
        )
    except ValueError:
        return None
