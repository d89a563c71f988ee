"""Moderation hints, pure: similarity across languages and edits, spam and abuse signs."""

import pytest

from globaldialogue.deliberation.hints import NEAR_DUPLICATE, SimilarityIndex, spam_signals
from globaldialogue.deliberation.text import normalized


def test_the_closest_statement_is_found_and_exclusions_respected():
    index = SimilarityIndex()
    texts = [
        "Plant more trees in cities",
        "Fund rural clinics",
        "发展中国家应在国际金融机构中拥有更多发言权",
    ]
    index.add([11, 12, 13], [normalized(t) for t in texts])
    pk, score = index.closest(normalized("plant MORE trees in the cities!"))
    assert pk == 11 and score >= NEAR_DUPLICATE
    pk, score = index.closest(normalized("发展中国家应在国际金融机构中拥有更多的发言权。"))
    assert pk == 13 and score >= NEAR_DUPLICATE
    assert index.closest(normalized("plant more trees"), excluded=[11]) is None
    index.add([14], ["something new"])
    assert index.last_id == 14 and len(index.ids) == 4


def test_an_empty_index_finds_nothing():
    assert SimilarityIndex().closest("anything") is None


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Great deals at https://example.com now", "link"),
        ("Write to me: someone@example.org", "contact details"),
        ("Call +44 20 7946 0958 today", "contact details"),
        ("Nooooooooo way", "repeated characters"),
        ("THE UN MUST ACT NOW ON THIS", "shouting"),
        ("vote vote vote vote vote vote now", "repeated words"),
    ],
)
def test_spam_signs_are_noticed(text, signal):
    assert signal in spam_signals(text)


def test_ordinary_statements_raise_no_flag():
    for text in (
        "The UN and NATO should cooperate more on peacekeeping.",
        "Access to clean water is a human right.",
        "发展中国家应在国际金融机构中拥有更多发言权。",
        "يجب أن تكون للنساء مشاركة متساوية في مفاوضات السلام.",
    ):
        assert spam_signals(text) == []


def test_blocked_words_are_flagged_whatever_their_case():
    assert spam_signals("Vote for ACME Party", ["acme party"]) == ["blocked word"]


@pytest.mark.parametrize(
    "text",
    [
        "Only idiots disagree with this",
        "Les gens qui votent contre sont des crétins.",
        "Quien diga eso es un imbécil",
        "Это говорят только идиоты",
        "من يرفض هذا غبي",
        "يا حمار",
        "反对的人都是白痴",
    ],
)
def test_insults_are_flagged_in_the_six_languages(text):
    assert "insult" in spam_signals(text)


def test_words_that_only_contain_an_insult_are_not_flagged():
    for text in (
        "Consultants should not write policy alone.",  # "con" is French for a fool
        "Idiomatic translations help everyone.",
        "Stupidity is not the word for underfunded schools.",  # "stupid" stands alone
    ):
        assert "insult" not in spam_signals(text), text
