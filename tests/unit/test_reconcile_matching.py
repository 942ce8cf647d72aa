"""The matching rules of `armskb.reconcile.matching` and `conflicts`, as tables over plain models:
no store, no RDF (the rules are documented in the module docstring of `matching`)."""

from __future__ import annotations

import pytest

from armskb.reconcile import ClaimIn, Deal, fields_of, match

S, R = "sup", "rec"


def deal(iri: str = "d1", *, family: str = "t-72", order_year: int | None = 2000, ordered: int | None = 5,
         delivered: int | None = 5, years: tuple[int, ...] = (2001,), release: str = "g/2024",
         release_year: int = 2024, system: str | None = None) -> Deal:
    return Deal(iri=iri, release=release, release_year=release_year, supplier=S, recipient=R,
                system=system or family, family=family, designation=(system or family).upper(),
                order_year=order_year, ordered=ordered, delivered=delivered, years=list(years))


def claim(iri: str = "c1", *, family: str = "t-72", quantity: int | None = 5, year: int | None = 2001,
          role: str | None = "delivery", status: str = "delivered", group: int | None = None,
          published: int | None = 2010, doc: str = "doc", hedged: bool = False, in_comment: bool = False,
          approx: bool = False, quote: str = "q") -> ClaimIn:
    return ClaimIn(iri=iri, doc=doc, buyer=R, supplier=S, family=family, quantity=quantity, group=group,
                   approx=approx, year=year, role=role, status=status, hedged=hedged, in_comment=in_comment,
                   quote=quote, published=published)


def shape(built) -> list[tuple[list[str], list[str]]]:
    """Each transfer as ([deal iris], [claim iris])."""
    return [([d.iri for cl in b.clusters for d in cl.deals], [c.iri for c in b.claims]) for b in built]


@pytest.mark.parametrize(("year", "role", "status", "matched"), [
    (2002, "delivery", "delivered", True),    # last delivery 2001 + 1 year tolerance
    (2003, "delivery", "delivered", False),   # past the window: news only
    (1999, "order", "ordered", True),         # order year 2000 - 1
    (1998, "order", "ordered", False),
    (2030, "announcement", "delivered", True),  # an announcement of a delivered fact bounds from above only
    (1990, "announcement", "delivered", False),
    (1996, "announcement", "interest", True),   # interest in 1996 may lead to the 2000 order: 1996 + 3
    (1995, "announcement", "interest", False),  # reaches the order year's window (2000 - 1)
    (None, None, "delivered", True),          # undated: bounded by its publication year (2010) + 1
])
def test_year_windows(year, role, status, matched) -> None:
    built = match([deal()], [claim(year=year, role=role, status=status)])
    assert shape(built) == ([(["d1"], ["c1"])] if matched else [(["d1"], []), ([], ["c1"])])


def test_undated_claim_published_before_the_deal_is_news_only() -> None:
    built = match([deal(order_year=2015, years=(2016,))], [claim(year=None, role=None, published=2012)])
    assert shape(built) == [(["d1"], []), ([], ["c1"])]


@pytest.mark.parametrize(("quantity", "status", "expected"), [
    (3, "delivered", "d2"),   # the deal with the claim's quantity wins
    (5, "delivered", "d1"),
    (7, "delivered", "d2"),   # no quantity matches: the latest deal
])
def test_deal_choice_by_quantity(quantity, status, expected) -> None:
    deals = [deal("d1", ordered=5, delivered=5, order_year=2000, years=(2001,)),
             deal("d2", ordered=3, delivered=3, order_year=2000, years=(2002,))]
    built = match(deals, [claim(quantity=quantity, status=status, year=None, role=None, approx=quantity == 7)])
    (b,) = [b for b in built if b.claims]
    assert [d.iri for cl in b.clusters for d in cl.deals] == [expected]


def test_claim_matching_a_sum_supports_each_deal() -> None:
    deals = [deal("d1", ordered=1, delivered=1), deal("d2", ordered=5, delivered=5, system="t-72b")]
    built = match(deals, [claim(quantity=6, year=None, role=None)])
    assert shape(built) == [(["d1"], ["c1"]), (["d2"], ["c1"])]
    assert all(fields_of(b).conflicts == {} for b in built)


def test_group_quantity_meets_one_deal_per_system() -> None:
    deals = [deal("mi17", family="mi-17", ordered=3, delivered=3), deal("mi35", family="mi-35", ordered=4, delivered=4),
             deal("mi35b", family="mi-35", ordered=9, delivered=9, order_year=2000, years=(2001,))]
    group = [claim("c17", family="mi-17", quantity=None, group=7, year=None, role=None, status="ordered"),
             claim("c35", family="mi-35", quantity=None, group=7, year=None, role=None, status="ordered")]
    built = match(deals, group)
    linked = {c.iri: [d.iri for cl in b.clusters for d in cl.deals] for b in built for c in b.claims}
    assert linked == {"c17": ["mi17"], "c35": ["mi35"]}  # 3 + 4 = 7, not 3 + 9


@pytest.mark.parametrize(("years", "chains"), [
    ((2001, 2003), 1),   # less than NEWS_GAP (3) years apart: one transfer
    ((2001, 2004), 2),
    ((2001, 2003, 2005, 2007), 1),  # chained step by step
])
def test_news_only_chains(years, chains) -> None:
    claims = [claim(f"c{y}", year=y, quantity=None) for y in years]
    assert len(match([], claims)) == chains


def test_undated_news_claim_joins_the_chain_of_its_publication() -> None:
    claims = [claim("c1", year=2001, quantity=None), claim("c2", year=2010, quantity=None),
              claim("u", year=None, role=None, quantity=None, published=2005)]
    assert shape(match([], claims)) == [([], ["c1", "u"]), ([], ["c2"])]


def test_releases_of_one_deal_share_a_transfer_and_differences_conflict() -> None:
    old = deal("old", release="g/2024", release_year=2024, delivered=4)
    new = deal("new", release="g/2026", release_year=2026, delivered=5)
    (b,) = match([old, new], [])
    assert [d.iri for d in b.clusters[0].deals] == ["new", "old"]  # newest release first
    f = fields_of(b)
    assert f.delivered == 5 and f.sources == 2
    assert f.conflicts["quantity_delivered"][0] == ["4", "5"]


@pytest.mark.parametrize(("claim_kw", "status", "conflict"), [
    ({}, "delivered", None),
    ({"quantity": 7}, "delivered", ["5", "7"]),                    # register 5, claim 7
    ({"quantity": 2}, "delivered", None),                          # a dated batch smaller than the total
    ({"quantity": 7, "approx": True}, "delivered", None),          # approximate figures do not conflict
    ({"quantity": 7, "in_comment": True}, "delivered", None),      # nor reader comments
    ({"status": "cancelled", "year": 2003, "role": "announcement", "quantity": None}, "cancelled", None),
    ({"status": "interest", "quantity": None, "hedged": True, "year": 2000, "role": "announcement"}, "delivered", None),
])
def test_fields_status_and_conflicts(claim_kw, status, conflict) -> None:
    (b,) = match([deal()], [claim(**claim_kw)])  # the claim meets the deal in every row
    f = fields_of(b)
    assert [c.iri for c in b.claims] == ["c1"]
    assert f.status == status
    assert f.conflicts.get("quantity_delivered", (None,))[0] == conflict


def test_news_only_figures_come_from_firm_claims() -> None:
    claims = [claim("c1", status="ordered", role="order", year=2019, quantity=4),
              claim("c2", status="delivered", role="delivery", year=2020, quantity=4),
              claim("c3", status="delivered", role="delivery", year=2020, quantity=9, in_comment=True)]
    (b,) = match([], claims)
    f = fields_of(b)
    assert (f.ordered, f.delivered, f.order_year, f.delivery_years, f.status) == (4, 4, 2019, [2020], "delivered")
    assert f.sources == 1  # one document
