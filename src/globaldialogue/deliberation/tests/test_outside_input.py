"""Whatever folder is given as a Pol.is export, the answer is the conversation or where
and why the files are not one, never a crash (Hypothesis writes the files)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from globaldialogue.deliberation.polis import PolisFormatError, read_export

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10
)
VALUES = TEXT | st.sampled_from(["0", "1", "-1", "2", "x", "", "1700000000000", "9" * 30])
COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
VOTES = "timestamp,datetime,comment-id,voter-id,vote"


def csv_text(header: str, rows: list[list[str]]) -> str:
    quoted = (",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows)
    return "\n".join([header, *quoted]) + "\n"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(VALUES, min_size=6, max_size=9), max_size=5),
    st.lists(st.lists(VALUES, min_size=3, max_size=6), max_size=8),
    st.booleans(),
)
def test_any_export_folder_is_read_or_refused_with_where(tmp_path_factory, comments, votes, good):
    folder = tmp_path_factory.mktemp("export")
    (folder / "comments.csv").write_text(csv_text(COMMENTS if good else "id,text", comments))
    (folder / "votes.csv").write_text(csv_text(VOTES, votes))
    try:
        export = read_export(folder)
    except PolisFormatError as refused:
        assert str(refused)
        return
    assert len(export.comments) == len(comments)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_files_that_are_not_text_are_refused_with_where(tmp_path_factory, body):
    folder = tmp_path_factory.mktemp("export")
    (folder / "comments.csv").write_bytes(COMMENTS.encode() + b"\n" + body)
    (folder / "votes.csv").write_text(VOTES + "\n")
    try:
        read_export(folder)
    except PolisFormatError as refused:
        assert "comments.csv" in str(refused)


def test_a_time_beyond_any_calendar_is_refused_with_where(tmp_path):
    (tmp_path / "comments.csv").write_text(
        csv_text(COMMENTS, [["9" * 15, "", "1", "1", "0", "0", "0", "Water first."]])
    )
    (tmp_path / "votes.csv").write_text(VOTES + "\n")
    try:
        read_export(tmp_path)
    except PolisFormatError as refused:
        assert str(refused) == "comments.csv line 2: timestamp '999999999999999' is no time"
    else:
        raise AssertionError("read a time after the year 9999")
