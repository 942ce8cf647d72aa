"""Score extracted claims against a gold file exactly as `FORMAT.md` describes.

Matching within an article: buyer and seller equal, systems match (both null, or a normalised
`system`/`system_canonical` form of one side equals or prefixes one of the other). One-to-one greedy
matching, best field agreement first. Micro precision/recall/F1; field accuracy on matched pairs
(quantity, status, coarse status, date at gold precision, in_comment, hedged), overall and per
article language.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from armskb.models import ClaimRecord

FIELDS = ("quantity", "status", "status_coarse", "date", "in_comment", "hedged")
COARSE = {
    "delivered": "delivery", "delivering": "delivery", "ordered": "order", "agreed": "order",
    "negotiating": "pre", "offered": "pre", "interest": "pre", "planned": "pre",
    "cancelled": "negative", "denied": "negative", "unknown": "unknown",
}


class Scores(BaseModel):
    """Counts, P/R/F1 and field accuracies for one slice (overall or one language)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    field_accuracy: dict[str, float] = {}
    field_counts: dict[str, int] = {}


class Mismatch(BaseModel):
    """A false positive, false negative, or a matched pair with disagreeing fields."""

    article: str
    kind: str
    detail: str


class EvalReport(BaseModel):
    """Overall and per-language scores, with the errors for inspection."""

    overall: Scores
    by_language: dict[str, Scores]
    errors: list[Mismatch] = []


def _norm(s: str | None) -> str:
    return re.sub(r"[^0-9a-zа-яё]", "", (s or "").lower())


def _forms(r: ClaimRecord) -> set[str]:
    return {f for f in (_norm(r.system), _norm(r.system_canonical)) if f}


def systems_match(a: ClaimRecord, b: ClaimRecord) -> bool:
    """FORMAT.md system rule: both null, or some normalised form equal or a prefix of another."""
    fa, fb = _forms(a), _forms(b)
    if a.system is None and b.system is None:
        return True
    if not fa or not fb:
        return False
    return any(x == y or x.startswith(y) or y.startswith(x) for x in fa for y in fb)


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return pred[: len(gold)] == gold and len(pred) >= len(gold)


def field_agreement(g: ClaimRecord, p: ClaimRecord) -> dict[str, bool]:
    """Which compared fields agree in a matched pair."""
    return {
        "quantity": g.quantity == p.quantity,
        "status": g.status == p.status,
        "status_coarse": COARSE[g.status.value] == COARSE[p.status.value],
        "date": _date_ok(g.date, p.date),
        "in_comment": g.in_comment == p.in_comment,
        "hedged": g.hedged == p.hedged,
    }


def match(gold: list[ClaimRecord], pred: list[ClaimRecord]) -> list[tuple[int, int]]:
    """One-to-one greedy matching of one article's claims, best field agreement first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g.buyer == p.buyer and g.seller == p.seller and systems_match(g, p):
                score = sum(field_agreement(g, p).values())
                pairs.append((-score, i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


def score(gold: dict[str, list[ClaimRecord]], pred: dict[str, list[ClaimRecord]],
          languages: dict[str, str] | None = None) -> EvalReport:
    """Scores of predicted against gold records, both grouped by article."""
    languages = languages or {}
    acc: dict[str, dict] = defaultdict(lambda: {"gold": 0, "pred": 0, "matched": 0,
                                                "fields": defaultdict(int)})
    errors: list[Mismatch] = []
    for art in sorted(set(gold) | set(pred)):
        g, p = gold.get(art, []), pred.get(art, [])
        pairs = match(g, p)
        for key in ("all", languages.get(art, "unknown")):
            a = acc[key]
            a["gold"] += len(g)
            a["pred"] += len(p)
            a["matched"] += len(pairs)
            for i, j in pairs:
                for f, ok in field_agreement(g[i], p[j]).items():
                    a["fields"][f] += int(ok)
        mg = {i for i, _ in pairs}
        mp = {j for _, j in pairs}
        for i, r in enumerate(g):
            if i not in mg:
                errors.append(Mismatch(article=art, kind="FN", detail=_brief(r)))
        for j, r in enumerate(p):
            if j not in mp:
                errors.append(Mismatch(article=art, kind="FP", detail=_brief(r)))
        for i, j in pairs:
            bad = [f for f, ok in field_agreement(g[i], p[j]).items() if not ok and f != "status_coarse"]
            if bad:
                diffs = ", ".join(f"{f}: gold={_val(g[i], f)} pred={_val(p[j], f)}" for f in bad)
                errors.append(Mismatch(article=art, kind="FIELD", detail=f"{g[i].system}: {diffs}"))
    slices = {k: _scores(v) for k, v in acc.items()}
    overall = slices.pop("all", Scores())
    return EvalReport(overall=overall, by_language=dict(sorted(slices.items())), errors=errors)


def _val(r: ClaimRecord, f: str) -> object:
    v = getattr(r, f)
    return v.value if hasattr(v, "value") else v


def _brief(r: ClaimRecord) -> str:
    return (f"{r.buyer}<-{r.seller} {r.system} q={r.quantity}/{r.quantity_group} {r.status.value} "
            f"{r.date} | {r.evidence[:80]}")


def _scores(a: dict) -> Scores:
    p = a["matched"] / a["pred"] if a["pred"] else 0.0
    r = a["matched"] / a["gold"] if a["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    m = a["matched"]
    return Scores(
        gold=a["gold"], predicted=a["pred"], matched=m, precision=round(p, 4), recall=round(r, 4),
        f1=round(f1, 4),
        field_accuracy={f: round(a["fields"][f] / m, 4) if m else 0.0 for f in FIELDS},
        field_counts={f: a["fields"][f] for f in FIELDS},
    )


def load_gold(path: str | Path) -> dict[str, list[ClaimRecord]]:
    """Gold records grouped by article."""
    out: dict[str, list[ClaimRecord]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = ClaimRecord.model_validate(json.loads(line))
            out[rec.article].append(rec)
    return dict(out)


def evaluate(gold_path: str | Path, articles_dir: str | Path, only: set[str] | None = None,
             exclude: set[str] | None = None) -> EvalReport:
    """Extract every article of `articles_dir` and score it against `gold_path`; `only`/`exclude`
    restrict the articles (names without suffix) on both sides, e.g. for a held-out slice."""
    from armskb.loaders.documents import read_documents
    from armskb.loaders.extract import extract

    gold = load_gold(gold_path)
    pred: dict[str, list[ClaimRecord]] = {}
    langs: dict[str, str] = {}
    for f in sorted(Path(articles_dir).iterdir()):
        if not f.is_file() or f.name.startswith("."):
            continue
        docs, _errors = read_documents(f)
        for doc in docs:
            if (only and doc.name not in only) or (exclude and doc.name in exclude):
                continue
            langs[doc.name] = doc.language or "unknown"
            pred[doc.name] = [c.to_record(doc.name) for c in extract(doc)]
    if only or exclude:
        gold = {k: v for k, v in gold.items() if (not only or k in only) and not (exclude and k in exclude)}
    return score(gold, pred, langs)
