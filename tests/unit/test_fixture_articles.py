"""Readers and extractor on small made-up articles (tests/fixtures/articles; no corpus text)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from armskb.cli import app
from armskb.loaders.documents import read_documents
from armskb.loaders.extract import extract

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
FORMAT_KEYS = ["article", "buyer", "seller", "seller_org", "system", "system_canonical", "system_category",
               "quantity", "quantity_group", "approx", "date", "date_role", "status", "hedged", "in_comment",
               "evidence"]


def _doc(name):
    (d,), errs = read_documents(FIX / name)
    assert not errs
    return d


def test_readers_on_fixtures():
    d = _doc("header-en.txt")
    assert (d.name, d.language, d.published.iso()) == ("header-en", "en", "2023-05-16")
    assert d.text.startswith("Ruritania orders") and d.title.startswith("Ruritania")
    d = _doc("seed-style-fr.txt")
    assert (d.language, d.published.iso()) == ("fr", "2022-03-14")  # dateline refines ' date 2022-03'
    d = _doc("bare-dateline.txt")
    assert (d.language, d.published.iso()) == ("de", "2021-10-11")
    d = _doc("page-with-comments.html")
    assert "delivered four Eurofighter" in d.text and d.comment_start is not None
    assert "Italy also promised" in d.text[d.comment_start :]
    assert "Italy also promised" not in d.text[: d.comment_start]
    docs, errs = read_documents(FIX / "batch.jsonl")
    assert not errs and [x.name for x in docs] == ["jl-1", "jl-2"]


def test_claims_on_fixtures_have_exact_offsets_and_fields():
    for f in sorted(FIX.iterdir()):
        docs, _ = read_documents(f)
        for d in docs:
            for c in extract(d):
                assert d.text[c.evidence.start : c.evidence.end] == c.evidence.quote
                assert 0.0 < c.confidence <= 1.0


def test_header_article_roles_quantities_attribution():
    cs = extract(_doc("header-en.txt"))
    f16 = [c for c in cs if c.system == "F-16"]
    assert f16 and f16[0].buyer == "CHL" and f16[0].quantity == 12 and f16[0].status.value == "delivered"
    assert f16[0].seller == "NLD"  # 'from the Netherlands' beats the system's origin
    assert not any(c.system and "HIMARS" in c.system for c in cs)  # exercise
    frig = [c for c in cs if c.seller == "NOR"]
    assert frig and frig[0].buyer == "CHL" and frig[0].quantity == 2 and frig[0].hedged
    assert frig[0].attribution == "defence sources"


def test_comment_claim_is_flagged_and_less_confident():
    cs = extract(_doc("page-with-comments.html"))
    body = [c for c in cs if c.seller == "ESP"]
    com = [c for c in cs if c.in_comment]
    assert body and body[0].buyer == "AUT" and body[0].quantity == 4 and not body[0].in_comment
    assert com and com[0].seller == "ITA" and com[0].quantity == 6 and com[0].hedged
    assert com[0].confidence < body[0].confidence


def test_other_languages_and_parade():
    (c,) = [c for c in extract(_doc("seed-style-fr.txt")) if c.system == "VAB"]
    assert (c.buyer, c.seller, c.quantity, c.status.value) == ("MAR", "FRA", 20, "delivered")
    cs = extract(_doc("bare-dateline.txt"))
    assert [(c.buyer, c.seller, c.quantity) for c in cs] == [("UKR", "DEU", 3)]
    docs, _ = read_documents(FIX / "batch.jsonl")
    assert [len(extract(d)) for d in docs] == [1, 0]  # the parade article gives nothing


def test_cli_extract_prints_format_records():
    res = CliRunner().invoke(app, ["extract", str(FIX / "batch.jsonl"), str(FIX / "header-en.txt"),
                                   "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    assert recs and all(list(r) == FORMAT_KEYS for r in recs)
    assert {r["article"] for r in recs} == {"jl-1", "header-en"}
