"""Cross-validation by article: whatever is fitted (the ranker) is fitted on k-1 folds, scored on the
held fold; the held-fold predictions of all folds are scored together. Needs the `train` extra."""

from __future__ import annotations

from armskb.evaluate import Corpus, EvalReport, Extraction, score
from armskb.loaders.ranker_fit import fit
from armskb.models import ClaimRecord


def folds(names: list[str], k: int) -> list[list[str]]:
    """A deterministic split of articles into k folds: sorted names dealt round-robin."""
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    ordered = sorted(names)
    return [ordered[i::k] for i in range(k)]


def cross_validate(corpus: Corpus, names: list[str], k: int, extraction: Extraction | None = None) -> EvalReport:
    """Scores of k-fold cross-validated predictions for `names`."""
    ex = extraction or Extraction(corpus)
    pred: dict[str, list[ClaimRecord]] = {}
    langs: dict[str, str] = {}
    for held in folds(names, k):
        train = [n for n in names if n not in set(held)]
        samples, total = ex.labelled(train)
        p, lg = ex.predictor(fit(samples, total))(held)
        pred.update(p)
        langs.update(lg)
    report = score(corpus.gold, pred, langs, scope=names)
    report.not_scored = sorted(set(corpus.articles) - corpus.scope)
    return report
