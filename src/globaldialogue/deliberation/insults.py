"""A short list of common insults and profanity in the six UN languages (pure: no Django).

It is a net for moderators, not a verdict: a statement it catches is held for a moderator
even under post-moderation, and the moderation queue says why. Organizers add their own
words per conversation ("blocked words"). Entries are written as `deliberation.text`
normalises text (lower case, no accents, no hamza or vowel marks), so "Imbécile" and
"imbecile" match alike. A trailing `*` allows any ending ("idiot*": idiots, idiotic); every
other entry must be a whole word, so "con" never matches "consultants". Arabic entries may
carry the clitics written joined to a word ("and", "the", "O ..."). Chinese is written
without spaces: its entries match anywhere.

Entries are kept free of words that are ordinary in another of the languages (French "con"
is Spanish "with"), because every list is checked whatever language a statement declares,
and of words that insult only in some uses ("dog", "donkey" and "animal" in Arabic are
listed only as "O dog", "O donkey", "O animal"; 废物 is also "waste", as in recycling).
"""

import re
from functools import cache

from globaldialogue.deliberation.text import normalized

INSULTS: dict[str, tuple[str, ...]] = {
    "en": (
        "idiot*", "moron*", "stupid", "imbecile*", "cretin*", "scum*", "bastard*", "asshole*",
        "dumbass*", "retard*", "shut up", "fuck*", "shit*", "jerk", "jerks",
    ),
    "fr": (
        "idiot*", "imbecile*", "cretin*", "connard*", "connasse*", "abruti*", "salaud*",
        "salope*", "debile*", "ta gueule", "ferme la", "merde*", "putain*", "encule*",
        "pauvre con",
    ),
    "es": (
        "idiota*", "imbecil*", "estupido*", "estupida*", "cretino*", "cretina*", "cabron*",
        "pendejo*", "pendeja*", "gilipollas", "hijo de puta", "mierda*", "tonto", "tontos",
        "tonta", "tontas", "subnormal*", "callate",
    ),
    "ru": (
        "идиот*", "дурак*", "дура", "дуры", "тупой", "тупая", "тупые", "тупица*", "кретин*",
        "придурок*", "придурк*", "урод*", "мудак*", "мудаки*", "сволочь*", "дебил*",
        "заткнись", "говно*", "сука*", "ублюдок*", "ублюдк*",
    ),
    "ar": (
        "غبي", "اغبياء", "غبية", "احمق", "حمقى", "يا حمار", "يا حيوان", "يا كلب", "ابن الكلب",
        "حقير", "حقيرة", "اخرس", "اخرسي",
    ),
    "zh": (
        "白痴", "傻逼", "傻瓜", "蠢货", "笨蛋", "混蛋", "王八蛋", "脑残", "去死", "滚蛋",
        "狗屎",
    ),
}  # fmt: skip

ARABIC_CLITICS = "(?:و|ف|ب|ل|يا|ال|وال|فال|بال|يال)?"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")


def has_insult(text: str) -> bool:
    """Whether `text` holds an entry of any of the lists."""
    return _pattern().search(normalized(text)) is not None


@cache
def _pattern() -> re.Pattern[str]:
    entries = sorted({entry for words in INSULTS.values() for entry in words})
    return re.compile("|".join(_entry_pattern(entry) for entry in entries))


def _entry_pattern(entry: str) -> str:
    stem, any_ending = entry.removesuffix("*"), entry.endswith("*")
    word = re.escape(normalized(stem))
    if CJK.search(stem):
        return word
    before = ARABIC_CLITICS if ARABIC.search(stem) else ""
    after = r"\w*" if any_ending else ""
    return rf"(?<!\w){before}{word}{after}(?!\w)"
