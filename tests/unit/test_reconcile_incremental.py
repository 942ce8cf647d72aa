"""Incremental reconciliation (`armskb.reconcile.update`, run by every ingest of documents) gives
the same transfers graph as a full rebuild, whatever the order of ingests and re-ingests.

A real in-memory Oxigraph store; documents derived from tests/fixtures/reconcile/claims.jsonl
(re-ingested with other figures, a claim moved to another recipient, a group quantity shared by two
families) and the fixture register, ingested in orders hypothesis draws."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from armskb import KnowledgeBase, reconcile
from armskb import namespace as ns
from armskb.namespace import ARMS

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reconcile"
REGISTER = FIX / "register_2024.csv"


def _records() -> list[dict]:
    return [json.loads(line) for line in (FIX / "claims.jsonl").read_text(encoding="utf-8").splitlines()]


def _variants(tmp: Path) -> dict[str, Path]:
    """Claim files: the two fixture articles, changed versions of them, and a group-quantity one."""
    recs = _records()
    a = [r for r in recs if r["article"] == "rec-a"]
    b = [r for r in recs if r["article"] == "rec-b"]
    a_fixed = [dict(r, quantity=10) if r["system"] == "T-72MS" else r for r in a]
    a_moved = [dict(r, buyer="SRB") if r["system"] == "S-400" else r for r in a]  # S-400 changes key
    group_src = dict(b[0]["source"], url="https://example.org/rec-g", title="Group")
    group = [
        dict(b[0], article="rec-g", system="Mi-35", system_canonical="Mi-35", quantity=None, quantity_group=5,
             date=None, date_role=None, evidence="Hungary ordered five Mi-35 and MiG-29 aircraft.", source=group_src),
        dict(b[0], article="rec-g", system="MiG-29", system_canonical="MiG-29", system_category="aircraft",
             quantity=None, quantity_group=5, date=None, date_role=None, evidence="Hungary ordered five Mi-35 and MiG-29 aircraft.",
             source=group_src),
    ]
    out = {}
    for name, rows in (("a", a), ("a_fixed", a_fixed), ("a_moved", a_moved), ("b", b), ("group", group)):
        p = tmp / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        out[name] = p
    out["register"] = REGISTER
    return out


def _transfers_graph(kb: KnowledgeBase) -> set:
    """The transfers graph without the full rebuild's input fingerprint (an incremental update
    drops it: it no longer describes all inputs)."""
    return {(s, p, o) for s, p, o, _ in kb.store.quads(ns.GRAPH_TRANSFERS)
            if not (s == ns.GRAPH_TRANSFERS and p == ARMS.contentHash)}


NAMES = ["a", "a_fixed", "a_moved", "b", "group", "register"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.lists(st.sampled_from(NAMES), min_size=1, max_size=6))
def test_incremental_equals_full_rebuild(tmp_path: Path, order: list[str]) -> None:
    files = _variants(tmp_path)
    kb = KnowledgeBase.memory()
    try:
        for name in order:
            report = kb.ingest([files[name]])
            assert report.ok, report.rejected
        incremental = _transfers_graph(kb)
        reconcile.rebuild(kb.store, force=True)
        assert incremental == _transfers_graph(kb), order
    finally:
        kb.close()


def test_document_ingest_updates_only_its_keys(tmp_path: Path) -> None:
    files = _variants(tmp_path)
    kb = KnowledgeBase.memory()
    kb.ingest([REGISTER, files["a"], files["b"]])  # the register: a full rebuild
    assert "unchanged" not in reconcile.last_timing and reconcile.last_timing["deals"] == 6
    kb.ingest([files["a_moved"]])
    t = reconcile.last_timing
    # rec-a touches (RUS, HUN) t-72, mig-29, s-400 and now (RUS, SRB) s-400; rec-b's Mi-35 and the
    # French deal are not read again
    assert t["keys"] == 4 and t["claims"] == 3 and t["deals"] == 3 and t["changed"] == 1.0
    srb = kb.transfers(seller="RUS", buyer="SRB")
    assert [(x.system_family, x.match) for x in srb] == [("s-400", "news only")]
    assert [x.system_family for x in kb.transfers(buyer="HUN", system="S-400")] == []
    kb.ingest([files["a_moved"]])  # the same file again: nothing to write
    assert reconcile.last_timing["changed"] == 0.0
    kb.close()


def test_group_partners_are_reconciled_together(tmp_path: Path) -> None:
    files = _variants(tmp_path)
    kb = KnowledgeBase.memory()
    kb.ingest([REGISTER, files["group"]])
    by = {x.system_family: x for x in kb.transfers(seller="RUS", buyer="HUN") if x.claims}
    # five = 4 Mi-35M + 1 MiG-29 of the register: each claim of the group meets one deal
    assert by["mi-35"].quantity_ordered == 4 and by["mig-29"].quantity_ordered == 1
    kb.store.drop_graph(ns.GRAPH_TRANSFERS)
    reconcile.rebuild(kb.store)
    before = _transfers_graph(kb)
    reconcile.update(kb.store, {(str(ns.state("RUS")), str(ns.state("HUN")), "mig-29")})
    assert reconcile.last_timing["keys"] == 2  # mig-29 brings its group partner mi-35 along
    assert reconcile.last_timing["changed"] == 0.0 and _transfers_graph(kb) == before
    assert URIRef(str(ns.transfer("RUS", "HUN", "mi-35", 1))) in {s for s, _, _ in before}
    kb.close()


def test_summaries_of_a_register_with_per_year_deliveries() -> None:
    """The 2026 export's per-year delivery nodes are not deals; their TIV becomes the transfer's
    yearly deliveries; register transfers carry SIPRI category and designation."""
    kb = KnowledgeBase.memory()
    kb.ingest([Path(__file__).resolve().parents[1] / "fixtures" / "sipri" / "deliveries_2026.csv"])
    ts = kb.transfers(seller="RUS", buyer="SRB", system="Mi-35")
    assert [(t.designations, t.sipri_category, t.match, t.quantity_delivered) for t in ts] == [
        (["Mi-35M"], "Aircraft", "register only", 6)]
    assert all(t.supplier and t.recipient for t in kb.transfers())  # no delivery node became a deal
    yearly = kb.sparql(
        "PREFIX arms: <https://w3id.org/armskb/ontology#> SELECT ?y ?tiv WHERE { GRAPH ?g { ?t "
        "arms:yearlyDelivery ?d . ?d arms:deliveryYear ?y ; arms:tivDelivered ?tiv } } ORDER BY ?y",
        {"t": URIRef(ts[0].iri), "g": ns.GRAPH_TRANSFERS})
    assert [(int(r["y"]), float(r["tiv"])) for r in yearly.rows] == [(2019, 20.0), (2020, 10.0)]
    assert [t.system_family for t in kb.transfers(seller="RUS", buyer="SRB", source="news")] == []
    assert len(kb.transfers(seller="RUS", buyer="SRB", source="register")) == len(kb.transfers(seller="RUS", buyer="SRB"))
    kb.close()
