"""ISO 3166-1 countries with names in any language, from CLDR through Babel."""

from functools import cache

from babel import Locale, UnknownLocaleError

# CLDR territory codes that are not ISO 3166-1 countries or territories.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def country_codes() -> frozenset[str]:
    names: list[str] = [str(code) for code in Locale("en").territories]
    return frozenset(
        code for code in names if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name in that language; English names when CLDR has none."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    english = Locale("en").territories
    pairs = [(code, locale.territories.get(code) or english[code]) for code in country_codes()]
    return tuple(sorted(pairs, key=lambda pair: fold(pair[1])))


def fold(name: str) -> str:
    """Text compared, or sorted, as people type it: accents and case aside ("Égypte" sorts
    among the E's without ICU, "arret" finds "ARRÊT")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def find_country(text: str, languages: tuple[str, ...] | list[str] = ()) -> str | None:
    """The country a person typed: its ISO code, or its name in one of `languages` or in
    English (case and accents aside); None when it names none."""
    wanted = fold(text.strip().strip("."))
    if wanted.upper() in country_codes():
        return wanted.upper()
    for language in (*languages, "en"):
        for code, name in country_names(language):
            if fold(name) == wanted:
                return code
    return None
