"""Splitting long texts into SMS-sized parts: every part fits one message of its alphabet,
nothing is lost or reordered, and words stay whole unless a word alone is too long."""

from hypothesis import given
from hypothesis import strategies as st

from globaldialogue.messaging import keywords, segments

WORDS = st.lists(
    st.text(alphabet=st.sampled_from("abcdeé€[ ЖقΩ中"), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool),
    min_size=1,
    max_size=60,
)


@given(WORDS, st.sampled_from([" ", "\n"]))
def test_parts_fit_and_keep_every_word_in_order(words: list[str], gap: str) -> None:
    text = gap.join(words)
    parts = segments.split(text)
    gsm = segments.fits_gsm(text)
    limit = segments.GSM_LIMIT if gsm else segments.UNICODE_LIMIT
    assert all(segments.length(part, gsm) <= limit for part in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    if all(segments.length(word, gsm) <= limit for word in words):
        found = [w for part in parts for w in part.split()]
        assert found == text.split()  # no word cut in two


def test_the_gsm_alphabet_counts_its_extension_twice_and_others_in_utf16() -> None:
    assert segments.length("a€", True) == 3
    assert segments.split("€" * 100) == ["€" * 80, "€" * 20]
    assert segments.split("中" * 100) == ["中" * 70, "中" * 30]
    assert segments.split("😀" * 40) == ["😀" * 35, "😀" * 5]  # two UTF-16 units each


def test_stop_words_are_understood_in_every_un_language_and_always_in_english() -> None:
    for language, word in [
        ("fr", "Arrêt"),
        ("es", "ALTO"),
        ("ru", "стоп"),
        ("ar", "توقف"),
        ("zh-hans", "停止"),
        ("ar", "stop"),
    ]:
        assert keywords.meaning(word, language) == "stop"
    assert keywords.meaning("arret", "en") == ""  # French words in a French chat only
    assert keywords.word_for("skip", "fr") == "PASSER" and keywords.word_for("skip", "de") == "SKIP"
