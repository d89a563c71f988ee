"""Keywords for a theme: how answers are cut into terms, and which terms may be shown.

Words too common to name a theme by are left out: the function words of the six UN
languages.

Written for this purpose rather than taken from a general list: those (scikit-learn's
English list, stopwords-iso, python-stop-words) also drop words a consultation is about
("world", "work", "fire", "system"; мир, война, вода, жизнь in Russian). These are closed
classes only (articles, prepositions, pronouns, conjunctions, auxiliary and modal verbs,
quantifiers) plus "make" and "do"-like light verbs. Other languages get no list: their
keywords may hold a function word, their names (quotes) do not.

Chinese is counted in character pairs and triples, not words: a gram holding a particle or
measure word is dropped, and so is a fragment of a longer gram kept before it (候变 inside
候变化).
"""

from collections.abc import Iterable
from itertools import islice
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""
        an the and or but nor so yet if then than that this these those there here of to in
        on at by for from with without about into onto over under between among through
        during before after above below up down out off again once is are was were be been
        being am have has had having do does did doing will would shall should can could may
        might must not no yes all any both each every few more most less least many much
        other others some such only own same too very just also even still my your his her
        its our their me you him she it we they them us mine yours hers ours theirs myself
        yourself himself herself itself ourselves themselves who whom whose which what when
        where why how as because while until unless though although whether either neither
        don doesn didn isn aren wasn weren won wouldn shouldn couldn ve ll re get make let
        lot lots able via per
        """),
    "fr": _words("""
        le la les un une des du de au aux et ou mais donc or ni car que qui quoi dont où ce
        cet cette ces ça cela ceci il ils elle elles on nous vous je tu me te se lui leur
        leurs eux moi toi soi mon ma mes ton ta tes son sa ses notre nos votre vos dans en
        sur sous par pour avec sans entre vers chez contre depuis pendant avant après selon
        comme si ne pas plus moins très trop aussi tout tous toute toutes autre autres même
        mêmes est sont être été était étaient sera seront serait ont avoir ai as avons avez
        eu fait faire peu beaucoup chaque quel quelle quels quelles lors ainsi alors encore
        déjà bien non oui afin doit doivent devons devrait devraient peut peuvent pouvoir
        faut qu
        """),
    "es": _words("""
        el la los las lo un una unos unas de del al y e o u ni pero sino que qué quien
        quienes cual cuales cuyo como cómo cuando donde dónde en con sin por para entre
        hacia desde hasta sobre bajo contra durante según mi mis tu tus su sus nuestro
        nuestra nuestros nuestras se me te nos os le les yo tú él ella ellos ellas nosotros
        usted ustedes este esta estos estas ese esa esos esas aquel esto eso es son ser fue
        era han ha hay haber estar está están muy más menos mucho muchos mucha muchas poco
        pocos todo todos toda todas otro otros otra otras cada mismo misma tan también ya no
        sí si porque aunque deben debe debemos puede pueden hacer tener tiene tienen
        """),
    "ru": _words("""
        и в во не на с со что как а но или то к ко у о об от до по за из для без при про над
        под между через это этот эта эти тот та те того этого всё все всем всех всего весь
        вся он она оно они мы вы я ты его её их им ему ей нам вам нас вас мне меня себя свой
        своя свои был была были было быть есть будет будут бы ли же ещё уже очень больше
        меньше более менее так также только даже чтобы если когда где кто чем тоже можно
        нужно должны должен должна каждый каждого каждому нет да
        """),
    "ar": _words("""
        من إلى الى في على عن مع أن ان إن لا لم لن ما هو هي هم هن نحن أنا انا أنت انت هذا هذه
        ذلك تلك الذي التي الذين أو او ثم بل لكن كل لكل بكل وكل كان كانت يكون تكون قد أي اي
        بين عند حتى إذا اذا كما أكثر اكثر أقل اقل لقد منذ غير بعد قبل حول ضد عبر لدى أجل اجل
        فقط أيضا ايضا يجب جميع به بها له لها لهم فيه فيها عليه عليها منها منه وفي ومن وعلى
        وأن ولا وهو وهي مزيد المزيد
        """),
}
NO_SPACES = {"zh", "ja", "th", "lo", "km", "my"}  # written without spaces between words
CHINESE_PARTICLES = frozenset("的了也个为之是在都把被让这那我你他她它吗呢吧啊而")


def term_options(language: str) -> dict[str, Any]:
    """scikit-learn vectorizer options: character pairs and triples for languages written
    without spaces, else words less the language's function words."""
    if language in NO_SPACES:
        return {"analyzer": "char", "ngram_range": (2, 3)}
    words = FUNCTION_WORDS.get(language)
    return {"stop_words": sorted(words)} if words else {}


def shown_terms(ranked: Iterable[str], top: int, language: str) -> list[str]:
    """The first `top` of `ranked` (best first) fit to show: letters and digits only, two or
    more, and in languages without spaces no particles or fragments."""
    terms = (t for t in ranked if len(t) >= 2 and t.isalnum())
    return _readable_grams(terms, top) if language in NO_SPACES else list(islice(terms, top))


def _readable_grams(grams: Iterable[str], top: int) -> list[str]:
    kept: list[str] = []
    for gram in grams:
        if CHINESE_PARTICLES.intersection(gram) or any(gram in k for k in kept):
            continue
        inside = [k for k in kept if k in gram]  # a longer gram takes its fragments' place
        at = kept.index(inside[0]) if inside else len(kept)
        kept = (
            [k for k in kept[:at] if k not in inside]
            + [gram]
            + [k for k in kept[at:] if k not in inside]
        )
        if len(kept) == top:
            break
    return kept
