"""End-to-end quality on the shared development corpus (seed + dev articles)."""

from pathlib import Path

import pytest

from armskb import reference

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not (CORPUS / "articles").is_dir(), reason=f"shared corpus not found at {CORPUS}"),
    pytest.mark.skipif(not reference.systems(), reason="systems.csv gazetteer not present yet"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from armskb.evaluate import evaluate

    gold = tmp_path_factory.mktemp("gold") / "all.jsonl"
    gold.write_text((CORPUS / "gold.jsonl").read_text(encoding="utf-8")
                    + (CORPUS / "dev-gold.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    return evaluate(gold, CORPUS / "articles")


def test_thresholds(report):
    o = report.overall
    assert o.f1 >= 0.80, o
    assert o.field_accuracy["quantity"] >= 0.90, o
    assert o.field_accuracy["status"] >= 0.75, o
    assert o.field_accuracy["date"] >= 0.75, o
    assert o.field_accuracy["in_comment"] >= 0.95, o


def test_seed_claims_found_with_quantities():
    from armskb.evaluate import load_gold, match
    from armskb.loaders.documents import read_documents
    from armskb.loaders.extract import extract

    gold = load_gold(CORPUS / "gold.jsonl")
    (name, records), = gold.items()
    (doc,), _ = read_documents(CORPUS / "articles" / f"{name}.txt")
    pred = [c.to_record(doc.name) for c in extract(doc)]
    pairs = match(records, pred)
    assert len(pairs) == len(records) == 9
    for i, j in pairs:
        assert (records[i].quantity, records[i].quantity_group) == (pred[j].quantity, pred[j].quantity_group)
