"""Paper form serial numbers: what is printed on each form and typed back from it.

A serial is a number counted per survey (never printed twice: each printed batch takes the
next range) and a check digit by Damm's algorithm, which catches every single mistyped digit
and every swap of two neighbouring digits, the two commonest errors of data entry. It is
printed as at least six digits, a dash and the check digit: 000123-4. The response id is
derived from the number and its batch's random namespace (response_id below), so the
form's answers are one response however often the file they were typed into is uploaded,
and nobody outside can send another channel's response under a printed form's id.
"""

import re
import uuid

# Damm's quasigroup of order 10 (weakly totally anti-symmetric), as published by H. M. Damm.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
WIDTH = 6


class BadSerial(ValueError):
    """Not a serial as printed: the reason is the message."""


def check_digit(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


def format_serial(number: int) -> str:
    digits = f"{number:0{WIDTH}d}"
    return f"{digits}-{check_digit(digits)}"


def parse_serial(text: str) -> int:
    """The number of a serial as typed (spaces and dashes anywhere, the check digit last)."""
    digits = re.sub(r"[\s\-‐-―]", "", text or "")
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        raise BadSerial("not_a_serial")
    if check_digit(digits) != 0:  # the whole serial, check digit included, checks to 0
        raise BadSerial("wrong_check_digit")
    return int(digits[:-1])


def response_id(namespace: uuid.UUID, number: int) -> uuid.UUID:
    return uuid.uuid5(namespace, f"serial:{number}")
