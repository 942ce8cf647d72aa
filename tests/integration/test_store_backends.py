"""The shared store suite: every backend (embedded memory and disk, remote servers) must pass it."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from armskb import KnowledgeBase
from armskb import namespace as ns
from armskb.catalog import UnknownNameError

from ..conftest import FIXTURES


def _load(kb: KnowledgeBase) -> None:
    report = kb.ingest([FIXTURES / "claims" / "small.jsonl"])
    assert report.ok, report.rejected
    assert report.claims == 5 and report.documents == 2


def test_ingest_counts(kb: KnowledgeBase) -> None:
    _load(kb)
    stats = kb.stats()
    assert stats["claims"] == 5
    assert stats["documents"] == 2
    graphs = stats["graphs"]
    assert isinstance(graphs, dict)
    assert str(ns.GRAPH_ONTOLOGY) in graphs and str(ns.GRAPH_REFERENCE) in graphs
    assert sum(1 for g in graphs if g.startswith(ns.GRAPH_DOC_PREFIX)) == 2
    assert stats["triples"] == sum(graphs.values())


def test_reingest_is_idempotent(kb: KnowledgeBase) -> None:
    _load(kb)
    before = kb.stats()
    _load(kb)
    assert kb.stats() == before


def test_reingest_replaces_document_graph(kb: KnowledgeBase, tmp_path: Path) -> None:
    _load(kb)
    lines = (FIXTURES / "claims" / "small.jsonl").read_text().splitlines()
    only_one = tmp_path / "update.jsonl"
    only_one.write_text(lines[0] + "\n")  # fixture-a now has a single claim
    kb.ingest([only_one])
    assert kb.stats()["claims"] == 3


@pytest.mark.parametrize("name", ["SRB", "Serbia", "Serbie", "Serbien", "serbia", "Сербия"])
def test_state_names_give_same_answer(kb: KnowledgeBase, name: str) -> None:
    _load(kb)
    rows = kb.query("claims", buyer=name).rows
    assert {str(r["system_label"]) for r in rows} == {"T-72MS", "Mi-17", "Mi-35", "FK-3"}


def test_transfers_filters(kb: KnowledgeBase) -> None:
    _load(kb)
    rows = kb.query("claims", seller="Russia", buyer="SRB", status="delivered").rows
    assert [(str(r["system_label"]), int(r["quantity"])) for r in rows] == [("T-72MS", 10)]
    # the family matches its variants
    assert [str(r["system_label"]) for r in kb.query("claims", system="T-72").rows] == ["T-72MS"]
    assert {str(r["system_label"]) for r in kb.query("claims", since=2021).rows} == {
        "FK-3", "Mi-17", "Mi-35"  # undated claims are kept
    }
    assert {str(r["system_label"]) for r in kb.query("claims", until=2019).rows} == {
        "Rafale", "Mi-17", "Mi-35"
    }


def test_suppliers_of(kb: KnowledgeBase) -> None:
    _load(kb)
    rows = kb.query("suppliers-of", recipient="Serbie").rows
    got = {str(r["supplier_code"]): (int(r["claims"]), int(r["units"])) for r in rows}
    # the group quantity of four helicopters counts once, not once per system
    assert got == {"RUS": (3, 14), "CHN": (1, 1)}


def test_claims_for_has_evidence_and_source(kb: KnowledgeBase) -> None:
    _load(kb)
    views = kb.claims(buyer="India")
    assert len(views) == 1
    v = views[0]
    assert v.evidence == "India bought 36 Rafale jets from France in 2016."
    assert v.source_url == "https://example.org/b"
    assert v.status == "ordered" and v.quantity == 36 and v.date == "2016"


def test_sources(kb: KnowledgeBase) -> None:
    _load(kb)
    rows = kb.query("sources").rows
    assert [(str(r["name"]), int(r["claims"])) for r in rows] == [("fixture-a", 3), ("fixture-b", 2)]
    assert [str(r["name"]) for r in kb.query("sources", language="en").rows] == ["fixture-a", "fixture-b"]


def test_python_transfers(kb: KnowledgeBase) -> None:
    _load(kb)
    ts = kb.transfers(seller="RUS", buyer="SRB")  # reconciled (news only: no register loaded)
    got = [(t.system, t.status.value if t.status else None, t.quantity, t.quantity_group, t.match) for t in ts]
    assert got == [
        ("Mi-17", "ordered", None, 4, "news only"),  # "four Mi-17 and Mi-35": a group, never 4 each
        ("Mi-35", "ordered", None, 4, "news only"),
        ("T-72", "delivered", 10, None, "news only"),
    ]
    assert ts[2].claims[0].evidence == "Serbia received ten T-72MS tanks from Russia in 2020."
    assert ts[2].claims[0].system == "T-72MS" and ts[2].system_family == "t-72"


HOSTILE = [
    'Serbia" } ; DROP ALL ; #',
    "SRB\\u0022 } INSERT DATA { <a> <b> <c> } #",
    "x> } DROP ALL {",
    "SELECT * WHERE { ?s ?p ?o }",
    "line\nbreak\r\n# comment",
    "'; DELETE WHERE { ?s ?p ?o } ; '",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_change_nothing(kb: KnowledgeBase, value: str) -> None:
    _load(kb)
    before = kb.stats()
    # a hostile name is no known state or system: refused with suggestions, before any query runs
    for param in ("buyer", "seller", "system"):
        with pytest.raises(UnknownNameError):
            kb.query("claims", **{param: value})
        with pytest.raises(UnknownNameError):
            kb.query("claims-for", **{param: value})
    with pytest.raises(UnknownNameError):
        kb.query("suppliers-of", recipient=value)
    # a free-text parameter reaches the query, bound as a literal: it matches nothing, changes nothing
    assert kb.query("sources", language=value).rows == []
    assert kb.stats() == before


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_dump_is_deterministic(kb: KnowledgeBase, tmp_path: Path, suffix: str) -> None:
    _load(kb)
    a = kb.dump(tmp_path / f"a{suffix}")
    b = kb.dump(tmp_path / f"b{suffix}")
    assert a.read_bytes() == b.read_bytes()
    if suffix == ".nq":
        assert len(list(ox.parse(path=a, format=ox.RdfFormat.N_QUADS))) == kb.store.count()


def test_stats_json_serialisable(kb: KnowledgeBase) -> None:
    _load(kb)
    assert json.loads(json.dumps(kb.stats()))["claims"] == 5


def test_sources_language_filter() -> None:
    kb = KnowledgeBase.memory()
    _load(kb)
    lines = (FIXTURES / "claims" / "small.jsonl").read_text().splitlines()
    rec = json.loads(lines[0])
    rec["article"] = "fixture-fr"
    rec["source"] = dict(rec["source"], url="https://example.org/fr", language="fr")
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as d:
        f = Path(d) / "fr.jsonl"
        f.write_text(json.dumps(rec) + "\n")
        kb.ingest([f])
    assert [str(r["name"]) for r in kb.query("sources", language="fr").rows] == ["fixture-fr"]
    assert len(kb.query("sources").rows) == 3


def test_close_releases_the_directory(tmp_path: Path) -> None:
    from armskb.errors import StoreError

    kb = KnowledgeBase.open(tmp_path / "s")
    _load(kb)
    kb.close()
    again = KnowledgeBase.open(tmp_path / "s")  # the lock is released without garbage collection
    assert again.stats()["claims"] == 5
    again.close()
    with pytest.raises(StoreError, match="closed"):
        kb.stats()
