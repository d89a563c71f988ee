"""The permission table (consultations.permissions.TABLE), played whole against the back
office: for every action, every phase its object can be in and every role, a person who
holds only that role tries it with real requests, and it goes through exactly when the
table says so. The people hold their roles on the organization that runs UN75."""

import itertools
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from globaldialogue.accounts import actions as account_actions
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.audit.models import Entry
from globaldialogue.consultations import actions as consultation_actions
from globaldialogue.consultations import translation_actions
from globaldialogue.consultations.models import Consultation, Membership, TranslatableText
from globaldialogue.consultations.permissions import TABLE, Phase, Role, allows
from globaldialogue.deliberation import actions as deliberation_actions
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.dialogues import actions as dialogue_actions
from globaldialogue.dialogues import room_actions
from globaldialogue.dialogues.models import DialogueGroup, Event, GroupReport, Registration
from globaldialogue.dialogues.tests.events import AGENDA, group_of_four
from globaldialogue.messaging import actions as messaging_actions
from globaldialogue.messaging import rapidpro_actions
from globaldialogue.messaging.models import Channel, RapidProFlow
from globaldialogue.paper import actions as paper_actions
from globaldialogue.paper.models import PaperBatch, PaperUpload
from globaldialogue.paper.serials import format_serial
from globaldialogue.personas import registration_form
from globaldialogue.results import actions as result_actions
from globaldialogue.results.models import Analysis, PopulationMargins, Quote, Release, Theme
from globaldialogue.surveys import actions as survey_actions
from globaldialogue.surveys.models import Response, Survey
from globaldialogue.testing import payload, sign_in
from globaldialogue.web.tests.backoffice import form_of

PEOPLE = {  # one person per role, holding nothing else
    Role.OWNER: "owen",
    Role.ORGANIZER: "orla",
    Role.MODERATOR: "mona",
    Role.TRANSLATOR: "tomas",
    Role.FACILITATOR: "femi",
    Role.ANALYST: "anaya",
    Role.VIEWER: "vera",
}
_made = itertools.count(1)
SMALL = {
    "title": {"en": "Parks", "fr": "Parcs"},
    "languages": ["en", "fr"],
    "questions": [
        {
            "key": "often",
            "type": "single",
            "required": False,
            "label": {"en": "How often?", "fr": "Souvent ?"},
            "options": [
                {"key": "weekly", "label": {"en": "Weekly", "fr": "Chaque semaine"}},
                {"key": "monthly", "label": {"en": "Monthly", "fr": "Chaque mois"}},
            ],
        },
        {"key": "idea", "type": "text", "required": False, "label": {"en": "Idea", "fr": "Idée"}},
    ],
}
CENSUS = "country,sex,age,population\nFR,male,15-29,1000\nFR,female,15-29,1000\n"


@pytest.fixture
def un75(db: Any) -> Consultation:
    consultation = consultation_actions.save_consultation(
        slug="un75", title={"en": "UN75"}, languages=["en", "fr"]
    )
    for role, name in PEOPLE.items():
        person = User.objects.create_user(name, f"{name}@example.org", "x")
        consultation_actions.grant_role(
            user=person, role=role, organization=consultation.organization
        )
    return consultation


def client_of(role: Role) -> Client:
    return sign_in(Client(), User.objects.get(username=PEOPLE[role]))


# --- objects in each phase, made as the platform makes them -----------------------------------


def survey_in(phase: Phase) -> Survey:
    un75 = Consultation.objects.get(slug="un75")
    definition = {**SMALL, "slug": f"parks-{next(_made)}"}
    survey = survey_actions.import_survey(
        consultation=un75, slug=definition["slug"], definition=definition, publish=phase != "draft"
    )
    if phase == Phase.CLOSED:
        survey_actions.close_survey(survey=survey)
    return survey


def conversation_in(phase: Phase) -> Conversation:
    return deliberation_actions.create_conversation(
        consultation=Consultation.objects.get(slug="un75"),
        slug=f"talk-{next(_made)}",
        topic={"en": "Parks", "fr": "Parcs"},
        languages=["en", "fr"],
        status=phase.value,
    )


def statement_in(phase: Phase) -> Statement:
    conversation = conversation_in(Phase.OPEN)
    statement = deliberation_actions.seed_statement(
        conversation=conversation, text="More trees in every park.", language="en"
    )
    conversation.status = phase.value  # the phase it is in now, set as organizers set it
    deliberation_actions.update_conversation(
        conversation=conversation,
        **{f: getattr(conversation, f) for f in deliberation_actions.CONVERSATION_FIELDS},
    )
    return statement


def event_in(phase: Phase, *, people: bool = False) -> Event:
    status = Event.Status.DRAFT if phase == Phase.DRAFT else Event.Status.PUBLISHED
    event = dialogue_actions.create_event(  # in two days, then (if closed) moved to yesterday
        consultation=Consultation.objects.get(slug="un75"),
        slug=f"dialogue-{next(_made)}",
        title={"en": "Dialogue", "fr": "Dialogue"},
        languages=["en", "fr"],
        starts_at=timezone.now() + timedelta(days=2),
        time_zone="Africa/Nairobi",
        agenda=AGENDA,
        status=status,
    )
    if people:
        group_of_four(event)
        group = event.groups.get()
        room_actions.file_report(
            group=group,
            registration=group.members.first(),
            summaries={"2": "Water."},
            ideas=[],
            message="Thank you.",
        )
    if phase == Phase.CLOSED:
        dialogue_actions.reschedule_event(event=event, starts_at=timezone.now() - timedelta(days=1))
    return event


def registered_event(phase: Phase) -> Event:
    """An event with four confirmed sign-ups (none in a draft, which takes none)."""
    event = event_in(Phase.DRAFT if phase == Phase.DRAFT else Phase.OPEN)
    for _ in range(4 if phase != Phase.DRAFT else 0):
        n = next(_made)
        form = registration_form(event, display_name=f"Person {n}", email=f"p{n}@example.org")
        registration, _token = dialogue_actions.register(**{**form, "languages": ["en"]})
        dialogue_actions.confirm_email(registration=registration)
    if phase == Phase.CLOSED:
        dialogue_actions.reschedule_event(event=event, starts_at=timezone.now() - timedelta(days=1))
    return event


def analysed_survey() -> Analysis:
    survey = survey_in(Phase.OPEN)
    submit_ideas_to(survey)
    result_actions.tally_all()  # as the worker would: quotes need the groups' counts
    analysis = result_actions.request_themes(survey=survey, question="idea")
    result_actions.run_analysis(analysis_id=analysis.pk)  # as the worker would
    analysis.refresh_from_db()
    return analysis


def submit_ideas_to(survey: Survey) -> None:
    ideas = ["Plant more trees.", "More trees and shade.", "Benches to rest.", "More benches."]
    submissions = [
        survey_actions.Submission(**payload({"often": "weekly", "idea": idea}, "en"))
        for idea in ideas * 4
    ]
    survey_actions.submit_responses(survey=survey, submissions=submissions, channel="api")


# --- what a person does in the back office ----------------------------------------------------


def sees(role: Role, url: str) -> bool:
    return client_of(role).get(url).status_code == 200


def saves(role: Role, url: str, form_id: str, **typed: Any) -> bool:
    """Open the page, type `typed`, save: True if the page accepted it."""
    client = client_of(role)
    page = client.get(url)
    if page.status_code != 200:
        return False
    sent = {**form_of(page.content.decode(), form_id), **typed, "_save": "Save"}
    return client.post(url, sent).status_code == 302


def typed(role: Role, obj: Any, **typing: Any) -> Any:
    """`obj` as it is after `role` typed `typing` on its page in the back office and saved."""
    saves(role, change_url(obj), f"{obj._meta.model_name}_form", **typing)
    obj.refresh_from_db()
    return obj


def runs(role: Role, changelist: str, action: str, obj: Any, **extra: Any) -> Any:
    body = {"action": action, "_selected_action": obj.pk, **extra}
    return client_of(role).post(changelist, body)


def deletes(role: Role, url: str, model: Any, pk: int) -> bool:
    client_of(role).post(url + "delete/", {"post": "yes"})
    return not model.objects.filter(pk=pk).exists()


def admin_url(obj: Any) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/"


def change_url(obj: Any) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def changelist(obj: Any) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"


# --- one probe per action: (role, phase) -> did it go through? --------------------------------


def _survey_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(survey_in(phase)))


def _survey_change(role: Role, phase: Phase) -> bool:
    return typed(role, survey_in(phase), min_answers="2").min_answers == 2


def _survey_translate(role: Role, phase: Phase) -> bool:
    return typed(role, survey_in(phase), title__fr="Les parcs").title["fr"] == "Les parcs"


def _survey_publish(role: Role, phase: Phase) -> bool:
    survey = survey_in(phase)
    published = Entry.objects.filter(action="publish_survey", object_id=str(survey.pk))
    before = published.count()
    runs(role, changelist(survey), "publish", survey)
    return published.count() > before


def _survey_close(role: Role, phase: Phase) -> bool:
    survey = survey_in(phase)
    runs(role, changelist(survey), "close", survey)
    return Entry.objects.filter(action="close_survey", object_id=str(survey.pk)).count() == (
        2 if phase == Phase.CLOSED else 1
    )


def _survey_delete(role: Role, phase: Phase) -> bool:
    survey = survey_in(phase)
    return deletes(role, admin_url(survey), Survey, survey.pk)


def _response_view(role: Role, phase: Phase) -> bool:
    survey = survey_in(Phase.OPEN)
    submit_ideas_to(survey)
    return sees(role, change_url(Response.objects.filter(survey=survey).first()))


def _printed(phase: Phase) -> PaperBatch:
    """Forms printed for a survey while it was open, which is now in `phase`."""
    survey = survey_in(Phase.OPEN)
    batch = paper_actions.print_batch(survey=survey, language="en", count=2)
    if phase == Phase.CLOSED:
        survey_actions.close_survey(survey=survey)
    return batch


def _uploaded(phase: Phase) -> PaperUpload:
    batch = _printed(Phase.OPEN)
    data = f"serial,often\n{format_serial(batch.first)},weekly\n".encode()
    upload, _rows = paper_actions.receive_upload(
        survey=batch.survey, name="typed.csv", data=data, language="en"
    )
    if phase == Phase.CLOSED:
        survey_actions.close_survey(survey=batch.survey)
    return upload


def _paperbatch_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_printed(phase)))


def _paperbatch_change(role: Role, phase: Phase) -> bool:
    survey = survey_in(phase)
    sent = {"survey": survey.pk, "language": "en", "count": 2}
    client_of(role).post("/admin/paper/paperbatch/add/", sent)
    return PaperBatch.objects.filter(survey=survey).exists()


def _paperupload_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_uploaded(phase)))


def _paperupload_change(role: Role, phase: Phase) -> bool:
    upload = _uploaded(phase)
    client_of(role).post(change_url(upload), {"_store": "Store"})
    return Response.objects.filter(survey=upload.survey).exists()


def _channel(phase: Phase) -> Channel:
    survey = survey_in(Phase.OPEN if phase == Phase.CLOSED else phase)
    number = f"+2547110{next(_made):05d}"
    channel = messaging_actions.add_channel(survey=survey, provider="africastalking", number=number)
    if phase == Phase.CLOSED:
        survey_actions.close_survey(survey=survey)
    return channel


def _channel_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_channel(phase)))


def _channel_change(role: Role, phase: Phase) -> bool:
    return typed(role, _channel(phase), reminder_minutes="15").reminder_minutes == 15


def _flow(phase: Phase) -> RapidProFlow:
    survey = survey_in(Phase.OPEN if phase == Phase.CLOSED else phase)
    flow = rapidpro_actions.connect_flow(survey=survey, flow_uuid=uuid.uuid4(), language="en")
    if phase == Phase.CLOSED:
        survey_actions.close_survey(survey=survey)
    return flow


def _rapidproflow_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_flow(phase)))


def _rapidproflow_change(role: Role, phase: Phase) -> bool:
    return typed(role, _flow(phase), name="U-Report").name == "U-Report"


def _conversation_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(conversation_in(phase)))


def _conversation_change(role: Role, phase: Phase) -> bool:
    return typed(role, conversation_in(phase), moderation="pre").moderation == "pre"


def _conversation_translate(role: Role, phase: Phase) -> bool:
    return typed(role, conversation_in(phase), topic__fr="Les parcs").topic["fr"] == "Les parcs"


def _conversation_rotate(role: Role, phase: Phase) -> bool:
    conversation = conversation_in(phase)
    runs(role, changelist(conversation), "rotate_embed_secret", conversation)
    secret = conversation.embed_secret
    conversation.refresh_from_db()
    return conversation.embed_secret != secret


def _conversation_delete(role: Role, phase: Phase) -> bool:
    conversation = conversation_in(phase)
    return deletes(role, admin_url(conversation), Conversation, conversation.pk)


def _statement_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(statement_in(phase)))


def _statement_change(role: Role, phase: Phase) -> bool:
    conversation = conversation_in(phase)
    form = {"conversation": conversation.pk, "text": "Shade for the benches.", "language": "en"}
    client_of(role).post("/admin/deliberation/statement/add/", form)
    return Statement.objects.filter(conversation=conversation).exists()


def _statement_moderate(role: Role, phase: Phase) -> bool:
    statement = statement_in(phase)
    runs(role, changelist(statement), "reject", statement)
    statement.refresh_from_db()
    return statement.status == Statement.Status.REJECTED


def _statement_translate(role: Role, phase: Phase) -> bool:
    statement = statement_in(phase)
    query = f"?scope={statement.conversation_id}&language=fr"
    client_of(role).post(
        f"/admin/deliberation/statement/translate/{query}",
        {f"text_{statement.pk}": "Plus d'arbres dans chaque parc."},
    )
    return statement.translations.filter(language="fr").exists()


def _event_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(event_in(phase)))


def _event_change(role: Role, phase: Phase) -> bool:
    return typed(role, event_in(phase), capacity="77").capacity == 77


def _event_translate(role: Role, phase: Phase) -> bool:
    return typed(role, event_in(phase), title__fr="Le dialogue").title["fr"] == "Le dialogue"


def _event_form_groups(role: Role, phase: Phase) -> bool:
    event = registered_event(phase)
    runs(role, changelist(event), "form_groups", event)
    return event.groups.exists()


def _event_start(role: Role, phase: Phase) -> bool:
    event = registered_event(phase)
    runs(role, changelist(event), "start_now", event)
    event.refresh_from_db()
    return event.lobby_closed_at is not None


def _event_export(role: Role, phase: Phase) -> bool:
    event = event_in(phase)
    response = runs(role, changelist(event), "export_reports_csv", event)
    return response.get("Content-Disposition", "").startswith("attachment")


def _event_delete(role: Role, phase: Phase) -> bool:
    event = event_in(phase)
    return deletes(role, admin_url(event), Event, event.pk)


def _registration(phase: Phase) -> Registration:
    return registered_event(phase).registrations.first()  # type: ignore[return-value]


def _registration_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_registration(phase)))


def _registration_forget(role: Role, phase: Phase) -> bool:
    registration = _registration(phase)
    runs(role, changelist(registration), "forget_email", registration)
    registration.refresh_from_db()
    return registration.email == ""


def _registration_delete(role: Role, phase: Phase) -> bool:
    registration = _registration(phase)
    return deletes(role, admin_url(registration), Registration, registration.pk)


def _group_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(event_in(phase, people=True).groups.get()))


def _group_change(role: Role, phase: Phase) -> bool:
    group = event_in(phase, people=True).groups.get()
    other = group.members.exclude(pk=group.host_id).first()
    assert other is not None
    saves(role, change_url(group), "dialoguegroup_form", host=str(other.pk))
    return DialogueGroup.objects.get(pk=group.pk).host_id == other.pk


def _report_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(event_in(phase, people=True).groups.get().report))


def _report_change(role: Role, phase: Phase) -> bool:
    report = event_in(phase, people=True).groups.get().report
    saves(role, change_url(report), "groupreport_form", message="Thank you all.")
    return GroupReport.objects.get(pk=report.pk).message == "Thank you all."


def _consultation_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(Consultation.objects.get(slug="un75")))


def spare() -> Consultation:
    """Another consultation of UN75's organization (each probe changes one of its own)."""
    return consultation_actions.save_consultation(
        slug=f"spare-{next(_made)}",
        title={"en": "Spare"},
        languages=["en", "fr"],
        organization=Consultation.objects.get(slug="un75").organization,
    )


def _consultation_change(role: Role, phase: Phase) -> bool:
    return typed(role, spare(), title__fr="Autre").title.get("fr") == "Autre"


def _consultation_delete(role: Role, phase: Phase) -> bool:
    consultation = spare()
    return deletes(role, admin_url(consultation), Consultation, consultation.pk)


def _guest() -> Membership:
    guest = User.objects.create_user(f"guest-{next(_made)}", "", "x")
    un75 = Consultation.objects.get(slug="un75")
    return consultation_actions.grant_role(user=guest, role=Role.VIEWER, consultation=un75)


def _membership_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_guest()))


def _membership_change(role: Role, phase: Phase) -> bool:
    name = f"new-{next(_made)}"
    User.objects.create_user(name, "", "x")
    un75 = Consultation.objects.get(slug="un75")
    form = {"username": name, "role": "moderator", "consultation": un75.pk}
    client_of(role).post("/admin/consultations/membership/add/", form)
    return Membership.objects.filter(user__username=name).exists()


def _membership_delete(role: Role, phase: Phase) -> bool:
    membership = _guest()
    return deletes(role, admin_url(membership), Membership, membership.pk)


def _entry_view(role: Role, phase: Phase) -> bool:
    _guest()  # granting a role is on the record
    return sees(role, change_url(Entry.objects.filter(consultation="un75").first()))


def _key() -> ApiKey:
    un75 = Consultation.objects.get(slug="un75")
    key, _secret = account_actions.create_api_key(name="Partner", consultation=un75)
    return key


def _apikey_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_key()))


def _apikey_change(role: Role, phase: Phase) -> bool:
    key = _key()
    runs(role, changelist(key), "revoke", key)
    key.refresh_from_db()
    name = f"Key {next(_made)}"
    un75 = Consultation.objects.get(slug="un75")
    form = {"name": name, "consultation": un75.pk, "scopes": [Scope.RESPONSES.value]}
    client_of(role).post("/admin/accounts/apikey/add/", form)
    made = ApiKey.objects.filter(name=name).exists()
    assert made == (key.revoked_at is not None)  # both or neither: one permission
    return made


def _margins() -> PopulationMargins:
    un75 = Consultation.objects.get(slug="un75")
    return result_actions.upload_margins(consultation=un75, name="Census", text=CENSUS)


def _margins_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_margins()))


def _margins_change(role: Role, phase: Phase) -> bool:
    consultation = spare()
    file = SimpleUploadedFile("census.csv", CENSUS.encode())
    form = {"consultation": consultation.pk, "name": "City census", "file": file}
    client_of(role).post("/admin/results/populationmargins/add/", form)
    return PopulationMargins.objects.filter(consultation=consultation).exists()


def _margins_delete(role: Role, phase: Phase) -> bool:
    margins = _margins()
    return deletes(role, admin_url(margins), PopulationMargins, margins.pk)


def _analysis_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(analysed_survey()))


def _analysis_run(role: Role, phase: Phase) -> bool:
    analysis = analysed_survey()
    runs(role, changelist(analysis), "run_again", analysis)
    return Analysis.objects.filter(survey=analysis.survey, status="queued").exists()


def _quote(role: Role) -> Quote:
    quote = Quote.objects.filter(survey=analysed_survey().survey).first()
    assert quote is not None, "the analysis found nothing to quote"
    return quote


def _quote_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_quote(role)))


def _quote_review(role: Role, phase: Phase) -> bool:
    quote = _quote(role)
    runs(role, changelist(quote), "approve", quote)
    quote.refresh_from_db()
    return quote.status == Quote.Status.APPROVED


def _release_view(role: Role, phase: Phase) -> bool:
    survey = survey_in(Phase.OPEN)
    submit_ideas_to(survey)
    result_actions.tally_all()
    return sees(role, change_url(Release.objects.get(survey=survey)))


def _theme_view(role: Role, phase: Phase) -> bool:
    theme = Theme.objects.filter(analysis=analysed_survey(), parent=None).first()
    return sees(role, change_url(theme))


def _theme_change(role: Role, phase: Phase) -> bool:
    theme = Theme.objects.filter(analysis=analysed_survey(), parent=None).first()
    assert theme is not None
    runs(role, changelist(theme), "hide", theme)
    theme.refresh_from_db()
    return theme.hidden


def _offered_text() -> TranslatableText:
    un75 = Consultation.objects.get(slug="un75")
    texts = translation_actions.offer_texts(
        consultation=un75,
        kind="idea",
        texts=[("en", f"More trees, idea {next(_made)}.")],
        languages=["en", "fr"],
    )
    return texts[0]


def _text_view(role: Role, phase: Phase) -> bool:
    return sees(role, change_url(_offered_text()))


def _text_translate(role: Role, phase: Phase) -> bool:
    text = _offered_text()
    client_of(role).post(
        f"/admin/consultations/translatabletext/translate/?scope={text.consultation_id}&language=fr",
        {f"text_{text.pk}": "Plus d'arbres."},
    )
    return text.translations.filter(language="fr").exists()


PROBES: dict[str, Callable[[Role, Phase], bool]] = {
    "consultation.view": _consultation_view,
    "consultation.change": _consultation_change,
    "consultation.delete": _consultation_delete,
    "membership.view": _membership_view,
    "membership.change": _membership_change,
    "membership.delete": _membership_delete,
    "entry.view": _entry_view,
    "apikey.view": _apikey_view,
    "apikey.change": _apikey_change,
    "populationmargins.view": _margins_view,
    "populationmargins.change": _margins_change,
    "populationmargins.delete": _margins_delete,
    "survey.view": _survey_view,
    "survey.change": _survey_change,
    "survey.translate": _survey_translate,
    "survey.publish": _survey_publish,
    "survey.close": _survey_close,
    "survey.delete": _survey_delete,
    "response.view": _response_view,
    "channel.view": _channel_view,
    "channel.change": _channel_change,
    "rapidproflow.view": _rapidproflow_view,
    "rapidproflow.change": _rapidproflow_change,
    "paperbatch.view": _paperbatch_view,
    "paperbatch.change": _paperbatch_change,
    "paperupload.view": _paperupload_view,
    "paperupload.change": _paperupload_change,
    "conversation.view": _conversation_view,
    "conversation.change": _conversation_change,
    "conversation.translate": _conversation_translate,
    "conversation.rotate_secret": _conversation_rotate,
    "conversation.delete": _conversation_delete,
    "statement.view": _statement_view,
    "statement.change": _statement_change,
    "statement.moderate": _statement_moderate,
    "statement.translate": _statement_translate,
    "event.view": _event_view,
    "event.change": _event_change,
    "event.translate": _event_translate,
    "event.form_groups": _event_form_groups,
    "event.start": _event_start,
    "event.export_reports": _event_export,
    "event.delete": _event_delete,
    "registration.view": _registration_view,
    "registration.forget_email": _registration_forget,
    "registration.delete": _registration_delete,
    "dialoguegroup.view": _group_view,
    "dialoguegroup.change": _group_change,
    "groupreport.view": _report_view,
    "groupreport.change": _report_change,
    "analysis.view": _analysis_view,
    "analysis.run": _analysis_run,
    "theme.view": _theme_view,
    "quote.view": _quote_view,
    "quote.review": _quote_review,
    "release.view": _release_view,
    "theme.change": _theme_change,
    "translatabletext.view": _text_view,
    "translatabletext.translate": _text_translate,
}
# The phases an object of each kind can be in (the others have none: always "open").
PHASES = {
    "survey": list(Phase),
    "channel": list(Phase),
    "rapidproflow": list(Phase),
    "paperbatch": [Phase.OPEN, Phase.CLOSED],  # printed once a survey is open
    "paperupload": [Phase.OPEN, Phase.CLOSED],
    "conversation": list(Phase),
    "statement": list(Phase),
    "event": list(Phase),
    "registration": [Phase.OPEN, Phase.CLOSED],  # a draft event takes no sign-ups
    "dialoguegroup": [Phase.OPEN, Phase.CLOSED],
    "groupreport": [Phase.OPEN, Phase.CLOSED],
}
CASES = [
    (action, phase) for action in TABLE for phase in PHASES.get(action.split(".")[0], [Phase.OPEN])
]


def test_every_row_of_the_table_has_a_probe():
    assert set(PROBES) == set(TABLE)


@pytest.mark.parametrize(("action", "phase"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_each_role_may_do_exactly_what_the_table_says(un75, action, phase, settings):
    settings.RATE_REGISTER_PER_EMAIL = settings.RATE_REGISTER_PER_IP = (1000, 3600)
    outcome = {role: PROBES[action](role, phase) for role in Role}
    expected = {role: allows({role}, action, phase) for role in Role}
    assert outcome == expected
