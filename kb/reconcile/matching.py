"""The pure matching core: deals and claims of one key become transfers (no store, no RDF).

Matching rules
--------------
* **Key.** Sources are grouped by (supplier, recipient, system *family*). A deal's family is the
  gazetteer family of its designation (`reference.family_slug`); a claim's is the family of its
  system, else of its `arms:familyDesignation` (so T-72MS, Mi-35M, MiG-29S meet T-72, Mi-35,
  MiG-29). Claims without a buyer, a supplier (seller state, else seller organisation) or a named
  system (generic systems) are not reconciled.
* **One transfer per register deal.** Deals of several register releases (the 2024 and the 2026
  exports) with the same designation and order year are the same deal: they share one transfer
  (paired in order of delivery years, quantities and ids), which then counts each release as a
  source; the newest release gives the figures and differences become conflicts.
* **Year windows** (`TOLERANCE` = 1 year either side). A deal covers
  [order year - 1, last delivery year + 1]; a deal not fully delivered stays open up to the last
  year of its release + 1. A claim covers its date's year when the date is an order, delivery or
  expected-delivery date; an announcement date of an ordered-or-later (or cancelled/denied) claim
  bounds it from above only (the fact may be older than the statement); an announcement of an
  earlier stage (interest ... agreed) covers [year - 1, year + `PRE_ORDER_HORIZON`] (the order may
  follow). Undated claims are bounded by the publication year of their document (+1), or by
  [publication - 1, publication + horizon] for early stages. Compatible = the intervals overlap.
* **Choosing deals.** Among compatible deals of its family a claim goes to the deal whose
  quantity (delivered for delivered/delivering claims, else ordered) equals its own, then to one
  whose exact years (without tolerance) hold the claim's date, then to a deal consistent with its
  status (delivered claims prefer deals with deliveries), then to the latest deal. When no single
  deal has the claim's quantity but 2-4 compatible deals sum to it ("six MiG-29" = 1 MiG-29 +
  5 MiG-29S), the claim supports every one of them. Claims sharing a group quantity ("sept
  hélicoptères Mi-17 et Mi-35") are matched together: one deal per system whose quantities sum
  to the group figure, when such a choice exists.
* **News only.** Claims that fit no deal form news-only transfers: dated claims of one family are
  chained while less than `NEWS_GAP` years apart; undated ones join the latest chain begun by
  their publication year (+1), else form their own.
* **Fields.** Register figures win (quantities, order year, delivery years); news-only transfers
  take the figures of their ordered and delivered claims. Status: the furthest lifecycle stage of
  the sources (register deals are `ordered`, `delivering` or `delivered` by their delivered count),
  unless a cancellation or denial is dated after all of them. Claims in reader comments and hedged
  claims only decide the status when nothing firmer supports the transfer.
* **Conflicts** (`arms:conflict`, one node per field): quantity ordered or delivered, order year,
  delivery year or status on which the sources disagree (comment claims and approximate figures
  excluded; a dated delivery batch smaller than the register total is not a conflict; a claim
  matched to several deals is compared with their sum). `sourceCount` = distinct documents +
  distinct register releases.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

from armskb import namespace as ns
from armskb.models import Status
from armskb.reconcile.model import (
    NEWS_GAP, ORDERED, TOLERANCE, Built, ClaimIn, Deal, DealCluster, Key,
)

#: most deals examined for a sum of quantities (the latest ones)
_SUM_CANDIDATES = 12
_SUM_MAX_PARTS = 4
_GROUP_PRODUCT_LIMIT = 20000


def party_code(iri: str | None) -> str | None:
    """'…/state/SRB' -> 'SRB'; '…/org/hamas' -> 'hamas'."""
    if not iri:
        return None
    return iri.rsplit("/", 1)[-1]


def _cluster_deals(deals: list[Deal]) -> list[DealCluster]:
    """Deals of one (supplier, recipient, family) across releases -> one cluster per deal."""
    by_release: dict[str, list[Deal]] = defaultdict(list)
    for d in deals:
        by_release[d.release].append(d)
    releases = sorted(by_release, key=lambda r: (-by_release[r][0].release_year, r))
    clusters: list[DealCluster] = []
    slots: dict[tuple[str, int | None], list[DealCluster]] = defaultdict(list)
    for rel in releases:
        taken: Counter[tuple[str, int | None]] = Counter()
        for d in sorted(by_release[rel], key=lambda d: (d.order_year or 0, d.system, d.years, d.ordered or 0,
                                                          d.delivered or 0, d.iri)):
            key = (d.system, d.order_year)
            i = taken[key]
            taken[key] += 1
            existing = slots[key]
            if i < len(existing):
                existing[i].deals.append(d)
            else:
                c = DealCluster([d])
                existing.append(c)
                clusters.append(c)
    return clusters


def _compatible(claim: ClaimIn, cluster: DealCluster) -> bool:
    clo, chi = claim.interval()
    dlo, dhi = cluster.window()
    return max(clo, dlo) <= min(chi, dhi)


def _score(claim: ClaimIn, c: DealCluster) -> tuple:
    d = c.main
    qty = claim.quantity is not None and claim.quantity in (d.ordered, d.delivered)
    exact = False
    if claim.year is not None:
        lo, hi = c.window(0)
        exact = lo <= claim.year <= hi
    if claim.status in (Status.delivered.value, Status.delivering.value):
        consistent = bool(d.delivered)
    elif claim.status == Status.ordered.value or claim.rank < ORDERED:
        consistent = not d.delivered or d.delivered < (d.ordered or 0)
    else:
        consistent = True
    return (qty, exact, consistent, d.order_year or 0, max(d.years) if d.years else 0)


def _best(claim: ClaimIn, cands: list[DealCluster]) -> DealCluster:
    # deterministic: the highest score, ties to the earliest in cluster order
    return max(reversed(cands), key=lambda c: _score(claim, c))


def _sum_match(claim: ClaimIn, cands: list[DealCluster]) -> list[DealCluster] | None:
    """2..4 compatible deals whose figures sum to the claim's quantity."""
    q = claim.quantity
    if q is None or len(cands) < 2:
        return None
    pool = sorted(cands, key=lambda c: c.sort_key())[-_SUM_CANDIDATES:]
    best: tuple | None = None
    for k in range(2, min(_SUM_MAX_PARTS, len(pool)) + 1):
        for combo in itertools.combinations(pool, k):
            vals = [claim.value_of(c.main) for c in combo]
            if any(v is None for v in vals) or sum(vals) != q:  # type: ignore[arg-type]
                continue
            key = (sum(_score(claim, c)[2] for c in combo), max(c.main.order_year or 0 for c in combo))
            if best is None or key > best[0]:
                best = (key, list(combo))
        if best is not None:
            return best[1]
    return None


def _group_match(members: list[tuple[ClaimIn, list[DealCluster]]], total: int) -> list[DealCluster] | None:
    """One compatible deal per claim of a group quantity, the figures summing to the group's."""
    size = 1
    for _, cands in members:
        size *= max(1, len(cands))
    if size > _GROUP_PRODUCT_LIMIT or any(not cands for _, cands in members):
        return None
    best: tuple | None = None
    for combo in itertools.product(*[cands for _, cands in members]):
        vals = [cl.value_of(c.main) for (cl, _), c in zip(members, combo)]
        if any(v is None for v in vals) or sum(vals) != total:  # type: ignore[arg-type]
            continue
        key = (
            sum(_score(cl, c)[2] for (cl, _), c in zip(members, combo)),
            sorted((c.main.order_year or 0 for c in combo), reverse=True),
        )
        if best is None or key > best[0]:
            best = (key, list(combo))
    return best[1] if best else None




def _news_clusters(claims: list[ClaimIn]) -> list[list[ClaimIn]]:
    dated = sorted((c for c in claims if c.year is not None), key=lambda c: (c.year, c.iri))
    chains: list[list[ClaimIn]] = []
    for c in dated:
        if chains and c.year - chains[-1][-1].year < NEWS_GAP:  # type: ignore[operator]
            chains[-1].append(c)
        else:
            chains.append([c])
    loose: list[ClaimIn] = []
    for c in sorted((c for c in claims if c.year is None), key=lambda c: c.iri):
        fits = [ch for ch in chains if c.published is None or ch[0].year <= c.published + TOLERANCE]  # type: ignore[operator]
        if fits:
            fits[-1].append(c)
        else:
            loose.append(c)
    if loose:
        chains.append(loose)
    return chains


def match(deals: list[Deal], claims: list[ClaimIn]) -> list[Built]:
    """Group, match and number: the transfers of a store's deals and claims."""
    deal_groups: dict[tuple, list[Deal]] = defaultdict(list)
    for d in deals:
        deal_groups[(d.supplier, d.recipient, d.family)].append(d)
    claim_groups: dict[tuple, list[ClaimIn]] = defaultdict(list)
    for c in claims:
        claim_groups[(c.supplier, c.buyer, c.family)].append(c)

    clusters_of: dict[tuple, list[DealCluster]] = {}
    for key, ds in deal_groups.items():
        clusters_of[key] = sorted(_cluster_deals(ds), key=DealCluster.sort_key)

    # candidates of each claim
    cands: dict[str, list[DealCluster]] = {}
    for key, cs in claim_groups.items():
        pool = clusters_of.get(key, [])
        for c in cs:
            cands[c.iri] = [cl for cl in pool if _compatible(c, cl)]

    links: dict[str, list[DealCluster]] = {}
    # group quantities first: claims sharing (document, quote, group figure, parties)
    groups: dict[tuple, list[ClaimIn]] = defaultdict(list)
    for c in claims:
        if c.group is not None and c.quantity is None:
            groups[(c.doc, c.quote, c.group, c.supplier, c.buyer)].append(c)
    for (_, _, total, _, _), members in sorted(groups.items(), key=lambda kv: kv[1][0].iri):
        if len(members) < 2:
            continue
        found = _group_match([(m, cands[m.iri]) for m in members], total)
        if found:
            for m, cl in zip(members, found):
                links[m.iri] = [cl]
    for c in claims:
        if c.iri in links or not cands[c.iri]:
            continue
        cs = cands[c.iri]
        best = _best(c, cs)
        if c.quantity is not None and not c.approx and not _score(c, best)[0]:
            several = _sum_match(c, cs)
            if several:
                links[c.iri] = several
                continue
        links[c.iri] = [best]

    out: list[Built] = []
    for key in sorted(set(clusters_of) | set(claim_groups), key=lambda k: tuple(x or "" for x in k)):
        sup, rec, fam = key
        built_of: dict[int, Built] = {}
        group_out: list[Built] = []
        for cl in clusters_of.get(key, []):
            b = Built(sup, rec, fam, clusters=[cl])
            built_of[id(cl)] = b
            group_out.append(b)
        unmatched: list[ClaimIn] = []
        for c in claim_groups.get(key, []):
            linked = links.get(c.iri)
            if not linked:
                unmatched.append(c)
                continue
            for cl in linked:
                b = built_of[id(cl)]
                b.claims.append(c)
                b.shared[c.iri] = linked
        for chain in _news_clusters(unmatched):
            group_out.append(Built(sup, rec, fam, claims=chain))
        for n, b in enumerate(group_out, 1):
            b.iri = str(ns.transfer(party_code(sup) or "unknown", party_code(rec) or "unknown", fam, n))
        out.extend(group_out)
    return out
