"""Seller provenance: the seller is the supplier the text names (or makes clear); the system's
origin alone is kept apart as `seller_inferred` (GUIDELINES §4, issue 8 item 5)."""

import pytest

from armskb import reference
from armskb.loaders.extract import extract
from armskb.models import Document, PartialDate

pytestmark = pytest.mark.skipif(not reference.systems(), reason="systems.csv not present")


def _claims(text: str, lang: str) -> list:
    doc = Document(name="t", text=text, language=lang, published=PartialDate.parse("2020-06-15"))
    return [c for c in extract(doc) if c.system and "72" in c.system]


@pytest.mark.parametrize("lang,text", [
    ("en", "Last year the Serbian army received 30 T-72 tanks."),
    ("fr", "L'armée serbe a reçu l'an dernier 30 chars T-72."),
    ("es", "El ejército serbio recibió el año pasado 30 tanques T-72."),
])
def test_no_supplier_in_text_leaves_seller_null_and_keeps_the_origin_apart(lang, text):
    cs = _claims(text, lang)
    assert cs, text
    assert all(c.buyer == "SRB" and c.seller is None and c.seller_inferred == "RUS" for c in cs)
    assert all(c.confidence <= 0.4 for c in cs)


@pytest.mark.parametrize("lang,text", [
    ("en", "Last year the Serbian army received 30 T-72 tanks from Russia."),
    ("fr", "L'armée serbe a reçu l'an dernier 30 chars T-72 de la Russie. Moscou a confirmé la livraison."),
    ("de", "Russland hat Serbien im vergangenen Jahr 30 Panzer T-72 geliefert."),
])
def test_named_supplier_is_the_seller(lang, text):
    cs = _claims(text, lang)
    assert cs and all(c.buyer == "SRB" and c.seller == "RUS" and c.seller_inferred is None for c in cs), cs


def test_inferred_seller_is_stored_as_its_own_property_and_conforms():
    from armskb.mapping.documents import document_graph
    from armskb.namespace import ARMS
    from armskb.validate import validate_graph

    text = "Last year the Serbian army received 30 T-72 tanks."
    doc = Document(name="t", text=text, language="en", published=PartialDate.parse("2020-06-15"))
    g = document_graph(doc, extract(doc))
    assert list(g.objects(None, ARMS.sellerInferred)) and not list(g.objects(None, ARMS.seller))
    ok, report = validate_graph(g)
    assert ok, report
