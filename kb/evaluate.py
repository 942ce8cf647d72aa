"""Score extracted claims against gold claims exactly as `FORMAT.md` describes.

Matching within an article: buyer and seller equal, systems match (both null, or a normalised
`system`/`system_canonical` form of one side equals or prefixes one of the other). One-to-one greedy
matching, best field agreement first. Micro precision/recall/F1; field accuracy on matched pairs
(quantity, status, coarse status, date at gold precision, in_comment, hedged), overall and per
article language; every error is given a kind (role reversal, bystander, missed list member, wrong
stage, missing system, duplicate, ...), counted per kind.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from armskb.loaders.documents import read_documents
from armskb.loaders.extract import Candidate, candidates
from armskb.loaders.ranker import Ranker
from armskb.models import ClaimRecord

FIELDS = ("quantity", "status", "status_coarse", "date", "in_comment", "hedged")
COARSE = {
    "delivered": "delivery", "delivering": "delivery", "ordered": "order", "agreed": "order",
    "negotiating": "pre", "offered": "pre", "interest": "pre", "planned": "pre",
    "cancelled": "negative", "denied": "negative", "unknown": "unknown",
}
#: Error kinds, in the order they are tried on an unmatched claim (first that applies wins).
ERROR_KINDS = ("role_reversal", "duplicate", "bystander", "missed_list_member", "missing_system",
               "wrong_party", "spurious", "wrong_stage", "wrong_quantity", "wrong_date", "wrong_hedge",
               "wrong_comment")


class Scores(BaseModel):
    """Counts, P/R/F1 and field accuracies for one slice (overall or one language)."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    field_accuracy: dict[str, float] = {}
    field_counts: dict[str, int] = {}


class Mismatch(BaseModel):
    """A false positive, false negative, or a matched pair with disagreeing fields, with its kind."""

    article: str
    kind: str  # FP | FN | FIELD
    error: str  # one of ERROR_KINDS
    detail: str


class EvalReport(BaseModel):
    """Overall, per-language and per-article scores, error counts per kind, the errors themselves."""

    overall: Scores
    by_language: dict[str, Scores]
    by_article: dict[str, Scores] = {}
    error_kinds: dict[str, int] = {}
    errors: list[Mismatch] = []
    not_scored: list[str] = []  # articles read but outside the gold's scope
    languages: dict[str, str] = {}  # article -> language

    def weak_articles(self, below: float = 0.60) -> dict[str, list[str]]:
        """Per language, the articles whose own F1 is below `below` (issue 8: fewer than 3 per language)."""
        out: dict[str, list[str]] = {}
        for art, s in self.by_article.items():
            if s.f1 < below:
                out.setdefault(self.languages.get(art, "unknown"), []).append(art)
        return dict(sorted(out.items()))


class CorpusError(ValueError):
    """A gold file or corpus directory that cannot be read (names the file and line)."""


@dataclass
class Corpus:
    """Gold claims grouped by article, the article files, and which articles the gold covers."""

    gold: dict[str, list[ClaimRecord]]
    articles: dict[str, Path]
    scope: set[str]
    gold_files: list[Path] = field(default_factory=list)

    def names(self) -> list[str]:
        """The scored articles (those the gold covers and whose file is present), sorted."""
        return sorted(n for n in self.scope if n in self.articles)


def _norm(s: str | None) -> str:
    return re.sub(r"[^0-9a-zа-яёіїєґ]", "", (s or "").lower())


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


_FIELD_ERROR = {"status": "wrong_stage", "quantity": "wrong_quantity", "date": "wrong_date",
                "hedged": "wrong_hedge", "in_comment": "wrong_comment"}


def _parties(rs: Iterable[ClaimRecord]) -> set[str]:
    return {x for r in rs for x in (r.buyer, r.seller) if x}


def classify(gold: list[ClaimRecord], pred: list[ClaimRecord],
             pairs: list[tuple[int, int]]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Error kind of each unmatched gold claim (FN) and each unmatched prediction (FP) of one article.

    role_reversal: a gold and a predicted claim with the same system and swapped parties (both
    sides of the pair get it); duplicate: a prediction that would match an already matched gold
    claim; bystander: a prediction naming a state that is no party of any gold claim of the
    article; missed_list_member: a gold claim whose evidence sentence gave another matched claim;
    missing_system: a gold claim whose system no prediction of the article names; wrong_party /
    spurious: the rest."""
    mg = {i for i, _ in pairs}
    mp = {j for _, j in pairs}
    fn = [i for i in range(len(gold)) if i not in mg]
    fp = [j for j in range(len(pred)) if j not in mp]
    kinds_g: dict[int, str] = {}
    kinds_p: dict[int, str] = {}
    for i in fn:
        g = gold[i]
        for j in fp:
            p = pred[j]
            if j not in kinds_p and systems_match(g, p) and p.buyer == g.seller and (p.seller == g.buyer or p.seller is None):
                kinds_g[i] = kinds_p[j] = "role_reversal"
                break
    gold_parties = _parties(gold)
    matched_evidence = {gold[i].evidence for i in mg}
    for j in fp:
        if j in kinds_p:
            continue
        p = pred[j]
        if any(p.buyer == gold[i].buyer and p.seller == gold[i].seller and systems_match(gold[i], p) for i in mg):
            kinds_p[j] = "duplicate"
        elif {x for x in (p.buyer, p.seller) if x} - gold_parties:
            kinds_p[j] = "bystander"
        else:
            kinds_p[j] = "spurious"
    for i in fn:
        if i in kinds_g:
            continue
        g = gold[i]
        if g.evidence in matched_evidence:
            kinds_g[i] = "missed_list_member"
        elif not any(systems_match(g, p) for p in pred):
            kinds_g[i] = "missing_system"
        else:
            kinds_g[i] = "wrong_party"
    return sorted(kinds_g.items()), sorted(kinds_p.items())


def score(gold: dict[str, list[ClaimRecord]], pred: dict[str, list[ClaimRecord]],
          languages: dict[str, str] | None = None, scope: Iterable[str] | None = None) -> EvalReport:
    """Scores of predicted against gold records, both grouped by article; `scope` (default: every
    article of either side) lists the articles to score, those without gold lines as negatives."""
    languages = languages or {}
    names = sorted(set(scope) if scope is not None else set(gold) | set(pred))
    acc: dict[str, dict] = defaultdict(lambda: {"articles": 0, "gold": 0, "pred": 0, "matched": 0,
                                                "fields": defaultdict(int)})
    errors: list[Mismatch] = []
    for art in names:
        g, p = gold.get(art, []), pred.get(art, [])
        pairs = match(g, p)
        for key in ("all", "lang:" + languages.get(art, "unknown"), "art:" + art):
            a = acc[key]
            a["articles"] += 1
            a["gold"] += len(g)
            a["pred"] += len(p)
            a["matched"] += len(pairs)
            for i, j in pairs:
                for f, ok in field_agreement(g[i], p[j]).items():
                    a["fields"][f] += int(ok)
        kinds_g, kinds_p = classify(g, p, pairs)
        errors += [Mismatch(article=art, kind="FN", error=k, detail=_brief(g[i])) for i, k in kinds_g]
        errors += [Mismatch(article=art, kind="FP", error=k, detail=_brief(p[j])) for j, k in kinds_p]
        for i, j in pairs:
            for f, ok in field_agreement(g[i], p[j]).items():
                if not ok and f != "status_coarse":
                    errors.append(Mismatch(article=art, kind="FIELD", error=_FIELD_ERROR[f],
                                           detail=f"{g[i].system}: {f} gold={_val(g[i], f)} pred={_val(p[j], f)}"))
    slices = {k: _scores(v) for k, v in acc.items()}
    overall = slices.pop("all", Scores())
    counts = Counter(e.error for e in errors)
    return EvalReport(
        overall=overall,
        by_language={k[5:]: v for k, v in sorted(slices.items()) if k.startswith("lang:")},
        by_article={k[4:]: v for k, v in sorted(slices.items()) if k.startswith("art:")},
        error_kinds={k: counts[k] for k in ERROR_KINDS if counts[k]},
        errors=errors,
        languages={a: languages.get(a, "unknown") for a in names},
    )


def _val(r: ClaimRecord, f: str) -> object:
    v = getattr(r, f)
    return v.value if hasattr(v, "value") else v


def _brief(r: ClaimRecord) -> str:
    return (f"{r.buyer}<-{r.seller} {r.system} q={r.quantity}/{r.quantity_group} {r.status.value} "
            f"{r.date} | {r.evidence[:80]}")


def _scores(a: dict) -> Scores:
    p = a["matched"] / a["pred"] if a["pred"] else 0.0
    r = a["matched"] / a["gold"] if a["gold"] else 0.0
    if not a["gold"] and not a["pred"]:
        p = r = 1.0  # a negative article with no prediction is right
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    m = a["matched"]
    return Scores(
        articles=a["articles"], gold=a["gold"], predicted=a["pred"], matched=m, precision=round(p, 4),
        recall=round(r, 4), f1=round(f1, 4),
        field_accuracy={f: round(a["fields"][f] / m, 4) if m else 0.0 for f in FIELDS},
        field_counts={f: a["fields"][f] for f in FIELDS},
    )


def load_gold(path: str | Path) -> dict[str, list[ClaimRecord]]:
    """Gold records grouped by article; a bad line raises CorpusError naming file and line."""
    out: dict[str, list[ClaimRecord]] = defaultdict(list)
    path = Path(path)
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = ClaimRecord.model_validate(json.loads(line))
        except ValueError as e:
            raise CorpusError(f"{path}:{n}: not a claim record: {e}") from e
        out[rec.article].append(rec)
    return dict(out)


def _article_files(directory: Path) -> dict[str, Path]:
    return {f.stem: f for f in sorted(directory.iterdir()) if f.is_file() and not f.name.startswith(".")}


def load_corpus(paths: list[Path]) -> Corpus:
    """The gold and articles named by `paths`.

    A corpus directory (one with `articles/` and `*gold*.jsonl`, e.g. ../shared/corpus) means all its
    gold files, and every article of its `articles/` is scored (FORMAT.md: an article without gold
    claims is a negative). Otherwise give gold files and one articles directory: then only the
    articles named in those gold files are scored (an unlisted article may just be unannotated)."""
    gold_files: list[Path] = []
    dirs: list[Path] = []
    for p in paths:
        if p.is_dir():
            dirs.append(p)
        elif p.is_file():
            gold_files.append(p)
        else:
            raise CorpusError(f"no such file or directory: {p}")
    if len(dirs) != 1:
        raise CorpusError("give one corpus directory, or gold files and one articles directory"
                          f" (got {len(dirs)} directories)")
    d = dirs[0]
    whole = False
    if (d / "articles").is_dir():
        if not gold_files:
            gold_files = sorted(d.glob("*gold*.jsonl"))
            if not gold_files:
                raise CorpusError(f"{d}: no *gold*.jsonl file")
            whole = True
        d = d / "articles"
    gold: dict[str, list[ClaimRecord]] = {}
    for f in gold_files:
        for art, recs in load_gold(f).items():
            gold.setdefault(art, []).extend(recs)
    articles = _article_files(d)
    missing = sorted(set(gold) - set(articles))
    if missing:
        raise CorpusError(f"gold names articles that are not in {d}: {', '.join(missing[:5])}"
                          + (" …" if len(missing) > 5 else ""))
    scope = set(articles) if whole else set(gold)
    return Corpus(gold=gold, articles=articles, scope=scope, gold_files=gold_files)


def select(names: Iterable[str], only: set[str] | None = None, exclude: set[str] | None = None) -> list[str]:
    """Article names restricted by --only / --exclude; an unknown name is an error."""
    names = list(names)
    unknown = sorted(((only or set()) | (exclude or set())) - set(names))
    if unknown:
        raise CorpusError(f"unknown article(s): {', '.join(unknown)}")
    return [n for n in names if (not only or n in only) and not (exclude and n in exclude)]


Predictor = Callable[[list[str]], tuple[dict[str, list[ClaimRecord]], dict[str, str]]]


class Extraction:
    """Candidates of each corpus article, computed once; `predict` keeps those a ranker accepts."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._cands: dict[str, list[Candidate]] = {}
        self.languages: dict[str, str] = {}

    def candidates(self, name: str) -> list[Candidate]:
        """The candidates of one article (read and extracted on first use)."""
        if name not in self._cands:
            docs, errors = read_documents(self.corpus.articles[name])
            if errors or len(docs) != 1:
                raise CorpusError(f"{self.corpus.articles[name]}: {errors[0] if errors else 'not one document'}")
            self.languages[name] = docs[0].language or "unknown"
            self._cands[name] = candidates(docs[0])
        return self._cands[name]

    def predictor(self, ranker: Ranker | None) -> Predictor:
        """Records of the candidates `ranker` keeps (all candidates when None)."""
        def predict(names: list[str]) -> tuple[dict[str, list[ClaimRecord]], dict[str, str]]:
            out = {n: [c.claim.to_record(n) for c in self.candidates(n) if ranker is None or ranker.keep(c.features)]
                   for n in names}
            return out, {n: self.languages[n] for n in names}
        return predict

    def labelled(self, names: list[str]) -> tuple[list[tuple[dict[str, float], int]], int]:
        """Candidate features labelled 1 when the candidate matches a gold claim (one-to-one), and
        the number of gold claims of those articles."""
        samples: list[tuple[dict[str, float], int]] = []
        total = 0
        for n in names:
            cands = self.candidates(n)
            gold = self.corpus.gold.get(n, [])
            total += len(gold)
            hit = {j for _, j in match(gold, [c.claim.to_record(n) for c in cands])}
            samples += [(c.features, int(j in hit)) for j, c in enumerate(cands)]
        return samples, total


def evaluate(corpus: Corpus, names: list[str], predict: Predictor) -> EvalReport:
    """Score `predict`'s records (and article languages) for `names` against the corpus gold."""
    pred, langs = predict(names)
    report = score(corpus.gold, pred, langs, scope=names)
    report.not_scored = sorted(set(corpus.articles) - corpus.scope)
    return report
