"""Property tests: extraction raises nothing on any text (an internal failure would surface as
ExtractionError, which these tests would report), and evidence offsets always slice the quote."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armskb.loaders import extract as extract_mod
from armskb.loaders.extract import ExtractionError, extract
from armskb.models import Document, PartialDate

WORDS = st.sampled_from(
    ["Russia", "delivered", "to", "Serbia", "30", "T-72", "tanks", "sept", "hélicoptères", "Mi-17", "et",
     "la", "Russie", "a", "livré", ".", ",", "\n", "S-400", "from", "China", "bought", "Су-30", "last year",
     "l'an dernier", "serait", "not", "2019", "Rafale", "France", "India", "Pinaka", "«", "»", "...",
     "Polska", "kupiła", "od", "comprou", "Brasil", "отримала", "Україна"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60), st.sampled_from(["en", "fr", "ru", "pl", "pt", "uk", "xx", None]),
       st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
def test_offsets_slice_quote(words, lang, cstart):
    text = " ".join(words)
    doc = Document(name="p", text=text, language=lang, published=PartialDate.parse("2021-03"),
                   comment_start=cstart)
    for c in extract(doc):
        assert text[c.evidence.start : c.evidence.end] == c.evidence.quote


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_no_error_on_any_text(text):
    extract(Document(name="p", text=text))


def test_internal_failure_is_an_extraction_error_naming_the_document(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(extract_mod, "find_states", broken)
    doc = Document(name="broken-doc", text="Russia delivered 30 T-72 tanks to Serbia in 2019.", language="en")
    with pytest.raises(ExtractionError, match="broken-doc"):
        extract(doc)


def test_unsupported_language_is_warned(caplog):
    doc = Document(name="nl-doc", text="Nederland kocht 30 tanks van Duitsland.", language="nl")
    assert "nl" in (extract_mod.language_warning(doc) or "")
    with caplog.at_level("WARNING"):
        extract(doc)
    assert any("no extraction cue words" in r.message for r in caplog.records)


def test_ingest_report_carries_the_language_warning(tmp_path):
    from armskb.knowledgebase import KnowledgeBase

    f = tmp_path / "nl.txt"
    f.write_text("url: http://example.org/nl\npublished: 2020-06-15\nlanguage: nl\ntitle: t\n\n"
                 "Nederland kocht 30 tanks van Duitsland.\n", encoding="utf-8")
    report = KnowledgeBase.memory().ingest([f], reconcile=False)
    assert [n for n in report.notes if "'nl'" in n.reason and "no extraction cue words" in n.reason]
