"""Reconciliation of claims and register deals into transfers (`armskb.reconcile`), the named
queries over transfers, `KnowledgeBase.reconciled_transfers` / `compare` and `armskb compare`.

Fixtures: tests/fixtures/reconcile/register_2024.csv (a tiny register in the 2024 export format,
Russia -> Hungary) and claims.jsonl (two articles about the same deals)."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb import reconcile
from armskb.namespace import ARMS
from armskb.validate import validate_graph

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reconcile"
REGISTER = FIX / "register_2024.csv"
CLAIMS = FIX / "claims.jsonl"
T = "https://w3id.org/armskb/id/transfer/"


def _kb(*paths: Path) -> KnowledgeBase:
    fixture_kb = KnowledgeBase.memory()
    report = fixture_kb.ingest(list(paths))
    assert report.ok, report.rejected
    return fixture_kb


@pytest.fixture
def fixture_kb() -> KnowledgeBase:
    base = _kb(REGISTER, CLAIMS)
    yield base
    base.close()


def _graph(fixture_kb: KnowledgeBase) -> Graph:
    g = Graph()
    for s, p, o, _ in fixture_kb.store.quads(ns.GRAPH_TRANSFERS):
        g.add((s, p, o))
    return g


def _by_iri(fixture_kb: KnowledgeBase) -> dict:
    return {t.iri.rsplit("/", 1)[-1]: t for t in fixture_kb.reconciled_transfers()}


def test_determinism_rebuild_twice_and_fresh_store(fixture_kb: KnowledgeBase) -> None:
    first = set(_graph(fixture_kb))
    assert reconcile.rebuild(fixture_kb.store, force=True) == 7
    assert set(_graph(fixture_kb)) == first
    fixture_kb.store.drop_graph(ns.GRAPH_TRANSFERS)  # rebuildable from scratch
    assert fixture_kb.reconcile() == 7
    assert set(_graph(fixture_kb)) == first
    other = _kb(CLAIMS, REGISTER)  # another store, files in the other order
    assert set(_graph(other)) == first


def test_unchanged_inputs_skip_the_write(fixture_kb: KnowledgeBase) -> None:
    assert fixture_kb.reconcile() == 7
    assert reconcile.last_timing.get("unchanged") == 1.0
    reconcile.rebuild(fixture_kb.store, force=True)
    assert "write" in reconcile.last_timing


def test_variant_reconciles_with_its_family(fixture_kb: KnowledgeBase) -> None:
    ts = _by_iri(fixture_kb)
    t72 = ts["rus-hun-t-72-1"]
    assert [c.system for c in t72.claims] == ["T-72MS"]
    assert t72.system_family == "t-72" and len(t72.register_deals) == 1
    mi35 = ts["rus-hun-mi-35-1"]  # the claim says Mi-35, the register Mi-35M
    assert [c.system for c in mi35.claims] == ["Mi-35"] and mi35.quantity_ordered == 4
    assert mi35.source_count == 2 and mi35.conflicts == []


def test_claim_matching_a_sum_of_deals_supports_each(fixture_kb: KnowledgeBase) -> None:
    ts = _by_iri(fixture_kb)
    one, five = ts["rus-hun-mig-29-1"], ts["rus-hun-mig-29-2"]
    assert (one.quantity_ordered, five.quantity_ordered) == (1, 5)
    assert one.claims and one.claims[0].iri == five.claims[0].iri
    assert one.claims[0].quantity == 6
    assert one.conflicts == [] and five.conflicts == []


def test_conflicts_recorded(fixture_kb: KnowledgeBase) -> None:
    t72 = _by_iri(fixture_kb)["rus-hun-t-72-1"]
    assert [(c.field, c.values) for c in t72.conflicts] == [("quantity_delivered", ["10", "12"])]
    assert len(t72.conflicts[0].sources) == 2
    assert t72.quantity_delivered == 10  # the register figure wins
    res = fixture_kb.query("conflicts", recipient="HUN")
    assert [(str(r["system_family"]), str(r["conflict_field"]), str(r["values"])) for r in res.rows] == [
        ("t-72", "quantity_delivered", "10 | 12")
    ]
    assert fixture_kb.query("conflicts", recipient="HUN", field="status").rows == []


def test_news_only_and_register_only(fixture_kb: KnowledgeBase) -> None:
    ts = _by_iri(fixture_kb)
    s400 = ts["rus-hun-s-400-1"]
    assert s400.status.value == "interest" and s400.register_deals == [] and len(s400.claims) == 1
    btr = ts["rus-hun-btr-80-1"]
    assert btr.status.value == "ordered" and btr.claims == [] and btr.quantity_ordered == 12
    news = fixture_kb.query("news-not-in-register", supplier="RUS", recipient="Hungary")
    assert [str(r["system_family"]) for r in news.rows] == ["s-400"]
    assert fixture_kb.query("news-not-in-register", recipient="HUN", until=2017).rows == []
    reg = fixture_kb.query("register-not-in-news", supplier="RUS", recipient="HUN")
    assert [str(r["system_family"]) for r in reg.rows] == ["btr-80"]
    assert [str(r["designation"]) for r in reg.rows] == ["BTR-80"]
    assert fixture_kb.query("register-not-in-news", recipient="HUN", since=2021).rows == []
    assert len(fixture_kb.query("register-not-in-news", recipient="HUN", since=2018).rows) == 2  # BTR-80, Rafale


def test_rebuild_after_reingest(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    fixed = tmp_path / "claims.jsonl"
    fixed.write_text(CLAIMS.read_text(encoding="utf-8").replace('"quantity": 12', '"quantity": 10'),
                     encoding="utf-8")
    fixture_kb.ingest([fixed])  # same documents (same URLs): their graphs are replaced, transfers rebuilt
    t72 = _by_iri(fixture_kb)["rus-hun-t-72-1"]
    assert t72.conflicts == [] and len(t72.claims) == 1 and t72.claims[0].quantity == 10
    assert len(_by_iri(fixture_kb)) == 7


def test_transfers_graph_validates(fixture_kb: KnowledgeBase) -> None:
    data = _graph(fixture_kb)
    assert data.value(URIRef(T + "rus-hun-t-72-1"), ARMS.conflict) is not None
    conforms, report = validate_graph(data)
    assert conforms, report


def test_transfer_timeline(fixture_kb: KnowledgeBase) -> None:
    res = fixture_kb.query("transfer-timeline", supplier="RUS", recipient="HUN", system="T-72MS")
    rows = [(str(r["date"]), str(r["status_label"]), str(r["source_kind"])) for r in res.rows]
    assert rows == [("2015", "ordered", "register"), ("2016", "delivered", "register"),
                    ("2017", "delivered", "claim"), ("2017", "delivered", "register")]
    by_iri = fixture_kb.query("transfer-timeline", transfer=T + "rus-hun-s-400-1")
    assert [str(r["status_label"]) for r in by_iri.rows] == ["interest"]


def test_tiv_by_year_and_top_suppliers(fixture_kb: KnowledgeBase) -> None:
    res = fixture_kb.query("tiv-by-year", supplier="RUS", recipient="HUN")
    tiv = {int(r["year"]): float(r["tiv_delivered"]) for r in res.rows}
    assert tiv == {2016: 7.0, 2017: 7.0 + 8.0 + 55.0, 2020: 46.0}  # T-72 14 spread over two years
    top = fixture_kb.query("top-suppliers", recipient="Hungary", since=2017, until=2020)
    assert [(str(r["supplier_code"]), float(r["tiv_delivered"]), int(r["deals"])) for r in top.rows] == [
        ("RUS", 116.0, 4), ("FRA", 100.0, 1)  # largest TIV first
    ]


def test_compare_api_and_cli(fixture_kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = fixture_kb.compare("RUS", "HUN")
    kinds = {r.transfer: r.match for r in rows}
    assert kinds["rus-hun-t-72-1"] == "matched"
    assert kinds["rus-hun-s-400-1"] == "news only"
    assert kinds["rus-hun-btr-80-1"] == "register only"
    t72 = next(r for r in rows if r.transfer == "rus-hun-t-72-1")
    assert "Tanks and jets <https://example.org/rec-a>" in t72.sources and "SIPRI register" in t72.sources
    assert "quantity_delivered" in t72.conflicts

    from armskb.cli import app

    store = tmp_path / "store"
    disk = KnowledgeBase.open(store)
    disk.ingest([REGISTER, CLAIMS])
    disk.close()
    del disk
    gc.collect()  # pyoxigraph releases the store's lock when the object goes
    runner = CliRunner()
    out = runner.invoke(app, ["compare", "--supplier", "RUS", "--recipient", "Hungary", "--store", str(store),
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {b["transfer"]["value"] for b in data["results"]["bindings"]} >= {"rus-hun-t-72-1", "rus-hun-s-400-1"}
    piped = runner.invoke(app, ["compare", "--supplier", "RUS", "--recipient", "HUN", "--store", str(store)])
    assert piped.exit_code == 0 and piped.stdout.splitlines()[0].startswith("transfer\tsystem\tmatch")
    csv_out = runner.invoke(app, ["compare", "--supplier", "RUS", "--recipient", "HUN", "--store", str(store),
                                  "-f", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("transfer,system,match")


def test_matching_rules_in_isolation() -> None:
    """Year windows: a dated claim outside every deal's window is news-only."""
    d = reconcile.Deal(iri="d", release="g/2000-2020", release_year=2020, supplier="S", recipient="R",
                       system="t-72", family="t-72", designation="T-72", order_year=2000, ordered=5,
                       delivered=5, years=[2001])
    base = dict(iri="c", doc="doc", buyer="R", supplier="S", family="t-72", quantity=5, group=None,
                approx=False, role="delivery", status="delivered", hedged=False, in_comment=False,
                quote="q", published=2010)
    near = reconcile.ClaimIn(year=2002, **base)  # last delivery 2001 + 1 year tolerance
    far = reconcile.ClaimIn(year=2003, **{**base, "iri": "c2"})
    built = reconcile.match([d], [near, far])
    assert [(len(b.clusters), [c.iri for c in b.claims]) for b in built] == [(1, ["c"]), (0, ["c2"])]
