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

from armskb.errors import ArmskbError
from armskb.loaders import dates as dates_mod
from armskb.loaders.cues import all_cues, cues
from armskb.loaders.cues import languages as cue_languages
from armskb.loaders.gazetteer import (StateMention, SystemMention, find_companies, find_generic, find_states, find_systems,
                                      state_adjectives)
from armskb.loaders.lexicon import Hit, fold_keep
from armskb.loaders.quantities import approx_before, first_one, numbers, one_article, ordinal_unit, part_of_whole
from armskb.loaders.ranker import Ranker, default_ranker
from armskb.loaders.text import Span, sentences
from armskb.models import STATUS_ORDER, Category, Claim, DateRole, Document, Evidence, PartialDate, Status

EXTRACTOR = "armskb.rules"
EXTRACTOR_VERSION = "0.6.0"

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
    body_index: int = 99
    schedule: bool = False
    guessed_buyer: bool = False
    multinational: bool = False  # supplied by a multinational company: no supplier state
    now: bool = False  # the sentence says 'now' ('à présent', 'jetzt'): current news, dated by publication
    cue_kind: str = "noun"
    seller_from: str = "text"  # text | doc (the article's dominant supplier) | origin (the system's maker)
    seller_inferred: str | None = None  # the system's origin state when the text names no supplier
    coordinated: bool = False  # a buyer joined to the sentence's buyer by 'and'
    n_items: int = 1
    n_states: int = 0


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


def _cue_dist(c: _Cue, item: SystemMention) -> int:
    if c.end <= item.start:
        return item.start - c.end
    if c.start >= item.end:
        return c.start - item.end + 5
    return 0


def _other_events(folded: str, scs: list[_Cue], items: list[SystemMention], item: SystemMention,
                  cue: _Cue) -> list[_Cue]:
    """Further events of one item in its sentence ('the deal for 44 VT5 was inked in 2019 ... the
    first VT5 landed on April 23, 2020'; 'bought ... recently arrived'; 'is supplying ... likely to
    order more'): verb cues of another coarse stage whose nearest item is this one, one per stage."""
    out: list[_Cue] = []
    seen = {_COARSE[cue.status]}
    for c in sorted((c for c in scs if c.kind != "noun" and c is not cue), key=lambda c: _cue_dist(c, item)):
        if _COARSE[c.status] in seen or c.status in (Status.denied, Status.cancelled):
            continue
        if cue.status in (Status.denied, Status.cancelled):
            break  # a final outcome overrides the earlier stages of the same sentence
        real = [i for i in items if not (i.generic and i.category == "other")] or items
        if min(real, key=lambda i: _cue_dist(c, i)) is not item:
            continue  # ('munitions' next to the cue accompanies the named item, it is no event of its own)
        if folded[min(c.end, cue.end) : max(c.start, cue.start)].strip() == "":
            continue  # adjacent cues are one phrase
        seen.add(_COARSE[c.status])
        out.append(c)
    return out


def _prev_words(folded: str, a: int, lo: int) -> str:
    """Folded text just before offset `a` (within the sentence), articles stripped."""
    before = folded[max(lo, a - 40) : a]
    before = _ARTICLES.sub("", before.rstrip())
    return before.rstrip()


def _ends_with(ps_hits: list[Hit], text: str) -> bool:
    return any(h.end == len(text) for h in ps_hits)


def _modifies_item(folded: str, m: StateMention, items: list[SystemMention]) -> bool:
    """An origin adjective stands next to a weapon noun: 'Russian S-400', 'armes russes', 'China-made'."""
    for i in items:
        gap = folded[m.end : i.start] if i.start >= m.end else folded[i.end : m.start] if m.start >= i.end else ""
        if i.start < m.end and m.start < i.end:
            return True
        if i.start >= m.end and len(gap) <= 30 and len(gap.split()) <= 3 and not re.search(r"[,;:.]", gap):
            return True
        if m.start >= i.end and len(gap) <= 14 and len(gap.split()) <= 2 and not re.search(r"[,;:.]", gap):
            return True
    return False


def _state_context(sent: Span, folded: str, lang: str | None, m: StateMention) -> tuple[bool, bool, bool, str | None]:
    """What surrounds a state mention, independent of the item and cue (computed once per sentence):
    a source noun next to it, an organisation noun next to it, an origin marker ('-made',
    'developed by'), and the role preposition that ends right before it."""
    src = cues(lang, "source")
    src_skip = (any(not folded[m.end : h.start].strip() for h in src.find(folded, m.end, min(sent.end, m.end + 12)))
                or any(not folded[h.end : m.start].strip() for h in src.find(folded, max(sent.start, m.start - 12), m.start)))
    org_after = [h for h in cues(lang, "org").find(folded, max(sent.start, m.start - 30), m.start)
                 if not folded[h.end : m.start].strip(" '")]
    org_before = [h for h in cues(lang, "org").find(folded, m.end, min(sent.end, m.end + 25))
                  if not folded[m.end : h.start].strip(" '")]
    made = bool(cues(lang, "made").find(folded, max(sent.start, m.start - 25), min(sent.end, m.end + 8)))
    tail = _prev_words(folded, m.start, sent.start)[-25:]
    tail_kind = None
    for kind in ("from", "to", "by", "with", "at"):
        if _ends_with(cues(lang, kind).find(tail), tail):
            tail_kind = kind
            break
    return src_skip, bool(org_after or org_before), made, tail_kind


def _roles(sent: Span, folded: str, lang: str | None, states: list[StateMention], cue: _Cue,
           origin: str | None = None, items: list[SystemMention] | None = None,
           item: SystemMention | None = None,
           memo: dict | None = None) -> tuple[str | None, str | None, set[str]]:
    """Buyer and seller of a cue from the sentence's state mentions."""
    buyer: list[tuple[int, str]] = []
    seller: list[tuple[int, str]] = []
    loose: list[tuple[int, str]] = []
    explicit: set[str] = set()
    weak: set[str] = set()  # roles from the subject position only
    for m in states:
        key = (sent.start, m.start, m.end)
        info = memo.get(key) if memo is not None else None
        if info is None:
            info = _state_context(sent, folded, lang, m)
            if memo is not None:
                memo[key] = info
        src_skip, org_any, made, tail_kind = info
        d = abs(m.start - cue.start)
        if m.kind == "adjective" and src_skip:
            continue  # 'Chilean media', 'la presse marocaine' are sources, not parties
        if m.kind == "adjective" and item is not None and items is not None and _modifies_item(folded, m, items) \
                and not _modifies_item(folded, m, [item]) and not (item.start < m.end and m.start < item.end):
            continue  # 'the F-35 … a deal for the Russian S-400': the adjective belongs to another item
        if m.kind == "adjective" and items is not None and not _modifies_item(folded, m, items):
            pass  # an adjective of a person or body ('the Thai government'): positional roles below
        elif m.kind == "adjective":
            if not org_any:
                seller.append((d + 20, m.code))
                continue
        if made and m.kind != "adjective":
            seller.append((d, m.code))
            explicit.add("seller")
            continue
        if tail_kind == "from":
            seller.append((d, m.code))
            explicit.add("seller")
        elif tail_kind == "to":
            buyer.append((d, m.code))
            explicit.add("buyer")
        elif tail_kind == "by":
            role = "seller" if cue.kind == "supply" else "buyer" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d, m.code))
        elif tail_kind == "with":
            role = "buyer" if cue.kind == "supply" else "seller" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d, m.code))
        elif tail_kind == "at" and m.kind in ("capital", "metonym"):
            continue  # a place ('a ceremony near Madrid', 'in Ukraine'), not a party
        elif m.start < cue.start:  # subject position
            role = "seller" if cue.kind == "supply" else "buyer" if cue.kind == "acquire" else None
            (seller if role == "seller" else buyer if role == "buyer" else loose).append((d - 10, m.code))
            weak.add(m.code)
        else:  # object without preposition (dative, indirect object)
            role = "buyer" if cue.kind == "supply" else None
            (buyer if role == "buyer" else loose).append((d + 10, m.code))
    # two suppliers and no recipient (or the reverse): the positional one takes the free role
    # ("la Marine sénégalaise accueille ... livrée par le constructeur français")
    for mine, other in ((seller, buyer), (buyer, seller)):
        codes = {c for _, c in mine}
        if len(codes) >= 2 and not other:
            movable = [(d, c) for d, c in mine if c in weak and c != origin]
            if mine is buyer and origin in codes and origin in weak:
                movable = [(d, c) for d, c in mine if c == origin]  # the maker state is the one that supplies
            if movable and len(codes - {c for _, c in movable}) >= 1:
                for x in movable:
                    mine.remove(x)
                    other.append(x)
    b = min(buyer)[1] if buyer else None
    s = min(seller)[1] if seller else None
    if b and s and b == s:
        others = [c for _, c in sorted(seller) if c != b]
        s = others[0] if others else s
    rest = [c for _, c in sorted(loose) if c not in (b, s)]
    if origin and origin in rest and s is None:  # the system's maker state is the supplier
        rest.remove(origin)
        s = origin
    if b is None and rest:
        b = rest.pop(0)
    if s is None and rest:
        s = rest.pop(0)
    # positional roles are weak: the state that makes the system supplies it, unless a
    # preposition ('to Russia', 'from China') or a -made marker said otherwise
    if origin and b == origin and s != origin and "buyer" not in explicit:
        b, s = (s if "seller" not in explicit else None), origin
    if b:
        explicit |= {f"+{c}" for c in _coordinated(folded, lang, states, b) if c != s}
    return b, s, explicit


def _coordinated(folded: str, lang: str | None, states: list[StateMention], code: str) -> list[str]:
    """States joined to a mention of `code` by 'and' or commas ('Saudi Arabia and Qatar')."""
    out: list[str] = []
    ms = sorted(states, key=lambda m: m.start)
    idx = [i for i, m in enumerate(ms) if m.code == code]
    if not idx:
        return out
    for step in (1, -1):
        i = idx[0] if step == 1 else idx[0]
        i = (idx[-1] if step == 1 else idx[0])
        while 0 <= i + step < len(ms):
            a, b = (ms[i], ms[i + step]) if step == 1 else (ms[i + step], ms[i])
            gap = _ARTICLES.sub("", folded[a.end : b.start].strip())
            gap = re.sub(r"^(?:,\s*)?", "", gap).strip()
            for h in cues(lang, "and").find(gap):
                if h.start == 0:
                    gap = gap[h.end :].strip()
                    break
            gap = _ARTICLES.sub("", gap).strip(" ,")
            if gap or ms[i + step].kind in ("adjective",) or ms[i].kind == "adjective":
                break
            if ms[i + step].code not in out and ms[i + step].code != code:
                out.append(ms[i + step].code)
            i += step
    return out


def _items(text: str, folded: str, lang: str | None, sent: Span) -> list[SystemMention]:
    named = find_systems(text, sent.start, sent.end)
    gen = [g for g in find_generic(text, folded, lang, sent.start, sent.end)
           if not any(n.start >= g.start and _attached(text, folded, lang, g.end, n.start) for n in named)
           and not any(n.start <= g.start < n.end + 2 for n in named)]
    # 'sa pamamagitan ng barko', 'by ship', 'par avion': the transport, not the object
    gen = [g for g in gen if not any(not folded[h.end : g.start].strip()
                                     for h in cues(lang, "means").find(folded, max(sent.start, g.start - 25), g.start))]
    items = sorted(named + gen, key=lambda x: x.start)
    return items


def _attached(text: str, folded: str, lang: str | None, a: int, b: int) -> bool:
    """A generic noun ending at `a` heads the designation starting at `b` ('chars T-72MS',
    'hélicoptères de fabrication russe de type MI-35P'): few words, no digits, commas or 'and'."""
    gap = text[a:b]
    if b < a or len(gap) > 45 or len(gap.split()) > 5 or re.search(r"[\d,;:()]", gap):
        return False
    return not cues(lang, "and").find(folded[a:b])


def _umbrella(folded: str, lang: str | None, item: SystemMention, num_end: int) -> bool:
    """'17 military vehicles consisting of VT-4 tanks and … howitzers': the number counts a generic
    umbrella noun whose parts are listed after it (`cues.csv` kind `consisting`): a group number."""
    hits = cues(lang, "consisting").find(folded, num_end, item.start)
    return bool(hits) and len(folded[hits[-1].end : item.start].split()) <= 3 and len(folded[num_end : hits[0].start].split()) <= 4


def _quantity_at(text: str, folded: str, lang: str | None, sent: Span, item: SystemMention,
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
                len(text[n.end : g.start].split()) <= 2 and _attached(text, folded, lang, g.end, item.start)
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


def _date_for(ds: list[dates_mod.DateMention], cue: _Cue, item: SystemMention, folded: str = "",
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


def _role_for(status: Status, d: dates_mod.DateMention) -> DateRole:
    if status in (Status.delivered, Status.delivering):
        return DateRole.delivery
    if status in (Status.ordered, Status.agreed):
        return DateRole.order
    if status == Status.planned and d.future:
        return DateRole.expected_delivery
    return DateRole.announcement


def _in_block(folded: str, lang: str | None, sent: Span, cue: _Cue, item: SystemMention,
              blocks: list[Hit] | None = None) -> bool:
    if blocks is None:
        blocks = cues(lang, "block").find(folded, sent.start, sent.end)
    for b in blocks:
        db = min(abs(b.start - item.start), abs(b.end - item.start))
        dc = min(abs(cue.start - item.start), abs(cue.end - item.start))
        if db <= dc + 10:
            return True
    return False


class ExtractionError(ArmskbError):
    """Extraction failed on a document (names the document); callers skip it and go on."""


@dataclass
class Candidate:
    """A candidate claim and the features the ranker scores it by."""

    claim: Claim
    features: dict[str, float]


def extract(doc: Document, ranker: Ranker | None = None) -> list[Claim]:
    """Claims of a document: the candidates the ranker keeps (`ranker` default: the shipped one).

    Raises ExtractionError (naming the document) on an internal failure, never anything else."""
    ranker = ranker if ranker is not None else default_ranker()
    warning = language_warning(doc)
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
    drafts: list[_Draft] = []
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
    body_index = 0
    title = fold_keep(doc.title or "").strip().rstrip(".")
    for sent in sentences(text):
        if len(sent.text) < 12 or not re.search(r"[^\W\d_]{3}", sent.text):
            continue
        if title and fold_keep(sent.text).strip().rstrip(".") == title:
            continue  # the headline repeated above the body (header lines are not evidence)
        body_index += 1
        items = _items(text, folded, lang, sent)
        named = [i for i in items if not i.generic]
        if not named and last_named is not None and not any(i.generic for i in items):
            for h in cues(lang, "anaphor").find(folded, sent.start, sent.end):
                items.append(_as_named(h.start, h.end, last_named))
                break
        items = _resolve_generics(text, folded, lang, sent, items, named, {**only, **recent}, last_named, fams)
        for n in named:
            if sent.start < cstart:
                recent[n.category or ""] = n
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
        pairs: list[tuple[SystemMention, _Cue | None, bool]] = []
        for item in items:
            cue = _nearest(scs, item)
            pairs.append((item, cue, False))
            if cue is not None and len(scs) > 1 and len(items) < 20:
                pairs += [(item, c, True) for c in _other_events(folded, scs, items, item, cue)]
        blocks: list[Hit] | None = None
        now_sent: bool | None = None
        role_memo: dict = {}
        item_prev: dict[int, int] = {}
        item_parties: dict[int, tuple[str | None, str | None, set[str]]] = {}
        for item, cue, extra in pairs:
            if not extra:
                item_prev[id(item)] = prev_end
            if cue is not None and blocks is None:
                blocks = cues(lang, "block").find(folded, sent.start, sent.end)
            if cue is None or _in_block(folded, lang, sent, cue, item, blocks):
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
            b, s, explicit = _roles(sent, folded, lang, [m for m in states if not (item.start <= m.start < item.end)],
                                    role_cue, item.origin, items, item, role_memo)
            if extra and id(item) in item_parties:
                b, s, explicit = item_parties[id(item)]  # another event of the same transfer
            elif not extra:
                item_parties[id(item)] = (b, s, explicit)
            for code, vote in ((b, votes_b), (s, votes_s)):
                if code:
                    vote[code] += 2 if (b and s) else 1
            qty, ap, num_end = _quantity_at(text, folded, lang, sent, item, item_prev.get(id(item), prev_end))
            group = None
            if extra and num_end == -1:
                qty = None  # the order of a series whose n-th unit is delivered here
            if schedule and qty is not None and num_end is not None and num_end >= 0 and any(
                    not folded[num_end : h.start].strip() for h in cues(lang, "more").find(folded, num_end, min(sent.end, num_end + 25))):
                schedule = False  # 'to sell 140 more M-1 tanks': a further deal, not the schedule of the last one
            if num_end == -2 and status not in (Status.ordered, Status.agreed):
                qty = None  # a first lot of the whole order: the number is the order's, not the lot's
            if qty is not None and num_end is not None and num_end >= 0 and _umbrella(folded, lang, item, num_end):
                qty, group = None, qty
            prev_end = item.end
            if extra and status in (Status.planned, Status.interest):
                qty, ap, group = None, False, None  # 'supplying 44 tanks ... likely to order more': a further intention
            if ds is None:
                ds = dates_mod.find_dates(text, folded, lang, doc.published, sent.start, sent.end)
            dm = _date_for(ds, cue, item, folded, lang)
            d = _Draft(item=item, buyer=b, seller=s, status=status, span=sent, quantity=qty, group=group, approx=ap,
                       in_comment=sent.start >= cstart, explicit=explicit)
            if dm is not None and not d.in_comment:
                d.date, d.role = dm.date, _role_for(status, dm)
            d.hedged = hedged_sent or status == Status.interest
            if now_sent is None:
                now_sent = bool(cues(lang, "now").find(folded, sent.start, sent.end))
            d.now = now_sent
            typed = any(not folded[h.end : item.start].strip() for h in
                        cues(lang, "sorts").find(folded, max(sent.start, item.start - 20), item.start))
            if item.generic and item.text and qty is None and group is None and not ap and not typed and (
                    named or any(o is not item and (o.slug or o.start < item.start) for o in items)
                    or (item.category == "other" and doc_named)):
                continue  # generic noun accompanying other items, or vague "weapons" in an article naming systems
            d.confidence = 0.8 if (b and s) else 0.5
            d.body_index, d.schedule = body_index, schedule
            d.cue_kind, d.n_items, d.n_states = cue.kind, len(items), len({m.code for m in states})
            drafts.append(d)
            for extra in sorted(x[1:] for x in explicit if x.startswith("+")):
                drafts.append(_Draft(**{**d.__dict__, "buyer": extra, "explicit": set(), "coordinated": True}))
    _companies_and_sources(text, folded, lang, drafts)
    _groups(text, drafts)
    body = min(len(text), cstart)
    doc_states = {m.code for m in find_states(text, folded, lang, 0, body)}
    doc_companies = {name for _, _, name in find_companies(text, folded, 0, body)}
    _fill_parties(drafts, votes_b, votes_s, doc_states, doc_companies)
    _multinational(drafts)
    out: list[Candidate] = []
    for d in _merge(drafts):
        c = _finish(doc, text, d)
        if c is not None:
            out.append(Candidate(c, _features(d, lang)))
    return out


def _as_named(start: int, end: int, ref: SystemMention) -> SystemMention:
    return SystemMention(start, end, ref.text, ref.slug, ref.canonical, ref.category, ref.origin, ref.manufacturer)


def _det_before(folded: str, lang: str | None, kind: str, pos: int, lo: int) -> bool:
    """A determiner of `kind` (demonstrative / indefinite) ends right before `pos` (adjectives and numbers may intervene)."""
    a = max(lo, pos - 30)
    for h in cues(lang, kind).find(folded, a, pos):
        gap = folded[h.end : pos].split()
        if len(gap) <= 2:
            return True
    return False


def _origin_named(text: str, folded: str, lang: str | None, sent: Span, g: SystemMention,
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


def _resolve_generics(text: str, folded: str, lang: str | None, sent: Span, items: list[SystemMention],
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
        if _det_before(folded, lang, "demonstrative", g.start, sent.start) and last_named is not None \
                and not named and (g.category == "other" or g.category == last_named.category):
            out.append(_as_named(g.start, g.end, last_named))
            continue
        if g.category and g.category != "other":
            same = [n for n in named if n.category == g.category]
            if same:
                continue  # a second mention of the named system of this sentence
            made = _origin_named(text, folded, lang, sent, g, fams or {})
            if made is not None:  # 'Russian warplanes' -> the article's one Russian aircraft
                out.append(_as_named(g.start, g.end, made))
                continue
            ref = recent.get(g.category)
            if ref is not None and not _det_before(folded, lang, "indefinite", g.start, sent.start):
                out.append(_as_named(g.start, g.end, ref))
                continue
        out.append(g)
    return out


_SOURCE_TAIL = re.compile(r"^[\s,]*(?:the\s+|la\s+|le\s+|el\s+|der\s+|die\s+|il\s+)?((?:[\w'’.«»\"-]+\s*){1,6}?)(?=[,.;:»\"]|\s+(?:that|que|dass|che|что|on|in)\b|$)", re.I)


def _companies_and_sources(text: str, folded: str, lang: str | None, drafts: list[_Draft]) -> None:
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
            attributions[key] = _attribution(text, folded, lang, d.span)
        d.attribution = attributions[key]


def _attribution(text: str, folded: str, lang: str | None, sent: Span) -> str | None:
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


def _groups(text: str, drafts: list[_Draft]) -> None:
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


def _maker_named(item: SystemMention, companies: set[str]) -> bool:
    """The article names the system's manufacturer."""
    return any(part.strip() in companies for part in re.split(r"\s*/\s*|\s*;\s*", item.manufacturer or ""))


def _fill_parties(drafts: list[_Draft], votes_b: Counter[str], votes_s: Counter[str],
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
        in_text = origin is not None and (origin in doc_states or _maker_named(d.item, doc_companies))
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


def _key(d: _Draft) -> tuple:
    fam = d.item.canonical or fold_keep(d.item.text)
    if d.item.generic and d.item.category == "other" and d.quantity is None:
        fam = "~other"  # 'arms', 'weapons', 'ammunition' of one story are one object
    return (d.buyer, d.seller, fam, _COARSE[d.status], d.in_comment)


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """One claim per event: same parties, system and stage merge when quantity and date agree.
    A future delivery schedule of a deal already ordered/agreed is part of that deal, not a claim."""
    deals: dict[tuple, set[int | None]] = {}
    for d in drafts:
        if d.status in (Status.ordered, Status.agreed, Status.delivering):
            deals.setdefault((d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)), set()).add(d.quantity)

    def of_deal(d: _Draft) -> bool:  # 'will sell 140 more' after 'the 40 … bought' is a new deal
        qs = deals.get((d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)))
        return qs is not None and (d.quantity is None or d.quantity in qs or None in qs)

    drafts = [d for d in drafts if not (d.schedule and of_deal(d))]
    # final outcomes override earlier stages of the same deal (GUIDELINES §3): a denial or a
    # cancellation of a (buyer, seller, system) in the body leaves no other stage of it
    final = {(d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)) for d in drafts
             if d.status in (Status.denied, Status.cancelled) and not d.in_comment}
    drafts = [d for d in drafts if d.status in (Status.denied, Status.cancelled) or d.in_comment
              or (d.buyer, d.seller, d.item.canonical or fold_keep(d.item.text)) not in final]
    out: list[_Draft] = []
    for d in drafts:
        for o in out:
            if _key(o) != _key(d):
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


def _multinational(drafts: list[_Draft]) -> None:
    """A multinational company as the only supplier ('le missilier MBDA a vendu'): no supplier
    state unless the text names one (`cues.csv` kind `multinational`; GUIDELINES: seller null)."""
    ps = all_cues("multinational")
    for d in drafts:
        if d.seller_org and "seller" not in d.explicit:
            f = fold_keep(d.seller_org)
            if any(h.start == 0 and h.end == len(f) for h in ps.find(f)):
                d.seller, d.multinational = None, True


def _finish(doc: Document, text: str, d: _Draft) -> Claim | None:
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


def _features(d: _Draft, lang: str) -> dict[str, float]:
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
        "status_" + _COARSE[d.status]: 1.0,
        "hedged": float(d.hedged),
        "in_comment": float(d.in_comment),
        "item_generic": float(d.item.generic),
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
