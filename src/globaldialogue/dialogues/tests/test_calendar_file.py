"""The .ics file keeps its shape whatever an event's title says: a partner's title with a
lone carriage return, control characters or any script cannot add or break a line."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from globaldialogue.dialogues.calendar import ics

START = datetime(2026, 12, 8, 19, 0, tzinfo=UTC)


def content_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert not any("\r" in line or "\n" in line for line in physical)
    unfolded: list[str] = []
    for line in physical:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return unfolded


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_title_and_description_stay_one_property_each(title, description):
    text = ics(
        uid="e1@example.org",
        starts=START,
        ends=START + timedelta(hours=1),
        title=title,
        description=description,
        url="https://example.org/d/e1/",
    )
    lines = content_lines(text)
    assert [line.split(":", 1)[0] for line in lines] == [
        "BEGIN",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "BEGIN",
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "URL",
        "END",
        "END",
    ]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_lone_carriage_return_cannot_start_a_property():
    text = ics(
        uid="e1@example.org",
        starts=START,
        ends=START + timedelta(hours=1),
        title="Youth dialogue\rATTENDEE:mailto:victim@example.org",
        description="",
        url="https://example.org/d/e1/",
    )
    assert "\rATTENDEE" not in text and "\nATTENDEE" not in text
