"""Statement text: cleaned for storage, normalised for spotting duplicates (pure)."""

import re
import unicodedata

SPACES = re.compile(r"\s+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """NFC, no control characters, single spaces, trimmed."""
    return SPACES.sub(" ", CONTROL.sub("", unicodedata.normalize("NFC", text))).strip()


def normalized(text: str) -> str:
    """Case, accents, punctuation and spacing removed: "It's fine!" and "its fine" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch)[0] in "LNZ"
    )
    return SPACES.sub(" ", kept).strip()
