"""Language identification of open answers: short answers in the six UN languages, as
people type them into a one-minute survey, labelled by hand."""

import pytest

from globaldialogue.themes import LanguageIdentifier

UN = ["ar", "zh-hans", "en", "fr", "ru", "es"]
ANSWERS = [
    ("Peace", "en"),
    ("Jobs", "en"),
    ("Clean water", "en"),
    ("Climate change", "en"),
    ("Education for all children", "en"),
    ("Stop the wars", "en"),
    ("More jobs for young people in my country", "en"),
    ("Equality", "en"),
    ("La paix", "fr"),
    ("Le climat", "fr"),
    ("L'éducation", "fr"),
    ("Plus d'emplois", "fr"),
    ("Écoutez les jeunes", "fr"),
    ("La santé pour tous", "fr"),
    ("Que les pays coopèrent davantage sur le climat", "fr"),
    ("Égalité", "fr"),
    ("Paz", "es"),
    ("Empleo", "es"),
    ("Agua potable", "es"),
    ("Educación gratuita", "es"),
    ("Menos corrupción", "es"),
    ("Que escuchen a los jóvenes", "es"),
    ("Más oportunidades para las mujeres en el trabajo", "es"),
    ("Salud", "es"),
    ("Мир", "ru"),
    ("Работа", "ru"),
    ("Чистая вода", "ru"),
    ("Образование", "ru"),
    ("Остановить войны", "ru"),
    ("Больше рабочих мест для молодёжи", "ru"),
    ("Здоровье", "ru"),
    ("Равенство", "ru"),
    ("سلام", "ar"),
    ("التعليم", "ar"),
    ("مياه نظيفة", "ar"),
    ("فرص عمل", "ar"),
    ("أوقفوا الحروب", "ar"),
    ("المساواة بين الرجل والمرأة", "ar"),
    ("الصحة", "ar"),
    ("تغير المناخ", "ar"),
    ("和平", "zh"),
    ("就业", "zh"),
    ("清洁的水", "zh"),
    ("教育", "zh"),
    ("停止战争", "zh"),
    ("气候变化", "zh"),
    ("让年轻人有更多工作机会", "zh"),
    ("平等", "zh"),
]


@pytest.fixture(scope="module")
def identifier():
    return LanguageIdentifier(UN)


def test_short_answers_in_the_six_languages(identifier):
    guesses = identifier.identify([text for text, _language in ANSWERS])
    right = [g.language == language for g, (_text, language) in zip(guesses, ANSWERS, strict=True)]
    misses = [
        (text, g.language)
        for g, (text, _l), ok in zip(guesses, ANSWERS, right, strict=True)
        if not ok
    ]
    assert sum(right) / len(right) >= 0.95, misses


def test_lingua_settles_what_fasttext_alone_gets_wrong(identifier):
    """The reason for two steps: fastText alone on the one- and two-word answers."""
    short = [(t, language) for t, language in ANSWERS if len(t.split()) <= 2]
    fast = [identifier.fast_guess(text).language for text, _language in short]
    fast_right = sum(f == language for f, (_t, language) in zip(fast, short, strict=True))
    both = identifier.identify([text for text, _language in short])
    both_right = sum(g.language == language for g, (_t, language) in zip(both, short, strict=True))
    assert both_right - fast_right >= 5


def test_without_the_consultations_languages_fasttext_settles_the_long_sure_ones():
    anywhere = LanguageIdentifier()
    guesses = anywhere.identify(["Que les pays coopèrent davantage sur le climat", "Мир"])
    assert (guesses[0].language, guesses[0].by) == ("fr", "fasttext")
    assert (guesses[1].language, guesses[1].by) == ("ru", "lingua")


def test_nothing_to_go_by(identifier):
    guesses = identifier.identify(["", "   ", "123", "!!!", "😀"])
    assert [g.language for g in guesses] == [None] * 5 and {g.by for g in guesses} == {""}
