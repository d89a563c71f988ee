"""Splitting a long text into messages that each fit one SMS, on word boundaries.

One SMS holds 160 characters of the GSM 7-bit alphabet (the two-part characters of its
extension table count twice) or 70 UTF-16 code units of anything else (Arabic, Chinese,
Russian). Sent as separate messages, so each reads whole on any phone."""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")
GSM_LIMIT, UNICODE_LIMIT = 160, 70


def fits_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def length(text: str, gsm: bool) -> int:
    """How much of one message `text` takes."""
    if gsm:
        return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def split(text: str, limit: int | None = None) -> list[str]:
    """`text` in parts of at most `limit` (by default what one SMS holds for its alphabet),
    broken at spaces or line ends; a word longer than a whole message is cut."""
    gsm = fits_gsm(text)
    limit = limit or (GSM_LIMIT if gsm else UNICODE_LIMIT)
    parts: list[str] = []
    current, size = "", 0  # the part being filled (ending in its space), and its length
    for word in _words(text):
        if size + length(word.rstrip(), gsm) <= limit:
            current, size = current + word, size + length(word, gsm)
            continue
        if current.strip():
            parts.append(current.rstrip())
        current = word.lstrip(" ")
        while length(current.rstrip(), gsm) > limit:
            head = _cut(current, limit, gsm)
            parts.append(head)
            current = current[len(head) :]
        size = length(current, gsm)
    if current.strip():
        parts.append(current.rstrip())
    return parts or [""]


def _words(text: str) -> list[str]:
    """The text in pieces that each end after a space or a line end (or the text's end)."""
    pieces, start = [], 0
    for index, ch in enumerate(text):
        if ch in " \n":
            pieces.append(text[start : index + 1])
            start = index + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _cut(text: str, limit: int, gsm: bool) -> str:
    end = 0
    while end < len(text) and length(text[: end + 1], gsm) <= limit:
        end += 1
    return text[:end]
