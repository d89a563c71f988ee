"""An event as an iCalendar file (RFC 5545), for the participant's calendar (pure)."""

from datetime import UTC, datetime


def ics(
    *, uid: str, starts: datetime, ends: datetime, title: str, description: str, url: str
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Global Dialogue//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(datetime.now(UTC))}",
        f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(ends)}",
        f"SUMMARY:{_text(title)}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_folded(line) + "\r\n" for line in lines)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n")


def _folded(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a
    UTF-8 character)."""
    parts: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return "\r\n ".join(part.decode() for part in parts)
