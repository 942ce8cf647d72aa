"""Draft claims before they become claims: companies and attributions, shared group numbers, the
fall-back parties (seller provenance), one claim per event (merging, final outcomes), and the
features the ranker scores a candidate by."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from armskb.loaders.cues import all_cues, cues
from armskb.loaders.extraction.stages import COARSE
from armskb.loaders.gazetteer import SystemMention, find_companies
from armskb.loaders.lexicon import fold_keep
from armskb.loaders.makers import MULTINATIONAL, company_home
from armskb.loaders.text import Span
from armskb.models import STATUS_ORDER, DateRole, PartialDate, Status


@dataclass
class Draft:
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
    body_index: int = 99
    schedule: bool = False
    guessed_buyer: bool = False
    multinational: bool = False  # supplied by a multinational company: no supplier state
    now: bool = False  # the sentence says 'now' ('à présent', 'jetzt'): current news, dated by publication
    cue_kind: str = "noun"
    seller_from: str = "text"  # text | doc (the article's dominant supplier) | origin (the system's maker)
    seller_inferred: str | None = None  # the system's origin state when the text names no supplier
    coordinated: bool = False  # a buyer joined to the sentence's buyer by 'and'
    from_discourse: bool = False  # the item is the salient system of earlier sentences
    n_items: int = 1
    n_states: int = 0


_SOURCE_TAIL = re.compile(r"^[\s,]*(?:the\s+|la\s+|le\s+|el\s+|der\s+|die\s+|il\s+)?((?:[\w'’.«»\"-]+\s*){1,6}?)(?=[,.;:»\"]|\s+(?:that|que|dass|che|что|on|in)\b|$)", re.I)


def companies_and_sources(text: str, folded: str, lang: str | None, drafts: list[Draft]) -> None:
    """seller_org: a company named in the claim's sentence (nearest to the item), else the system's
    maker when the article names it; attribution: who the sentence cites ('according to X', 'X said')."""
    doc_companies = {name for _, _, name in find_companies(text, folded)}
    per_span: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    attributions: dict[tuple[int, int], str | None] = {}
    for d in drafts:
        key = (d.span.start, d.span.end)
        if key not in per_span:
            per_span[key] = find_companies(text, folded, d.span.start, d.span.end)
        comps = [c for c in per_span[key] if not (c[0] < d.item.end and d.item.start < c[1])]
        if comps:
            d.seller_org = min(comps, key=lambda c: abs(c[0] - d.item.start))[2]
        elif d.item.manufacturer:
            for part in re.split(r"\s*/\s*", d.item.manufacturer):
                if part in doc_companies and fold_keep(part) not in fold_keep(d.item.text):
                    d.seller_org = part
                    break
        if key not in attributions:
            attributions[key] = attribution_of(text, folded, lang, d.span)
        d.attribution = attributions[key]


def attribution_of(text: str, folded: str, lang: str | None, sent: Span) -> str | None:
    for h in cues(lang, "according").find(folded, sent.start, sent.end):
        m = _SOURCE_TAIL.match(text, h.end, sent.end)
        if m and m.group(1).strip():
            return m.group(1).strip(" ,")
    for h in cues(lang, "say").find(folded, sent.start, sent.end):
        before = text[max(sent.start, h.start - 60) : h.start]
        if not before.rstrip().endswith((",", "»", '"', "”")):  # 'Defence sources told ANI', 'Kirby said'
            m = re.search(r"((?:[A-ZА-ЯЁ][\w'’.-]+\s+){0,3}[A-ZА-ЯЁ][\w'’.-]+|(?:\w+\s+)?sources?|(?:\w+\s+)?media|"
                          r"(?:\w+\s+)?источники|(?:\w+\s+)?sources?|(?:\w+\s+)?fuentes|(?:\w+\s+)?Quellen)\s*$", before)
            if m:
                return m.group(1).strip()
        after = text[h.end : min(sent.end, h.end + 60)]  # '..., a indiqué le ministère', ', sagte die Ministerin'
        m = re.match(r"\s*((?:[\w'’.-]+\s*){1,4}?)(?=[,.;:]|\s+(?:on|in|to|au|à|en|am|im|в|на)\b|$)", after)
        if m and m.group(1).strip():
            return m.group(1).strip()
    return None


def share_group_numbers(text: str, drafts: list[Draft]) -> None:
    """Coordinated systems sharing one number: 'sept hélicoptères Mi-17 et Mi-35' -> group 7."""
    for a, b in zip(drafts, drafts[1:]):
        if a.span is not b.span or a.quantity is None or b.quantity is not None or a.item.start == b.item.start:
            continue
        between = fold_keep(text[a.item.end : b.item.start]).strip(" ,")
        if re.search(r"(?<!\w)(?:des|les|the|some|los|las|unos|unas|die|einige|gli|dei|delle|degli|ang|mga)(?!\w)", between):
            continue  # "deux hélicoptères et des radars": the second item has its own determiner
        if re.fullmatch(r"(?:et|and|y|e|und|и|at|mais aussi|but also|ainsi que|as well as|,)?(?:\s*de)?(?:\s*\w{0,10})?", between) and len(between.split()) <= 4:
            b.group = a.quantity
            a.group = a.quantity
            a.quantity = None
            b.approx = a.approx


def maker_named(item: SystemMention, companies: set[str]) -> bool:
    """The article names the system's manufacturer."""
    return any(part.strip() in companies for part in re.split(r"\s*/\s*|\s*;\s*", item.manufacturer or ""))


def fill_parties(drafts: list[Draft], votes_b: Counter[str], votes_s: Counter[str],
                  doc_states: set[str], doc_companies: set[str]) -> None:
    """Missing buyer/seller from the document's dominant parties, then the system's origin when the
    article names that state or the system's maker (else `seller_inferred` only)."""
    buyers = votes_b - votes_s
    sellers = votes_s - votes_b
    top_b = buyers.most_common(1)[0][0] if buyers else None
    top_s = sellers.most_common(1)[0][0] if sellers else None
    for d in drafts:
        origin = d.item.origin if d.item.origin and d.item.origin != d.buyer else None
        # GUIDELINES: the seller is named or clear from the text: the maker state when the article
        # names it or the system's maker; otherwise it is only inferred (seller stays null)
        home = company_home(d.seller_org) if d.seller_org else None
        if home and home != MULTINATIONAL and home != d.buyer and d.seller is None:
            # the supplying company's home state: the seller when the article names that state,
            # else only inferred (the text gives the company, not its state)
            if home in doc_states:
                d.seller, d.seller_from = home, "company_home"
            else:
                origin = origin or home
        in_text = origin is not None and (origin in doc_states or maker_named(d.item, doc_companies))
        if d.seller is None and in_text:
            d.seller, d.seller_from = origin, "origin_in_text"
            d.confidence = min(d.confidence, 0.4)
        if d.buyer is None and top_b and top_b != (d.seller or origin):
            d.buyer, d.guessed_buyer = top_b, True
            d.confidence = min(d.confidence, 0.4)
        if d.seller is None and top_s and top_s != d.buyer:
            d.seller, d.seller_from = top_s, "doc"
            d.confidence = min(d.confidence, 0.35)
        if d.buyer and d.seller and d.buyer == d.seller and origin and origin != d.buyer and "seller" not in d.explicit:
            d.seller, d.seller_from = (origin, "origin_in_text") if in_text else (None, "none")
        if d.seller is None and origin and origin != d.buyer:
            d.seller_inferred, d.seller_from = origin, "origin"
            d.confidence = min(d.confidence, 0.4)


def event_key(d: Draft) -> tuple:
    fam = d.item.canonical or fold_keep(d.item.text)
    if d.item.generic and d.item.category == "other" and d.quantity is None:
        fam = "~other"  # 'arms', 'weapons', 'ammunition' of one story are one object
    return (d.buyer, d.seller, fam, COARSE[d.status], d.in_comment)


def merge_drafts(drafts: list[Draft]) -> list[Draft]:
    """One claim per event: same parties, system and stage merge when quantity and date agree.
    A future delivery schedule of a deal already ordered/agreed is part of that deal, not a claim."""
    deals: dict[tuple, set[int | None]] = {}
    for d in drafts:
        if d.status in (Status.ordered, Status.agreed, Status.delivering):
            deals.setdefault((d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)), set()).add(d.quantity)

    def of_deal(d: Draft) -> bool:  # 'will sell 140 more' after 'the 40 … bought' is a new deal
        qs = deals.get((d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)))
        return qs is not None and (d.quantity is None or d.quantity in qs or None in qs)

    drafts = [d for d in drafts if not (d.schedule and of_deal(d))]
    # final outcomes override earlier stages of the same deal (GUIDELINES §3): a denial or a
    # cancellation of a (buyer, seller, system) in the body leaves no other stage of it
    final = {(d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)) for d in drafts
             if d.status in (Status.denied, Status.cancelled) and not d.in_comment}
    drafts = [d for d in drafts if d.status in (Status.denied, Status.cancelled) or d.in_comment
              or (d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)) not in final]
    out: list[Draft] = []
    for d in drafts:
        for o in out:
            if event_key(o) != event_key(d):
                continue
            if o.quantity is not None and d.quantity is not None and o.quantity != d.quantity:
                continue
            on, dn = (o.quantity, o.group), (d.quantity, d.group)
            if any(x is not None for x in on) and any(x is not None for x in dn) and on != dn:
                continue  # 'cinq drones … acquis en 2022' vs 'une douzaine de modèles TB2 mais aussi …'
            if o.date is not None and d.date is not None and o.date != d.date:
                continue
            if STATUS_ORDER.get(d.status, -1) > STATUS_ORDER.get(o.status, -1):
                o.status, o.hedged, o.span = d.status, d.hedged, d.span
                continue_merge = True
            else:
                continue_merge = False
            o.quantity = o.quantity if o.quantity is not None else d.quantity
            o.group = o.group if o.group is not None else d.group
            o.date, o.role = (o.date, o.role) if o.date is not None else (d.date, d.role)
            if not continue_merge and d.status == o.status:
                o.hedged = o.hedged and d.hedged
            break
        else:
            out.append(d)
    return out


def multinational_suppliers(drafts: list[Draft]) -> None:
    """A multinational company as the only supplier ('le missilier MBDA a vendu'): no supplier
    state unless the text names one (`cues.csv` kind `multinational`; GUIDELINES: seller null)."""
    ps = all_cues("multinational")
    for d in drafts:
        if d.seller_org and "seller" not in d.explicit:
            f = fold_keep(d.seller_org)
            if any(h.start == 0 and h.end == len(f) for h in ps.find(f)):
                d.seller, d.multinational = None, True


def features(d: Draft, lang: str) -> dict[str, float]:
    """What the ranker sees of a candidate: how its parties were found, its stage cue, its item."""
    f: dict[str, float] = {
        "bias_both_in_sentence": float(d.confidence >= 0.8),
        "buyer_explicit": float("buyer" in d.explicit),
        "seller_explicit": float("seller" in d.explicit),
        "buyer_guessed": float(d.guessed_buyer),
        "buyer_coordinated": float(d.coordinated),
        "seller_from_" + d.seller_from: 1.0,
        "seller_null": float(d.seller is None),
        "cue_" + d.cue_kind: 1.0,
        "status_" + COARSE[d.status]: 1.0,
        "hedged": float(d.hedged),
        "in_comment": float(d.in_comment),
        "item_generic": float(d.item.generic),
        "item_from_discourse": float(d.from_discourse),
        "item_vague": float(d.item.generic and d.item.category in (None, "other")),
        "has_quantity": float(d.quantity is not None or d.group is not None),
        "has_date": float(d.date is not None),
        "has_org": float(d.seller_org is not None),
        "schedule": float(d.schedule),
        "lead": float(d.body_index <= 3),
        "position": min(d.body_index, 30) / 30.0,
        "many_items": float(d.n_items >= 3),
        "many_states": float(d.n_states >= 3),
        "no_state_in_sentence": float(d.n_states == 0),
    }
    return {k: v for k, v in f.items() if v}
