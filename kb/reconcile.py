"""Reconciliation: claims and register deals about one deal become one `arms:Transfer`.

`rebuild(store)` reads what it needs with a few SELECT queries (register deals, their delivery
years, claims), matches in Python, and replaces the graph `id/graph/transfers` as a whole with one
`replace_graphs` call. It is a pure function of the store: the same store gives the same triples
and IRIs, and the graph can be dropped and rebuilt at any time.

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

import hashlib
import itertools
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from armskb import namespace as ns
from armskb.models import STATUS_ORDER, Status
from armskb.namespace import ARMS
from armskb.mapping.literals import integer_literal
from armskb.reference import family_slug, resolve_system_slug, systems
from armskb.store import SelectResult, Store

__all__ = ["TOLERANCE", "PRE_ORDER_HORIZON", "NEWS_GAP", "rebuild", "last_timing"]

#: years either side of a deal's order .. last delivery years within which a claim still matches
TOLERANCE = 1
#: years after an interest/offer/plan/agreement statement within which an order may follow
PRE_ORDER_HORIZON = 3
#: dated news-only claims of one family further apart than this start a new transfer
NEWS_GAP = 3
#: most deals examined for a sum of quantities (the latest ones)
_SUM_CANDIDATES = 12
_SUM_MAX_PARTS = 4
_GROUP_PRODUCT_LIMIT = 20000

_INF = 10**6
_RANK = {s.value: r for s, r in STATUS_ORDER.items()}
_ORDERED = _RANK[Status.ordered.value]
_OUTCOMES = {Status.cancelled.value, Status.denied.value}
_POINT_ROLES = {"order", "delivery", "expected-delivery", "period"}

#: timings (seconds) of the last rebuild, by phase, for measurements
last_timing: dict[str, float] = {}

_P = ns.sparql_prefixes()

# One string column per row (fields joined by tabs): converting terms costs more than querying.
_Q_DEALS = _P + """
SELECT (CONCAT(STR(?g), "\\t", STR(?deal), "\\t", COALESCE(STR(?supplier), ""), "\\t",
        COALESCE(STR(?recipient), ""), "\\t", COALESCE(STR(?system), ""), "\\t",
        COALESCE(STR(?designation), ""), "\\t", COALESCE(STR(?oy), ""), "\\t",
        COALESCE(STR(?qo), ""), "\\t", COALESCE(STR(?qd), "")) AS ?r) WHERE {
  GRAPH ?g {
    ?deal a arms:RegisterDeal .
    OPTIONAL { ?deal arms:supplier ?supplier }
    OPTIONAL { ?deal arms:recipient ?recipient }
    OPTIONAL { ?deal arms:system ?system }
    OPTIONAL { ?deal arms:designation ?designation }
    OPTIONAL { ?deal arms:orderYear ?oy }
    OPTIONAL { ?deal arms:quantityOrdered ?qo }
    OPTIONAL { ?deal arms:quantityDelivered ?qd }
  }
}
"""

_Q_DEAL_YEARS = _P + """
SELECT (CONCAT(STR(?g), "\\t", STR(?deal), "\\t", GROUP_CONCAT(DISTINCT STR(?y); separator=" ")) AS ?r)
WHERE { GRAPH ?g { ?deal a arms:RegisterDeal ; arms:deliveryYear ?y } }
GROUP BY ?g ?deal
"""

_Q_CLAIMS = _P + """
SELECT DISTINCT ?claim ?doc ?buyer ?seller ?seller_org ?system ?family ?q ?gq ?approx ?date ?role
       ?status ?hedged ?in_comment ?quote ?published WHERE {
  ?claim a arms:Claim ; prov:wasDerivedFrom ?doc ; arms:status ?status .
  OPTIONAL { ?claim arms:buyer ?buyer }
  OPTIONAL { ?claim arms:seller ?seller }
  OPTIONAL { ?claim arms:sellerOrganization ?seller_org }
  OPTIONAL { ?claim arms:system ?system }
  OPTIONAL { ?claim arms:familyDesignation ?family }
  OPTIONAL { ?claim arms:quantity ?q }
  OPTIONAL { ?claim arms:groupQuantity ?gq }
  OPTIONAL { ?claim arms:approximate ?approx }
  OPTIONAL { ?claim arms:date ?date }
  OPTIONAL { ?claim arms:dateRole ?role }
  OPTIONAL { ?claim arms:hedged ?hedged }
  OPTIONAL { ?claim arms:inComment ?in_comment }
  OPTIONAL { ?claim arms:evidence/arms:quote ?quote }
  OPTIONAL { ?doc dcterms:issued ?published }
}
"""


# ---------------------------------------------------------------------------------------------
# the inputs


@dataclass
class Deal:
    iri: str
    release: str  # the register graph IRI
    release_year: int
    supplier: str | None
    recipient: str | None
    system: str  # system slug
    family: str
    designation: str
    order_year: int | None
    ordered: int | None
    delivered: int | None
    years: list[int] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.delivered:
            if self.ordered is None or self.delivered >= self.ordered:
                return Status.delivered.value
            return Status.delivering.value
        return Status.ordered.value


@dataclass
class ClaimIn:
    iri: str
    doc: str
    buyer: str
    supplier: str
    family: str
    quantity: int | None
    group: int | None
    approx: bool
    year: int | None
    role: str | None
    status: str
    hedged: bool
    in_comment: bool
    quote: str
    published: int | None

    @property
    def rank(self) -> int:
        return _RANK.get(self.status, -1)

    def interval(self) -> tuple[int, int]:
        early = self.rank < _ORDERED and self.status not in _OUTCOMES
        if self.year is not None:
            if self.role in _POINT_ROLES:
                return self.year, self.year
            if early:
                return self.year - TOLERANCE, self.year + PRE_ORDER_HORIZON
            return -_INF, self.year
        if self.published is None:
            return -_INF, _INF
        if early:
            return self.published - TOLERANCE, self.published + PRE_ORDER_HORIZON
        return -_INF, self.published + TOLERANCE

    def value_of(self, deal: Deal) -> int | None:
        """The deal's figure this claim's quantity speaks of."""
        if self.status in (Status.delivered.value, Status.delivering.value) and deal.delivered:
            return deal.delivered
        return deal.ordered if deal.ordered is not None else deal.delivered


@dataclass
class DealCluster:
    """One deal, possibly seen in several register releases."""

    deals: list[Deal]  # newest release first

    @property
    def main(self) -> Deal:
        return self.deals[0]

    def window(self, tol: int = TOLERANCE) -> tuple[int, int]:
        d = self.main
        years = d.years
        if d.order_year is None and not years:
            return -_INF, _INF
        lo = (d.order_year if d.order_year is not None else min(years)) - tol
        hi = max([*years, d.order_year if d.order_year is not None else -_INF]) + tol
        if d.ordered is None or d.delivered is None or d.delivered < d.ordered:
            hi = max(hi, d.release_year + tol)
        return lo, hi

    def sort_key(self) -> tuple:
        d = self.main
        return (d.order_year or 0, min(d.years) if d.years else 0, d.system, d.ordered or 0, d.iri)


# ---------------------------------------------------------------------------------------------
# reading the store


def _select(store: Store, text: str) -> SelectResult:
    res = store.query(text)
    assert isinstance(res, SelectResult)
    return res


def _int(v: object) -> int | None:
    if v is None:
        return None
    try:
        return int(str(v))
    except ValueError:
        return None


def _year(v: object) -> int | None:
    if v is None:
        return None
    m = re.match(r"-?\d{4}", str(v))
    return int(m.group(0)) if m else None


def _release_year(graph: str) -> int:
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", graph.rsplit("/", 1)[-1])]
    return max(years) if years else 0


def party_code(iri: str | None) -> str | None:
    """'…/state/SRB' -> 'SRB'; '…/org/hamas' -> 'hamas'."""
    if not iri:
        return None
    return iri.rsplit("/", 1)[-1]


def _slug_of_system(iri: str) -> str:
    return iri.rsplit("/system/", 1)[-1]


def _claim_family(system_iri: str | None, family_designation: str | None) -> str | None:
    if system_iri is None:
        return None
    key = _slug_of_system(str(system_iri))
    if key.startswith("generic-"):
        return None
    if key in systems():
        return family_slug(key)
    if family_designation:
        return family_slug(resolve_system_slug(family_designation))
    return key


def read_deals(store: Store) -> list[Deal]:
    years: dict[tuple[str, str], list[int]] = {}
    for row in _select(store, _Q_DEAL_YEARS).rows:
        g, iri, ys = str(row["r"]).split("\t")
        years[(g, iri)] = sorted({int(y) for y in ys.split() if y.lstrip("-").isdigit()})
    seen: set[tuple[str, str]] = set()
    fam_cache: dict[str, str] = {}
    rel_years: dict[str, int] = {}
    out: list[Deal] = []
    for row in _select(store, _Q_DEALS).rows:
        g, iri, sup, rec, sys_iri, designation, oy, qo, qd = str(row["r"]).split("\t")
        if (g, iri) in seen:
            continue
        seen.add((g, iri))
        key = _slug_of_system(sys_iri) if sys_iri else ns.slug(designation or "unknown")
        fam = fam_cache.get(key)
        if fam is None:
            fam = fam_cache[key] = family_slug(key)
        ry = rel_years.get(g)
        if ry is None:
            ry = rel_years[g] = _release_year(g)
        out.append(
            Deal(
                iri=iri,
                release=g,
                release_year=ry,
                supplier=sup or None,
                recipient=rec or None,
                system=key,
                family=fam,
                designation=designation,
                order_year=_int(oy or None),
                ordered=_int(qo or None),
                delivered=_int(qd or None),
                years=years.get((g, iri), []),
            )
        )
    return out


def read_claims(store: Store) -> list[ClaimIn]:
    out: dict[str, ClaimIn] = {}
    for row in _select(store, _Q_CLAIMS).rows:
        iri = str(row["claim"])
        if iri in out:
            continue
        buyer = row.get("buyer")
        supplier = row.get("seller") or row.get("seller_org")
        fam = _claim_family(
            str(row["system"]) if row.get("system") is not None else None,
            str(row["family"]) if row.get("family") is not None else None,
        )
        if buyer is None or supplier is None or fam is None:
            continue
        role = row.get("role")
        out[iri] = ClaimIn(
            iri=iri,
            doc=str(row["doc"]),
            buyer=str(buyer),
            supplier=str(supplier),
            family=fam,
            quantity=_int(row.get("q")),
            group=_int(row.get("gq")),
            approx=str(row.get("approx")) == "true",
            year=_year(row.get("date")),
            role=str(role).rsplit("/", 1)[-1] if role is not None else None,
            status=str(row["status"]).rsplit("/", 1)[-1],
            hedged=str(row.get("hedged")) == "true",
            in_comment=str(row.get("in_comment")) == "true",
            quote=str(row.get("quote") or ""),
            published=_year(row.get("published")),
        )
    return [out[k] for k in sorted(out)]


# ---------------------------------------------------------------------------------------------
# matching


def _cluster_deals(deals: list[Deal]) -> list[DealCluster]:
    """Deals of one (supplier, recipient, family) across releases -> one cluster per deal."""
    by_release: dict[str, list[Deal]] = defaultdict(list)
    for d in deals:
        by_release[d.release].append(d)
    releases = sorted(by_release, key=lambda r: (-_release_year(r), r))
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
    elif claim.status == Status.ordered.value or claim.rank < _ORDERED:
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


@dataclass
class Built:
    """A transfer before it becomes triples."""

    supplier: str | None
    recipient: str | None
    family: str
    clusters: list[DealCluster] = field(default_factory=list)
    claims: list[ClaimIn] = field(default_factory=list)
    #: claim iri -> the clusters (transfers) it was matched to, for quantity comparisons
    shared: dict[str, list[DealCluster]] = field(default_factory=dict)
    iri: str = ""


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


# ---------------------------------------------------------------------------------------------
# fields, conflicts, triples


def _most_common(values: list[int]) -> int | None:
    if not values:
        return None
    counts = Counter(values)
    return sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))[0][0]


@dataclass
class Fields:
    ordered: int | None
    delivered: int | None
    order_year: int | None
    delivery_years: list[int]
    status: str
    sources: int
    conflicts: dict[str, tuple[list[str], list[str]]]  # field -> (values, source iris)


def _status(b: Built) -> str:
    firm = [c for c in b.claims if not c.in_comment and not c.hedged]
    pool_claims = firm or [c for c in b.claims if not c.in_comment] or b.claims
    if b.clusters:
        pool_claims = firm  # the register is firm: soft claims do not move the status
    dated: list[tuple[int, str]] = []  # (year, status) for lifecycle statuses
    best_rank, best = -1, Status.unknown.value
    for cl in b.clusters:
        d = cl.main
        r = _RANK[d.status]
        if r > best_rank:
            best_rank, best = r, d.status
        dated.append((max([*d.years, d.order_year or 0]), d.status))
    for c in pool_claims:
        if c.rank > best_rank:
            best_rank, best = c.rank, c.status
        if c.rank >= 0:
            dated.append((c.year if c.year is not None else (c.published or 0), c.status))
    outcomes = [c for c in pool_claims if c.status in _OUTCOMES]
    if outcomes:
        last = max(outcomes, key=lambda c: (c.year or c.published or 0, c.status))
        when = last.year or last.published or 0
        if best_rank < 0 or all(when > y for y, _ in dated):
            return last.status
    if best_rank < 0:
        statuses = sorted({c.status for c in pool_claims})
        return statuses[0] if statuses else Status.unknown.value
    return best


def fields_of(b: Built) -> Fields:
    conflicts: dict[str, tuple[list[str], list[str]]] = {}
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def note(fname: str, value: object, source: str) -> None:
        values[fname][str(value)].add(source)

    if not b.claims and len(b.clusters) == 1 and len(b.clusters[0].deals) == 1:
        d = b.clusters[0].main  # the common case: one register row, nothing to compare
        return Fields(d.ordered, d.delivered, d.order_year, d.years, d.status, 1, {})
    firm = [c for c in b.claims if not c.in_comment]
    main = b.clusters[0].main if b.clusters else None
    if main is not None:
        ordered, delivered = main.ordered, main.delivered
        order_year, years = main.order_year, list(main.years)
        for d in b.clusters[0].deals:  # several releases of one deal
            if d.ordered is not None:
                note("quantity_ordered", d.ordered, d.iri)
            if d.delivered is not None:
                note("quantity_delivered", d.delivered, d.iri)
            if d.order_year is not None:
                note("order_year", d.order_year, d.iri)
    else:
        ordered = _most_common([c.quantity for c in firm if c.quantity is not None and not c.approx
                                and c.status in ("ordered", "agreed")])
        delivered = _most_common([c.quantity for c in firm if c.quantity is not None and not c.approx
                                  and c.status == "delivered"])
        oys = [c.year for c in firm if c.year is not None and c.role == "order"]
        order_year = min(oys) if oys else None
        years = sorted({c.year for c in firm if c.year is not None and c.role == "delivery"
                        and c.status in ("delivered", "delivering")})
    for c in firm:
        if c.quantity is not None and not c.approx:
            linked = b.shared.get(c.iri) or []
            if c.status in ("ordered", "agreed"):
                fname, fig = "quantity_ordered", ordered
            elif c.status == "delivered":
                fname, fig = "quantity_delivered", delivered
            else:
                fname = ""
            if fname and len(linked) > 1:  # matched to several deals: compare with their sum
                total = sum((cl.main.ordered if fname == "quantity_ordered" else cl.main.delivered) or 0
                            for cl in linked)
                if total != c.quantity:
                    note(fname, c.quantity, c.iri)
                    note(fname, f"{total} (sum of {len(linked)} register deals)", linked[0].main.iri)
            elif fname:
                batch = (fname == "quantity_delivered" and c.role == "delivery" and c.year is not None
                         and fig is not None and c.quantity < fig)
                if not batch:
                    note(fname, c.quantity, c.iri)
        if c.year is not None and c.role == "order":
            note("order_year", c.year, c.iri)
            if main is not None and order_year is not None:
                note("order_year", order_year, main.iri)
        if (c.year is not None and c.role == "delivery" and c.status in ("delivered", "delivering")
                and main is not None and years and c.year not in years):
            note("delivery_year", c.year, c.iri)
            note("delivery_year", "; ".join(map(str, years)), main.iri)
    # status: an outcome against a live deal, or delivered claims against a register without deliveries
    statuses: dict[str, set[str]] = defaultdict(set)
    for cl in b.clusters:
        statuses[cl.main.status].add(cl.main.iri)
    for c in firm:
        if not c.hedged:
            statuses[c.status].add(c.iri)
    live = {s for s in statuses if _RANK.get(s, -1) >= _ORDERED}
    if live and statuses.keys() & _OUTCOMES:
        for s in live | (statuses.keys() & _OUTCOMES):
            for src in statuses[s]:
                note("status", s, src)
    if main is not None and not main.delivered:
        told = [c for c in firm if not c.hedged and c.status in ("delivered", "delivering")]
        for c in told:
            note("status", c.status, c.iri)
        if told:
            note("status", main.status, main.iri)
    for fname, vals in values.items():
        if len(vals) > 1:
            srcs = sorted({s for ss in vals.values() for s in ss if s})
            conflicts[fname] = (sorted(vals), srcs)
    docs = {c.doc for c in b.claims}
    releases = {d.release for cl in b.clusters for d in cl.deals}
    return Fields(ordered, delivered, order_year, years, _status(b), len(docs) + len(releases), conflicts)


@lru_cache(maxsize=65536)
def _iri(text: str) -> URIRef:
    return URIRef(text)


_TYPE, _TRANSFER, _CONFLICT = RDF.type, ARMS.Transfer, ARMS.Conflict
_SUPPLIER, _RECIPIENT, _SYSTEM, _STATUS = ARMS.supplier, ARMS.recipient, ARMS.system, ARMS.status
_Q_ORD, _Q_DEL, _ORDER_YEAR, _DELIVERY_YEAR = (
    ARMS.quantityOrdered, ARMS.quantityDelivered, ARMS.orderYear, ARMS.deliveryYear)
_SUPPORTED_BY, _SOURCE_COUNT, _HAS_CONFLICT = ARMS.supportedBy, ARMS.sourceCount, ARMS.conflict
_C_FIELD, _C_VALUE, _C_SOURCE = ARMS.conflictField, ARMS.conflictValue, ARMS.conflictSource


def triples(built: list[Built]) -> Iterator[tuple[URIRef, URIRef, object]]:
    """The triples of the transfers (no labels: the graph is rebuilt often and must stay lean)."""
    for b in built:
        f = fields_of(b)
        t = URIRef(b.iri)
        yield t, _TYPE, _TRANSFER
        if b.supplier:
            yield t, _SUPPLIER, _iri(b.supplier)
        if b.recipient:
            yield t, _RECIPIENT, _iri(b.recipient)
        yield t, _SYSTEM, _iri(str(ns.system(b.family)))
        yield t, _STATUS, _iri(str(ns.status(f.status)))
        if f.ordered is not None:
            yield t, _Q_ORD, integer_literal(f.ordered)
        if f.delivered is not None:
            yield t, _Q_DEL, integer_literal(f.delivered)
        if f.order_year is not None:
            yield t, _ORDER_YEAR, integer_literal(f.order_year)
        for y in f.delivery_years:
            yield t, _DELIVERY_YEAR, integer_literal(y)
        for cl in b.clusters:
            for d in cl.deals:
                yield t, _SUPPORTED_BY, URIRef(d.iri)
        for c in b.claims:
            yield t, _SUPPORTED_BY, URIRef(c.iri)
        yield t, _SOURCE_COUNT, integer_literal(f.sources)
        for fname, (vals, srcs) in sorted(f.conflicts.items()):
            node = ns.conflict(URIRef(b.iri), fname)
            yield t, _HAS_CONFLICT, node
            yield node, _TYPE, _CONFLICT
            yield node, _C_FIELD, Literal(fname)
            for v in vals:
                yield node, _C_VALUE, Literal(v)
            for src in srcs:
                yield node, _C_SOURCE, URIRef(src)


#: bump when the rules change, so a stored reconciliation of the same inputs is redone
RULES_VERSION = "1"

_Q_FINGERPRINT = _P + """
SELECT ?h WHERE { GRAPH ?g { ?g arms:contentHash ?h } }
"""


def _fingerprint(store: Store, deals: list[Deal], claims: list[ClaimIn]) -> str:
    """Digest of everything the result depends on: rules, reference data, deals, claims."""
    h = hashlib.sha256(f"{RULES_VERSION}|{TOLERANCE}|{PRE_ORDER_HORIZON}|{NEWS_GAP}".encode())
    ref = store.query(_Q_FINGERPRINT, {"g": ns.GRAPH_REFERENCE})
    assert isinstance(ref, SelectResult)
    for row in ref.rows:
        h.update(str(row["h"]).encode())
    recs = sorted(f"{d.release}\t{d.iri}\t{d.supplier}\t{d.recipient}\t{d.system}\t{d.family}\t"
                  f"{d.order_year}\t{d.ordered}\t{d.delivered}\t{d.years}" for d in deals)
    h.update("\n".join(recs).encode())
    for c in claims:  # already sorted by IRI
        h.update(repr(tuple(vars(c).values())).encode())
    return h.hexdigest()


def _count_transfers(store: Store) -> int:
    res = store.query(_P + "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH ?g { ?t a arms:Transfer } }",
                      {"g": ns.GRAPH_TRANSFERS})
    assert isinstance(res, SelectResult)
    return int(res.rows[0]["n"])  # type: ignore[arg-type]


def rebuild(store: Store, *, force: bool = False) -> int:
    """Replace the transfers graph with a fresh reconciliation; returns the number of transfers.

    The graph records a fingerprint of its inputs (`arms:contentHash` on the graph IRI); when the
    inputs have not changed since, the graph is left as it is (it would be rebuilt identically)
    unless `force` is given."""
    t0 = time.perf_counter()
    deals = read_deals(store)
    claims = read_claims(store)
    fp = _fingerprint(store, deals, claims)
    t1 = time.perf_counter()
    if not force and store.query(
        _P + "ASK WHERE { GRAPH ?g { ?g arms:contentHash ?h } }",
        {"g": ns.GRAPH_TRANSFERS, "h": Literal(fp)},
    ):
        last_timing.clear()
        last_timing.update({"read": t1 - t0, "unchanged": 1.0})
        return _count_transfers(store)
    built = match(deals, claims)
    data = list(triples(built))
    data.append((ns.GRAPH_TRANSFERS, ARMS.contentHash, Literal(fp)))
    t2 = time.perf_counter()
    store.replace_graphs({ns.GRAPH_TRANSFERS: data})
    t3 = time.perf_counter()
    last_timing.clear()
    last_timing.update({"read": t1 - t0, "match": t2 - t1, "write": t3 - t2, "deals": len(deals),
                        "claims": len(claims), "transfers": len(built), "triples": len(data)})
    return len(built)


# ---------------------------------------------------------------------------------------------
# reading transfers back (the Python API and `armskb compare`)

_Q_TRANSFERS = _P + """
SELECT ?t ?t_supplier ?t_recipient ?system ?status ?qo ?qd ?oy ?sc ?dy ?src ?src_kind WHERE {
  GRAPH <""" + str(ns.GRAPH_TRANSFERS) + """> {
    ?t a arms:Transfer ; arms:system ?system ; arms:status ?status ; arms:supportedBy ?src .
    OPTIONAL { ?t arms:supplier ?t_supplier }
    OPTIONAL { ?t arms:recipient ?t_recipient }
    OPTIONAL { ?t arms:quantityOrdered ?qo }
    OPTIONAL { ?t arms:quantityDelivered ?qd }
    OPTIONAL { ?t arms:orderYear ?oy }
    OPTIONAL { ?t arms:sourceCount ?sc }
    OPTIONAL { ?t arms:deliveryYear ?dy }
  }
  FILTER(!BOUND(?supplier) || ?t_supplier = ?supplier)
  FILTER(!BOUND(?recipient) || ?t_recipient = ?recipient)
  FILTER(!BOUND(?family) || ?system = ?family)
  BIND(IF(STRSTARTS(STR(?src), "%s"), "deal", "claim") AS ?src_kind)
}
""" % (ns.ID_BASE + "sipri/")

_Q_CONFLICTS = _P + """
SELECT ?t ?field ?value ?src WHERE {
  GRAPH <""" + str(ns.GRAPH_TRANSFERS) + """> {
    ?t arms:conflict ?c . ?c arms:conflictField ?field ; arms:conflictValue ?value .
    OPTIONAL { ?c arms:conflictSource ?src }
    OPTIONAL { ?t arms:supplier ?t_supplier }
    OPTIONAL { ?t arms:recipient ?t_recipient }
    ?t arms:system ?system .
  }
  FILTER(!BOUND(?supplier) || ?t_supplier = ?supplier)
  FILTER(!BOUND(?recipient) || ?t_recipient = ?recipient)
  FILTER(!BOUND(?family) || ?system = ?family)
}
"""

_Q_DEAL_DETAILS = _P + """
SELECT DISTINCT ?deal ?g ?designation ?oy ?qo ?qd ?dy WHERE {
  GRAPH ?g {
    ?deal a arms:RegisterDeal .
    OPTIONAL { ?deal arms:supplier ?d_supplier }
    OPTIONAL { ?deal arms:recipient ?d_recipient }
    OPTIONAL { ?deal arms:designation ?designation }
    OPTIONAL { ?deal arms:orderYear ?oy }
    OPTIONAL { ?deal arms:quantityOrdered ?qo }
    OPTIONAL { ?deal arms:quantityDelivered ?qd }
    OPTIONAL { ?deal arms:deliveryYear ?dy }
  }
  FILTER(!BOUND(?supplier) || ?d_supplier = ?supplier)
  FILTER(!BOUND(?recipient) || ?d_recipient = ?recipient)
}
"""


def _party_term(value: str | None):  # -> URIRef | None
    if not value:
        return None
    from armskb.catalog import to_term

    return to_term("state", value)


def _family_term(value: str | None):  # -> URIRef | None
    if not value:
        return None
    return ns.system(family_slug(resolve_system_slug(value)))


def reconciled_transfers(kb, supplier: str | None = None, recipient: str | None = None,
                         system: str | None = None):  # -> list[Transfer]
    """The transfers of the transfers graph as `Transfer` records, with their claims (as
    `ClaimView`s), register deal IRIs and conflicts; `kb` is a KnowledgeBase."""
    from armskb.models import Category, Conflict, Transfer

    b = {"supplier": _party_term(supplier), "recipient": _party_term(recipient),
         "family": _family_term(system)}
    bound = {k: v for k, v in b.items() if v is not None}
    rows = _select_b(kb.store, _Q_TRANSFERS, bound)
    recs: dict[str, dict] = {}
    for row in rows:
        t = str(row["t"])
        r = recs.setdefault(t, {"years": set(), "deals": set(), "claims": set(), "row": row})
        if row.get("dy") is not None:
            r["years"].add(int(str(row["dy"])))
        (r["deals"] if str(row["src_kind"]) == "deal" else r["claims"]).add(str(row["src"]))
    conflicts: dict[str, dict[str, tuple[set[str], set[str]]]] = defaultdict(dict)
    for row in _select_b(kb.store, _Q_CONFLICTS, bound):
        vals, srcs = conflicts[str(row["t"])].setdefault(str(row["field"]), (set(), set()))
        vals.add(str(row["value"]))
        if row.get("src") is not None:
            srcs.add(str(row["src"]))
    views = {}
    if any(r["claims"] for r in recs.values()):
        for v in kb.claims(buyer=recipient, seller=supplier):
            views[v.iri] = v
    out = []
    for t in sorted(recs, key=_transfer_sort_key):
        r = recs[t]
        row = r["row"]
        fam = _slug_of_system(str(row["system"]))
        ref = systems().get(fam)
        try:
            cat = Category(ref.category) if ref else None
        except ValueError:
            cat = None
        qo, qd = _int(row.get("qo")), _int(row.get("qd"))
        out.append(Transfer(
            iri=t,
            supplier=party_code(str(row["t_supplier"])) if row.get("t_supplier") is not None else None,
            recipient=party_code(str(row["t_recipient"])) if row.get("t_recipient") is not None else None,
            system=ref.designation if ref else fam,
            system_family=fam,
            category=cat,
            quantity_ordered=qo,
            quantity_delivered=qd,
            quantity=qo if qo is not None else qd,
            order_year=_int(row.get("oy")),
            delivery_years=sorted(r["years"]),
            status=Status(str(row["status"]).rsplit("/", 1)[-1]),
            source_count=_int(row.get("sc")) or 0,
            claims=[views[c] for c in sorted(r["claims"]) if c in views],
            register_deals=sorted(r["deals"]),
            conflicts=[Conflict(field=f, values=sorted(v), sources=sorted(s))  # type: ignore[arg-type]
                       for f, (v, s) in sorted(conflicts.get(t, {}).items())],
        ))
    return out


def _transfer_sort_key(iri: str) -> tuple:
    stem, _, n = iri.rpartition("-")
    return (stem, int(n) if n.isdigit() else 0)


def _select_b(store: Store, text: str, bindings: dict) -> list[dict]:
    # the transfer's own supplier/recipient are matched through FILTERs: bind the parameters
    res = store.query(text, bindings)
    assert isinstance(res, SelectResult)
    return res.rows


class ComparisonRow(BaseModel):
    """One line of `armskb compare`: a transfer with its register deals beside its news claims."""

    transfer: str
    system: str
    match: str  # matched, news only, register only
    status: str
    register_deals: str = ""
    release: str = ""
    news: str = ""
    sources: str = ""
    conflicts: str = ""


def compare(kb, supplier: str, recipient: str) -> list[ComparisonRow]:
    """Register deals beside news claims for one supplier and recipient, matched and unmatched."""
    transfers = reconciled_transfers(kb, supplier=supplier, recipient=recipient)
    b = {"supplier": _party_term(supplier), "recipient": _party_term(recipient)}
    deals: dict[str, dict] = {}
    for row in _select_b(kb.store, _Q_DEAL_DETAILS, b):
        d = deals.setdefault(str(row["deal"]), {"row": row, "years": set()})
        if row.get("dy") is not None:
            d["years"].add(str(row["dy"]))
    out = []
    for t in transfers:
        reg, rel = [], set()
        for iri in t.register_deals:
            d = deals.get(iri)
            if d is None:
                continue
            row = d["row"]
            rel.add(str(row["g"]).rsplit("/", 1)[-1])
            part = f"{row.get('designation') or ''}: {row.get('qo') or '?'} ordered"
            if row.get("oy") is not None:
                part += f" {row['oy']}"
            part += f", {row.get('qd') or 0} delivered"
            if d["years"]:
                part += " " + "; ".join(sorted(d["years"]))
            reg.append(part)
        news, sources = [], []
        for c in t.claims:
            q = c.quantity if c.quantity is not None else (f"{c.quantity_group} (group)" if c.quantity_group else "")
            bits = [c.system or "", str(q) if q != "" else "", c.status or ""]
            if c.date:
                bits.append(c.date)
            news.append(" ".join(x for x in bits if x))
            src = c.source_title or c.source_url or c.document or ""
            if c.source_url and c.source_title:
                src = f"{c.source_title} <{c.source_url}>"
            if src not in sources:
                sources.append(src)
        sources += [f"SIPRI register {r}" for r in sorted(rel)]
        match_ = "matched" if reg and news else ("register only" if reg else "news only")
        out.append(ComparisonRow(
            transfer=t.iri.rsplit("/", 1)[-1] if t.iri else "",
            system=t.system or "",
            match=match_,
            status=t.status.value if t.status else "",
            register_deals=" | ".join(reg),
            release=", ".join(sorted(rel)),
            news=" | ".join(news),
            sources=" | ".join(sources),
            conflicts="; ".join(f"{c.field}: {' vs '.join(c.values)}" for c in t.conflicts),
        ))
    return out


def comparison_result(rows: list[ComparisonRow]) -> SelectResult:
    """Comparison rows as a SELECT result, for the table/csv/tsv/json renderers."""
    names = list(ComparisonRow.model_fields)
    return SelectResult(variables=names, rows=[
        {k: Literal(v) for k, v in r.model_dump().items() if v != ""} for r in rows
    ])
