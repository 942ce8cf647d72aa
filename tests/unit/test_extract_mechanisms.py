"""One test per extraction mechanism, on small hand-written sentences in several languages (not
corpus sentences). The system is a T-72 (origin RUS) and the supplier a second-hand one (Belarus), so
that a role taken from the system's origin cannot pass for a role read from the sentence."""

import pytest

from armskb import reference
from armskb.loaders.extract import extract
from armskb.models import Document, PartialDate

pytestmark = pytest.mark.skipif(not reference.systems(), reason="systems.csv not present")


def claims(text: str, lang: str) -> list[tuple]:
    doc = Document(name="t", text=text, language=lang, published=PartialDate.parse("2020-06-15"))
    return sorted((c.buyer, c.seller, c.quantity, c.status.value, c.hedged) for c in extract(doc)
                  if c.system and "72" in c.system)


def parties(text: str, lang: str) -> set[tuple]:
    return {(b, s) for b, s, *_ in claims(text, lang)}


@pytest.mark.parametrize("lang,text", [
    ("en", "Serbia bought 30 T-72 tanks from Belarus in 2019."),
    ("fr", "La Serbie a acheté 30 chars T-72 à la Biélorussie en 2019."),
    ("es", "Serbia compró 30 tanques T-72 a Bielorrusia en 2019."),
    ("it", "La Serbia ha acquistato 30 carri T-72 dalla Bielorussia nel 2019."),
    ("de", "Serbien kaufte 2019 dreißig T-72 Panzer von Belarus."),
    ("ru", "Сербия получила от Белоруссии 30 танков Т-72 в 2019 году."),
])
def test_recipient_subject_verbs(lang, text):
    assert parties(text, lang) == {("SRB", "BLR")}


@pytest.mark.parametrize("lang,text", [
    ("en", "Belarus sold 30 T-72 tanks to Serbia in 2019."),
    ("fr", "La Biélorussie a vendu 30 chars T-72 à la Serbie en 2019."),
    ("es", "Bielorrusia vendió 30 tanques T-72 a Serbia en 2019."),
    ("de", "Belarus lieferte 2019 dreißig T-72 Panzer an Serbien."),
    ("it", "La Bielorussia ha consegnato 30 carri T-72 alla Serbia nel 2019."),
    ("ru", "Белоруссия передала Сербии 30 танков Т-72 в 2019 году."),
])
def test_supplier_subject_verbs(lang, text):
    assert parties(text, lang) == {("SRB", "BLR")}


@pytest.mark.parametrize("lang,text", [
    ("en", "Thirty T-72 tanks were handed over to Serbia by Belarus in 2019."),
    ("fr", "Trente chars T-72 ont été livrés à la Serbie par la Biélorussie en 2019."),
    ("es", "Treinta tanques T-72 fueron entregados a Serbia por Bielorrusia en 2019."),
])
def test_passive_voice(lang, text):
    assert parties(text, lang) == {("SRB", "BLR")}


@pytest.mark.parametrize("lang,text", [
    ("en", "Serbia, Bolivia and Angola ordered T-72 tanks from Belarus."),
    ("fr", "La Serbie, la Bolivie et l'Angola ont commandé des chars T-72 à la Biélorussie."),
    ("es", "Serbia, Bolivia y Angola encargaron tanques T-72 a Bielorrusia."),
])
def test_coordinated_recipients(lang, text):
    assert parties(text, lang) == {("SRB", "BLR"), ("BOL", "BLR"), ("AGO", "BLR")}


@pytest.mark.parametrize("lang,text", [
    ("en", "Belarus delivered 10 T-72 tanks to Serbia and 20 to Bolivia."),
    ("es", "Bielorrusia entregó 10 tanques T-72 a Serbia y 20 a Bolivia."),
    ("fr", "La Biélorussie a livré 10 chars T-72 à la Serbie et 20 à la Bolivie."),
])
def test_gapped_list_gives_each_recipient_its_number(lang, text):
    assert {(b, s, q) for b, s, q, *_ in claims(text, lang)} == {("SRB", "BLR", 10), ("BOL", "BLR", 20)}


@pytest.mark.parametrize("lang,text", [
    ("en", "Earlier reports said Syria ordered 36 T-72 tanks, the UAE 50, Algeria 38."),
    ("it", "La Siria ha ordinato 36 carri T-72, gli Emirati Arabi Uniti 50, l'Algeria 38."),
    ("ru", "Ранее сообщалось, что Сирия заказывала 36 танков Т-72, ОАЭ - 50, Алжир - 38."),
])
def test_state_number_list_after_the_verb(lang, text):
    assert {(b, q) for b, _, q, *_ in claims(text, lang)} == {("SYR", 36), ("ARE", 50), ("DZA", 38)}


def test_counter_noun_takes_the_salient_system():
    text = "Belarus delivered 30 T-72 tanks to Serbia in May. In June Bolivia bought 24 of them."
    assert ("BOL", "BLR", 24, "ordered", False) in claims(text, "en")


@pytest.mark.parametrize("lang,text,status", [
    ("en", "Belarus offered 30 T-72 tanks to Serbia last year.", "offered"),
    ("fr", "La Biélorussie a proposé 30 chars T-72 à la Serbie.", "offered"),
    ("es", "Bielorrusia ofreció 30 tanques T-72 a Serbia.", "offered"),
    ("en", "Serbia plans to buy 30 T-72 tanks from Belarus.", "planned"),
    ("en", "Belarus approved the sale of 30 T-72 tanks to Serbia.", "agreed"),
    ("en", "Belarus has not delivered the 30 T-72 tanks to Serbia.", "denied"),
    ("fr", "La Biélorussie n'a pas livré les 30 chars T-72 à la Serbie.", "denied"),
    ("fr", "La Serbie a démenti avoir acheté des chars T-72 à la Biélorussie.", "denied"),
])
def test_stage_and_negation(lang, text, status):
    found = claims(text, lang)
    assert [c[3] for c in found] == [status], found


@pytest.mark.parametrize("lang,text", [
    ("en", "According to sources, Belarus sold 30 T-72 tanks to Serbia."),
    ("fr", "Selon des sources, la Biélorussie a vendu 30 chars T-72 à la Serbie."),
    ("it", "Secondo fonti della difesa, la Bielorussia ha venduto 30 carri T-72 alla Serbia."),
    ("de", "Laut Quellen hat Belarus 30 T-72 Panzer an Serbien verkauft."),
])
def test_unnamed_sources_hedge(lang, text):
    found = claims(text, lang)
    assert found and all(c[4] for c in found), found


def test_named_source_does_not_hedge():
    found = claims("According to Reuters, Belarus sold 30 T-72 tanks to Serbia.", "en")
    assert found and not any(c[4] for c in found)


@pytest.mark.parametrize("lang,text", [
    ("en", "Belarus delivered new weapons to Serbia. The package includes 12 T-72 tanks and 40 BTR-80 carriers."),
    ("fr", "La Biélorussie a livré de nouvelles armes à la Serbie. Le lot comprend 12 chars T-72 et 40 BTR-80."),
])
def test_list_sentence_continues_the_previous_claim(lang, text):
    doc = Document(name="t", text=text, language=lang, published=PartialDate.parse("2020-06-15"))
    found = {(c.buyer, c.seller, c.quantity, c.status.value) for c in extract(doc) if c.system and "72" in c.system}
    assert found == {("SRB", "BLR", 12, "delivered")}


def test_a_remark_after_a_claim_is_no_continuation():
    text = "Belarus delivered 30 T-72 tanks to Serbia. A T-72 is a main battle tank."
    doc = Document(name="t", text=text, language="en", published=PartialDate.parse("2020-06-15"))
    assert len([c for c in extract(doc) if c.system and "72" in c.system]) == 1


def test_counter_noun_far_from_the_only_named_system():
    text = ("Belarus has started handing over T-72 tanks to Serbia. The first ones arrived in May. "
            "Officials did not comment. The weather was bad. Earlier reports said Serbia ordered 30 units.")
    doc = Document(name="t", text=text, language="en", published=PartialDate.parse("2020-06-15"))
    assert any(c.quantity == 30 and c.buyer == "SRB" for c in extract(doc) if c.system and "72" in c.system)


@pytest.mark.parametrize("lang,text", [
    ("en", "The Serbian armed forces will receive 30 T-72 tanks next year."),
    ("ru", "Сербские вооруженные силы получат 30 танков Т-72 в следующем году."),
])
def test_a_states_own_forces_are_the_recipient_not_replaced_by_the_maker(lang, text):
    found = claims(text, lang)
    assert found and all(b == "SRB" for b, *_ in found), found
