"""What the groups said, in public once Olga publishes it: counts, report-back rate, ideas
by agreement, summaries per agenda item and messages, in each group's own language; the
same rows through the API. Nothing before publication; no names ever."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from globaldialogue.consultations import actions as consultation_actions
from globaldialogue.consultations.models import TranslatableText
from globaldialogue.consultations.permissions import Role
from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import DialogueGroup, Registration
from globaldialogue.personas import registration_form
from globaldialogue.testing import sign_in


@pytest.fixture
def reported(youth_dialogue):
    """Two groups (English, French); the English one files its report."""
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"Amina {n}", languages=["en"])
        )
        actions.register(
            **registration_form(
                youth_dialogue, display_name=f"Pierre {n}", languages=["fr"], country="FR"
            )
        )
    actions.form_groups(event=youth_dialogue)
    english = DialogueGroup.objects.get(language="en")
    room_actions.note_joined(registration=english.members.first())
    room_actions.file_report(
        group=english,
        registration=english.members.first(),
        summaries={"1": "We come from Jordan.", "2": "Schools & jobs first."},
        ideas=[
            {"text": "Free internet in schools", "agreement": "most"},
            {"text": "A carbon tax", "agreement": "few"},
        ],
        message="Listen to <young> people.",
    )
    return youth_dialogue


def test_nothing_is_public_before_olga_publishes(client, reported):
    assert client.get("/d/youth-dialogue/results").status_code == 404
    assert client.get("/api/dialogues/youth-dialogue/reports").status_code == 404
    assert "What the groups said" not in client.get("/d/youth-dialogue/?lang=en").content.decode()


def test_the_public_page_shows_what_the_groups_said(reported, django_assert_max_num_queries):
    actions.publish_reports(event=reported)
    with django_assert_max_num_queries(8):
        page = Client().get("/d/youth-dialogue/results?lang=en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 of 2 groups (50%)" in html
    assert '<li><span lang="en" dir="auto">Free internet in schools</span>' in html
    assert html.index("Most of the group agreed") < html.index("Few in the group agreed")
    assert "Schools &amp; jobs first." in html and "Listen to &lt;young&gt; people." in html
    assert "Amina 0" not in html and "example.org" not in html
    assert "/d/youth-dialogue/results" in Client().get("/d/youth-dialogue/").content.decode()
    assert "/d/youth-dialogue/results" in Client().get("/d/").content.decode()


def test_the_api_gives_every_group_filed_or_not(reported):
    actions.publish_reports(event=reported)
    rows = Client().get("/api/dialogues/youth-dialogue/reports").json()
    assert [(row["language"], row["filed"], row["members"]) for row in rows] == [
        ("en", True, 4),
        ("fr", False, 4),
    ]
    assert rows[0]["summaries"] == {
        "Welcome": "We come from Jordan.",
        "Priorities": "Schools & jobs first.",
    }
    assert rows[0]["ideas"][1] == {"text": "A carbon tax", "agreement": "few"}
    assert "display_name" not in str(rows) and Registration.objects.count() == 8


def test_a_partner_key_with_the_reports_scope_reads_them_before_publication(reported, pat_key):
    from globaldialogue.accounts.actions import create_api_key
    from globaldialogue.accounts.models import Scope
    from globaldialogue.consultations.actions import save_consultation

    url = "/api/dialogues/youth-dialogue/reports"
    _key, reader = create_api_key(
        name="Reports reader", consultation=reported.consultation, scopes=[Scope.REPORTS]
    )
    city = save_consultation(slug="city", title={"en": "City"}, languages=["en"])
    _key, elsewhere = create_api_key(name="City", consultation=city, scopes=[Scope.REPORTS])
    rows = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {reader}").json()
    assert [(row["language"], row["filed"]) for row in rows] == [("en", True), ("fr", False)]
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {pat_key}").status_code == 404
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {elsewhere}").status_code == 404
    assert Client().get(url, HTTP_AUTHORIZATION="Bearer gd_nope").status_code == 401
    assert client_page_is_closed(reported)


def client_page_is_closed(event) -> bool:
    """The public page stays closed: the key opens the API to its holder only."""
    return Client().get(f"/d/{event.slug}/results").status_code == 404


def test_public_reports_hold_no_personal_data_and_no_small_count(youth_dialogue):
    """A group wrote a phone number and an email into its report; one person joined."""
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"Amina {n}", languages=["en"])
        )
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.get()
    room_actions.note_joined(registration=group.members.first())
    room_actions.file_report(
        group=group,
        registration=group.members.first(),
        summaries={"1": "My name is Amina Haddad, from Amman."},
        ideas=[{"text": "Write to amina@example.org", "agreement": "most"}],
        message="Call me on +962 6 555 0199.",
    )
    actions.publish_reports(event=youth_dialogue)
    html = Client().get("/d/youth-dialogue/results?lang=en").content.decode()
    api = str(Client().get("/api/dialogues/youth-dialogue/reports").json())
    for published in (html, api):
        assert "Haddad" not in published and "amina@" not in published
        assert "555 0199" not in published  # (a timestamp may hold "555")
        assert "[email]" in published and "[phone]" in published
    assert "fewer than 10 people" in html  # one person joined


def test_tomas_translates_the_report_and_pierre_reads_it_in_french(reported):
    """The report's words wait in the translators' queue; translated, they reach French
    readers marked as such, with the original; the rest says it is not translated yet."""
    assert not TranslatableText.objects.exists()  # nothing before the reports are public
    actions.publish_reports(event=reported)
    offered = {t.text: t for t in TranslatableText.objects.all()}
    assert set(offered) == {
        "We come from Jordan.",
        "Schools & jobs first.",
        "Free internet in schools",
        "A carbon tax",
        "Listen to <young> people.",
    }
    assert offered["A carbon tax"].kind == "idea" and offered["A carbon tax"].languages == [
        "fr",
        "ar",
        "zh-hans",
    ]
    tomas = User.objects.create_user("tomas", "tomas@example.org", "x", is_staff=True)
    consultation_actions.grant_role(
        user=tomas, role=Role.TRANSLATOR, consultation=reported.consultation
    )
    client = sign_in(Client(), tomas)
    queue = f"/admin/consultations/translatabletext/translate/?scope={reported.consultation_id}"
    waiting = client.get(f"{queue}&language=fr").content.decode()
    assert "Free internet in schools" in waiting and "Idea in a group" in waiting
    idea = offered["Free internet in schools"]
    saved = client.post(f"{queue}&language=fr", {f"text_{idea.pk}": "Internet gratuit à l'école"})
    assert saved.status_code == 303
    html = Client().get("/d/youth-dialogue/results?lang=fr").content.decode()
    assert '<span lang="fr" dir="auto">Internet gratuit à l&#x27;école</span>' in html
    assert "Traduit (original en anglais)" in html and "Free internet in schools" in html
    assert "(en anglais ; pas encore traduit)" in html  # the carbon tax, as written


def test_an_organizers_correction_after_publication_is_offered_for_translation(reported, olga):
    actions.publish_reports(event=reported)
    report = DialogueGroup.objects.get(language="en").report
    room_actions.edit_report(
        report=report,
        user=olga,
        summaries=report.summaries,
        ideas=report.ideas,
        message="Listen to young people, always.",
    )
    offered = TranslatableText.objects.get(text="Listen to young people, always.")
    assert offered.kind == "message" and offered.languages == ["fr", "ar", "zh-hans"]
