"""Readers chosen by content; offsets refer to the kept text; comments located generically."""

import json

from armskb.loaders.documents import read_documents


def test_header_style(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("url: https://x.org/a\npublished: 2021-05\nlanguage: en\ntitle: T\n\nBody text here.\n", encoding="utf-8")
    (d,), errs = read_documents(p)
    assert not errs and d.name == "a" and d.text == "Body text here.\n"
    assert d.published.iso() == "2021-05" and d.language == "en" and d.url == "https://x.org/a"


def test_seed_style_refines_date_from_text(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text(" date 2021-10 https://x.org/s\n\nTitre\n\n2021-10-11T12:57+0200\n\nLe texte de l'article est en français.", encoding="utf-8")
    (d,), _ = read_documents(p)
    assert d.published.iso() == "2021-10-11" and d.url == "https://x.org/s"
    assert d.text.startswith("Titre") and d.language == "fr"


def test_bare_text_dateline(tmp_path):
    p = tmp_path / "b"
    p.write_text("Paris, 11.10.2021 - Le gouvernement a annoncé un contrat.", encoding="utf-8")
    (d,), _ = read_documents(p)
    assert d.published.iso() == "2021-10-11"


def test_jsonl_bad_line_reported(tmp_path):
    p = tmp_path / "batch.jsonl"
    good = {"url": "u", "title": "t", "published": "2020-01-02", "language": "en", "text": "Hello world."}
    p.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "id": "x1"}) + "\n", encoding="utf-8")
    docs, errs = read_documents(p)
    assert [d.name for d in docs] == ["batch#1", "x1"]
    assert len(errs) == 1 and errs[0].location.line == 2


def test_html_with_comments(tmp_path):
    p = tmp_path / "page.html"
    body = "<p>" + "The army received new tanks from abroad this week. " * 5 + "</p>"
    p.write_text(f"<html><head><title>News</title></head><body><article>{body}</article>"
                 f"<div class='comments'><p>Great news, finally some tanks for us all.</p></div></body></html>",
                 encoding="utf-8")
    (d,), errs = read_documents(p)
    assert not errs and "received new tanks" in d.text


def test_comment_widget_and_vote_lines(tmp_path):
    body = "An article sentence that is long enough to be the body of the page.\n" * 6
    p = tmp_path / "c.txt"
    p.write_text(body + "\n3 Comments\n\nalice I think this is wrong.\n", encoding="utf-8")
    (d,), _ = read_documents(p)
    assert d.text[d.comment_start :].startswith("3 Comments")
    p.write_text(body + "\nbob1 Nice weapons indeed 4\n\ncarol Not at all ! 2\n", encoding="utf-8")
    (d,), _ = read_documents(p)
    assert d.text[d.comment_start :].startswith("bob1")
    p.write_text(body, encoding="utf-8")
    (d,), _ = read_documents(p)
    assert d.comment_start is None
