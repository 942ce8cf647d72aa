"""End-to-end quality on the whole shared development corpus (seed + dev-001 … dev-071).

Thresholds are the issue-8 figures reached so far (see EVALUATION.md for the gap to the targets:
cross-validated F1 >= 0.80, no language with >= 3 articles below 0.60, matched quantity >= 0.90,
status >= 0.80, date >= 0.75, seed 9/9 with quantities)."""

from pathlib import Path

import pytest

from armskb import reference

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not (CORPUS / "articles").is_dir(), reason=f"shared corpus not found at {CORPUS}"),
    pytest.mark.skipif(not reference.systems(), reason="systems.csv gazetteer not present yet"),
]

# Floors = what the extractor reaches now (EVALUATION.md); the targets are higher: CV F1 0.80,
# < 3 articles below 0.60 per language, quantity 0.90, status 0.80, date 0.75 (not reached yet).
F1_FITTED = 0.55
QUANTITY, STATUS, DATE = 0.83, 0.80, 0.72
MAX_WEAK_ARTICLES_PER_LANGUAGE = 8  # target: 2
CV_F1, MAX_CV_GAP = 0.50, 0.10


@pytest.fixture(scope="module")
def corpus():
    from armskb.evaluate import load_corpus

    return load_corpus([CORPUS])


@pytest.fixture(scope="module")
def report(corpus):
    from armskb.evaluate import Extraction, evaluate
    from armskb.loaders.ranker import default_ranker

    return evaluate(corpus, corpus.names(), Extraction(corpus).predictor(default_ranker()))


def test_whole_corpus_is_scored(corpus, report):
    assert len(corpus.names()) >= 72  # seed + 71 dev articles, hard negatives included
    assert report.overall.gold == sum(len(v) for v in corpus.gold.values()) >= 195
    assert not report.not_scored


def test_thresholds(report):
    o = report.overall
    assert o.f1 >= F1_FITTED, o
    assert o.field_accuracy["quantity"] >= QUANTITY, o
    assert o.field_accuracy["status"] >= STATUS, o
    assert o.field_accuracy["date"] >= DATE, o
    assert o.field_accuracy["in_comment"] >= 0.95, o


def test_weak_articles_per_language(report):
    weak = report.weak_articles(0.60)
    assert all(len(arts) <= MAX_WEAK_ARTICLES_PER_LANGUAGE for arts in weak.values()), weak


def test_cross_validation_and_overfitting_gap(corpus, report):
    pytest.importorskip("sklearn", reason="scikit-learn (extra 'train') not installed")
    from armskb.crossval import cross_validate
    from armskb.evaluate import Extraction, score
    from armskb.loaders.ranker_fit import fit

    names = corpus.names()
    ex = Extraction(corpus)
    cv = cross_validate(corpus, names, 5, ex).overall
    samples, total = ex.labelled(names)
    fitted = score(corpus.gold, ex.predictor(fit(samples, total))(names)[0], scope=names).overall
    assert cv.f1 >= CV_F1, cv
    assert fitted.f1 - cv.f1 <= MAX_CV_GAP, (fitted.f1, cv.f1)


def test_error_kinds_add_up(report):
    o = report.overall
    unmatched = (o.gold - o.matched) + (o.predicted - o.matched)
    assert sum(1 for e in report.errors if e.kind in ("FP", "FN")) == unmatched


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
