"""Serial numbers: Damm's check digit catches every single mistyped digit and every swap of
neighbouring digits; typing them back accepts spaces and dashes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from globaldialogue.paper.serials import BadSerial, check_digit, format_serial, parse_serial


def test_the_published_example_and_the_printed_shape():
    assert check_digit("572") == 4  # Damm's worked example
    assert format_serial(123) == "000123-" + str(check_digit("000123"))
    assert parse_serial(format_serial(123)) == 123
    assert parse_serial(" 0001 23 " + format_serial(123)[-1]) == 123


@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_one_wrong_digit_or_one_swap_is_caught(number, data):
    digits = format_serial(number).replace("-", "")
    at = data.draw(st.integers(min_value=0, max_value=len(digits) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[at]]))
    with pytest.raises(BadSerial):
        parse_serial(digits[:at] + wrong + digits[at + 1 :])
    if at + 1 < len(digits) and digits[at] != digits[at + 1]:
        swapped = digits[:at] + digits[at + 1] + digits[at] + digits[at + 2 :]
        with pytest.raises(BadSerial):
            parse_serial(swapped)


@pytest.mark.parametrize("text", ["", "7", "12a4-5", "١٢٣٤٥٦-٧"])
def test_what_is_not_a_serial(text):
    with pytest.raises(BadSerial):
        parse_serial(text)
