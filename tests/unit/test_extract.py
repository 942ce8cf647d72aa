"""Extraction on small hand-written texts (not corpus copies)."""

import pytest

from armskb import reference
from armskb.loaders.extract import EXTRACTOR, extract
from armskb.models import Document, PartialDate

needs_gazetteer = pytest.mark.skipif(
    not reference.systems() or not any(n.kind == "adjective" for n in reference.state_names()),
    reason="gazetteer data (systems.csv, state_lexicon.csv) not present yet",
)


def _doc(text: str, lang: str = "en", pub: str = "2020-06-15", comment_start: int | None = None) -> Document:
    return Document(name="t", text=text, language=lang, published=PartialDate.parse(pub), comment_start=comment_start)


def test_empty_and_junk_never_raise():
    for t in ["", " ", "\x00\x01\x02", "abc " * 10, "Москва 北京 ☃" * 50]:
        assert extract(_doc(t)) == []


@needs_gazetteer
def test_supply_with_to_and_subject():
    t = "Germany has delivered 12 Leopard 2 tanks to Norway last year."
    claims = [c for c in extract(_doc(t)) if c.system and c.system.startswith("Leopard")]
    assert claims, "Leopard 2 (systems.csv) must be found"
    c = claims[0]
    assert (c.buyer, c.seller, c.quantity, c.status.value) == ("NOR", "DEU", 12, "delivered")
    assert c.date.iso() == "2019" and c.extractor == EXTRACTOR
    assert t[c.evidence.start : c.evidence.end] == c.evidence.quote


@needs_gazetteer
def test_exercise_and_domestic_give_nothing():
    assert extract(_doc("During the exercise, American F-16 fighters and Thai tanks took part in drills.")) == []
    assert extract(_doc("The US Army received 20 new F-16 aircraft from the United States factory.")) == []


@needs_gazetteer
def test_comment_flag():
    body = "The weather was fine today in the capital city and nothing happened.\n"
    com = "Russia promised S-400 systems to Serbia, I read it somewhere."
    d = _doc(body + com, comment_start=len(body))
    claims = extract(d)
    assert claims and all(c.in_comment for c in claims)


@needs_gazetteer
def test_umbrella_noun_number_is_a_group():
    t = ("The first batch of 17 military vehicles consisting of VT-4 main battle tanks and self-propelled "
         "howitzers bought by the Nigerian Army from China arrived in the country.")
    vt = [c for c in extract(_doc(t)) if c.system and c.system.startswith("VT-4")]
    assert vt and all(c.quantity is None and c.quantity_group == 17 for c in vt)


@needs_gazetteer
def test_multinational_supplier_has_no_state():
    t = "En 2019 le missilier MBDA a vendu au Maroc des missiles VL-Mica terrestre."
    cs = [c for c in extract(_doc(t, "fr")) if c.system and "Mica" in c.system]
    assert cs and all(c.seller is None and c.seller_org == "MBDA" and c.buyer == "MAR" for c in cs)


@needs_gazetteer
def test_denial_overrides_other_stages_of_the_deal():
    t = ("Reports said India delivered BrahMos missiles to Vietnam. "
         "India on Friday denied selling BrahMos missiles to Vietnam.")
    cs = [c for c in extract(_doc(t)) if c.buyer == "VNM"]
    assert cs and {c.status.value for c in cs} == {"denied"}


@needs_gazetteer
def test_makers_and_transport_are_not_parties_or_items():
    t = "India denied any sale of the BrahMos missiles to Vietnam, jointly developed by India and Russia."
    claims = extract(_doc(t))
    assert claims and all(c.buyer != "RUS" for c in claims)
    # no identifiable recipient: no claim at all (GUIDELINES §2), and the ship is no item
    t = "Ang limang S-70i helicopter ay dumating na; ang iba ay ide-deliver sa pamamagitan ng barko."
    assert extract(_doc(t, "tl")) == []
    t = ("Ang limang S-70i helicopter mula sa Poland ay dumating na sa Pilipinas; "
         "ang iba ay ide-deliver sa pamamagitan ng barko.")
    claims = extract(_doc(t, "tl"))
    assert claims and all((c.system_category or "") != "ship" for c in claims)


@needs_gazetteer
def test_origin_adjective_of_another_item_is_not_the_supplier():
    t = ("Turkey was pulled from the F-35 programme by Washington after Ankara went ahead with a deal "
         "for the Russian S-400 air defense system.")
    f35 = [c for c in extract(_doc(t)) if c.system == "F-35"]
    assert f35 and all(c.seller != "RUS" for c in f35)


@needs_gazetteer
def test_now_adverb_dates_an_undated_claim_by_publication():
    t = ("Le pays a été fondé il y a longtemps. La région est calme. Les pluies sont rares. "
         "À présent, l'armée burkinabè reçoit de la Turquie une douzaine de drones Bayraktar TB2.")
    cs = [c for c in extract(_doc(t, "fr", pub="2024-04-10")) if c.system and "TB2" in c.system]
    assert cs and all(c.date is not None and c.date.iso() == "2024-04-10" for c in cs)
