"""Dates resolved against the publication date, at the precision the text gives."""

from armskb.loaders.dates import find_dates
from armskb.loaders.lexicon import fold_keep
from armskb.models import PartialDate


def _dates(text: str, lang: str, pub: str) -> list[str]:
    return [d.date.iso() for d in find_dates(text, fold_keep(text), lang, PartialDate.parse(pub))]


def test_explicit():
    assert _dates("le 1er octobre 2021", "fr", "2022-04") == ["2021-10-01"]
    assert _dates("on April 23, 2020 it landed", "en", "2021-11-29") == ["2020-04-23"]
    assert _dates("signé en novembre 2019", "fr", "2023-11") == ["2019-11"]
    assert _dates("контракт в 2018 году", "ru", "2019-11-26") == ["2018"]


def test_relative():
    assert _dates("acquis l'an dernier", "fr", "2024-04-02") == ["2023"]
    assert _dates("d'ici à la fin de l'année", "fr", "2021-10-11") == ["2021-12"]
    assert _dates("signed about two years ago", "en", "2024-11-24") == ["2022"]
    assert _dates("im nächsten Jahr", "de", "2022-10") == ["2023"]
    assert _dates("в этом году", "ru", "2019-11-26") == ["2019"]


def test_weekdays():
    assert _dates("denied on Friday", "en", "2017-08-18") == ["2017-08-18"]
    assert _dates("El miércoles de la semana pasada", "es", "2020-04-24") == ["2020-04-15"]
    assert _dates("livrée mardi dernier", "fr", "2023-11") == ["2023-11"]
    assert _dates("livré en juin dernier", "fr", "2023-11") == ["2023-06"]


def test_weekday_before_explicit_date_is_absorbed():
    assert _dates("ont réceptionné le lundi 18 avril 2022, deux hélicoptères", "fr", "2022-04") == ["2022-04-18"]


def test_portuguese_polish_ukrainian_dates():
    assert _dates("assinado em 15 de março de 2023", "pt", "2024-01") == ["2023-03-15"]
    assert _dates("entregues no ano passado", "pt", "2024-05") == ["2023"]
    assert _dates("encomendados há três anos", "pt", "2024-05") == ["2021"]
    assert _dates("umowę podpisano 15 marca 2022", "pl", "2023-01") == ["2022-03-15"]
    assert _dates("dostarczone w lipcu 2021", "pl", "2023-01") == ["2021-07"]
    assert _dates("w zeszłym roku", "pl", "2023-01") == ["2022"]
    assert _dates("dziesięć lat temu", "pl", "2023-01") == ["2013"]
    assert _dates("контракт підписано 5 травня 2022", "uk", "2023-01") == ["2022-05-05"]
    assert _dates("отримали минулого року", "uk", "2023-01") == ["2022"]
    assert _dates("п’ять років тому", "uk", "2023-01") == ["2018"]


def test_months_ago():
    assert _dates("ordered three months ago", "en", "2023-05-10") == ["2023-02"]


def test_month_then_last_word_from_data():
    assert _dates("consegnato a marzo scorso", "it", "2023-11-15") == ["2023-03"]
    assert _dates("entregue em junho passado", "pt", "2023-11-15") == ["2023-06"]
