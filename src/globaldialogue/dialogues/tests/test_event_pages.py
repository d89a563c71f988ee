"""The public dialogue pages over HTTP, without JS: Pierre finds an event, registers in
French, keeps his personal link, adds the event to his calendar and deletes his email."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event, Registration
from globaldialogue.lib.errors import Refused
from globaldialogue.personas import registration_form

FORM = {
    "display_name": "Pierre",
    "languages": ["fr", "en"],
    "country": "FR",
    "age_group": "31_45",
    "email": "pierre@example.org",
    "accept_rules": "yes",
    "language": "fr",
}


def test_the_list_shows_upcoming_published_events(youth_dialogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = Client(headers={"accept-language": "fr"}).get("/d/").content.decode()
    assert "/d/youth-dialogue/" in html and "Dialogue des jeunes" in html
    youth_dialogue.status = Event.Status.DRAFT
    youth_dialogue.save(update_fields=["status"])
    assert "/d/youth-dialogue/" not in Client().get("/d/").content.decode()
    assert Client().get("/d/youth-dialogue/").status_code == 404


def test_the_event_page_shows_the_agenda_and_the_form(youth_dialogue):
    html = Client().get("/d/youth-dialogue/?lang=fr").content.decode()
    assert "Dialogue des jeunes" in html and "What matters most?" in html
    assert "Africa/Nairobi" in html and 'name="accept_rules"' in html
    assert 'lang="fr" dir="ltr"' in html


def test_pierre_registers_and_gets_his_personal_page(youth_dialogue):
    pierre_client = Client()
    response = pierre_client.post("/d/youth-dialogue/", FORM)
    assert response.status_code == 303
    link = response["Location"]
    assert re.match(r"^/d/youth-dialogue/you/[-\w]+/\?lang=fr$", link)
    registration = Registration.objects.get()
    assert (registration.display_name, registration.country) == ("Pierre", "FR")
    page = pierre_client.get(link).content.decode()
    assert "Vous êtes inscrit" in page
    assert "Les groupes sont formés peu avant le début" in page
    calendar = pierre_client.get(link.split("?")[0] + "event.ics")
    body = calendar.content.decode()
    assert calendar["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "DTSTART:" in body and "\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"display_name": ""}, "Dites-nous comment vous appeler."),
        ({"languages": []}, "Choisissez au moins une des langues"),
        ({"country": ""}, "Choisissez votre pays."),
        ({"age_group": ""}, "Choisissez votre tranche d’âge."),
        ({"email": "pierre@"}, "Saisissez une adresse e-mail valide"),
        ({"accept_rules": ""}, "Veuillez accepter les règles"),
    ],
)
def test_mistakes_are_explained_in_french_and_nothing_is_stored(youth_dialogue, change, message):
    response = Client().post("/d/youth-dialogue/", {**FORM, **change})
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    assert 'value="Pierre"' in html or change.get("display_name") == ""
    assert not Registration.objects.exists()


def test_an_invitation_link_carries_its_code(youth_dialogue):
    youth_dialogue.registration = Event.Registration.INVITATION
    youth_dialogue.invitation_code = "for-partners"
    youth_dialogue.save(update_fields=["registration", "invitation_code"])
    page = Client().get("/d/youth-dialogue/?invite=for-partners").content.decode()
    assert 'name="invite" value="for-partners"' in page
    assert Client().post("/d/youth-dialogue/", FORM).status_code == 422
    assert (
        Client().post("/d/youth-dialogue/", {**FORM, "invite": "for-partners"}).status_code == 303
    )


def test_once_started_the_form_is_gone(youth_dialogue):
    youth_dialogue.starts_at = timezone.now() - timedelta(minutes=5)
    youth_dialogue.save(update_fields=["starts_at"])
    html = Client().get("/d/youth-dialogue/?lang=en").content.decode()
    assert "Registration has closed" in html and 'name="accept_rules"' not in html


def test_the_personal_page_shows_the_group_and_deletes_the_email(youth_dialogue):
    tokens = []
    for n in range(4):
        registration, token = actions.register(
            **registration_form(youth_dialogue, display_name=f"P{n}", email=f"p{n}@example.org")
        )
        actions.confirm_email(registration=registration)
        tokens.append(token)
    actions.form_groups(event=youth_dialogue)
    client = Client()
    link = f"/d/youth-dialogue/you/{tokens[0]}/"
    assert "Group 1, talking in" in client.get(link + "?lang=en").content.decode()
    response = client.post(link, {"forget_email": "yes", "language": "en"})
    assert response.status_code == 303
    assert Registration.objects.get(display_name="P0").email == ""
    assert "has been deleted" in client.get(response["Location"]).content.decode()
    assert Client().get("/d/youth-dialogue/you/not-a-token/").status_code == 404


@pytest.mark.parametrize(
    ("starts_at", "time_zone", "language", "local", "utc"),
    [
        # 12:00 UTC is 15:00 in Nairobi (UTC+3, no daylight saving).
        (
            "2030-12-10T12:00:00+00:00",
            "Africa/Nairobi",
            "en",
            "Dec. 10, 2030, 3 p.m.",
            "Dec. 10, 2030, noon",
        ),
        # Zurich is UTC+2 in summer and UTC+1 in winter.
        (
            "2030-07-01T10:00:00+00:00",
            "Europe/Zurich",
            "fr",
            "1 juillet 2030 12:00",
            "1 juillet 2030 10:00",
        ),
        (
            "2030-01-15T10:00:00+00:00",
            "Europe/Zurich",
            "fr",
            "15 janvier 2030 11:00",
            "15 janvier 2030 10:00",
        ),
        # Crossing midnight: 22:00 UTC is the next day in Nairobi.
        (
            "2030-12-08T22:00:00+00:00",
            "Africa/Nairobi",
            "en",
            "Dec. 9, 2030, 1 a.m.",
            "Dec. 8, 2030, 10 p.m.",
        ),
    ],
)
def test_the_start_is_shown_in_the_events_time_zone_everywhere(
    youth_dialogue,
    mailoutbox,
    django_capture_on_commit_callbacks,
    starts_at,
    time_zone,
    language,
    local,
    utc,
):
    from datetime import datetime

    moment = datetime.fromisoformat(starts_at)
    youth_dialogue.time_zone = time_zone
    youth_dialogue.save(update_fields=["time_zone"])
    actions.reschedule_event(event=youth_dialogue, starts_at=moment)
    expected = f"{local} ({time_zone}) · {utc} UTC"  # one format per language
    for page in ("/d/", "/d/youth-dialogue/"):
        html = Client().get(f"{page}?lang={language}").content.decode()
        assert expected in html, page
    with django_capture_on_commit_callbacks(execute=True):
        _registration, token = actions.register(
            **registration_form(youth_dialogue, email="amina@example.org", language=language)
        )
    personal = Client().get(f"/d/youth-dialogue/you/{token}/?lang={language}").content.decode()
    assert expected in personal
    assert expected in mailoutbox[0].body


def test_pierre_cancels_his_registration_from_his_personal_page(youth_dialogue):
    pierre_client = Client()
    link = pierre_client.post("/d/youth-dialogue/", FORM)["Location"]
    page = pierre_client.get(link).content.decode()
    assert "Annuler mon inscription" in page
    cancelled = pierre_client.post(link.split("?")[0], {"cancel": "yes", "language": "fr"})
    assert cancelled.status_code == 303
    assert cancelled["Location"] == "/d/youth-dialogue/?lang=fr&cancelled=1"
    assert (
        "Votre inscription est annulée."
        in pierre_client.get(cancelled["Location"]).content.decode()
    )
    assert not Registration.objects.exists()
    assert pierre_client.get(link).status_code == 404


def test_the_age_groups_are_the_consultations_own(youth_dialogue):
    """One set of age groups across the platform (the survey's), or the organizers' own."""
    html = Client().get("/d/youth-dialogue/?lang=fr").content.decode()
    assert 'value="16_30"' in html and "16–30 ans" in html and 'value="18_29"' not in html
    consultation = youth_dialogue.consultation
    consultation.age_bands = [
        {"key": "young", "label": {"en": "Under 35", "fr": "Moins de 35 ans"}},
        {"key": "older", "label": {"en": "35 or over", "fr": "35 ans ou plus"}},
    ]
    consultation.save(update_fields=["age_bands"])
    html = Client().get("/d/youth-dialogue/?lang=fr").content.decode()
    assert 'value="young"' in html and "Moins de 35 ans" in html and 'value="16_30"' not in html
    actions.register(**registration_form(youth_dialogue, age_group="young"))
    with pytest.raises(Refused):
        actions.register(**registration_form(youth_dialogue, display_name="X", age_group="16_30"))


def test_the_platforms_age_groups_are_the_demo_surveys(un75):
    from globaldialogue.consultations.ages import AGE_BANDS

    question = un75.questions.get(key="age_group")
    assert [o.key for o in question.options.all()] == [band["key"] for band in AGE_BANDS]
