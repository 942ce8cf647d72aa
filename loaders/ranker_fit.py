"""Fitting the candidate ranker (needs the optional `train` extra: scikit-learn).

A logistic regression on candidate frames labelled by the gold (1 = the candidate matches a gold
claim one-to-one), then the threshold that maximises claim F1 on the same training articles
(the gold claims no candidate reaches count as misses at every threshold).
"""

from __future__ import annotations

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from armskb.loaders.ranker import Ranker


def fit(samples: list[tuple[dict[str, float], int]], gold_total: int, c: float = 1.0) -> Ranker:
    """A ranker fitted on labelled candidate features; `gold_total` = gold claims of those articles."""
    if not samples or len({y for _, y in samples}) < 2:
        return Ranker(weights={}, bias=0.0, threshold=0.0, trained_on=len(samples))
    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([f for f, _ in samples])
    y = [lab for _, lab in samples]
    model = LogisticRegression(C=c, max_iter=2000, class_weight=None, random_state=0)
    model.fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if w}
    ranker = Ranker(weights=weights, bias=round(float(model.intercept_[0]), 6), trained_on=len(samples))
    ranker.threshold = _best_threshold(ranker, samples, gold_total)
    return ranker


def _best_threshold(ranker: Ranker, samples: list[tuple[dict[str, float], int]], gold_total: int) -> float:
    scored = sorted(((ranker.probability(f), y) for f, y in samples), reverse=True)
    best, best_t, tp = -1.0, 0.0, 0
    for k, (p, y) in enumerate(scored, 1):
        tp += y
        f1 = 2 * tp / (k + gold_total) if gold_total + k else 0.0
        nxt = scored[k][0] if k < len(scored) else 0.0
        if f1 > best and p != nxt:
            best, best_t = f1, round((p + nxt) / 2, 6)
    return best_t
