"""Whatever an organizer uploads as population margins, the answer is figures or the file's
problems, row by row, never a crash (Hypothesis writes the files)."""

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from globaldialogue.results.actions import read_margins

CELLS = st.text(st.characters(blacklist_characters="\x00"), max_size=8) | st.sampled_from(
    ["FR", "KE", "ZZ", "male", "female", "15-29", "100+", "0-4", "-3", "1e9", "nan", "primary"]
)
HEADERS = st.sampled_from(
    [
        "country,sex,age,population",
        "country,sex,age,population_thousands,region",
        "country,education,population",
        "country,sex,age,education,population",
        "nothing,useful",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(HEADERS, st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=8))
def test_any_margins_file_gives_figures_or_its_problems(header, rows):
    text = "\n".join([header, *(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows)])
    try:
        people = read_margins(text)
    except ValidationError as refused:
        assert refused.message_dict["source"]
        return
    assert all(value >= 0 for value in people.countries.values())
