"""The words a texting participant may send instead of an answer, in every language: the
English word always works (operators and carriers use it), and the chat's own words too.
Matched on the whole message, case and accents aside."""

from globaldialogue.lib.countries import fold

# Word -> meaning, per language ("" for words every chat understands).
WORDS: dict[str, dict[str, str]] = {
    "": {"stop": "stop", "back": "back", "skip": "skip", "yes": "yes", "unsubscribe": "stop"},
    "ar": {"توقف": "stop", "قف": "stop", "رجوع": "back", "تخطي": "skip", "نعم": "yes"},
    "es": {
        "alto": "stop",
        "parar": "stop",
        "baja": "stop",
        "atras": "back",
        "saltar": "skip",
        "si": "yes",
    },
    "fr": {"arret": "stop", "retour": "back", "passer": "skip", "oui": "yes"},
    "ru": {"стоп": "stop", "назад": "back", "пропустить": "skip", "да": "yes"},
    "zh-hans": {"停止": "stop", "退订": "stop", "返回": "back", "跳过": "skip", "是": "yes"},
}

# What the chat tells people to send, in its language (the first word of each meaning).
SHOWN = {
    language: {meaning: word.upper() for word, meaning in reversed(words.items())}
    for language, words in WORDS.items()
}


def meaning(text: str, language: str) -> str:
    """ "stop", "back", "skip", "yes", or "" for anything else."""
    word = folded(text)
    return WORDS[""].get(word) or WORDS.get(language, {}).get(word, "")


def word_for(meaning_: str, language: str) -> str:
    """The word shown for a meaning in that language (the English one where it has none)."""
    return SHOWN.get(language, {}).get(meaning_) or SHOWN[""][meaning_]


def folded(text: str) -> str:
    """Compared as typed on any phone: case, accents and a final full stop aside."""
    return fold(text.strip().strip(".!"))
