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
