"""SIPRI's views (trade register, top suppliers/recipients, TIV tables) against the raw exports.

Every expected figure is recomputed here with the csv module straight from the files in
../shared/sipri and compared with what the named queries answer on a store holding both releases.
TIV semantics (see ../shared/sipri/README.md and the query headers): the 2026 export gives each
delivery year's TIV; the 2024 export gives a deal's TIV of delivered weapons, spread here evenly
over its delivery years. Parties are compared by the names SIPRI spells.
Source: SIPRI Arms Transfers Database (c) SIPRI.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from armskb import KnowledgeBase
from armskb.catalog import UnknownNameError

SIPRI = Path(__file__).resolve().parents[2].parent / "shared" / "sipri"
F2024 = SIPRI / "sipri_trade_register_all_1950-2023.csv"
F2026 = SIPRI / "sipri_trade_register_deliveries_1995-2024.csv"
R2024, R2026 = "1950-2023", "2026-02-12"
TOL = Decimal("0.000001")

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not (F2024.is_file() and F2026.is_file()), reason=f"SIPRI exports not found under {SIPRI}"),
]


# --- recomputation from the raw files -------------------------------------------------------


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def raw_2024() -> list[dict]:
    """One dict per deal of the 2024 export (records broken over two lines joined back)."""
    with F2024.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    deals: list[dict] = []
    for r in rows:
        if not r[0]:  # the continuation of a broken record carries its three TIV fields
            deals[-1].update(tiv_unit=_dec(r[1]), tiv_order=_dec(r[2]), tiv_delivered=_dec(r[3]))
            continue
        years = sorted({int(y) for y in r[10].replace(" ", "").split(";") if y})
        deals.append(dict(recipient=r[0], supplier=r[1], order_year=int(r[2]) if r[2] else None,
                          designation=r[6], delivered=int(r[8]) if r[8] else None, years=years,
                          tiv_unit=_dec(r[13]), tiv_order=_dec(r[14]), tiv_delivered=_dec(r[15])))
    return deals


def raw_2026() -> list[dict]:
    """One dict per (deal, delivery year) row of the 2026 export."""
    lines = F2026.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID,"))
    rows = list(csv.reader(ln[:-1] if ln.endswith(";") else ln for ln in lines[start:]))[1:]
    return [dict(deal=r[0], supplier=r[1], recipient=r[2], category=r[5], order_year=int(r[6]),
                 year=int(r[10]), tiv=_dec(r[15])) for r in rows]


def tiv_2024(by: str, **where: object) -> dict[tuple[str, int], Decimal]:
    """(party name, year) -> TIV delivered, each deal's TIV spread evenly over its delivery years."""
    since, until = where.pop("since", None), where.pop("until", None)
    out: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for d in raw_2024():
        if d["tiv_delivered"] is None or not d["years"] or any(d[k] != v for k, v in where.items()):
            continue
        share = d["tiv_delivered"] / len(d["years"])
        for y in d["years"]:
            if (since is None or y >= since) and (until is None or y <= until):
                out[(d[by], y)] += share
    return out


def tiv_2026(by: str, **where: object) -> dict[tuple[str, int], Decimal]:
    """(party name, year) -> TIV of that year's deliveries."""
    since, until = where.pop("since", None), where.pop("until", None)
    out: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for r in raw_2026():
        if r["tiv"] is None or any(r[k] != v for k, v in where.items()):
            continue
        if (since is None or r["year"] >= since) and (until is None or r["year"] <= until):
            out[(r[by], r["year"])] += r["tiv"]
    return out


def _close(got: dict, expected: dict) -> None:
    assert set(got) == {k for k, v in expected.items()}, set(got) ^ set(expected)
    bad = {k: (got[k], expected[k]) for k in expected if abs(got[k] - expected[k]) > TOL}
    assert not bad, list(bad.items())[:5]


# --- the store ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sipri_kb():
    base = KnowledgeBase.memory()
    report = base.ingest([F2024, F2026], reconcile=False)  # the register's bulk path
    assert report.documents == 2, report
    yield base
    base.close()


def _table(res, name_var: str) -> dict[tuple[str, int], Decimal]:
    return {(r[name_var], r.year): r.tiv_delivered for r in res}


# --- TIV tables -----------------------------------------------------------------------------


def test_tiv_table_suppliers_2026_whole_register(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("tiv-suppliers-by-year", release=R2026)
    assert {r.release_key for r in res} == {R2026}
    _close(_table(res, "supplier_name"), tiv_2026("supplier"))


def test_tiv_table_recipients_of_russia_2024(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("tiv-recipients-by-year", supplier="Russia", release=R2024, since=2000, until=2023)
    expected = tiv_2024("recipient", supplier="Russia", since=2000, until=2023)
    assert len(expected) > 300
    _close(_table(res, "recipient_name"), expected)


def test_tiv_table_by_category_2026(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("tiv-suppliers-by-year", recipient="India", category="aircraft", release=R2026)
    _close(_table(res, "supplier_name"), tiv_2026("supplier", recipient="India", category="Aircraft"))


def test_releases_are_never_summed_together(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("tiv-suppliers-by-year", supplier="France", since=2010, until=2010)
    assert sorted(r.release_key for r in res) == [R2024, R2026]


# --- top suppliers / recipients -------------------------------------------------------------


def _ranking(table: dict[tuple[str, int], Decimal]) -> list[tuple[str, Decimal]]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for (name, _), v in table.items():
        sums[name] += v
    return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))


@pytest.mark.parametrize("release", [R2024, R2026])
def test_top_suppliers_of_india(sipri_kb: KnowledgeBase, release: str) -> None:
    res = sipri_kb.query("top-suppliers", recipient="India", since=2010, until=2020, release=release)
    raw = (tiv_2024 if release == R2024 else tiv_2026)("supplier", recipient="India", since=2010, until=2020)
    expected = _ranking(raw)
    got = [(r.supplier_name, r.tiv_delivered) for r in res]
    assert [n for n, _ in got[:5]] == [n for n, _ in expected[:5]]
    assert got[0][0] == "Russia"
    _close(dict(got), dict(expected))
    total = sum(v for _, v in expected)
    for r in res:
        assert abs(Decimal(str(r.share_percent)) - 100 * r.tiv_delivered / total) < Decimal("0.0001")
    assert abs(sum(Decimal(str(r.share_percent)) for r in res) - 100) < Decimal("0.001")


def test_top_recipients_of_russia_and_world_importers(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("top-recipients", supplier="RUS", since=2014, until=2018, release=R2024)
    expected = _ranking(tiv_2024("recipient", supplier="Russia", since=2014, until=2018))
    _close({r.recipient_name: r.tiv_delivered for r in res}, dict(expected))
    assert [r.recipient_name for r in res][:3] == [n for n, _ in expected[:3]]
    world = sipri_kb.query("top-recipients", since=2019, until=2023, release=R2024)
    expected = _ranking(tiv_2024("recipient", since=2019, until=2023))
    got = [(r.recipient_name, r.tiv_delivered) for r in world][:10]
    assert [n for n, _ in got] == [n for n, _ in expected[:10]]
    assert all(abs(g - e) <= TOL for (_, g), (_, e) in zip(got, expected))


# --- trade register -------------------------------------------------------------------------


def test_trade_register_france_india(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("trade-register", supplier="France", recipient="India", release=R2024)
    expected = [d for d in raw_2024() if (d["supplier"], d["recipient"]) == ("France", "India")]
    assert len(res) == len(expected) == 63
    key = lambda d: (d["order_year"], d["designation"], d["tiv_order"])  # noqa: E731
    got = sorted(((r.order_year, r.designation, r.tiv_order) for r in res), key=lambda t: (t[0], t[1], t[2] or 0))
    assert got == sorted((key(d) for d in expected), key=lambda t: (t[0], t[1], t[2] or 0))
    assert sum(r.tiv_delivered or 0 for r in res) == sum(d["tiv_delivered"] or 0 for d in expected)


def test_trade_register_year_ranges_and_category(sipri_kb: KnowledgeBase) -> None:
    res = sipri_kb.query("trade-register", supplier="Russia", recipient="India", order_since=2000, order_until=2009,
                   delivery_since=2015, release=R2024)
    expected = [d for d in raw_2024() if (d["supplier"], d["recipient"]) == ("Russia", "India")
                and 2000 <= (d["order_year"] or 0) <= 2009 and any(y >= 2015 for y in d["years"])]
    assert len(res) == len(expected) > 0
    res = sipri_kb.query("trade-register", recipient="India", category="Ships", release=R2026)
    deals = {r["deal"] for r in raw_2026() if r["recipient"] == "India" and r["category"] == "Ships"}
    assert {r.deal_id for r in res} == deals and len(deals) > 5


def test_unknown_names_are_errors_with_suggestions(sipri_kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownNameError, match=r"Indai: no such state.*India \(IND\)"):
        sipri_kb.query("top-suppliers", recipient="Indai")
    with pytest.raises(UnknownNameError, match="did you mean Aircraft"):
        sipri_kb.query("trade-register", category="Aircaft")


# --- CLI: pivot table, rounding, CSV --------------------------------------------------------


def _whole(d: Decimal) -> str:
    """Whole millions, half up, as SIPRI's tables show TIV."""
    return str(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_cli_pivot_csv_rounded_and_json_exact(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with KnowledgeBase.open(store) as small:
        small.ingest([F2024], reconcile=False)
    base = [str(Path(sys.executable).with_name("armskb")), "query", "tiv-recipients-by-year", "--store", str(store),
            "-p", "supplier=Russia", "-p", "since=2015", "-p", "until=2019"]
    out = subprocess.run([*base, "--pivot", "--format", "csv"], capture_output=True, text=True, check=True).stdout
    lines = list(csv.reader(out.splitlines()))
    assert lines[0] == ["recipient_name", "2015", "2016", "2017", "2018", "2019", "total"]
    expected = tiv_2024("recipient", supplier="Russia", since=2015, until=2019)
    india = next(r for r in lines if r[0] == "India")
    assert india[1:6] == [_whole(expected[("India", y)]) if ("India", y) in expected else "" for y in range(2015, 2020)]
    assert lines[-1][0] == "Total" and lines[-1][-1] == _whole(sum(expected.values()))
    js = json.loads(subprocess.run([*base, "--format", "json"], capture_output=True, text=True, check=True).stdout)
    cell = next(b for b in js["results"]["bindings"] if b["recipient_name"]["value"] == "India"
                and b["year"]["value"] == "2016")
    assert Decimal(cell["tiv_delivered"]["value"]) == pytest.approx(expected[("India", 2016)])
