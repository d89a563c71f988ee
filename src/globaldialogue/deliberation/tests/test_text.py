from globaldialogue.deliberation.text import clean, normalized


def test_cleaning_keeps_the_words_and_drops_the_noise():
    assert clean("  Fund\tschools \x07 now\n") == "Fund schools now"


def test_normalising_ignores_case_accents_punctuation_and_spacing():
    assert normalized("It's  Fine!") == normalized("its fine")
    assert normalized("Égalité") == normalized("egalite")
    assert normalized("气候行动。") == normalized("气候行动")
