"""Role frames: who is recipient and who is supplier of a cue, from role prepositions (to/from/by/with
per language), the subject position and the verb class (supply vs acquire), origin adjectives and
makers ('China-made'), and coordination of several recipients ('Saudi Arabia and Qatar')."""

from __future__ import annotations

import re

from armskb.loaders.cues import cues
from armskb.loaders.extraction.stages import Cue
from armskb.loaders.gazetteer import StateMention, SystemMention
from armskb.loaders.lexicon import Hit
from armskb.loaders.makers import OriginCue
from armskb.loaders.quantities import numbers
from armskb.loaders.text import Span


ARTICLES = re.compile(
    r"(?:\b(?:the|la|le|les|l'|los|las|el|il|lo|gli|die|der|dem|den|des|du|de la|del|al|au|aux|ang|ng|na)\s*)+$"
)


def prev_words(folded: str, a: int, lo: int) -> str:
    """Folded text just before offset `a` (within the sentence), articles stripped."""
    before = folded[max(lo, a - 40) : a]
    before = ARTICLES.sub("", before.rstrip())
    return before.rstrip()


def ends_with(ps_hits: list[Hit], text: str) -> bool:
    return any(h.end == len(text) for h in ps_hits)


def modifies_item(folded: str, m: StateMention, items: list[SystemMention]) -> bool:
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


def state_context(sent: Span, folded: str, lang: str | None, m: StateMention) -> tuple[bool, bool, bool, str | None]:
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
    tail = prev_words(folded, m.start, sent.start)[-25:]
    tail_kind = None
    for kind in ("from", "to", "by", "with", "at"):
        if ends_with(cues(lang, kind).find(tail), tail):
            tail_kind = kind
            break
    return src_skip, bool(org_after or org_before), made, tail_kind


def d_of(m: StateMention, cue: Cue) -> int:
    """Distance of a state mention from the cue (the role lists keep the nearest)."""
    return abs(m.start - cue.start)


def assign_roles(sent: Span, folded: str, lang: str | None, states: list[StateMention], cue: Cue,
           origin: str | None = None, items: list[SystemMention] | None = None,
           item: SystemMention | None = None,
           memo: dict | None = None, made: list[OriginCue] | None = None) -> tuple[str | None, str | None, set[str]]:
    """Buyer and seller of a cue from the sentence's state mentions; `made` are the sentence's
    nationality cues ('Polish-made', 'le constructeur naval français'): their state supplies."""
    buyer: list[tuple[int, str]] = []
    seller: list[tuple[int, str]] = []
    loose: list[tuple[int, str]] = []
    explicit: set[str] = set()
    weak: set[str] = set()  # roles from the subject position only
    # active recipient-subject frame: a state names the subject of 'buy/receive/order' ('La Serbie a
    # acheté … à la Biélorussie', 'Serbia compró … a Bielorrusia', 'Serbien kaufte … von Belarus'):
    # a 'to'/'by' phrase after the verb then marks the source, as 'acheter à', 'comprar a', 'kaufen von'
    memo = memo if memo is not None else {}
    infos = []
    for m in states:
        key = (sent.start, m.start, m.end)
        if key not in memo:
            memo[key] = state_context(sent, folded, lang, m)
        infos.append(memo[key])
    active_acquire = cue.kind == "acquire" and any(
        m.start < cue.start and m.kind != "adjective" and info[3] not in ("to", "by", "from", "at")
        for m, info in zip(states, infos))
    origin_spans = [(c.start, c.end, c.code) for c in made or []]
    for m, info in zip(states, infos):
        src_skip, org_any, made_marker, tail_kind = info
        if any(a <= m.start and m.end <= b and code == m.code for a, b, code in origin_spans):
            seller.append((d_of(m, cue), m.code))  # 'Polish-made', 'the Turkish company', 'de fabricación belga'
            explicit.add("seller")
            continue
        d = abs(m.start - cue.start)
        if m.kind == "adjective" and src_skip:
            continue  # 'Chilean media', 'la presse marocaine' are sources, not parties
        if m.kind == "adjective" and item is not None and items is not None and modifies_item(folded, m, items) \
                and not modifies_item(folded, m, [item]) and not (item.start < m.end and m.start < item.end):
            continue  # 'the F-35 … a deal for the Russian S-400': the adjective belongs to another item
        if m.kind == "adjective" and items is not None and not modifies_item(folded, m, items):
            pass  # an adjective of a person or body ('the Thai government'): positional roles below
        elif m.kind == "adjective":
            if not org_any:
                seller.append((d + 20, m.code))
                continue
        if made_marker and m.kind != "adjective":
            seller.append((d, m.code))
            explicit.add("seller")
            continue
        if tail_kind == "from":
            seller.append((d, m.code))
            explicit.add("seller")
        elif tail_kind in ("to", "by") and active_acquire and m.start > cue.end:
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
            if m.kind == "adjective" and org_any and role:
                explicit.add(role)  # 'the Russian armed forces will receive': the state's own forces
            else:
                weak.add(m.code)
        else:  # object without preposition (dative, indirect object)
            role = "buyer" if cue.kind == "supply" else None
            (buyer if role == "buyer" else loose).append((d + 10, m.code))
    # two suppliers and no recipient (or the reverse): the positional one takes the free role
    # ("la Marine sénégalaise accueille ... livrée par le constructeur français")
    for mine, other in ((seller, buyer), (buyer, seller)):
        codes = {c for _, c in mine}
        if len(codes) >= 2 and not other:
            # the subject of a recipient-subject verb ('X bought ... to be delivered to Y') stays the recipient
            subject_frame = mine is buyer and cue.kind == "acquire"
            movable = [(d, c) for d, c in mine if c in weak and c != origin and not subject_frame]
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
        explicit |= {f"+{c}" for c in coordinated_states(folded, lang, states, b) if c != s}
    return b, s, explicit


def coordinated_states(folded: str, lang: str | None, states: list[StateMention], code: str) -> list[str]:
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
            gap = ARTICLES.sub("", folded[a.end : b.start].strip())
            gap = re.sub(r"^(?:,\s*)?", "", gap).strip()
            for h in cues(lang, "and").find(gap):
                if h.start == 0:
                    gap = gap[h.end :].strip()
                    break
            gap = ARTICLES.sub("", gap).strip(" ,")
            if gap or ms[i + step].kind in ("adjective",) or ms[i].kind == "adjective":
                break
            if ms[i + step].code not in out and ms[i + step].code != code:
                out.append(ms[i + step].code)
            i += step
    return out


_SEP = re.compile(r"\s*[-–—:]?\s*")
_LIST_GAP = re.compile(r"\s*[,;]\s*$")
_HEAD_NOUN = re.compile(r"^\s*[^\W\d_]+(?=\s*[,;])")


def gapped_recipients(text: str, folded: str, lang: str | None, states: list[StateMention], start: int,
                      sent_end: int) -> list[tuple[str, int]]:
    """Further recipients of the same verb with their own number, the verb left out (gapping), after
    offset `start` (the item or the first recipient): 'Syria ordered 36 systems, the UAE 50, Algeria
    38'; 'delivered 10 tanks to Serbia and 20 to Bolivia'. An element is ', STATE [-] NUMBER' or
    '[,] and NUMBER to STATE'."""
    out: list[tuple[str, int]] = []
    pos = start
    for m in sorted((m for m in states if m.start >= start and m.kind != "adjective"), key=lambda m: m.start):
        gap = ARTICLES.sub("", folded[pos : m.start]).rstrip()
        if pos == start:
            gap = _HEAD_NOUN.sub("", gap, count=1)  # '36 T-72 tanks, the UAE 50': the item's head noun
        if _LIST_GAP.fullmatch(gap):  # ', ОАЭ - 50'
            sep = _SEP.match(text, m.end)
            at = sep.end() if sep else m.end
            nums = numbers(text, lang, at, min(sent_end, at + 12))
            if not nums or nums[0].start != at:
                break
            out.append((m.code, nums[0].value))
            pos = nums[0].end
            continue
        nums = numbers(text, lang, pos, m.start)
        if len(nums) != 1:
            break
        head = folded[pos : nums[0].start].strip(" ,")
        tail = ARTICLES.sub("", folded[nums[0].end : m.start].rstrip()).strip()
        joined = not head or any(h.start == 0 and h.end == len(head) for h in cues(lang, "and").find(head))
        if not joined or not ends_with(cues(lang, "to").find(tail), tail) or len(tail.split()) > 2:
            break
        out.append((m.code, nums[0].value))  # 'and 20 to Bolivia'
        pos = m.end
    return out
