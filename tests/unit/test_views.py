"""SIPRI views, names refused with suggestions, datasets, truncation and typed results, on the small
hand-written registers of tests/fixtures (a real in-memory Oxigraph store, the real CLI)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from armskb import KnowledgeBase
from armskb.bind import names_dataset, with_slice
from armskb.catalog import UnknownNameError, catalog
from armskb.errors import QueryError
from armskb.output import check_format, pivot

from ..conftest import FIXTURES

R2024 = FIXTURES / "reconcile" / "register_2024.csv"  # Hungary's suppliers, 2015-2020
R2026 = FIXTURES / "sipri" / "deliveries_2026.csv"  # per-year deliveries with their TIV


@pytest.fixture(scope="module")
def views_kb():
    base = KnowledgeBase.memory()
    base.ingest([R2024, R2026, FIXTURES / "claims" / "small.jsonl"], reconcile=False)
    yield base
    base.close()


def _release(views_kb: KnowledgeBase, fragment: str) -> str:
    keys = {str(g).rsplit("/", 1)[-1] for g in views_kb.store.graphs() if "/graph/sipri/" in str(g)}
    (key,) = [k for k in keys if fragment in k]
    return key


def test_tiv_tables_spread_2024_and_per_year_2026(views_kb: KnowledgeBase) -> None:
    res = views_kb.query("tiv-recipients-by-year", supplier="Russia")
    got = {(r.release_key, r.recipient_code, r.year): r.tiv_delivered for r in res}
    r24, r26 = _release(views_kb, "2016"), _release(views_kb, "2025")
    # 2024 export: the T-72 deal's 14 spread over 2016 and 2017; 2026 export: each year's own TIV
    assert got == {(r24, "HUN", 2016): 7, (r24, "HUN", 2017): 7 + 8 + 55, (r24, "HUN", 2020): 46,
                   (r26, "SRB", 2019): 20, (r26, "SRB", 2020): 10}
    sup = views_kb.query("tiv-suppliers-by-year", recipient="HUN", since=2019, until=2020)
    assert {(r.supplier_name, r.year): r.tiv_delivered for r in sup} == {
        ("France", 2019): 50, ("France", 2020): 50, ("Russia", 2020): 46}


def test_top_suppliers_and_recipients_with_shares(views_kb: KnowledgeBase) -> None:
    top = list(views_kb.query("top-suppliers", recipient="Hungary", since=2017, until=2020))
    assert [(r.supplier_code, r.tiv_delivered, r.deals) for r in top] == [("RUS", 116, 4), ("FRA", 100, 1)]
    assert [r.share_percent for r in top] == pytest.approx([11600 / 216, 10000 / 216])
    world = views_kb.query("top-recipients", release=_release(views_kb, "2025"))
    assert [r.recipient_code for r in world][:2] == ["IND", "SRB"]  # 2340, then 30
    assert sum(r.share_percent for r in world) == pytest.approx(100)


def test_trade_register_filters(views_kb: KnowledgeBase) -> None:
    r24 = _release(views_kb, "2016")
    deals = views_kb.query("trade-register", supplier="RUS", release=r24)
    assert len(deals) == 5 and {r.recipient_name for r in deals} == {"Hungary"}
    assert [r.designation for r in views_kb.query("trade-register", supplier="RUS", release=r24, order_since=2019)] == [
        "Mi-35M", "BTR-80"]
    assert [r.designation for r in views_kb.query("trade-register", delivery_since=2019, delivery_until=2019,
                                            release=r24)] == ["Rafale"]
    air = views_kb.query("trade-register", category="air defence systems", release=_release(views_kb, "2025"))
    assert sorted(r.deal_id for r in air) == ["1003", "1004"]
    t72 = next(iter(views_kb.query("trade-register", supplier="RUS", release=r24)))
    assert (t72.delivery_years, t72.tiv_delivered) == ("2016; 2017", Decimal(14))


def test_unknown_names_are_refused_with_suggestions(views_kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownNameError, match=r"^Serbiaa: no such state.*did you mean Serbia \(SRB\)"):
        views_kb.query("transfers", buyer="Serbiaa")
    with pytest.raises(UnknownNameError, match="no such weapon system; did you mean.*S-400"):
        views_kb.query("claims-for", system="S-4000")
    with pytest.raises(UnknownNameError, match="deliverd: no such status; did you mean delivered"):
        views_kb.query("transfers", status="deliverd")
    with pytest.raises(UnknownNameError, match="no such SIPRI category; did you mean Aircraft"):
        views_kb.query("trade-register", category="Aircaft")
    with pytest.raises(QueryError, match="did you mean recipient"):
        views_kb.query("top-suppliers", recipent="IND")
    with pytest.raises(QueryError, match="did you mean top-suppliers"):
        views_kb.query("top-supplier")
    # names the store knows are accepted: a non-state party of the register, a register designation
    assert len(views_kb.query("trade-register", recipient="Libya HoR")) == 1
    assert views_kb.query("trade-register", supplier="TUR").rows  # Turkiye: the SIPRI spelling's state
    assert isinstance(UnknownNameError("state", "x", []), QueryError)  # the server's HTTP 400 type


def test_from_and_from_named_are_honoured(views_kb: KnowledgeBase) -> None:
    g = next(x for x in views_kb.store.graphs() if "/graph/sipri/" in str(x) and "2025" in str(x))
    count = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ {pattern} }}"
    everything = views_kb.sparql(count.format(dataset="", pattern="?s ?p ?o")).rows[0]["n"]
    one = views_kb.sparql(count.format(dataset=f"FROM <{g}>", pattern="?s ?p ?o")).rows[0]["n"]
    assert int(one) == views_kb.store.count(g) < int(everything)
    named = views_kb.sparql(count.format(dataset=f"FROM NAMED <{g}>", pattern="GRAPH ?g { ?s ?p ?o }")).rows[0]["n"]
    assert int(named) == views_kb.store.count(g)
    default_empty = views_kb.sparql(count.format(dataset=f"FROM NAMED <{g}>", pattern="?s ?p ?o")).rows[0]["n"]
    assert int(default_empty) == 0  # a dataset with named graphs only has an empty default graph
    assert names_dataset("SELECT * FROM <x:g> WHERE {}") and not names_dataset('SELECT * { ?s ?p "FROM <x:g>" }')


def test_limits_say_when_they_cut(views_kb: KnowledgeBase) -> None:
    full = views_kb.query("trade-register")
    page = views_kb.query("trade-register", limit=3)
    assert len(page) == 3 and page.truncated and page.rows == full.rows[:3]
    nxt = views_kb.query("trade-register", limit=3, offset=3)
    assert nxt.rows == full.rows[3:6] and nxt.offset == 3
    exact = views_kb.query("trade-register", limit=len(full))
    assert not exact.truncated and len(exact) == len(full)
    assert not full.truncated and full.limit is None
    assert with_slice("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 10) == ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", False)
    assert "cut at 3 rows" in page._repr_html_()


def test_typed_rows_pandas_and_html(views_kb: KnowledgeBase) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is the optional extra armskb[pandas]")
    res = views_kb.query("trade-register", supplier="RUS", release=_release(views_kb, "2016"))
    row = res[0]
    assert isinstance(row.order_year, int) and isinstance(row.tiv_order, Decimal) and row["designation"] == "T-72"
    df = res.to_pandas()
    assert str(df["order_year"].dtype) == "Int64" and df["tiv_delivered"].dtype == "float64"
    assert df["tiv_delivered"].sum() == pytest.approx(14 + 8 + 55 + 46 + 0)
    claims = views_kb.query("claims-for").to_pandas()
    assert str(claims["date"].dtype).startswith("datetime64")
    assert set(claims["date_precision"].dropna()) <= {"day", "month", "year"}
    dates = [r.date for r in views_kb.query("claims-for")]
    assert "2016" in dates and all(d is None or isinstance(d, (str, dt.date)) for d in dates)  # gYear stays text
    html = res._repr_html_()
    assert html.startswith("<table>") and "<td>T-72</td>" in html


def test_pivot_lays_out_rows_with_totals(views_kb: KnowledgeBase) -> None:
    res = views_kb.query("tiv-suppliers-by-year", recipient="HUN")
    wide = pivot(res, "supplier_name", "year", "tiv_delivered")
    assert wide.variables == ["supplier_name", "2016", "2017", "2019", "2020", "total"]
    by = {str(r["supplier_name"]): {k: Decimal(str(v)) for k, v in r.items() if k != "supplier_name"} for r in wide.rows}
    assert by["Russia"] == {"2016": 7, "2017": 70, "2020": 46, "total": 123}
    assert by["Total"]["total"] == 123 + 100
    assert catalog()["tiv-suppliers-by-year"].pivot == ("supplier_name", "year", "tiv_delivered")


def test_formats_are_checked() -> None:
    assert check_format("CSV") == "csv"
    with pytest.raises(QueryError, match="unknown format 'xlsx'; use one of: table, csv, tsv, json"):
        check_format("xlsx")
