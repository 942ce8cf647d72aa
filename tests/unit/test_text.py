"""Sentence segmentation keeps offsets and handles real-copy quirks."""

from armskb.loaders.text import sentences


def _texts(t: str) -> list[str]:
    out = sentences(t)
    for s in out:
        assert t[s.start : s.end] == s.text
    return [s.text for s in out]


def test_glued_period_splits():
    assert _texts("Il part en Europe.Il revient demain.") == ["Il part en Europe.", "Il revient demain."]


def test_abbreviations_and_numbers_do_not_split():
    t = "M. Dupont a vu 1.5 fois le No. 3 le 11.10.2021 aux U.S. avec Dr. Who. Fin."
    assert _texts(t) == ["M. Dupont a vu 1.5 fois le No. 3 le 11.10.2021 aux U.S. avec Dr. Who.", "Fin."]


def test_quotes_stay_with_sentence():
    assert _texts('He said "we agree." Then he left.') == ['He said "we agree."', "Then he left."]


def test_lines_are_boundaries_and_blank_text():
    assert _texts("Title\n\nBody here") == ["Title", "Body here"]
    assert sentences("") == []


def test_no_punctuation_long_text_is_cut():
    t = "word " * 2000
    parts = sentences(t, max_len=500)
    assert len(parts) > 5 and all(len(p.text) <= 500 for p in parts)


def test_phrase_set_scan_strategies_agree():
    """The indexed search (prefix-trie start filter, one alternation per bucket) gives the same hits
    as the plain alternation, on whole texts and on arbitrary pieces."""
    import random

    from armskb.loaders.lexicon import PhraseSet, fold_keep

    items = [("delivered", "a"), ("deliver*", "b"), ("handed over", "c"), ("de", "d"), ("des armes", "e"),
             ("livr*", "f"), ("a", "g"), ("air defence", "h"), ("air", "i")] + [(f"w{i}x", "z") for i in range(50)]
    small = PhraseSet(items[:9])  # plain alternation
    big = PhraseSet(items)  # indexed
    assert small._index is None and big._index is not None
    text = fold_keep("They delivered des armes and handed over air defence systems; livrés, w3x w12x air. " * 40)
    rnd = random.Random(3)
    ranges = [(0, len(text))] + [(a, min(len(text), a + rnd.randrange(1, 200)))
                                 for a in (rnd.randrange(len(text)) for _ in range(300))]
    for a, b in ranges:
        assert ([(h.start, h.end, h.key) for h in small.find(text, a, b)]
                == [(h.start, h.end, h.key) for h in big.find(text, a, b) if h.value != "z"])


def test_hard_line_breaks_inside_a_sentence_join():
    t = "Si tratta del\nsecondo invio del genere dopo quello\ninsieme con la Francia.\nRiproduzione riservata"
    assert _texts(t) == ["Si tratta del\nsecondo invio del genere dopo quello\ninsieme con la Francia.",
                         "Riproduzione riservata"]
    t = "Poland signed a contract for 48 K9 howitzers,\nHanwha said on Monday. Next one."
    assert _texts(t) == ["Poland signed a contract for 48 K9 howitzers,\nHanwha said on Monday.", "Next one."]


def test_line_breaks_between_headings_and_sentences_stay():
    t = "L’importanza dell’accordo\nL’Austria diventa così il terzo operatore.\n- Postato il 2 dicembre"
    assert _texts(t) == ["L’importanza dell’accordo", "L’Austria diventa così il terzo operatore.",
                         "- Postato il 2 dicembre"]
    assert _texts("Fin de phrase.\npuis une autre") == ["Fin de phrase.", "puis une autre"]
    assert _texts("Title\n\nbody in lower case") == ["Title", "body in lower case"]
