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
