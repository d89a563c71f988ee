"""Olga forms the groups of an event from the back office and reads their composition."""

from datetime import UTC, datetime

from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration
from globaldialogue.personas import registration_form


def register_crowd(event, n: int = 24) -> None:
    countries = ["JO", "CN", "FR", "KE", "BR", "IN", "US", "EG"]
    ages = ["16_30", "31_45", "46_60", "61_75"]
    for i in range(n):
        registration, _token = actions.register(
            **registration_form(
                event,
                display_name=f"Person {i}",
                languages=["en"],
                country=countries[i % 8],
                age_group=ages[i // 8 % 4],
                email=f"p{i}@example.org",
            )
        )
        actions.confirm_email(registration=registration)  # as if from our email


def test_olga_forms_groups_and_sees_them_against_chance(olga_client, youth_dialogue):
    register_crowd(youth_dialogue)
    response = olga_client.post(
        "/admin/dialogues/event/",
        {"action": "form_groups", "_selected_action": youth_dialogue.pk},
        follow=True,
    )
    text = response.content.decode()
    assert "Youth dialogue: 4 groups formed from 24 people; everyone has a group." in text
    assert "countries per group on average" in text and "a random draw would give" in text
    assert DialogueGroup.objects.count() == 4


def test_forming_groups_again_asks_first_and_links_to_whoever_was_left_out(
    olga_client, youth_dialogue
):
    register_crowd(youth_dialogue)
    actions.form_groups(event=youth_dialogue)
    first = set(DialogueGroup.objects.values_list("pk", flat=True))
    form = {"action": "form_groups", "_selected_action": youth_dialogue.pk}
    asked = olga_client.post("/admin/dialogues/event/", form)
    assert asked.status_code == 200
    assert "already has 4 groups" in asked.content.decode()
    assert set(DialogueGroup.objects.values_list("pk", flat=True)) == first  # not yet
    actions.register(
        **registration_form(youth_dialogue, display_name="Yuki", languages=["fr"], country="JP")
    )
    done = olga_client.post("/admin/dialogues/event/", {**form, "confirm": "yes"}, follow=True)
    text = done.content.decode()
    assert "1 person could not be placed" in text
    unplaced = f"?event__id__exact={youth_dialogue.pk}&amp;group__isnull=True"
    assert f"/admin/dialogues/registration/{unplaced}" in text
    left_out = olga_client.get(f"/admin/dialogues/registration/{unplaced.replace('&amp;', '&')}")
    assert left_out.status_code == 200 and "Yuki" in left_out.content.decode()
    assert not set(DialogueGroup.objects.values_list("pk", flat=True)) & first


def test_the_group_list_shows_composition_in_a_fixed_number_of_queries(
    olga_client, youth_dialogue, django_assert_max_num_queries
):
    register_crowd(youth_dialogue)
    actions.form_groups(event=youth_dialogue)
    with django_assert_max_num_queries(9):  # with the session's second factor
        page = olga_client.get("/admin/dialogues/dialoguegroup/")
    assert page.status_code == 200
    assert page.content.decode().count('class="field-countries"') == 4


def test_olga_deletes_an_email_on_request(olga_client, youth_dialogue):
    register_crowd(youth_dialogue, 1)
    registration = Registration.objects.get()
    olga_client.post(
        "/admin/dialogues/registration/",
        {"action": "forget_email", "_selected_action": registration.pk},
    )
    registration.refresh_from_db()
    assert registration.email == ""


def test_olga_sees_the_report_back_rate_and_the_reports(olga_client, youth_dialogue):
    register_crowd(youth_dialogue)
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.first()
    room_actions.file_report(
        group=group,
        registration=group.members.first(),
        summaries={},
        ideas=[],
        message="Listen to young people.",
    )
    events = olga_client.get("/admin/dialogues/event/").content.decode()
    assert "1 of 4 (25%)" in events
    reports = olga_client.get("/admin/dialogues/groupreport/").content.decode()
    assert "Listen to young people." in reports


def test_olga_exports_the_reports_as_csv_and_json(
    olga_client, youth_dialogue, django_assert_max_num_queries
):
    import csv
    import io
    import json

    register_crowd(youth_dialogue)
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.first()
    room_actions.file_report(
        group=group,
        registration=group.members.first(),
        summaries={"2": "Water, schools."},
        ideas=[{"text": "Free schools", "agreement": "most"}],
        message='=HYPERLINK("http://evil.example") Listen to young people.',
    )
    form = {"action": "export_reports_json", "_selected_action": youth_dialogue.pk}
    reports = json.loads(olga_client.post("/admin/dialogues/event/", form).content)
    assert len(reports) == 4 and sum(r["filed"] for r in reports) == 1
    filed = next(r for r in reports if r["filed"])
    assert filed["summaries"] == {"Priorities": "Water, schools."} and filed["members"] == 6
    form["action"] = "export_reports_csv"
    with django_assert_max_num_queries(12):
        response = olga_client.post("/admin/dialogues/event/", form)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="reports.csv"'
    assert [r["filed"] for r in rows].count("1") == 1
    assert "Free schools (most)" in [r["ideas"] for r in rows]
    assert "'=HYPERLINK" in [r["message"][:11] for r in rows]  # defused for spreadsheets


def test_olga_chooses_a_host_among_the_members_only(olga_client, youth_dialogue):
    register_crowd(youth_dialogue, 8)
    actions.form_groups(event=youth_dialogue)
    first, second = DialogueGroup.objects.all()[:2]
    member, outsider = first.members.first(), second.members.first()
    url = f"/admin/dialogues/dialoguegroup/{first.pk}/change/"
    inline = {"members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"}
    olga_client.post(url, {"host": member.pk, **inline})
    first.refresh_from_db()
    assert first.host == member
    olga_client.post(url, {"host": outsider.pk, **inline})
    first.refresh_from_db()
    assert first.host == member


def test_olga_starts_an_event_early_and_sees_who_joined(olga_client, youth_dialogue):
    register_crowd(youth_dialogue, 8)
    actions.form_groups(event=youth_dialogue)
    start = {"action": "start_now", "_selected_action": youth_dialogue.pk}
    text = olga_client.post("/admin/dialogues/event/", start, follow=True).content.decode()
    assert "Groups of youth-dialogue settled; rooms are open." in text
    again = olga_client.post("/admin/dialogues/event/", start, follow=True).content.decode()
    assert "Groups of youth-dialogue were already settled." in again
    room_actions.note_joined(registration=Registration.objects.exclude(group=None).first())
    listing = olga_client.get("/admin/dialogues/event/").content.decode()
    assert '<td class="field-joined">1</td>' in listing


def event_form(consultation, **change) -> dict:
    """The back office's add form for an event, with one agenda item in its inline."""
    form = {
        "consultation": consultation.pk,
        "slug": "town-hall",
        "languages": "en, fr",
        "title__en": "Town hall",
        "starts_at_0": "2030-12-10",
        "starts_at_1": "15:00:00",
        "time_zone": "Africa/Nairobi",
        "min_group_size": "4",
        "max_group_size": "6",
        "capacity": "100",
        "report_hours": "48",
        "registration": "open",
        "invitation_code": "",
        "status": "published",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-position": "1",
        "agenda-0-minutes": "30",
        "agenda-0-title__en": "Priorities",
        "agenda-0-title__fr": "Priorités",
        "agenda-0-prompt__en": "What matters most?",
    }
    return {**form, **change}


def test_olga_adds_an_event_with_its_agenda_in_one_action(olga_client, youth_dialogue):
    response = olga_client.post(
        "/admin/dialogues/event/add/", event_form(youth_dialogue.consultation)
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="town-hall")
    assert event.title == {"en": "Town hall"} and event.languages == ["en", "fr"]
    assert [(item.position, item.minutes) for item in event.agenda.all()] == [(1, 30)]
    assert event.agenda.get().title == {"en": "Priorities", "fr": "Priorités"}
    # Typed as 15:00 in the event's own time zone, Africa/Nairobi (UTC+3).
    assert event.starts_at == datetime(2030, 12, 10, 12, 0, tzinfo=UTC)
    change = olga_client.get(f"/admin/dialogues/event/{event.pk}/change/").content.decode()
    assert 'name="starts_at_1" value="15:00:00"' in change


def test_the_back_office_keeps_every_event_rule(olga_client, youth_dialogue):
    """The rules the API and the demo keep (rules.py), the admin keeps too, beside each field."""
    consultation = youth_dialogue.consultation
    cases = [
        ({"registration": "invitation"}, "needs an invitation code"),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone: Mars/Olympus"),
        ({"max_group_size": "8"}, "larger groups need a media server"),
        ({"min_group_size": "6", "max_group_size": "5"}, "group sizes must satisfy"),
        ({"title__en": ""}, "an event needs its title"),
        ({"agenda-TOTAL_FORMS": "0"}, "An event needs its agenda"),
        ({"agenda-0-title__en": "", "agenda-0-title__fr": ""}, "Give each agenda item a title"),
    ]
    for change, message in cases:
        response = olga_client.post(
            "/admin/dialogues/event/add/", event_form(consultation, **change)
        )
        assert response.status_code == 200 and message in response.content.decode(), change
    assert not Event.objects.filter(slug="town-hall").exists()


def test_olga_deletes_events_one_action_each(olga_client, youth_dialogue):
    register_crowd(youth_dialogue, 4)
    form = {"action": "delete_selected", "_selected_action": youth_dialogue.pk, "post": "yes"}
    olga_client.post("/admin/dialogues/event/", form)
    assert not Event.objects.exists() and not Registration.objects.exists()


def test_registrations_are_not_edited_by_hand(olga_client, youth_dialogue):
    register_crowd(youth_dialogue, 1)
    registration = Registration.objects.get()
    url = f"/admin/dialogues/registration/{registration.pk}/change/"
    olga_client.post(url, {"display_name": "Someone else", "country": "FR"})
    registration.refresh_from_db()
    assert registration.display_name == "Person 0"
