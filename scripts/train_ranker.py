"""Fit the candidate ranker on the development gold and write `ontology/reference/ranker.json`.

    pip install -e '.[train]'
    python scripts/train_ranker.py ../shared/corpus            # prints CV F1 with and without the ranker
    python scripts/train_ranker.py ../shared/corpus --write    # also writes the weights (JSON, not a pickle)

The weights are written only with --write; ship them only when the cross-validated F1 with the
ranker beats the rules alone (EVALUATION.md records both)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from armskb.crossval import cross_validate
from armskb.evaluate import Extraction, load_corpus, score
from armskb.loaders.ranker import RANKER_FILE
from armskb.loaders.ranker_fit import fit

OUT = Path(__file__).resolve().parents[1] / "ontology" / "reference" / RANKER_FILE


def main(corpus_dir: Path, folds: Annotated[int, typer.Option("--cv")] = 5,
         write: Annotated[bool, typer.Option("--write")] = False) -> None:
    """Cross-validate, then fit on every article and (with --write) save the weights."""
    corpus = load_corpus([corpus_dir])
    names = corpus.names()
    ex = Extraction(corpus)
    rules = score(corpus.gold, ex.predictor(None)(names)[0], scope=names).overall
    cv = cross_validate(corpus, names, folds, ex).overall
    print(f"rules alone F1 {rules.f1:.3f}; ranker {folds}-fold CV F1 {cv.f1:.3f}")
    samples, total = ex.labelled(names)
    ranker = fit(samples, total)
    fitted = score(corpus.gold, ex.predictor(ranker)(names)[0], scope=names).overall
    print(f"ranker fitted on all {len(names)} articles: F1 {fitted.f1:.3f} (threshold {ranker.threshold})")
    if write:
        OUT.write_text(json.dumps(ranker.model_dump(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    typer.run(main)
