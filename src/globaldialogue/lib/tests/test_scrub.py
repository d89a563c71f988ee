"""Personal data taken out of free text before it is published (lib/scrub.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from globaldialogue.lib.scrub import scrub


@pytest.mark.parametrize(
    ("said", "published"),
    [
        ("My name is Amina Diallo and I want peace", "My name is [name] and I want peace"),
        ("je m'appelle Jean-Luc.", "je m'appelle [name]."),
        ("Me llamo Ana y quiero paz", "Me llamo [name] y quiero paz"),
        ("меня зовут Ольга", "меня зовут [name]"),
        ("اسمي أمينة", "اسمي [name]"),
        ("我叫李明，我想要和平", "我叫[name]，我想要和平"),
        ("Call +33 6 12 34 56 78 today", "Call [phone] today"),
        ("mail a.b@example.org now", "mail [email] now"),
        ("see https://x.org/y and www.foo.com", "see [link] and [link]"),
        ("card 4111111111111111", "card [phone]"),
        ("ID 12345", "ID [number]"),
    ],
)
def test_personal_data_is_replaced_by_what_it_was(said, published):
    assert scrub(said) == published


@pytest.mark.parametrize(
    "said",
    [
        "In 2030 we need 50% more renewable energy",
        "Climate change by 2050 is what worries me most",
        "The United Nations should listen to young people",
    ],
)
def test_ordinary_answers_are_left_as_they_are(said):
    assert scrub(said) == said


@given(st.text())
def test_any_text_scrubs_without_error_and_scrubbing_is_stable(text):
    once = scrub(text)
    assert scrub(once) == once
