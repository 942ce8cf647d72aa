"""Scoring, error kinds, corpus scope and folds on hand-made records."""

import json

import pytest

from armskb.evaluate import CorpusError, classify, load_corpus, match, score, select
from armskb.models import ClaimRecord


def rec(buyer, seller, system, status="ordered", evidence="s1", **kw):
    return ClaimRecord(article="a", buyer=buyer, seller=seller, system=system, status=status, evidence=evidence, **kw)


def test_error_kinds():
    gold = [rec("SRB", "RUS", "T-72MS", evidence="e1"), rec("HUN", "RUS", "T-72MS", evidence="e1"),
            rec("EGY", "FRA", "Rafale", evidence="e2"), rec("IND", "FRA", "Scorpene", evidence="e3")]
    pred = [rec("SRB", "RUS", "T-72", evidence="e1"), rec("SRB", "RUS", "T-72MS", evidence="e1"),
            rec("FRA", "EGY", "Rafale", evidence="e2"), rec("IND", "DEU", "Scorpene", evidence="e3"),
            rec("CHN", "RUS", "Su-35", evidence="e4")]
    pairs = match(gold, pred)
    assert len(pairs) == 1
    fn, fp = classify(gold, pred, pairs)
    assert dict(fn) == {1: "missed_list_member", 2: "role_reversal", 3: "wrong_party"}
    assert dict(fp) == {1: "duplicate", 2: "role_reversal", 3: "bystander", 4: "bystander"}


def test_negative_articles_in_scope_count_their_predictions():
    pred = {"neg": [rec("SRB", "RUS", "T-72")]}
    r = score({}, pred, scope=["neg"])
    assert (r.overall.gold, r.overall.predicted, r.overall.matched) == (0, 1, 0)
    assert score({}, pred, scope=[]).overall.predicted == 0


def _write_corpus(root):
    (root / "articles").mkdir()
    for name in ("a", "b", "c"):
        (root / "articles" / f"{name}.txt").write_text("x", encoding="utf-8")
    (root / "gold.jsonl").write_text(json.dumps(rec("SRB", "RUS", "T-72").model_dump(mode="json")) + "\n",
                                     encoding="utf-8")


def test_corpus_dir_scores_every_article_gold_file_only_its_own(tmp_path):
    _write_corpus(tmp_path)
    assert load_corpus([tmp_path]).names() == ["a", "b", "c"]
    assert load_corpus([tmp_path / "gold.jsonl", tmp_path / "articles"]).names() == ["a"]


def test_bad_gold_line_names_file_and_line(tmp_path):
    _write_corpus(tmp_path)
    (tmp_path / "gold.jsonl").write_text('\n{"article": "a", "status": "bogus"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"gold.jsonl:2"):
        load_corpus([tmp_path])


def test_unknown_article_name_is_an_error():
    with pytest.raises(CorpusError, match="nope"):
        select(["a", "b"], only={"nope"})


def test_folds_are_deterministic_and_disjoint():
    crossval = pytest.importorskip("armskb.crossval", reason="scikit-learn (extra 'train') not installed")
    names = [f"dev-{i:03d}" for i in range(1, 12)]
    a, b = crossval.folds(names, 3), crossval.folds(list(reversed(names)), 3)
    assert a == b and sorted(sum(a, [])) == names and len(a) == 3
    with pytest.raises(ValueError):
        crossval.folds(names, 1)
