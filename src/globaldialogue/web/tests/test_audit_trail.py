"""Who did what: every change to a consultation's state leaves an entry naming who (Olga in
the back office, Pat's key, a participant, a command), what, in which consultation; the
entries are never changed or deleted; `globaldialogue audit-log` prints them."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from globaldialogue.audit.models import AppendOnly, Entry
from globaldialogue.dialogues import actions as dialogue_actions
from globaldialogue.dialogues import room_actions
from globaldialogue.dialogues.models import DialogueGroup
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.surveys.models import Survey


def test_olgas_publishing_and_closing_are_on_record(olga_client, un75):
    olga_client.post("/admin/surveys/survey/", {"action": "close", "_selected_action": [un75.pk]})
    un75.refresh_from_db()
    assert un75.status == Survey.Status.CLOSED
    entry = Entry.objects.get(action="close_survey")
    assert (entry.actor_kind, entry.actor, entry.consultation) == ("user", "olga", "un75")
    assert entry.object == str(un75) and entry.object_type == "surveys.survey"


def test_a_partner_key_and_a_participant_are_named(pat_key, youth_dialogue):
    body = {
        "consultation": "un75",
        "slug": "nairobi-youth",
        "title": {"en": "Nairobi youth dialogue"},
        "languages": ["en"],
        "starts_at": "2030-12-10T15:00:00+03:00",
        "time_zone": "Africa/Nairobi",
        "agenda": [{"title": {"en": "Priorities"}, "minutes": 30}],
    }
    reply = Client().post(
        "/api/dialogues",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pat_key}",
    )
    assert reply.status_code == 201
    created = Entry.objects.get(
        action="create_event", object_id__isnull=False, object="Nairobi youth dialogue"
    )
    assert (created.actor_kind, created.actor) == ("key", "U-Report (Pat)")
    group_of_four(youth_dialogue)
    group = DialogueGroup.objects.get(event=youth_dialogue)
    amina, kofi = group.members.get(display_name="Amina"), group.members.get(display_name="Kofi")
    room_actions.remove_from_room(group=group, member=kofi.pk, by=amina)
    removal = Entry.objects.get(action="remove_from_room")
    assert (removal.actor_kind, removal.actor, removal.summary) == (
        "participant",
        "Amina",
        {"member": kofi.pk},
    )
    formed = Entry.objects.get(action="form_groups")
    assert formed.summary["groups"] == 1 and formed.consultation == "un75"


def test_entries_are_never_changed_or_deleted(db, youth_dialogue):
    dialogue_actions.publish_reports(event=youth_dialogue)
    entry = Entry.objects.get(action="publish_reports")
    entry.action = "nothing_happened"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(action="nothing_happened")
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET action = 'nothing_happened'")  # the database too
    assert Entry.objects.get(pk=entry.pk).action == "publish_reports"


def test_the_audit_log_command_prints_jsonl_and_csv_filtered(db, youth_dialogue):
    dialogue_actions.publish_reports(event=youth_dialogue)
    out = io.StringIO()
    call_command("audit_log", consultation="un75", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["action"] for line in lines] == ["create_event", "publish_reports"]
    assert {"at", "actor", "action", "object", "consultation"} <= set(lines[0])
    out = io.StringIO()
    call_command("audit_log", consultation="elsewhere", stdout=out)
    assert out.getvalue() == ""
    out = io.StringIO()
    call_command("audit_log", since="2999-01-01", format="csv", stdout=out)
    assert out.getvalue().splitlines() == [
        "at,actor,actor_kind,role,action,object,consultation,summary"
    ]


def test_audit_log_shows_what_the_demo_did(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"GLOBALDIALOGUE_DATA_DIR": str(tmp_path), "GLOBALDIALOGUE_DEBUG": "1"}
    command = [sys.executable, "-m", "globaldialogue"]
    demo = ["demo", "--sample-size", "20", "--crowd-size", "20"]
    subprocess.run([*command, *demo], env=env, check=True, capture_output=True, timeout=600)
    printed = subprocess.run(
        [*command, "audit-log", "--consultation", "un75"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    entries = [json.loads(line) for line in printed.splitlines()]
    actions = {entry["action"] for entry in entries}
    assert {"import_survey", "publish_survey", "create_conversation", "form_groups"} <= actions
    by_command = [e for e in entries if e["actor_kind"] != "participant"]  # reports: members'
    assert all(entry["actor"].startswith("globaldialogue demo (") for entry in by_command)
