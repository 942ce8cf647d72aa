"""Numbers: digits, words in several languages, measures and years excluded."""

from armskb.loaders.quantities import numbers, word_value


def test_number_words():
    assert word_value("sept", "fr") == 7
    assert word_value("dos", "es") == 2
    assert word_value("drei", "de") == 3
    assert word_value("sei", "it") == 6
    assert word_value("пяти", "ru") == 5
    assert word_value("Lima", "tl") == 5
    assert word_value("chars", "fr") is None


def test_digits_skip_years_measures_prices():
    t = "In 2019 they bought 5,000 rifles, 30 tanks of 125 mm and paid $70 million."
    vals = [n.value for n in numbers(t, "en")]
    assert vals == [5000, 30]


def test_dozen_is_approximate():
    (n,) = numbers("une douzaine de drones", "fr")
    assert n.value == 12 and n.approx


def test_first_singular_ordinal_counts_one():
    from armskb.loaders.quantities import first_one

    t = "the first VT5 tank landed"
    assert first_one(t, "en", t.index("VT5"), t.index("VT5") + 3)
    t = "the first VT5 tanks landed"
    assert not first_one(t, "en", t.index("VT5"), t.index("VT5") + 3)
    t = "il primo Su-30 arriverà"
    assert first_one(t, "it", t.index("Su-30"), t.index("Su-30") + 5)


def test_article_with_more_word_counts_one():
    from armskb.loaders.quantities import one_article

    t = "soll noch eine weitere Fregatte erhalten"
    assert one_article(t, "de", t.index("Fregatte"))
    t = "will receive another frigate"
    assert one_article(t, "en", t.index("frigate"))
    t = "will receive more frigates"
    assert not one_article(t, "en", t.index("frigates"))


def test_ordinal_unit_counts_one():
    from armskb.loaders.lexicon import fold_keep
    from armskb.loaders.quantities import ordinal_unit

    t = "la Marine accueille la deuxième unité du programme de navires OPV 58"
    assert ordinal_unit(t, fold_keep(t), "fr", 0, t.index("OPV"))
    t = "Russia has supplied a third batch of weapons"
    assert not ordinal_unit(t, fold_keep(t), "en", 0, t.index("weapons"))  # a batch is not one unit


def test_first_lot_of_the_whole_order():
    from armskb.loaders.lexicon import fold_keep
    from armskb.loaders.quantities import part_of_whole

    t = "a réceptionné un premier lot des 36 canons Caesar"
    assert part_of_whole(fold_keep(t), "fr", 0, t.index("36"))
    t = "The first batch of 17 military vehicles arrived"
    assert not part_of_whole(fold_keep(t), "en", 0, t.index("17"))


def _counts(text: str, lang: str) -> list[tuple[str, int]]:
    return [(text[n.start : n.end], n.value) for n in numbers(text, lang)]


def test_polish_ukrainian_portuguese_number_words():
    assert _counts("Polska kupi dwadzieścia cztery śmigłowce i trzy okręty", "pl") == [
        ("dwadzieścia cztery", 24), ("trzy", 3)]
    assert _counts("отримала п’ять танків і двісті п'ятдесят три машини", "uk") == [
        ("п’ять", 5), ("двісті п'ятдесят три", 253)]
    assert _counts("comprou trinta e seis caças", "pt") == [("trinta e seis", 36)]
    assert _counts("dwunastu śmigłowców", "pl") == [("dwunastu", 12)]


def test_money_is_not_a_count():
    assert _counts("a deal worth P15.7-billion for 12 jets", "en") == [("12", 12)]
    assert _counts("контракт на €300 млн", "ru") == []
    assert _counts("contrato de 300 milhões de reais", "pt") == []
    assert _counts("umowa za 20 mld zł", "pl") == []
    assert _counts("USD 300 for two drones", "en") == [("two", 2)]


def test_thousands_in_words():
    assert _counts("mehr als viertausend Nebelgranaten", "de") == [("viertausend", 4000)]
    assert _counts("dos mil fusiles", "es") == [("dos mil", 2000)]
    assert _counts("dwa tysiące karabinów", "pl") == [("dwa tysiące", 2000)]
    assert _counts("Tausende Granaten und mil soldados", "de") == []
