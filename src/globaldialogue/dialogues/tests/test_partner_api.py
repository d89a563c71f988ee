"""Pat, a partner, registers a dialogue event through the API with her key and follows it;
keys for another consultation, bad input and taken slugs get clear errors, nothing stored."""

import pytest
from django.test import Client

from globaldialogue.accounts.actions import create_api_key, update_api_key
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event
from globaldialogue.personas import registration_form


def event_body(**change):
    return {
        "consultation": "un75",
        "slug": "nairobi-youth",
        "title": {"en": "Nairobi youth dialogue", "fr": "Dialogue des jeunes de Nairobi"},
        "languages": ["en", "fr"],
        "starts_at": "2030-12-10T15:00:00+03:00",
        "time_zone": "Africa/Nairobi",
        "agenda": [
            {"title": {"en": "Priorities"}, "prompt": {"en": "What matters?"}, "minutes": 30}
        ],
        **change,
    }


def post(body, key: str = "", client=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return (client or Client()).post(
        "/api/dialogues", body, content_type="application/json", **headers
    )


def test_pat_registers_an_event_that_organizers_then_publish(pat_key):
    response = post(event_body(), pat_key)
    assert response.status_code == 201
    assert response.json() == {
        "slug": "nairobi-youth",
        "status": "draft",
        "page": "/d/nairobi-youth/",
        "registered": 0,
        "groups": 0,
        "reports": 0,
    }
    event = Event.objects.get()
    assert event.partner.name == "U-Report (Pat)" and event.agenda.get().minutes == 30
    assert event.starts_at.isoformat() == "2030-12-10T12:00:00+00:00"
    assert Client().get("/d/nairobi-youth/").status_code == 404  # a draft until published
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    actions.register(**registration_form(event))
    followed = Client().get("/api/dialogues/nairobi-youth", HTTP_AUTHORIZATION=f"Bearer {pat_key}")
    assert followed.json()["registered"] == 1 and followed.json()["status"] == "published"


def test_only_a_key_allowed_to_publish_publishes_at_once(pat_key):
    waits = post(event_body(publish=True), pat_key)
    assert waits.json()["status"] == "draft"  # Pat's key registers; organizers publish
    key = ApiKey.objects.get(name="U-Report (Pat)")
    update_api_key(
        key=key,
        name=key.name,
        consultation=key.consultation,
        scopes=[*key.scopes, Scope.PUBLISH_EVENTS],
    )
    body = event_body(publish=True, slug="nairobi-youth-2")
    assert post(body, pat_key).json()["status"] == "published"
    assert Client().get("/d/nairobi-youth-2/?lang=fr").status_code == 200


def test_a_key_for_responses_only_registers_no_event(un75):
    _key, secret = create_api_key(name="Survey partner", consultation=un75.consultation)
    refused = post(event_body(), secret)
    assert refused.status_code == 403 and "events" in refused.json()["detail"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"max_group_size": 8}, 422, "larger groups need a media server"),
        ({"min_group_size": 3}, 422, "group sizes must satisfy 4 <= min <= max <= 12"),
        ({"starts_at": "2030-12-10T15:00:00"}, 422, "starts_at must carry its time zone"),
        ({"time_zone": "Mars/Olympus"}, 422, "Mars/Olympus"),
        ({"registration": "invitation"}, 422, "needs an invitation code"),
        ({"consultation": "other"}, 404, "Not Found"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_stored(pat_key, change, status, detail):
    save_consultation(slug="other", title={"en": "Other"}, languages=["en"])
    response = post(event_body(**change), pat_key)
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not Event.objects.exists()


def test_shapes_keys_and_slugs(pat_key):
    assert post(event_body(agenda=[]), pat_key).status_code == 422
    assert post(event_body(slug="no spaces"), pat_key).status_code == 422
    assert post(event_body()).status_code == 401
    assert post(event_body(), "not-a-key").status_code == 401
    assert post(event_body(), pat_key).status_code == 201
    taken = post(event_body(), pat_key)
    assert taken.status_code == 409 and "exists already" in taken.json()["detail"]
    _other, stranger = create_api_key(name="Someone else")
    mine = Client().get("/api/dialogues/nairobi-youth", HTTP_AUTHORIZATION=f"Bearer {stranger}")
    assert mine.status_code == 404  # only the partner who registered it follows it
