"""Pol.is export folders: read one into a new conversation, write a conversation as one.

The format (as in Pol.is' own exports and compdemocracy/openData):
- comments.csv: timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated
  (-1 rejected, 0 not yet moderated, 1 accepted), comment-body
- votes.csv: timestamp, datetime, comment-id, voter-id, vote (1, 0, -1); the latest vote on
  a comment counts
- participants-votes.csv (optional on import): participant, group-id, n-comments, n-votes,
  n-agree, n-disagree, then one column per comment-id
- summary.csv: key,value rows (topic, url, voters, comments, groups, description ...)

Importing is one transaction: a bad file stores nothing. Timestamps are milliseconds.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from globaldialogue.deliberation import identity
from globaldialogue.deliberation import text as statement_text
from globaldialogue.deliberation.mapping import latest_groups
from globaldialogue.deliberation.models import Conversation, Participant, Statement, Vote
from globaldialogue.lib import csvsafe

COMMENT_COLUMNS = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees"]
COMMENT_COLUMNS += ["moderated", "comment-body"]
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
BATCH = 5000
Progress = Callable[[int], None]  # called with how many more votes are done


LARGEST = 2**53  # ids and milliseconds beyond this are not Pol.is' (and overflow int64 columns)


class PolisFormatError(ValueError):
    """A file that is not a Pol.is export, with where and why."""


@dataclass(frozen=True)
class Comment:
    id: int
    author: int | None
    text: str
    moderated: int
    at: datetime


@dataclass
class PolisExport:
    summary: dict[str, str]
    comments: list[Comment]
    voters: np.ndarray  # latest vote per (voter, comment), oldest first
    comment_ids: np.ndarray
    values: np.ndarray
    times: np.ndarray  # milliseconds
    groups: dict[int, int] = field(default_factory=dict)  # Pol.is' own group per voter


def read_export(folder: Path) -> PolisExport:
    if not (folder / "comments.csv").exists() or not (folder / "votes.csv").exists():
        raise PolisFormatError(f"{folder} needs comments.csv and votes.csv (a Pol.is export)")
    comments = [
        _comment(row, line) for line, row in _rows(folder / "comments.csv", COMMENT_COLUMNS)
    ]
    known = {c.id for c in comments}
    if len(known) != len(comments):
        raise PolisFormatError("comments.csv: a comment-id appears twice")
    voters, comment_ids, values, times = _votes(folder / "votes.csv", known)
    return PolisExport(
        summary=_summary(folder / "summary.csv"),
        comments=comments,
        voters=voters,
        comment_ids=comment_ids,
        values=values,
        times=times,
        groups=_groups(folder / "participants-votes.csv"),
    )


def _rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise PolisFormatError(f"{path.name}: missing column(s) {', '.join(missing)}")
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError:
            raise PolisFormatError(f"{path.name}: not UTF-8 text") from None
        except csv.Error as error:
            raise PolisFormatError(f"{path.name} line {reader.line_num}: {error}") from None


def _int(row: dict[str, str], column: str, where: str) -> int:
    try:
        number = int(row[column])
    except (TypeError, ValueError):
        raise PolisFormatError(
            f"{where}: {column} is {row[column]!r}, not a whole number"
        ) from None
    if abs(number) >= LARGEST:
        raise PolisFormatError(f"{where}: {column} is {number}, too large")
    return number


def _moment(row: dict[str, str], where: str) -> datetime:
    try:
        return millis_time(_int(row, "timestamp", where))
    except (OverflowError, ValueError, OSError):
        raise PolisFormatError(f"{where}: timestamp {row['timestamp']!r} is no time") from None


def _comment(row: dict[str, str], line: int) -> Comment:
    where = f"comments.csv line {line}"
    moderated = _int(row, "moderated", where)
    if moderated not in (-1, 0, 1):
        raise PolisFormatError(f"{where}: moderated must be -1, 0 or 1")
    text = statement_text.clean(row["comment-body"] or "")
    if not text:
        raise PolisFormatError(f"{where}: the comment-body is empty")
    author = row["author-id"].strip()
    return Comment(
        id=_int(row, "comment-id", where),
        author=_int(row, "author-id", where) if author else None,
        text=text,
        moderated=moderated,
        at=_moment(row, where),
    )


def _votes(path: Path, known: set[int]) -> tuple[np.ndarray, ...]:
    columns: list[list[int]] = [[], [], [], []]
    for line, row in _rows(path, VOTE_COLUMNS):
        where = f"votes.csv line {line}"
        voter, comment, value = (_int(row, c, where) for c in ("voter-id", "comment-id", "vote"))
        if value not in (-1, 0, 1):
            raise PolisFormatError(f"{where}: vote must be 1, 0 or -1, not {value}")
        if comment not in known:
            raise PolisFormatError(f"{where}: comment-id {comment} is not in comments.csv")
        moment = _int(row, "timestamp", where)
        _moment(row, where)  # a time it can be, checked once here, converted in bulk later
        for column, item in zip(columns, (voter, comment, value, moment), strict=True):
            column.append(item)
    voters, comments, values, times = (np.array(c, dtype=np.int64) for c in columns)
    return latest_votes(voters, comments, values, times)


def latest_votes(voters: np.ndarray, comments: np.ndarray, values: np.ndarray, times: np.ndarray):
    """Keep each voter's last vote per comment (by time, then file order); oldest first."""
    if not len(voters):
        return voters, comments, values, times
    order = np.argsort(times, kind="stable")
    pairs = np.stack([voters[order], comments[order]], axis=1)
    _unique, last_from_end = np.unique(pairs[::-1], axis=0, return_index=True)
    keep = np.sort(order[len(order) - 1 - last_from_end])
    keep = keep[np.argsort(times[keep], kind="stable")]
    return voters[keep], comments[keep], values[keep], times[keep]


def _summary(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def _groups(path: Path) -> dict[int, int]:
    if not path.exists():
        return {}
    groups = {}
    for line, row in _rows(path, ["participant", "group-id"]):
        if (row["group-id"] or "").strip():
            groups[_int(row, "participant", f"{path.name} line {line}")] = _int(
                row, "group-id", f"{path.name} line {line}"
            )
    return groups


def millis_time(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


# --- import ------------------------------------------------------------------------------------


def polis_key(slug: str, participant: int) -> str:
    return identity.participant_key(xid=f"polis:{slug}:{participant}")


# --- export ------------------------------------------------------------------------------------


def write_export(conversation: Conversation, folder: Path, progress: Progress = lambda n: None):
    """comments.csv, votes.csv, participants-votes.csv (our groups) and summary.csv; ids are
    ours (statement and participant numbers)."""
    folder.mkdir(parents=True, exist_ok=True)
    votes = np.array(
        list(
            Vote.objects.filter(conversation=conversation)
            .order_by("voted_at", "id")
            .values_list("participant_id", "statement_id", "value")
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    _write_comments(folder / "comments.csv", statements, votes)
    _write_votes(folder / "votes.csv", conversation, progress)
    groups = latest_groups(conversation) or {}
    _write_participants(folder / "participants-votes.csv", conversation, statements, votes, groups)
    _write_summary(folder / "summary.csv", conversation, statements, votes, groups)


def _java_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


MODERATED = {"rejected": -1, "pending": 0, "accepted": 1}


def _write_comments(path: Path, statements: list[Statement], votes: np.ndarray) -> None:
    agree = np.bincount(votes[votes[:, 2] == 1, 1], minlength=1)
    disagree = np.bincount(votes[votes[:, 2] == -1, 1], minlength=1)

    def count(counts: np.ndarray, pk: int) -> int:
        return int(counts[pk]) if pk < len(counts) else 0

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csvsafe.writer(handle)
        writer.writerow(COMMENT_COLUMNS)
        for s in statements:
            writer.writerow(
                [
                    _millis(s.created_at),
                    _java_date(s.created_at),
                    s.pk,
                    s.author_id if s.author_id is not None else "",
                    count(agree, s.pk),
                    count(disagree, s.pk),
                    MODERATED[s.status],
                    s.text,
                ]
            )


def _write_votes(path: Path, conversation: Conversation, progress: Progress) -> None:
    rows = (
        Vote.objects.filter(conversation=conversation)
        .order_by("voted_at", "id")
        .values_list("voted_at", "statement_id", "participant_id", "value")
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csvsafe.writer(handle)
        writer.writerow(VOTE_COLUMNS)
        done = 0
        for when, statement, participant, value in rows.iterator(chunk_size=BATCH):
            writer.writerow([_millis(when), _java_date(when), statement, participant, value])
            done += 1
            if done % BATCH == 0:
                progress(BATCH)
        progress(done % BATCH)


def _write_participants(
    path: Path,
    conversation: Conversation,
    statements: list[Statement],
    votes: np.ndarray,
    groups: dict[int, int],
) -> None:
    column_of = {s.pk: i for i, s in enumerate(statements)}
    authored: dict[int, int] = {}
    for s in statements:
        if s.author_id is not None:
            authored[s.author_id] = authored.get(s.author_id, 0) + 1
    by_person: dict[int, list[Any]] = {}
    for participant, statement, value in votes.tolist():
        row = by_person.setdefault(participant, [""] * len(statements))
        row[column_of[statement]] = value
    people = Participant.objects.filter(conversation=conversation).order_by("pk")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csvsafe.writer(handle)
        header = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
        writer.writerow(header + [s.pk for s in statements])
        for pk in people.values_list("pk", flat=True).iterator(chunk_size=BATCH):
            cells = by_person.get(pk, [""] * len(statements))
            given = [c for c in cells if c != ""]
            counts = [len(given), given.count(1), given.count(-1)]
            writer.writerow([pk, groups.get(pk, ""), authored.get(pk, 0), *counts, *cells])


def _write_summary(
    path: Path,
    conversation: Conversation,
    statements: list[Statement],
    votes: np.ndarray,
    groups: dict[int, int],
) -> None:
    language = conversation.languages[0] if conversation.languages else "en"
    rows = [
        ("topic", conversation.topic_in(language)),
        ("url", f"/c/{conversation.slug}/"),
        ("voters", len(np.unique(votes[:, 0]))),
        ("voters-in-conv", len(np.unique(votes[:, 0]))),
        ("commenters", len({s.author_id for s in statements if s.author_id is not None})),
        ("comments", len(statements)),
        ("groups", len(set(groups.values()))),
        ("conversation-description", conversation.description.get(language, "")),
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csvsafe.writer(handle).writerows(rows)
