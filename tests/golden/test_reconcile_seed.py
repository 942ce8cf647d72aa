"""The seed article meets the SIPRI register (2024 export, 29k deals): T-72 (30), BRDM-2 (30),
MiG-29 (6 = 1 MiG-29 + 5 MiG-29S), Mi-35 and Kornet reconcile with register deals; S-400 stays a
news-only `interest`. Source: SIPRI Arms Transfers Database (c) SIPRI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb import reconcile

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT.parent / "shared" / "sipri" / "sipri_trade_register_all_1950-2023.csv"
SEED_CLAIMS = ROOT / "examples" / "structured" / "seed-claims.jsonl"
SEED_ARTICLE = ROOT / "examples" / "seed-fr-sputnik-2021-10-11.txt"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not REGISTER.is_file(), reason=f"{REGISTER} is absent (../shared/sipri is not here)"),
]


@pytest.fixture(scope="module")
def register_kb():
    base = KnowledgeBase.memory()
    report = base.ingest([REGISTER], reconcile=False)  # the register once for the module
    assert report.loaded
    yield base
    base.close()


def _load_only(register_kb: KnowledgeBase, path: Path) -> float:
    """Replace every document graph with those of `path`, reconcile; returns the rebuild time."""
    for g in register_kb.store.graphs():
        if str(g).startswith(ns.GRAPH_DOC_PREFIX):
            register_kb.store.drop_graph(g)
    register_kb.ingest([path], reconcile=False)
    t0 = time.perf_counter()
    register_kb.reconcile()
    return time.perf_counter() - t0


def _check_seed(register_kb: KnowledgeBase) -> None:
    ts = [t for t in register_kb.reconciled_transfers(supplier="RUS", recipient="SRB") if t.claims]
    by_family: dict[str, list] = {}
    for t in ts:
        by_family.setdefault(t.system_family, []).append(t)
    for fam in ("t-72", "brdm-2"):
        (t,) = by_family[fam]
        assert t.register_deals and t.quantity_ordered == 30 and t.quantity_delivered == 30
        assert t.status.value == "delivered" and t.source_count == 2 and t.conflicts == []
    mig = by_family["mig-29"]
    assert sorted(t.quantity_ordered for t in mig) == [1, 5]  # MiG-29 + MiG-29S, one claim of six
    assert len({t.claims[0].iri for t in mig}) == 1 and mig[0].claims[0].quantity == 6
    assert all(t.conflicts == [] for t in mig)
    (mi35,) = by_family["mi-35"]
    assert mi35.register_deals and mi35.order_year == 2018 and mi35.quantity_ordered == 4
    (kornet,) = by_family["kornet"]
    assert kornet.register_deals and kornet.order_year == 2021 and kornet.status.value == "delivered"
    (s400,) = by_family["s-400"]
    assert s400.register_deals == [] and s400.status.value == "interest"


def test_seed_claims_meet_the_register(register_kb: KnowledgeBase) -> None:
    took = _load_only(register_kb, SEED_CLAIMS)
    print(f"\nrebuild with the full register: {took:.1f}s {reconcile.last_timing}")
    _check_seed(register_kb)
    (mi17,) = [t for t in register_kb.reconciled_transfers(supplier="RUS", recipient="SRB", system="Mi-17") if t.claims]
    assert mi17.order_year == 2018  # "sept Mi-17 et Mi-35" = 3 Mi-17 + 4 Mi-35M (both 2018)
    news = register_kb.query("news-not-in-register", supplier="RUS", recipient="SRB")
    assert [str(r["system_family"]) for r in news.rows] == ["s-400"]
    rows = {r.transfer: r for r in register_kb.compare("RUS", "SRB")}
    assert rows["rus-srb-t-72-1"].match == "matched"
    assert rows["rus-srb-s-400-1"].match == "news only"
    assert rows["rus-srb-96k9-pantsyr-s1-1"].match == "register only"


def test_seed_article_meets_the_register(register_kb: KnowledgeBase) -> None:
    _load_only(register_kb, SEED_ARTICLE)
    _check_seed(register_kb)
