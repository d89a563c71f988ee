"""A theme's name for each reader: readable, in their language where anything was said in
it, and marked when it can only be in another."""

from globaldialogue.results.models import Theme


def poverty(**fields) -> Theme:
    said = {
        "keywords": {"ar": ["الفقر", "محاربة", "على"], "zh-hans": ["贫困", "消除"]},
        "quotes": {"ar": ["يجب محاربة الفقر في كل مكان"], "zh-hans": ["消除一切形式的贫困"]},
    }
    return Theme(position=0, size=40, **{**said, **fields})


def test_the_answer_nearest_the_centre_names_it_in_each_language():
    assert poverty().name_for("zh-hans") == ("消除一切形式的贫困", "zh-hans")
    assert poverty().name_for("ar") == ("يجب محاربة الفقر في كل مكان", "ar")


def test_the_organizers_name_comes_first_in_its_language():
    named = poverty(name={"fr": "Vaincre la pauvreté"})
    assert named.name_for("fr") == ("Vaincre la pauvreté", "fr")
    assert named.name_for("ar") == ("يجب محاربة الفقر في كل مكان", "ar")  # her own words
    assert named.name_for("es") == ("Vaincre la pauvreté", "fr")  # another's, said to be


def test_a_long_answer_is_shortened_at_a_word():
    long = poverty(quotes={"en": ["Ending poverty " + "and hunger " * 20]})
    name, language = long.name_for("en")
    assert language == "en" and len(name) <= Theme.NAME_LENGTH and name.endswith("…")
    assert not name[:-1].endswith(" ")


def test_a_theme_too_small_to_quote_is_not_named_by_an_answer():
    """Quotes are shown only for themes said by at least the threshold of people; a name
    must not give one away."""
    small = poverty()
    assert small.name_for("ar", quotable=False) == ("الفقر, محاربة, على", "ar")
    assert small.name_for("fr", quotable=False) == ("الفقر, محاربة, على", "ar")
