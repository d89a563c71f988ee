"""Personal data taken out of free text before it is published (quotes from open answers,
what was said most): email addresses, web addresses, phone numbers, long runs of digits
(ids, account and card numbers), and names people give of themselves ("my name is ...",
in the six UN languages). Each is replaced by a bracketed word, so a reader sees that
something was left out. A heuristic, not a guarantee: organizers review quotes before they
are published (docs/disclosure.md).
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|info|io|me|ru|cn|biz|xyz)\b(?:/\S*)?",
    re.IGNORECASE,
)
# A phone number: an optional +, then 7 or more digits with spaces, dots, dashes or brackets.
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
DIGITS = re.compile(r"\d{5,}")
# "My name is Amina", "je m'appelle Jean-Luc", "me llamo Ana", "меня зовут Ольга",
# "اسمي أمينة", "我叫李明": the words after such an introduction (up to three, capitalised
# where the script has capitals).
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w'’-]*"
NAMES = [
    re.compile(
        r"(?i:\b(?:my name is|i am called|i'm called|call me|je m'appelle|je m’appelle|"
        r"mon nom est|me llamo|mi nombre es|меня зовут|моё имя|мое имя))\s+"
        rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    ),
    re.compile(r"(?:اسمي|إسمي)\s+(?P<name>\S+(?:\s+\S+)?)"),
    re.compile(r"(?:我叫|我的名字是|我名叫)(?P<name>[\u4e00-\u9fff]{1,4})"),
]

# What each kind of personal data is replaced by (moderators' hints look for these too).
REPLACEMENTS = (
    (EMAIL, "[email]"),
    (URL, "[link]"),
    (PHONE, "[phone]"),
    (DIGITS, "[number]"),
)


def scrub(text: str) -> str:
    """`text` with personal data replaced (see the module's description)."""
    for pattern, replacement in REPLACEMENTS:
        text = pattern.sub(replacement, text)
    for pattern in NAMES:
        text = pattern.sub(_without_name, text)
    return text


def _without_name(match: re.Match[str]) -> str:
    """Keep the words that introduce a name, not the name."""
    start, end = match.span("name")
    said = match.group(0)
    offset = match.start()
    return said[: start - offset] + "[name]" + said[end - offset :]
