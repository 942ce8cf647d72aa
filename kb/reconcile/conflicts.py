"""The figures of a built transfer (quantities, years, status, sources) and its conflicts.

Register figures win (quantities, order year, delivery years); news-only transfers take the figures
of their ordered and delivered claims. Status: the furthest lifecycle stage of the sources, unless a
cancellation or denial is dated after all of them; claims in reader comments and hedged claims only
decide the status when nothing firmer supports the transfer. Conflicts: quantity ordered or
delivered, order year, delivery year or status on which the sources disagree (see `matching`).
Pure: plain models in, plain models out.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from armskb.models import Status
from armskb.reconcile.model import ORDERED, OUTCOMES, RANK, Built, Fields


def _most_common(values: list[int]) -> int | None:
    if not values:
        return None
    counts = Counter(values)
    return sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))[0][0]



def _status(b: Built) -> str:
    firm = [c for c in b.claims if not c.in_comment and not c.hedged]
    pool_claims = firm or [c for c in b.claims if not c.in_comment] or b.claims
    if b.clusters:
        pool_claims = firm  # the register is firm: soft claims do not move the status
    dated: list[tuple[int, str]] = []  # (year, status) for lifecycle statuses
    best_rank, best = -1, Status.unknown.value
    for cl in b.clusters:
        d = cl.main
        r = RANK[d.status]
        if r > best_rank:
            best_rank, best = r, d.status
        dated.append((max([*d.years, d.order_year or 0]), d.status))
    for c in pool_claims:
        if c.rank > best_rank:
            best_rank, best = c.rank, c.status
        if c.rank >= 0:
            dated.append((c.year if c.year is not None else (c.published or 0), c.status))
    outcomes = [c for c in pool_claims if c.status in OUTCOMES]
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
    live = {s for s in statuses if RANK.get(s, -1) >= ORDERED}
    if live and statuses.keys() & OUTCOMES:
        for s in live | (statuses.keys() & OUTCOMES):
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
