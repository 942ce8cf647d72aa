"""The candidate ranker: a logistic model over features of each candidate claim frame.

The rules propose candidate claims with features (how each party was found, the stage cue, the
item kind, position in the text ...); this model scores them and keeps those at or above its
threshold. Weights are data (`ontology/reference/ranker.json`, written by `scripts/train_ranker.py`,
never a pickle); inference is plain Python, so scikit-learn is needed only for training.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

from pydantic import BaseModel

RANKER_FILE = "ranker.json"


class Ranker(BaseModel):
    """Feature weights, bias and decision threshold of a fitted logistic model."""

    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5
    trained_on: int = 0  # number of candidate frames it was fitted on

    def probability(self, features: dict[str, float]) -> float:
        """P(candidate is a gold claim); unknown features weigh nothing."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, features: dict[str, float]) -> bool:
        """Whether the candidate becomes a claim."""
        return self.probability(features) >= self.threshold


@cache
def default_ranker() -> Ranker | None:
    """The shipped ranker, or None when the data file is absent (every candidate is kept then)."""
    ref = resources.files("armskb.ontology").joinpath("reference", RANKER_FILE)
    if not ref.is_file():
        return None
    return Ranker.model_validate(json.loads(ref.read_text(encoding="utf-8")))
