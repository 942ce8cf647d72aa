"""Property tests: extraction never raises and evidence offsets always slice the quote."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armskb.loaders.extract import extract
from armskb.models import Document, PartialDate

WORDS = st.sampled_from(
    ["Russia", "delivered", "to", "Serbia", "30", "T-72", "tanks", "sept", "hélicoptères", "Mi-17", "et",
     "la", "Russie", "a", "livré", ".", ",", "\n", "S-400", "from", "China", "bought", "Су-30", "last year",
     "l'an dernier", "serait", "not", "2019", "Rafale", "France", "India", "Pinaka", "«", "»", "..."]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60), st.sampled_from(["en", "fr", "ru", "xx", None]),
       st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
def test_offsets_slice_quote(words, lang, cstart):
    text = " ".join(words)
    doc = Document(name="p", text=text, language=lang, published=PartialDate.parse("2021-03"),
                   comment_start=cstart)
    for c in extract(doc):
        assert text[c.evidence.start : c.evidence.end] == c.evidence.quote


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_any_text(text):
    extract(Document(name="p", text=text))
