"""Public dialogue pages: the list of events (/d/), an event with its registration form, and
each participant's personal page (their link) with a calendar file. No JS needed."""

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from globaldialogue.dialogues import (
    access,
    actions,
    janus,
    mail,
    media,
    room_actions,
    rules,
    tokens,
    when,
)
from globaldialogue.dialogues.models import DialogueGroup, Event, GroupReport, Registration
from globaldialogue.dialogues.outcome import event_outcome
from globaldialogue.grouping.form import NO_LANGUAGE, NO_ROOM
from globaldialogue.lib.countries import country_names
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.languages import (
    choose_language,
    language_name,
    page_frame,
    page_language,
    reader_languages,
    ui_language,
)
from globaldialogue.lib.ratelimit import client_ip, retry_after
from globaldialogue.lib.translated import pick

# Who joins a group late: those not in the lobby at the start, or never grouped.
NOT_PLACED_YET = ("", actions.NOT_ARRIVED)

# Which form field a refusal belongs to; the others are shown above the form.
FIELD_OF = {
    "name": "display_name",
    "languages": "languages",
    "country": "country",
    "age_group": "age_group",
    "email": "email",
    "rules": "accept_rules",
}


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    offered = [code for code, _name in settings.LANGUAGES]
    language = choose_language(request, offered)
    with translation.override(language):
        events = [_summary(event, language) for event in access.listed_events()]
        reported = [_summary(event, language) for event in access.reported_events()]
        frame = page_frame(request.path, "", language, offered)
        context = {**frame, "events": events, "reported": reported}
        return render(request, "dialogues/list.html", context)


# Anonymous sign-up: a forged cross-site POST could only register someone, which anyone can
# do directly; the personal link is shown only to whoever submitted the form.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.public_event(slug)
    language = page_language(request, event.languages)
    with translation.override(ui_language(language)):
        if request.method == "POST":
            return _register(request, event, language)
        return _event(request, event, language, {})


def _register(request: HttpRequest, event: Event, language: str) -> HttpResponse:
    form = request.POST
    if retry_after("register-ip", client_ip(request), settings.RATE_REGISTER_PER_IP):
        message = _("Too many sign-ups from your network just now; try again later.")
        return _event(request, event, language, {"form": message}, status=429)
    try:
        _registration, token = actions.register(
            event=event,
            display_name=str(form.get("display_name", "")),
            languages=form.getlist("languages"),
            country=str(form.get("country", "")),
            age_group=str(form.get("age_group", "")),
            email=str(form.get("email", "")),
            accepted_rules=form.get("accept_rules") == "yes",
            invitation_code=str(form.get("invite", "")),
            language=language,
        )
    except Refused as refused:
        field = FIELD_OF.get(refused.code, "form")
        return _event(request, event, language, {field: refused.message}, status=422)
    personal = reverse("dialogues:personal", args=[event.slug, token])
    return HttpResponseRedirect(f"{personal}?lang={language}", status=303)


def _event(
    request: HttpRequest, event: Event, language: str, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    context = {
        **page_frame(request.path, event.title_in(language), language, event.languages),
        **_summary(event, language),
        "agenda": event.agenda_in(language),
        "open": _open(event),
        "cancelled": request.GET.get("cancelled") == "1",
        "errors": errors,
        "values": posted or {},
        "chosen_languages": posted.getlist("languages") if posted else [language],
        "language_choices": [(code, language_name(code)) for code in event.languages],
        "countries": country_names(language),
        "age_groups": event.consultation.age_groups_in(language),
        "invite": str((posted or request.GET).get("invite", "")),
    }
    return render(request, "dialogues/event.html", context, status=status)


def _open(event: Event) -> bool:
    return event.status == Event.Status.PUBLISHED and event.starts_at > timezone.now()


def _summary(event: Event, language: str) -> dict[str, Any]:
    return {
        "event": event,
        "title": event.title_in(language),
        "description": pick(event.description, language, event.languages),
        "when": when.when(event.starts_at, event.time_zone),
        "day": when.day(event.starts_at, event.time_zone),
        "starts_iso": event.starts_at.isoformat(),
        "minutes": event.minutes,
        "offered": [language_name(code) for code in event.languages],
    }


@require_http_methods(["GET", "POST"])
@csrf_exempt
def personal_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The participant's own page: what they signed up for, their group once formed, the
    calendar file; POST forget_email deletes their address, POST cancel the registration (on
    their request)."""
    event = access.public_event(slug)
    registration = access.personal_registration(event, token)
    language = page_language(request, event.languages)
    if request.method == "POST" and request.POST.get("forget_email") == "yes":
        actions.forget_email(registration=registration)
        return HttpResponseRedirect(f"{request.path}?lang={language}&forgotten=1", status=303)
    if request.method == "POST" and request.POST.get("cancel") == "yes":
        actions.delete_registration(registration=registration)
        page = reverse("dialogues:event", args=[slug])
        return HttpResponseRedirect(f"{page}?lang={language}&cancelled=1", status=303)
    with translation.override(ui_language(language)):
        group = registration.group
        context = {
            **page_frame(request.path, event.title_in(language), language, event.languages),
            **_summary(event, language),
            "registration": registration,
            "token": token,
            "group_language": language_name(group.language) if group else "",
            "unplaced": _reason(registration.unplaced_reason),
            "forgotten": request.GET.get("forgotten") == "1",
            "lobby_open": actions.lobby_open(event) and event.status == Event.Status.PUBLISHED,
            "unconfirmed": bool(registration.email) and registration.email_confirmed_at is None,
            "from_email": access.from_email(event, token),
            "confirmed": request.GET.get("confirmed") == "1",
            "lapse_hours": settings.REGISTRATION_LAPSE_HOURS,
        }
        return render(request, "dialogues/personal.html", context)


@require_POST
def confirm_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """ "Confirm my place", pressed on the personal page opened from our email: only that
    link proves the address (the sign-up page's link does not)."""
    event = access.public_event(slug)
    registration = access.personal_registration(event, token)
    language = page_language(request, event.languages)
    with translation.override(ui_language(language)):
        if not access.from_email(event, token):
            message = _("Open the link in the email we sent you to confirm your place.")
            return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
        try:
            actions.confirm_email(registration=registration)
        except Refused as refused:
            return HttpResponse(
                refused.message, status=409, content_type="text/plain; charset=utf-8"
            )
    personal = reverse("dialogues:personal", args=[slug, token])
    return HttpResponseRedirect(f"{personal}?lang={language}&confirmed=1", status=303)


def _reason(reason: str) -> str:
    """grouping/ gives its reasons in English for organizers; participants read them in
    their language."""
    if not reason:
        return ""
    if reason == NO_ROOM:
        return _("Every group in your language was full. The organizers can add you by hand.")
    if reason == NO_LANGUAGE:
        return _("You did not choose a language.")
    if reason == actions.NOT_ARRIVED:
        return _("You were not in the lobby when the groups were formed: enter it to join one.")
    return _("Too few registrants share a language with you to make a group this time.")


@require_GET
def calendar_file(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    event = access.public_event(slug)
    registration = access.personal_registration(event, token)
    language = choose_language(request, event.languages)
    personal = request.build_absolute_uri(reverse("dialogues:personal", args=[slug, token]))
    body = mail.calendar_for(registration, language, personal)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_GET
def lobby_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where participants wait for the start (from LOBBY_OPENS before it). At the start the
    groups are settled with those here, and each page moves on to its group's room; late
    arrivals join a group with room. Without JS: a "check again" link; with JS
    (dialogues/lobby.js) the page asks every 10 s for `?part=status` and moves on by itself."""
    event = access.public_event(slug)
    registration = access.personal_registration(event, token)
    language = choose_language(request, event.languages)
    room = _room_after_lobby(event, registration)
    if room is not None:
        url = f"{reverse('dialogues:room', args=[slug, token])}?lang={language}"
        if request.GET.get("part") == "status":
            return JsonResponse({"ready": True, "room": url})
        return HttpResponseRedirect(url, status=303)
    here = access.in_lobby(event)
    if request.GET.get("part") == "status":
        return JsonResponse({"ready": False, "here": here})
    with translation.override(ui_language(language)):
        context = {
            **page_frame(request.path, event.title_in(language), language, event.languages),
            **_summary(event, language),
            "registration": registration,
            "token": token,
            "open": actions.lobby_open(event),
            "opens_at": when.when(event.starts_at - rules.LOBBY_OPENS, event.time_zone),
            "here": here,
            "unplaced": _reason(registration.unplaced_reason) if event.lobby_closed_at else "",
        }
        return render(request, "dialogues/lobby.html", context)


def _room_after_lobby(event: Event, registration: Registration) -> DialogueGroup | None:
    """Check the registrant in; once the groups are settled, their group (joining one late
    if need be). None while they wait, or if the event is not on."""
    if event.status != Event.Status.PUBLISHED or not actions.lobby_open(event):
        return None
    actions.enter_lobby(registration=registration)
    if actions.start_event(event=event):  # groups re-formed just now: read theirs again
        registration.refresh_from_db(fields=["group", "unplaced_reason"])
    if event.lobby_closed_at is None:
        return None
    if registration.group is None and registration.unplaced_reason not in NOT_PLACED_YET:
        return None  # they were here but could not be placed: the lobby says why
    return registration.group or actions.join_late(registration=registration)


@require_GET
def check_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The camera and microphone check before joining: permission, devices, a level meter.
    What is chosen stays in this browser (the room page reads it); nothing is sent."""
    event = access.public_event(slug)
    access.personal_registration(event, token)
    language = choose_language(request, event.languages)
    with translation.override(ui_language(language)):
        context = {
            **page_frame(request.path, event.title_in(language), language, event.languages),
            "event": event,
            "title": _("Check your camera and microphone"),
            "lobby_url": reverse("dialogues:lobby", args=[slug, token]) + f"?lang={language}",
        }
        return render(request, "dialogues/check.html", context)


@require_GET
def room_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The group's room, reached through the lobby (needs JS: WebRTC)."""
    event = access.public_event(slug)
    actions.start_event(event=event)  # the start has passed but nobody checked in yet
    registration = access.personal_registration(event, token)
    language = choose_language(request, event.languages)
    if registration.group is None or event.lobby_closed_at is None:
        lobby = reverse("dialogues:lobby", args=[slug, token])
        return HttpResponseRedirect(f"{lobby}?lang={language}", status=303)
    with translation.override(ui_language(language)):
        if access.removed_from_room(registration):  # no room token, no media credentials
            return _removed(request, event, language, token)
        actions.refresh_media_rooms(event=event)
        context = {
            **page_frame(request.path, event.title_in(language), language, event.languages),
            "event": event,
            "title": event.title_in(language),
            "registration": registration,
            "group": registration.group,
            "room_token": tokens.room_token(registration=registration),
            "media": media.client_settings(registration),
            "is_host": registration.group.host_id == registration.pk,
            "report_url": reverse("dialogues:report", args=[slug, token]),
            "check_url": reverse("dialogues:check", args=[slug, token]) + f"?lang={language}",
            "filed": request.GET.get("filed") == "1",
            **_report_draft(event, registration.group, language),
        }
        return render(request, "dialogues/room.html", context)


def _removed(request: HttpRequest, event: Event, language: str, token: str) -> HttpResponse:
    personal = reverse("dialogues:personal", args=[event.slug, token])
    context = {
        **page_frame(personal, event.title_in(language), language, event.languages),
        "heading": event.title_in(language),
        "message": _("The host has removed you from this room."),
        "link": f"{personal}?lang={language}",
        "link_text": _("Your page for this dialogue"),
    }
    return render(request, "web/problem.html", context, status=403)


IDEA_SLOTS = 3  # empty idea fields the room's form offers at least


def _report_draft(event: Event, group: DialogueGroup, language: str) -> dict[str, Any]:
    """The group's report as filed so far, to fill the room's form: one shared draft."""
    report = GroupReport.objects.filter(group=group).select_related("filed_by").first()
    summaries = report.summaries if report else {}
    ideas = list(report.ideas) if report else []
    blank = {"text": "", "agreement": "most"}
    return {
        "agenda": [
            {**item, "summary": summaries.get(str(item["position"]), "")}
            for item in event.agenda_in(language)
        ],
        "ideas": ideas + [blank] * max(IDEA_SLOTS - len(ideas), 1),
        "report": report,
        "report_when": when.when(report.filed_at, event.time_zone) if report else "",
    }


@csrf_exempt  # the personal link is the credential; see event_page
@require_POST
def report_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The group's report, sent from the room (a plain form post)."""
    event = access.public_event(slug)
    registration = access.personal_registration(event, token)
    if registration.group is None:
        raise Http404("Not in a group")
    form = request.POST
    positions = [str(p) for p in event.agenda.values_list("position", flat=True)]
    ideas = [
        {"text": text, "agreement": form.get(f"agreement-{n}", "")}
        for n, text in enumerate(form.getlist("idea"))
    ]
    language = choose_language(request, event.languages)
    room = reverse("dialogues:room", args=[slug, token])
    with translation.override(ui_language(language)):
        try:
            room_actions.file_report(
                group=registration.group,
                registration=registration,
                summaries={p: str(form.get(f"summary-{p}", "")) for p in positions},
                ideas=ideas,
                message=str(form.get("message", "")),
            )
        except Refused as refused:
            status = REPORT_STATUS.get(refused.code, 422)
            return HttpResponse(refused.message, status=status, content_type="text/plain")
    return HttpResponseRedirect(f"{room}?filed=1", status=303)


REPORT_STATUS = {"removed": 403, "reports_published": 409, "report_closed": 409}


@csrf_exempt  # signed by LiveKit (media.receive_webhook), not a browser form
@require_POST
def livekit_webhook(request: HttpRequest) -> HttpResponse:
    """LiveKit's notices about its rooms: who joined (attendance), and removed members who
    try to come back."""
    if not settings.LIVEKIT_API_SECRET:
        raise Http404("No LiveKit provider")
    try:
        body = request.body.decode()
        notice = media.receive_webhook(body, request.headers.get("Authorization", ""))
    except (media.InvalidWebhook, UnicodeDecodeError):
        return JsonResponse({"detail": "The webhook's signature does not match."}, status=401)
    outcome = room_actions.take_media_event(
        kind=notice.event, room=notice.room.name, identity=notice.participant.identity
    )
    return JsonResponse({"outcome": outcome})


@require_GET
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    """What the groups said, once the organizers publish it (Event.reports_public)."""
    event = access.reported_event(slug)
    language = choose_language(request, event.languages)
    with translation.override(ui_language(language)):
        languages = reader_languages(request, language, event.languages)
        outcome = event_outcome(event, language, languages)
        labels = {
            "most": _("Most of the group agreed"),
            "some": _("Some of the group agreed"),
            "few": _("Few in the group agreed"),
        }
        context = {
            **page_frame(request.path, event.title_in(language), language, event.languages),
            **_summary(event, language),
            **outcome,
            "levels": [(labels[level], found) for level, found in outcome["ideas"].items()],
        }
        return render(request, "dialogues/results.html", context)


@csrf_exempt  # Janus' event handler, with the password of deploy/janus/, not a browser form
@require_POST
def janus_events(request: HttpRequest) -> HttpResponse:
    """Janus' events (its sample event handler, in batches): who starts and stops talking
    in each group's room, measured from the audio, for the facilitator's talk balance."""
    secret = settings.JANUS_EVENTS_SECRET
    if not secret:
        raise Http404("No Janus event handler")
    if not janus.events_authorized(request.headers.get("Authorization", ""), secret):
        return JsonResponse({"detail": "Wrong or missing password."}, status=401)
    try:
        events = janus.talking_events(json.loads(request.body))
    except ValueError:
        return JsonResponse({"detail": "The body is not Janus events in JSON."}, status=400)
    for talk in events:
        room_actions.take_talking(
            group_id=talk.room, member=talk.member, talking=talk.talking, at=talk.at
        )
    return HttpResponse(status=204)
