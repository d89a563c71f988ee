"""A backup restored into an empty database holds every response, vote, event and report,
and the data folder's files; a changed backup, or a database that is not empty, is refused."""

import os
import sqlite3
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from globaldialogue.deliberation.demo import load_demo_conversation, load_synthetic_crowd
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.results.actions import tally_all
from globaldialogue.surveys.demo import load_synthetic_sample

COUNTED = {
    "surveys_response": None,
    "deliberation_vote": None,
    "dialogues_event": None,
    "dialogues_registration": None,
    "results_tally": None,
}


def _counts(run_sql):
    return {table: run_sql(f"SELECT count(*) FROM {table}") for table in COUNTED}  # noqa: S608


@pytest.fixture
def target(tmp_path):
    """An empty database of the same kind as the test database: (url, sql runner)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def run_sql(query):
            with sqlite3.connect(path) as db:
                return db.execute(query).fetchone()[0]

        yield f"sqlite:///{path}", run_sql
        return
    s = connection.settings_dict
    server = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    name = f"gd_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def run_sql(query):
        with psycopg.connect(f"{server}/{name}") as db:
            return db.execute(query).fetchone()[0]

    yield f"{server}/{name}", run_sql
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(source, url, data_dir):
    env = {**os.environ, "DATABASE_URL": url, "GLOBALDIALOGUE_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "globaldialogue", "restore", str(source)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_a_backup_restores_into_an_empty_database(
    transactional_db, un75, youth_dialogue, target, tmp_path, settings
):
    load_synthetic_sample(un75, 40)
    tally_all()
    load_synthetic_crowd(load_demo_conversation(), 30)
    group_of_four(youth_dialogue)
    (settings.DATA_DIR / "exports").mkdir(exist_ok=True)
    (settings.DATA_DIR / "exports" / "open-data.csv").write_text("id,answer\n1,peace\n")
    before = _counts(lambda q: connection.cursor().execute(q).fetchone()[0])

    call_command("backup", output=tmp_path / "backup")
    url, run_sql = target
    restored_dir = tmp_path / "restored-data"
    done = _restore(tmp_path / "backup", url, restored_dir)

    assert done.returncode == 0, done.stderr
    assert _counts(run_sql) == before and before["surveys_response"] == 40
    assert (restored_dir / "exports" / "open-data.csv").read_text() == "id,answer\n1,peace\n"
    again = _restore(tmp_path / "backup", url, restored_dir)  # now it is not empty
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_changed_backup_is_refused(transactional_db, un75, tmp_path, target):
    call_command("backup", output=tmp_path / "backup")
    dump = next(p for p in (tmp_path / "backup").iterdir() if p.name.startswith("database"))
    with dump.open("ab") as tampered:
        tampered.write(b"\0")
    done = _restore(tmp_path / "backup", target[0], tmp_path / "restored-data")
    assert done.returncode != 0 and "changed since the backup" in done.stderr
