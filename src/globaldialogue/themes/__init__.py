"""Open answers: which language each is in, and the themes across them. Plain Python
and NumPy, no Django, no model downloaded at run time (the models ship in the packages).

    from globaldialogue.themes import LanguageIdentifier, find_themes
"""

from globaldialogue.themes.extract import Theme, Themes, find_themes
from globaldialogue.themes.language import Guess, LanguageIdentifier

__all__ = ["Guess", "LanguageIdentifier", "Theme", "Themes", "find_themes"]
