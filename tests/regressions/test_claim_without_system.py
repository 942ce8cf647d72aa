"""Regression: a claim naming no system ("modern weapons") left ?sys unbound, so the label lookup
`OPTIONAL { ?sys skos:prefLabel ?l }` matched every weapon system in the reference graph and the
transfers table grew a row per system; a system filter also matched such claims."""

from __future__ import annotations

import json
from pathlib import Path

from armskb import KnowledgeBase


def test_claim_without_system_is_one_row(tmp_path: Path) -> None:
    rec = {
        "article": "generic", "buyer": "SRB", "seller": "RUS", "system": None, "status": "planned",
        "evidence": "Serbia will buy modern Russian weapons.",
        "source": {"url": "https://example.org/generic"},
    }
    named = dict(rec, system="T-72MS", system_canonical="T-72", system_category="tank", quantity=3,
                 status="delivered", evidence="Serbia received three T-72MS tanks.")
    f = tmp_path / "claims.jsonl"
    f.write_text(json.dumps(rec) + "\n" + json.dumps(named) + "\n")
    kb = KnowledgeBase.memory()
    assert kb.ingest([f]).ok
    rows = kb.query("claims", buyer="SRB").rows
    assert sorted(str(r["system_label"]) for r in rows) == ["(unnamed)", "T-72MS"]
    assert [str(r["system_label"]) for r in kb.query("claims", system="T-72").rows] == ["T-72MS"]
    assert [v.system for v in kb.claims(system="T-72")] == ["T-72MS"]
    assert len(kb.claims(buyer="SRB")) == 2
