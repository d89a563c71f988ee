"""Roles bound where they are held: a role on one consultation reaches nothing of another,
a staff account without a role sees nothing (whatever Django permissions it was given),
every admin action says what it needs, and granting, revoking and acting are on record
with the role acted in."""

import base64
import re

import httpx
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP

from globaldialogue.audit.models import Entry
from globaldialogue.consultations import actions
from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.models import Consultation, Membership, Organization
from globaldialogue.consultations.permissions import TABLE, Role
from globaldialogue.deliberation import actions as deliberation_actions
from globaldialogue.deliberation.models import Statement
from globaldialogue.surveys import actions as survey_actions
from globaldialogue.surveys.models import Survey
from globaldialogue.testing import sign_in


@pytest.fixture
def city(db) -> Consultation:
    """Another organization's consultation: a city's own."""
    town_hall = actions.save_organization(slug="town-hall", name="Town hall")
    return actions.save_consultation(
        slug="city-budget", title={"en": "City budget"}, languages=["en"], organization=town_hall
    )


def signed_in(user: User) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def mona(un75) -> User:
    """UN75's moderator, on that consultation only."""
    person = User.objects.create_user("mona", "", "x")
    actions.grant_role(user=person, role=Role.MODERATOR, consultation=un75.consultation)
    return person


def statement_in(consultation: Consultation) -> Statement:
    conversation = deliberation_actions.create_conversation(
        consultation=consultation,
        slug=f"talk-{consultation.slug}",
        topic={"en": "Priorities"},
        languages=["en"],
        status="open",
    )
    return deliberation_actions.seed_statement(
        conversation=conversation, text="Clean water first.", language="en"
    )


def test_a_moderator_of_un75_neither_sees_nor_moderates_the_citys_statements(mona, un75, city):
    ours, theirs = statement_in(un75.consultation), statement_in(city)
    client = signed_in(mona)
    listing = client.get("/admin/deliberation/statement/").content.decode()
    assert f"/admin/deliberation/statement/{ours.pk}/" in listing
    assert f"/admin/deliberation/statement/{theirs.pk}/" not in listing
    assert client.get(f"/admin/deliberation/statement/{theirs.pk}/change/").status_code == 302
    client.post(
        "/admin/deliberation/statement/",
        {"action": "reject", "_selected_action": [ours.pk, theirs.pk]},
    )
    ours.refresh_from_db(), theirs.refresh_from_db()
    assert ours.status == Statement.Status.REJECTED
    assert theirs.status == Statement.Status.ACCEPTED


def test_a_staff_account_with_django_permissions_but_no_role_changes_nothing(un75):
    """The review's finding: "view" permissions were enough to reject and to form groups."""
    statement = statement_in(un75.consultation)
    staff = User.objects.create_user("stan", "", "x", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())  # every Django permission there is
    client = signed_in(staff)
    assert client.get("/admin/surveys/survey/").status_code == 403
    client.post(
        "/admin/deliberation/statement/", {"action": "reject", "_selected_action": [statement.pk]}
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED
    index = client.get("/admin/").content.decode()
    assert "/admin/surveys/" not in index and "/admin/deliberation/" not in index


def test_an_organizer_adds_nothing_to_another_organizations_consultation(un75, city):
    orla = User.objects.create_user("orla", "", "x")
    actions.grant_role(user=orla, role=Role.ORGANIZER, consultation=un75.consultation)
    client = signed_in(orla)
    form = {
        "conversation": statement_in(city).conversation_id,
        "text": "Bus lanes.",
        "language": "en",
    }
    assert client.post("/admin/deliberation/statement/add/", form).status_code == 403
    assert not Statement.objects.filter(text="Bus lanes.").exists()
    survey_page = client.get("/admin/surveys/survey/add/").content.decode()
    assert f'value="{un75.consultation.pk}"' in survey_page
    assert f'value="{city.pk}"' not in survey_page


def test_every_admin_action_says_what_it_needs_and_the_table_has_it():
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, RoleAdmin):
            continue
        for name in model_admin.actions or ():
            function = getattr(type(model_admin), name)
            verbs = getattr(function, "allowed_permissions", ())
            assert verbs, f"{model.__name__}.{name} declares no permission"
            for verb in verbs:
                assert f"{model_admin.subject}.{verb}" in TABLE, (model.__name__, name, verb)


def test_roles_granted_revoked_and_acted_in_are_on_record(un75, city):
    owen = User.objects.create_user("owen", "", "x")
    actions.grant_role(user=owen, role=Role.OWNER, organization=un75.consultation.organization)
    vera = User.objects.create_user("vera", "", "x")
    client = signed_in(owen)
    form = {"username": "vera", "role": "viewer", "consultation": un75.consultation.pk}
    assert client.post("/admin/consultations/membership/add/", form).status_code == 302
    membership = Membership.objects.get(user=vera)
    assert User.objects.get(pk=vera.pk).is_staff  # may now sign in to the back office
    client.post(f"/admin/consultations/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(user=vera).exists()
    granted = Entry.objects.get(action="grant_role", summary__user="vera")
    revoked = Entry.objects.get(action="revoke_role")
    assert (granted.actor, granted.role, granted.consultation) == ("owen", "owner", "un75")
    assert revoked.summary == {"user": "vera", "role": "viewer", "on": str(un75.consultation)}
    client.post("/admin/surveys/survey/", {"action": "close", "_selected_action": [un75.pk]})
    assert Survey.objects.get(pk=un75.pk).status == Survey.Status.CLOSED
    assert Entry.objects.get(action="close_survey").role == "owner"


def test_owners_and_organizers_read_their_consultations_trail_only(un75, city):
    actions.update_consultation(
        consultation=city, slug=city.slug, title={"en": "Budget"}, languages=["en"]
    )
    orla = User.objects.create_user("orla", "", "x")
    actions.grant_role(user=orla, role=Role.ORGANIZER, consultation=un75.consultation)
    listing = signed_in(orla).get("/admin/audit/entry/?o=-1").content.decode()
    assert "grant_role" in listing and "update_consultation" not in listing
    mona = User.objects.create_user("mona", "", "x")
    actions.grant_role(user=mona, role=Role.MODERATOR, consultation=un75.consultation)
    assert signed_in(mona).get("/admin/audit/entry/").status_code == 403


def test_an_operator_grants_and_revokes_a_role_on_the_command_line(un75):
    User.objects.create_user("femi", "", "x")
    organization = un75.consultation.organization.slug
    call_command("grant_role", "femi", "facilitator", organization=organization)
    femi = User.objects.get(username="femi")
    assert femi.is_staff and femi.memberships.get().role == "facilitator"
    call_command("grant_role", "femi", "facilitator", organization=organization, revoke=True)
    assert not femi.memberships.exists()
    with pytest.raises(CommandError, match="No one has the user name 'nobody'"):
        call_command("grant_role", "nobody", "viewer", consultation="un75")
    assert [e.action for e in Entry.objects.order_by("id")][-2:] == ["grant_role", "revoke_role"]


@pytest.mark.django_db(transaction=True)
def test_over_http_a_staff_account_without_a_role_moderates_nothing(live_server, un75):
    """The review's attack, against a running server: a staff account with every Django
    permission signs in (password, then an authenticator it sets up itself, as anyone
    required to may), and tries to reject a statement and to form an event's groups."""
    statement = statement_in(un75.consultation)
    staff = User.objects.create_user("stan", "", "a long staff passphrase", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    with httpx.Client(base_url=live_server.url, follow_redirects=False) as browser:
        setup = _sign_in_over_http(browser, "stan", "a long staff passphrase")
        assert setup.headers["location"] == "/admin/two-factor/"
        page = browser.get("/admin/two-factor/").text
        key = re.search(r'id="secret" type="text" value="([A-Z2-7 ]+)"', page).group(1)
        _post(browser, "/admin/two-factor/", {"code": _code(key)})
        assert browser.get("/admin/").status_code == 200  # in, with nothing to see
        changed = _post(
            browser,
            "/admin/deliberation/statement/",
            {"action": "reject", "_selected_action": str(statement.pk)},
        )
        assert changed.status_code == 403
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED
    assert not Entry.objects.filter(action="moderate_statement").exists()


def _sign_in_over_http(browser: httpx.Client, username: str, password: str) -> httpx.Response:
    browser.get("/admin/login/")
    form = {"username": username, "password": password, "next": "/admin/"}
    return _post(browser, "/admin/login/?next=/admin/", form)


def _post(browser: httpx.Client, path: str, form: dict[str, str]) -> httpx.Response:
    token = browser.cookies["csrftoken"]
    return browser.post(path, data={**form, "csrfmiddlewaretoken": token})


def _code(key: str) -> str:
    """What an authenticator app shows for the key typed from the page."""
    secret = base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    return f"{TOTP(secret).token():06d}"


def test_a_viewer_reads_the_survey_and_its_questions_in_every_language(un75):
    vera = User.objects.create_user("vera", "", "x")
    actions.grant_role(user=vera, role=Role.VIEWER, consultation=un75.consultation)
    page = signed_in(vera).get(f"/admin/surveys/survey/{un75.pk}/change/").content.decode()
    assert '<div lang="en" dir="auto">en: The Future We Want' in page  # the title
    assert '<div lang="fr" dir="auto">fr: En 2045, les gens vivront-ils mieux' in page  # a label
    assert 'name="title__en"' not in page and 'name="questions-0-label__en"' not in page


def test_a_draft_survey_is_previewed_only_by_its_consultations_people(un75, city, settings):
    settings.REQUIRE_TWO_FACTOR = True
    draft = survey_actions.import_survey(
        consultation=city,
        slug="budget",
        definition={
            "title": {"en": "Budget"},
            "languages": ["en"],
            "questions": [{"key": "idea", "type": "text", "label": {"en": "Your idea"}}],
        },
        publish=False,
    )
    survey_actions.freeze_version(survey=draft)  # as saving it in the back office does
    assert draft.status == Survey.Status.DRAFT
    mona = User.objects.create_user("mona", "", "x")
    actions.grant_role(user=mona, role=Role.MODERATOR, consultation=un75.consultation)
    assert signed_in(mona).get("/s/budget/").status_code == 404  # another consultation's
    tomas = User.objects.create_user("tomas", "", "x")
    actions.grant_role(user=tomas, role=Role.TRANSLATOR, consultation=city)
    assert signed_in(tomas).get("/s/budget/").status_code == 200
    password_only = Client()
    password_only.force_login(tomas)  # no second factor given in this session
    assert password_only.get("/s/budget/").status_code == 404


def test_an_operator_renames_an_organization_in_place(olga_client, city):
    town_hall = city.organization
    page = olga_client.post(
        f"/admin/consultations/organization/{town_hall.pk}/change/",
        {"slug": "elsewhere", "name": "City hall"},
    )
    assert page.status_code == 302
    town_hall.refresh_from_db()
    assert (town_hall.slug, town_hall.name) == ("town-hall", "City hall")
    assert Organization.objects.count() == 1


def test_an_organization_held_in_two_roles_is_offered_once(un75):
    orla = User.objects.create_user("orla", "", "x")
    home = un75.consultation.organization
    for role in (Role.OWNER, Role.ORGANIZER):
        actions.grant_role(user=orla, role=role, organization=home)
    page = signed_in(orla).get("/admin/consultations/consultation/add/").content.decode()
    assert page.count(f'<option value="{home.pk}"') == 1
