"""Who may write a group's report, and until when: the members while the room is open and
for a while after the event; never a member the host removed; once organizers publish the
reports, only organizers, each edit kept with the text it replaced."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import DialogueGroup, GroupReport, Registration
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.lib.errors import Refused

REPORT = {"summaries": {"2": "Water and schools."}, "ideas": [], "message": "Listen to us."}


@pytest.fixture
def tokens(youth_dialogue) -> dict[str, str]:
    return group_of_four(youth_dialogue)


@pytest.fixture
def group(tokens) -> DialogueGroup:
    return DialogueGroup.objects.get()


def member(group: DialogueGroup, name: str) -> Registration:
    return group.members.get(display_name=name)


def test_a_removed_member_never_writes_the_report(group):
    room_actions.file_report(group=group, registration=member(group, "Amina"), **REPORT)
    kofi = member(group, "Kofi")
    room_actions.remove_from_room(group=group, member=kofi.pk)
    with pytest.raises(Refused) as refused:
        room_actions.file_report(group=group, registration=kofi, **{**REPORT, "message": "Spam"})
    assert refused.value.code == "removed"
    assert GroupReport.objects.get().message == "Listen to us."


def test_members_write_until_the_window_after_the_event_closes(group, youth_dialogue):
    amina = member(group, "Amina")
    ended = timezone.now() - timedelta(minutes=youth_dialogue.minutes)
    actions.reschedule_event(event=youth_dialogue, starts_at=ended - timedelta(hours=47))
    room_actions.file_report(group=group, registration=amina, **REPORT)  # within 48 hours
    actions.reschedule_event(event=youth_dialogue, starts_at=ended - timedelta(hours=49))
    with pytest.raises(Refused) as refused:
        room_actions.file_report(group=group, registration=amina, **REPORT)
    assert refused.value.code == "report_closed"


def test_published_reports_are_changed_by_organizers_only_and_kept(group, youth_dialogue, olga):
    amina = member(group, "Amina")
    room_actions.file_report(group=group, registration=amina, **REPORT)
    actions.publish_reports(event=youth_dialogue)
    with pytest.raises(Refused) as refused:
        room_actions.file_report(group=group, registration=amina, **{**REPORT, "message": "X"})
    assert refused.value.code == "reports_published"
    report = room_actions.edit_report(
        report=GroupReport.objects.get(),
        user=olga,
        summaries={"2": "Water, schools and jobs."},
        ideas=[],
        message="Listen to us.",
    )
    assert report.summaries["2"] == "Water, schools and jobs."
    last = report.versions.order_by("number").last()
    assert last.edited_by == olga and last.summaries["2"] == "Water, schools and jobs."
    first = report.versions.order_by("number").first()
    assert first.summaries["2"] == "Water and schools." and first.edited_by is None


def test_the_room_form_refuses_a_removed_member(group, tokens, youth_dialogue):
    room_actions.remove_from_room(group=group, member=member(group, "Kofi").pk)
    form = {"message": "Spam", "summary-2": "Nothing"}
    reply = Client().post(f"/d/{youth_dialogue.slug}/you/{tokens['Kofi']}/report", form)
    assert reply.status_code == 403 and not GroupReport.objects.exists()


def test_olga_corrects_a_published_report_in_the_back_office(group, youth_dialogue, olga_client):
    room_actions.file_report(group=group, registration=member(group, "Amina"), **REPORT)
    actions.publish_reports(event=youth_dialogue)
    report = GroupReport.objects.get()
    page = f"/admin/dialogues/groupreport/{report.pk}/change/"
    form = olga_client.get(page).content.decode()
    assert "Water and schools." in form and "Earlier versions" in form
    bad = olga_client.post(page, {"message": "Listen.", "ideas_text": "all: Schools"})
    assert bad.status_code == 200 and "how much the group agreed" in bad.content.decode()
    saved = olga_client.post(
        page,
        {
            "summary_2": "Water and schools (names removed).",
            "ideas_text": "most: Free schools",
            "message": "Listen.",
        },
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.summaries == {"2": "Water and schools (names removed)."}
    assert report.ideas == [{"text": "Free schools", "agreement": "most"}]
    assert [v.edited_by_id is not None for v in report.versions.order_by("number")] == [False, True]
