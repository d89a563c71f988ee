"""Every write of text-message channels: connecting a channel, taking in what a gateway
posts (each message once, however often it is resent), following up silent chats, sending
and the delivery statuses. A finished chat is stored through surveys.actions, as every
channel's responses are: exactly once, under an id derived from the sender and the survey."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from globaldialogue.audit.actions import record
from globaldialogue.lib.hooks import Hook
from globaldialogue.messaging import phones, segments
from globaldialogue.messaging.gateways import Inbound, SendFailed, Status, gateway_for
from globaldialogue.messaging.models import Channel, Chat, Message, Provider
from globaldialogue.messaging.script import Script, State
from globaldialogue.surveys import actions as survey_actions
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.intake import Submission
from globaldialogue.surveys.models import Response, Survey, SurveyVersion

# After the commit: messages to send (their ids, the number sealed); a chat is open
# (tasks.py subscribes to both in apps.py).
messages_queued = Hook("messaging.messages_queued")
chat_waiting = Hook("messaging.chat_waiting")

# Response ids of text-message chats: uuid5 of this and the survey, version and sender.
RESPONSE_NAMESPACE = uuid.UUID("0f4b7d5e-3c1a-5b8e-9d2f-6a7c8e9b1d3f")
MAX_ATTEMPTS = 5  # a message the gateway keeps refusing for a passing reason, then failed
# WhatsApp's names for template languages, where they differ from ours.
WHATSAPP_LANGUAGES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "pt": "pt_BR"}


class Refused(ValueError):
    """A channel that cannot be set up as asked (said in one sentence)."""


# What an organizer sets on a channel besides its survey, provider and number.
SETTINGS = (
    "languages",
    "account",
    "secret",
    "signing_secret",
    "api_url",
    "template",
    "reminder_minutes",
    "expiry_hours",
    "window_hours",
    "repeat",
    "country_from_number",
    "is_active",
)


def add_channel(*, survey: Survey, provider: str, number: str, **settings: Any) -> Channel:
    """Connect a number (or WhatsApp sender) to a survey."""
    channel = Channel(survey=survey, provider=provider, number=phones.normalize(number))
    return _save(channel, settings, "add_channel")


def update_channel(*, channel: Channel, **settings: Any) -> Channel:
    """Change a channel's settings (its survey, provider and number stay)."""
    return _save(channel, settings, "update_channel")


def _save(channel: Channel, settings: dict[str, Any], action: str) -> Channel:
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError(f"Not a channel setting: {', '.join(sorted(unknown))}")
    for name, value in settings.items():
        setattr(channel, name, list(value) if name == "languages" else value)
    if problem := channel_problem(channel):
        raise Refused(problem)
    with transaction.atomic():
        channel.save()
        summary = {**_said(channel), "active": channel.is_active}
        consultation = channel.survey.consultation
        record(action=action, obj=channel, consultation=consultation, summary=summary)
    return channel


def channel_problem(channel: Channel) -> str:
    """Why a channel cannot be saved as it is, in one sentence ("" when it can)."""
    if channel.provider not in Provider.values:
        return f"Unknown provider {channel.provider!r}: one of {', '.join(Provider.values)}."
    unknown = set(channel.languages) - set(channel.survey.languages)
    if unknown:
        return f"The survey is not offered in {', '.join(sorted(unknown))}."
    if channel.provider in (Provider.TWILIO, Provider.WHATSAPP) and not channel.secret:
        return "This provider signs its webhooks: give its auth token (--auth-token)."
    if channel.provider == Provider.WHATSAPP and not channel.signing_secret:
        return "WhatsApp signs its webhooks with the app secret: give it (--app-secret)."
    if channel.provider == Provider.EXTERNAL and not channel.api_url:
        return "An External channel sends to its send URL: give it (--api-url)."
    taken = Channel.objects.filter(provider=channel.provider, number=channel.number)
    if taken.exclude(pk=channel.pk).exists():
        return f"{channel.number} is already connected on {channel.provider}."
    return ""


def _said(channel: Channel) -> dict[str, Any]:
    return {"survey": channel.survey.slug, "provider": channel.provider, "number": channel.number}


# --- messages in ---------------------------------------------------------------------------


def receive_messages(*, channel: Channel, messages: Sequence[Inbound]) -> list[str]:
    """Take in what the gateway posted; the replies, as texts (for gateways that reply in
    their webhook's answer; the others are sent by the worker after the commit)."""
    replies: list[str] = []
    for inbound in messages:
        replies += _receive(channel, inbound)
    return replies


def _receive(channel: Channel, inbound: Inbound) -> list[str]:
    for attempt in range(2):  # a first message racing another from the same number
        try:
            with transaction.atomic():
                return _take(channel, inbound)
        except IntegrityError:
            if attempt:
                raise
    return []


def _take(channel: Channel, inbound: Inbound) -> list[str]:
    """One message, under the lock of its chat: a resend gets the replies it got before."""
    if inbound.provider_id:
        earlier = Message.objects.filter(
            channel=channel, direction=Message.Direction.IN, provider_id=inbound.provider_id
        ).first()
        if earlier is not None:
            return list(earlier.replies.order_by("pk").values_list("text", flat=True))
    address = phones.normalize(inbound.sender, channel.number)
    chat, replies = _step(channel, address, inbound.text)
    message = Message.objects.create(
        channel=channel,
        chat=chat,
        direction=Message.Direction.IN,
        provider_id=inbound.provider_id[:100],
        text=inbound.text[:2000],
        step=(chat.question or chat.step) if chat else "",
        status=Message.Status.RECEIVED,
        payload=phones.scrub(inbound.payload, inbound.sender, address),
    )
    return _reply(channel, chat, replies, message, address)


def _step(channel: Channel, address: str, text: str) -> tuple[Chat | None, list[str]]:
    """The sender's chat moved on by `text`, and what to answer."""
    sender = phones.sender_hash(address)
    survey = channel.survey
    if survey.status != Survey.Status.PUBLISHED or survey.current_version_id is None:
        with translation.override(survey.languages[0] if survey.languages else "en"):
            return None, [_("This survey is closed and no longer accepts responses.")]
    chat = (
        Chat.objects.select_for_update()
        .filter(channel=channel, sender=sender, ended_at=None)
        .first()
    )
    if chat is not None:
        _attach(chat, channel)
    if chat is None:
        last = Chat.objects.filter(channel=channel, sender=sender).order_by("-round").first()
        if last is not None and _answered(channel, last):
            with translation.override(last.language or "en"):
                return last, [_("You have already answered this survey. Thank you!")]
        chat = _new_chat(channel, sender, address, last)
        script = _script(chat)
        state = State()
        turn = script.begin(state, text)
    else:
        script = _script(chat)
        state = _state(chat)
        turn = script.reply(state, text)
    _keep(chat, state, address)
    if turn.ended:
        return chat, turn.replies + _end(chat, turn.ended)
    chat.save()
    chat_waiting.fire()
    return chat, turn.replies


def _answered(channel: Channel, chat: Chat) -> bool:
    """Whether this number's last chat stored a response this version still counts."""
    current = channel.survey.current_version_id
    return not channel.repeat and chat.response_id is not None and chat.version_id == current


def _attach(chat: Chat, channel: Channel) -> None:
    """The chat's channel and version from what the webhook already read (the lock takes
    the chat's row alone: no join, no extra query for them)."""
    chat.channel = channel
    current = channel.survey.current_version
    if current is not None and chat.version_id == current.pk:
        chat.version = current


def _new_chat(channel: Channel, sender: str, address: str, last: Chat | None) -> Chat:
    return Chat.objects.create(
        channel=channel,
        sender=sender,
        round=last.round + 1 if last else 0,
        country=phones.country_of(address),
        version=channel.survey.current_version,
    )


def _script(chat: Chat) -> Script:
    version = chat.version or chat.channel.survey.current_version
    channel = chat.channel
    return Script(
        definition_for(version), list(channel.languages), chat.country, channel.country_from_number
    )


def _state(chat: Chat) -> State:
    return State(chat.step, chat.language, chat.question, dict(chat.answers), list(chat.asked))


def _keep(chat: Chat, state: State, address: str) -> None:
    chat.step, chat.language, chat.question = state.step, state.language, state.question
    chat.answers, chat.asked = state.answers, state.asked
    chat.last_in_at, chat.reminded_at = timezone.now(), None
    if not chat.sealed_address:
        chat.sealed_address = phones.seal(address)


def _end(chat: Chat, how: str) -> list[str]:
    """A chat ends: done is stored (its thanks said), stopped keeps nothing, expired keeps
    what was answered (a partial response); the sealed number goes either way."""
    said: list[str] = []
    if how in (Chat.Step.DONE, Chat.Step.EXPIRED) and chat.answers:
        said = _store(chat, partial=how == Chat.Step.EXPIRED)
    if how == Chat.Step.STOPPED:
        chat.answers = {}
    chat.step, chat.ended_at, chat.sealed_address = how, timezone.now(), ""
    chat.save()
    return said


def _store(chat: Chat, *, partial: bool) -> list[str]:
    channel = chat.channel
    version: SurveyVersion = chat.version or channel.survey.current_version  # type: ignore[assignment]
    submission = Submission(
        id=_response_id(chat, version),
        language=chat.language,
        answers=chat.answers,
        version=version.number,
        partial=partial,
    )
    with translation.override(chat.language or "en"):
        try:
            [outcome] = survey_actions.submit_responses(
                survey=channel.survey, submissions=[submission], channel=Response.Channel.SMS
            )
        except survey_actions.SurveyClosed as closed:
            return [str(closed)]
        if outcome.status in ("created", "duplicate"):
            chat.response_id = submission.id
            return [
                _("Thank you! Your answers are saved. Your receipt: %(receipt)s")
                % {"receipt": outcome.receipt}
            ]
        problems = [error.message for errors in outcome.errors.values() for error in errors]
        return problems[:1] or [_("Your answers could not be saved.")]


def _response_id(chat: Chat, version: SurveyVersion) -> uuid.UUID:
    """Once per number and survey version; once per round where the organizer allows more."""
    name = f"{chat.channel.survey_id}/{version.number}/{chat.sender}"
    return uuid.uuid5(RESPONSE_NAMESPACE, f"{name}/{chat.round}" if chat.channel.repeat else name)


# --- messages out --------------------------------------------------------------------------


def _reply(
    channel: Channel, chat: Chat | None, texts: list[str], to: Message, address: str
) -> list[str]:
    """Record the replies to `to` (each SMS part a message); those not given in the webhook's
    answer are sent by the worker once this commits."""
    inline = gateway_for(channel).replies_inline
    status = Message.Status.SENT if inline else Message.Status.QUEUED
    made = _outgoing(channel, chat, texts, status, reply_to=to)
    if not inline:
        _send_after_commit(made, address)
    return [message.text for message in made]


def _outgoing(
    channel: Channel,
    chat: Chat | None,
    texts: list[str],
    status: str,
    reply_to: Message | None = None,
) -> list[Message]:
    """The messages out, one per SMS part (WhatsApp takes a text whole), in one insert."""
    splits = gateway_for(channel).splits
    parts = [part for text in texts for part in (segments.split(text) if splits else [text])]
    step = (chat.question or chat.step) if chat else ""
    return Message.objects.bulk_create(
        Message(
            channel=channel,
            chat=chat,
            reply_to=reply_to,
            direction=Message.Direction.OUT,
            text=part,
            step=step,
            status=status,
        )
        for part in parts
    )


def _send_after_commit(messages: list[Message], address: str) -> None:
    if messages:  # the task carries the number only sealed
        messages_queued.fire([message.pk for message in messages], phones.seal(address))


def send_message(*, message: Message, sealed_address: str) -> bool:
    """One attempt at sending a queued message; False to try again later."""
    channel = message.channel
    address = phones.unseal(sealed_address)
    message.attempts += 1
    if not address:
        return _sent(message, Message.Status.FAILED, error="The number can no longer be read.")
    template = _template_language(message) if channel.provider == Provider.WHATSAPP else ""
    try:
        provider_id = gateway_for(channel).send(
            channel, address, message.text, message.pk, template
        )
    except SendFailed as failed:
        again = failed.retry and message.attempts < MAX_ATTEMPTS
        return _sent(
            message, Message.Status.QUEUED if again else Message.Status.FAILED, error=str(failed)
        )
    return _sent(message, Message.Status.SENT, provider_id=provider_id)


def _template_language(message: Message) -> str:
    """Outside WhatsApp's window since the person's last message, only the channel's
    approved template may be sent (in the chat's language): it re-opens the chat."""
    chat = message.chat
    if chat is None:
        return ""
    window = timedelta(hours=message.channel.window_hours)
    if timezone.now() - chat.last_in_at <= window:
        return ""
    language = chat.language or "en"
    return WHATSAPP_LANGUAGES.get(language, language.replace("-", "_"))


def _sent(message: Message, status: str, *, provider_id: str = "", error: str = "") -> bool:
    message.status, message.error, message.updated_at = status, error[:300], timezone.now()
    if provider_id:
        message.provider_id = provider_id[:100]
    message.save(update_fields=["status", "error", "updated_at", "provider_id", "attempts"])
    return status != Message.Status.QUEUED


def record_statuses(*, channel: Channel, statuses: Sequence[Status]) -> int:
    """Delivery reports: a message's status moves forward only (a late "sent" after
    "delivered" changes nothing). The number of messages changed."""
    order: list[str] = ["queued", "sent", "delivered", "failed"]
    changed = 0
    for status in statuses:
        behind = order[: order.index(status.status)]
        changed += Message.objects.filter(
            channel=channel,
            direction=Message.Direction.OUT,
            provider_id=status.provider_id,
            status__in=behind,
        ).update(status=status.status, error=status.error[:300], updated_at=timezone.now())
    return changed


def stop_sender(*, channel: Channel, sender: str) -> bool:
    """The gateway says this number opted out (courier's `stopped`): its open chat ends."""
    address = phones.normalize(sender, channel.number)
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update()
            .filter(channel=channel, sender=phones.sender_hash(address), ended_at=None)
            .first()
        )
        if chat is None:
            return False
        _end(chat, Chat.Step.STOPPED)
    return True


# --- silence -------------------------------------------------------------------------------


def follow_up_chats(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind each chat silent for its channel's reminder time (once), and end those
    silent for its expiry time (what they answered is stored). (reminded, ended)."""
    now = now or timezone.now()
    reminded = ended = 0
    for channel in Channel.objects.filter(is_active=True).select_related("survey"):
        ended += sum(
            _expire(chat.pk, now)
            for chat in _silent(channel, timedelta(hours=channel.expiry_hours), now)
        )
        if channel.reminder_minutes:
            due = _silent(channel, timedelta(minutes=channel.reminder_minutes), now).filter(
                reminded_at=None
            )
            reminded += sum(_remind(chat.pk, now) for chat in due)
    return reminded, ended


def _silent(channel: Channel, for_: timedelta, now: datetime) -> Any:
    return Chat.objects.filter(channel=channel, ended_at=None, last_in_at__lte=now - for_).only(
        "pk"
    )


def _expire(chat_id: int, now: datetime) -> bool:
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update()
            .select_related("channel__survey")
            .filter(pk=chat_id, ended_at=None)
            .first()
        )
        if chat is None:
            return False
        if chat.step == Chat.Step.OTHER:  # an "other" still without its words: not answered
            chat.answers.pop(chat.question, None)
        _end(chat, Chat.Step.EXPIRED)
    return True


def _remind(chat_id: int, now: datetime) -> bool:
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update()
            .select_related("channel__survey")
            .filter(pk=chat_id, ended_at=None, reminded_at=None)
            .first()
        )
        if chat is None or not chat.sealed_address:
            return False
        script = _script(chat)
        with translation.override(chat.language or script.languages[0]):
            text = _("You have not finished. Reply to go on:") + "\n" + script.prompt(_state(chat))
        chat.reminded_at = now
        chat.save(update_fields=["reminded_at"])
        made = _outgoing(chat.channel, chat, [text], Message.Status.QUEUED)
        _send_after_commit(made, phones.unseal(chat.sealed_address))
    return True
