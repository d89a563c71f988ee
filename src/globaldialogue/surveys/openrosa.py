"""Each consultation as an OpenRosa 1.0 server, for ODK Collect, KoboCollect and Enketo:

- GET  /openrosa/{consultation}/formList           its open surveys (formID, version, md5 hash)
- GET  /openrosa/{consultation}/forms/{survey}.xml  a survey's current version as an XForm
- HEAD /openrosa/{consultation}/submission          204, with the largest body we take
- POST /openrosa/{consultation}/submission          multipart, `xml_submission_file`

A submission is mapped to answers and goes through the same checks and store as every
channel (actions.submit_responses, channel "odk"), against the version its form names. Its
`instanceID` is the response id: 201 the first time, 202 for a resend of the same content
(counted once), 409 for other content under the same id, 400 for answers refused (the
message says which, in the survey's language). Every reply says `X-OpenRosa-Version: 1.0`.

Enumerators sign in with HTTP Basic over HTTPS (username: their key's prefix; password:
their key, an API key with the "odk" scope): their forms carry the key and have the key's
own rate limit. A survey that takes no anonymous ODK forms answers 401 with a challenge, at
the HEAD Collect sends first, so Collect asks for the account before sending anything.
"""

import uuid
from typing import Any

from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from globaldialogue.accounts.access import api_key_from_basic, key_actor
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.audit.context import set_actor
from globaldialogue.consultations.access import public_consultation
from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.languages import ui_language
from globaldialogue.lib.ratelimit import client_ip, retry_after
from globaldialogue.surveys import access, actions
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.xform import OTHER_SUFFIX, xform_for

FORM_LIST = "http://openrosa.org/xforms/xformsList"
RESPONSE = "http://openrosa.org/http/response"
MAX_SUBMISSION = 10_000_000  # bytes: text answers only, no media


def _reply(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def _message(text: str, status: int) -> HttpResponse:
    nature = "submit_success" if status < 300 else "error"
    body = f'<OpenRosaResponse xmlns="{RESPONSE}"><message nature="{nature}">{escape(text)}'
    return _reply(
        f'<?xml version="1.0" encoding="UTF-8"?>{body}</message></OpenRosaResponse>', status
    )


def _open_surveys(consultation: str | Consultation) -> list[Survey]:
    if isinstance(consultation, str):
        consultation = public_consultation(consultation)
    found = access.public_surveys(consultation)
    return [survey for survey in found if survey.status == Survey.Status.PUBLISHED]


@require_GET
def form_list(request: HttpRequest, consultation: str) -> HttpResponse:
    items = "".join(_form_item(request, consultation, s) for s in _open_surveys(consultation))
    return _reply(
        f'<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="{FORM_LIST}">{items}</xforms>'
    )


def _form_item(request: HttpRequest, consultation: str, survey: Survey) -> str:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    form = xform_for(definition, survey.slug)
    url = request.build_absolute_uri(reverse("openrosa:form", args=[consultation, survey.slug]))
    fields = {
        "formID": survey.slug,
        "name": definition.title_in(definition.languages[0]),
        "version": form.version,
        "hash": form.md5,
        "downloadUrl": url,
    }
    return "<xform>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items()) + "</xform>"


@require_GET
def form_download(request: HttpRequest, consultation: str, slug: str) -> HttpResponse:
    survey = next((s for s in _open_surveys(consultation) if s.slug == slug), None)
    if survey is None or survey.current_version is None:
        return _message(_("There is no such form."), 404)
    return _reply(xform_for(definition_for(survey.current_version), survey.slug).xml)


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest, consultation: str) -> HttpResponse:
    found = public_consultation(consultation)
    surveys = _open_surveys(found)
    try:
        enumerator = _enumerator(request, found)
    except WrongAccount:
        return _challenge(consultation, _("The username or password is not right."))
    if request.method == "HEAD":  # Collect asks for an account here when one is needed
        if enumerator is None and not all(s.odk_anonymous for s in surveys):
            return _challenge(consultation, _("Sign in with your enumerator's account."))
        reply = _reply("", status=204)
        reply["X-OpenRosa-Accept-Content-Length"] = str(MAX_SUBMISSION)
        return reply
    if wait := _limited(request, enumerator):
        reply = _message(_("Too many submissions; try again in a minute."), 429)
        reply["Retry-After"] = str(wait)
        return reply
    upload = request.FILES.get("xml_submission_file")
    if upload is None or (upload.size or 0) > MAX_SUBMISSION:
        return _message(_("Send the form's answers as xml_submission_file."), 400)
    try:
        root = ElementTree.fromstring(upload.read())
    except (ElementTree.ParseError, DefusedXmlException):  # entities and DTDs refused too
        return _message(_("The submission is not readable XML."), 400)
    survey = next((s for s in surveys if s.slug == root.get("id")), None)
    if survey is None:
        return _message(_("This form is not open for submissions here."), 404)
    if enumerator is None and not survey.odk_anonymous:
        return _challenge(consultation, _("Sign in with your enumerator's account."))
    return _submit(survey, root, enumerator)


class WrongAccount(Exception):
    """A wrong or revoked key, one without the "odk" scope or for another consultation, or
    any sent over plain HTTP."""


def _enumerator(request: HttpRequest, consultation: Consultation) -> ApiKey | None:
    """The enumerator's key the request signs in with; None without an Authorization
    header (WrongAccount for one that does not let it in)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    key = api_key_from_basic(header, secure=request.is_secure())
    if key is None or not key.allows(Scope.ODK, consultation.pk):
        raise WrongAccount
    set_actor(key_actor(key))
    return key


def _limited(request: HttpRequest, enumerator: ApiKey | None) -> int | None:
    """Seconds to wait: an enumerator's account has its own limit, anyone else their
    network's, as on the web form."""
    if enumerator is not None:
        return retry_after("odk-key", str(enumerator.pk), settings.RATE_ODK_PER_KEY)
    return retry_after("odk-ip", client_ip(request), settings.RATE_SUBMIT_PER_IP)


def _challenge(consultation: str, text: str) -> HttpResponse:
    reply = _message(text, 401)
    reply["WWW-Authenticate"] = f'Basic realm="{consultation}", charset="UTF-8"'
    return reply


def _submit(survey: Survey, root: Any, enumerator: ApiKey | None) -> HttpResponse:
    number = root.get("version") or ""
    definition = access.answered_definition(survey, int(number) if number.isdigit() else None)
    submission = actions.Submission(
        id=_instance_id(root),
        language=definition.languages[0],
        answers=_answers(definition, root),
        version=definition.number,
    )
    with translation.override(ui_language(definition.languages[0])):
        try:
            outcome = actions.submit_response(
                survey=survey, submission=submission, channel="odk", api_key=enumerator
            )
        except actions.SurveyClosed as closed:  # closed since we looked it up
            return _message(str(closed), 409)
        return _outcome_reply(outcome)


def _outcome_reply(outcome: actions.Outcome) -> HttpResponse:
    if outcome.status == "created":
        return _message(_("Thank you: your response was received."), 201)
    if outcome.status == "duplicate":
        return _message(_("This response was received already; it counts once."), 202)
    if outcome.status == "conflict":
        return _message(_("A different response was already stored with this id."), 409)
    problems = "; ".join(
        f"{key}: {error.message}" for key, errors in outcome.errors.items() for error in errors
    )
    return _message(_("The response has errors; nothing was stored.") + " " + problems, 400)


def _instance_id(root: Any) -> str:
    """The form's instanceID ("uuid:..."), or "" (then refused as an invalid id)."""
    found = root.find("meta/instanceID")
    text = (found.text or "").strip() if found is not None else ""
    try:
        return str(uuid.UUID(text.removeprefix("uuid:")))
    except ValueError:
        return text


def _answers(definition: Definition, root: Any) -> dict[str, Any]:
    """Each question's element as the API's answer: a list for several choices, an "other"
    choice with the text of its `{key}__other` element."""
    answers: dict[str, Any] = {}
    for question in definition.questions:
        text = _text(root, question.key)
        if text:
            answers[question.key] = _answer(
                question, text, _text(root, question.key + OTHER_SUFFIX)
            )
    return answers


def _text(root: Any, name: str) -> str:
    element = root.find(name)
    return (element.text or "").strip() if element is not None else ""


def _answer(question: QuestionDef, text: str, other: str) -> Any:
    def one(key: str) -> Any:
        option = question.options_by_key.get(key)
        return {"option": key, "text": other} if option is not None and option.is_other else key

    if question.type == "multiple":
        return [one(key) for key in text.split()]
    return one(text) if question.is_choice else text
