"""The plain inputs and outputs of matching: register deals, claims, clusters, built transfers.

No store, no RDF: `inputs` fills these from a store, `matching` and `conflicts` compute on them,
`triples` turns the result into RDF. Tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from armskb.models import STATUS_ORDER, Status

#: years either side of a deal's order .. last delivery years within which a claim still matches
TOLERANCE = 1
#: years after an interest/offer/plan/agreement statement within which an order may follow
PRE_ORDER_HORIZON = 3
#: dated news-only claims of one family further apart than this start a new transfer
NEWS_GAP = 3

INF = 10**6
RANK = {s.value: r for s, r in STATUS_ORDER.items()}
ORDERED = RANK[Status.ordered.value]
OUTCOMES = {Status.cancelled.value, Status.denied.value}
POINT_ROLES = {"order", "delivery", "expected-delivery", "period"}

#: (supplier IRI, recipient IRI, system family slug): the unit of reconciliation
Key = tuple[str | None, str | None, str]


@dataclass
class Deal:
    """One register row (one deal of one release)."""

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
    sipri_category: str | None = None
    category: str | None = None  # category concept IRI
    tiv_order: Decimal | None = None
    tiv_delivered: Decimal | None = None
    #: delivery year -> TIV delivered that year (exports with per-year deliveries)
    tiv_by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def key(self) -> Key:
        return (self.supplier, self.recipient, self.family)

    @property
    def status(self) -> str:
        if self.delivered:
            if self.ordered is None or self.delivered >= self.ordered:
                return Status.delivered.value
            return Status.delivering.value
        return Status.ordered.value


@dataclass
class ClaimIn:
    """One claim as matching sees it (buyer, supplier and family known)."""

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
    #: the claim's date and its document's publication date as written, for summaries
    date: str | None = None
    issued: str | None = None
    #: the title (else URL, else IRI) of its document, for summaries
    source: str = ""

    @property
    def key(self) -> Key:
        return (self.supplier, self.buyer, self.family)

    @property
    def rank(self) -> int:
        return RANK.get(self.status, -1)

    def interval(self) -> tuple[int, int]:
        early = self.rank < ORDERED and self.status not in OUTCOMES
        if self.year is not None:
            if self.role in POINT_ROLES:
                return self.year, self.year
            if early:
                return self.year - TOLERANCE, self.year + PRE_ORDER_HORIZON
            return -INF, self.year
        if self.published is None:
            return -INF, INF
        if early:
            return self.published - TOLERANCE, self.published + PRE_ORDER_HORIZON
        return -INF, self.published + TOLERANCE

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
            return -INF, INF
        lo = (d.order_year if d.order_year is not None else min(years)) - tol
        hi = max([*years, d.order_year if d.order_year is not None else -INF]) + tol
        if d.ordered is None or d.delivered is None or d.delivered < d.ordered:
            hi = max(hi, d.release_year + tol)
        return lo, hi

    def sort_key(self) -> tuple[int, int, str, int, str]:
        d = self.main
        return (d.order_year or 0, min(d.years) if d.years else 0, d.system, d.ordered or 0, d.iri)


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


@dataclass
class Fields:
    """The figures of a built transfer and the conflicts among its sources."""

    ordered: int | None
    delivered: int | None
    order_year: int | None
    delivery_years: list[int]
    status: str
    sources: int
    conflicts: dict[str, tuple[list[str], list[str]]]  # field -> (values, source iris)
