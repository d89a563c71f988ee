"""The one-minute survey by text message through a Twilio-compatible webhook: Amina takes
UN75 from Jordan, message by message (wrong replies, "other", SKIP, BACK, her country from
her number), and her answers are stored once with channel `sms`; a resent webhook changes
nothing; Pierre stops in French; Li Wei goes silent, is reminded once, and what he answered
is kept when his chat expires."""

import csv
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from globaldialogue.messaging import actions
from globaldialogue.messaging.models import Chat, Message
from globaldialogue.messaging.phones import sender_hash as phones_hash_of
from globaldialogue.messaging.tests.crowd import crowd, expected, take_part
from globaldialogue.messaging.tests.phones import TwilioPhone
from globaldialogue.messaging.tests.providers import Provider
from globaldialogue.surveys.actions import record_survey_edit
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

AMINA = "+962790123456"  # Jordan
PIERRE = "+33612345678"
LI_WEI = "+8613812345678"


@pytest.fixture
def provider() -> Any:
    server = Provider().start()
    yield server
    server.stop()


@pytest.fixture
def follow_up(django_capture_on_commit_callbacks: Any) -> Any:
    """The follow-up sweep at a time to come, with what it queues sent as after a commit."""

    def run(after: timedelta) -> tuple[int, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.follow_up_chats(now=timezone.now() + after)

    return run


@pytest.fixture
def twilio(un75: Survey, provider: Provider) -> Any:
    return actions.add_channel(
        survey=un75,
        provider="twilio",
        number="+12025550175",
        languages=["en", "fr", "zh-hans", "ar"],
        account=provider.account,
        secret=provider.secret,
        api_url=provider.url,
    )


def test_amina_answers_un75_by_text_message_and_it_is_stored_once(twilio: Any) -> None:
    amina = TwilioPhone(Client(), twilio, AMINA)
    menu = amina.send("Hello")
    assert menu == ["1 English\n2 Français\n3 中文\n4 العربية\n(1-4)"]
    [consent] = amina.send("1")
    assert "11 questions" in consent and "Reply 1 to begin" in consent and "STOP" in consent
    first = "\n".join(amina.send("1"))
    assert first.startswith("In 2045") and "\n1 Better off" in first
    assert amina.send("7")[0] == "Reply with a number from 1 to 3."  # and the question again
    assert amina.send("1")[0].startswith("What would you most like the world")
    assert amina.send("2 5 11") == ["Please say what you mean by “other”."]
    assert amina.send("Clean oceans")[0].startswith("Which global trends")
    assert amina.send("skip")[0].startswith("How important is it")
    assert amina.send("BACK")[0].startswith("Which global trends")  # trends asked again
    assert amina.send("1 3")[0].startswith("How important is it")
    amina.send("5")  # cooperation: essential
    amina.send("1")  # covid_views: more
    assert amina.send("Listen to young people")[0].startswith("Your age")
    amina.send("2")  # age_group
    country = "\n".join(amina.send("SKIP"))  # gender, skipped
    assert "\n1 Jordan\n" in country and "Reply 1, or your country's name." in country
    amina.send("1")  # Jordan, from her number's prefix
    amina.send("university or college")  # education, by its label
    [thanks] = amina.send("2")  # disability: no, the last question
    assert thanks.startswith("Thank you! Your answers are saved. Your receipt: ")
    response = Response.objects.get()
    assert response.channel == "sms" and response.language == "en"
    assert response.answers == {
        "future_outlook": "better",
        "world_2045": [
            "less_conflict",
            "less_discrimination",
            {"option": "other", "text": "Clean oceans"},
        ],
        "trends": ["climate", "health"],
        "cooperation": "essential",
        "covid_views": "more",
        "advice": "Listen to young people",
        "age_group": "16_30",
        "country": "JO",
        "education": "tertiary",
        "disability": "no",
    }
    assert thanks.endswith(response.receipt)
    # Twilio calls again with the same message (its webhook timed out): the same answer.
    assert amina.resend() == [thanks]
    # She texts again: once per survey version.
    assert amina.send("Hi") == ["You have already answered this survey. Thank you!"]
    assert Response.objects.count() == 1
    chat = Chat.objects.get(round=0)
    assert chat.sealed_address == "" and chat.step == "done"  # her number is gone
    kept = [Chat.objects.values(), Response.objects.values(), Message.objects.values()]
    assert AMINA[1:] not in str([list(rows) for rows in kept])  # only its keyed hash


def test_a_question_too_long_for_one_sms_comes_in_parts_on_word_boundaries(
    twilio: Any,
) -> None:
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    li_wei.send("中文")  # a language named in the first message is taken at once
    parts = li_wei.send("1")
    assert len(parts) > 1 and all(len(part) <= 70 for part in parts)  # Chinese: 70 a part
    assert "\n1 " in "\n".join(parts)


def test_pierre_stops_in_french_and_nothing_he_answered_is_kept(twilio: Any) -> None:
    pierre = TwilioPhone(Client(), twilio, PIERRE)
    pierre.send("Bonjour")
    consent = "\n".join(pierre.send("2"))
    assert "ARRET" in consent  # the stop word in French
    pierre.send("1")
    pierre.send("1")
    [said] = pierre.send("Arrêt")
    assert (
        said
        == "Vous ne recevrez plus de messages. Rien de ce que vous avez répondu n'est conservé."
    )
    assert Response.objects.count() == 0
    chat = Chat.objects.get()
    assert chat.step == "stopped" and chat.answers == {} and chat.sealed_address == ""
    # Texting again later starts anew (nothing was stored).
    assert pierre.send("Bonjour")[0].startswith("1 English")


def test_li_wei_goes_silent_is_reminded_once_and_his_answers_are_kept(
    twilio: Any, provider: Provider, follow_up: Any
) -> None:
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    li_wei.send("1")  # English (a number alone names a language too)
    li_wei.send("1")
    li_wei.send("3")  # future_outlook: worse
    li_wei.send("4")  # world_2045: environment
    assert follow_up(timedelta(minutes=61)) == (1, 0)
    assert {sent.to for sent in provider.sent} == {LI_WEI}  # in parts, a message each
    reminder = "\n".join(sent.text for sent in provider.sent)
    assert reminder.startswith("You have not finished. Reply to go on:\nWhich global trends")
    assert follow_up(timedelta(minutes=122)) == (0, 0)  # once only
    reminders = Message.objects.filter(direction="out", reply_to=None)
    assert {m.status for m in reminders} == {"sent"} and all(m.provider_id for m in reminders)
    assert follow_up(timedelta(hours=25)) == (0, 1)
    response = Response.objects.get()
    assert response.answers == {"future_outlook": "worse", "world_2045": ["environment"]}
    assert response.channel == "sms"
    assert Chat.objects.get().step == "expired"
    assert li_wei.send("Hello") == ["You have already answered this survey. Thank you!"]


def test_a_resent_message_is_taken_once_and_bad_webhooks_are_refused(twilio: Any) -> None:
    amina = TwilioPhone(Client(), twilio, AMINA)
    amina.send("1")
    first = amina.send("1", sid="SM-consent")
    assert amina.send("1", sid="SM-consent") == first  # Twilio's retry: nothing moves on
    assert Chat.objects.get().question == "future_outlook"
    assert Message.objects.filter(direction="in").count() == 2
    form = dict(amina.last_form, Body="2")
    assert amina.raw(form, signature="forged").status_code == 403
    wrong_url = Client().post(f"/messaging/{twilio.uuid}/nowhere", form)
    assert wrong_url.status_code == 403  # not signed for that address either
    missing = {"Body": "1"}
    assert amina.raw(missing).status_code == 400
    assert Client().post("/messaging/not-a-channel/receive", form).status_code == 404
    assert Chat.objects.get().question == "future_outlook"


def test_statuses_move_a_message_forward_only(twilio: Any, follow_up: Any) -> None:
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    li_wei.send("1")
    follow_up(timedelta(minutes=61))
    message = Message.objects.filter(direction="out", reply_to=None).first()
    assert message is not None
    status = {"MessageSid": message.provider_id, "MessageStatus": "delivered", "AccountSid": "x"}
    path = f"/messaging/{twilio.uuid}/status"
    from globaldialogue.messaging.tests.phones import twilio_signature

    def post(form: dict[str, str]) -> int:
        signature = twilio_signature(twilio.secret, "http://testserver" + path, form)
        return Client().post(path, form, HTTP_X_TWILIO_SIGNATURE=signature).status_code

    assert post(status) == 200
    assert post(dict(status, MessageStatus="sent")) == 200  # late: stays delivered
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_gateway_failing_for_a_while_gets_the_message_later(
    twilio: Any, provider: Provider, follow_up: Any
) -> None:
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    li_wei.send("1")
    provider.failures = 2
    follow_up(timedelta(minutes=61))
    first, *rest = Message.objects.filter(direction="out", reply_to=None).order_by("pk")
    assert first.status == "sent" and first.attempts == 3  # after two 503s
    assert [m.status for m in rest] == ["sent"] * len(rest)
    assert len(provider.sent) == 1 + len(rest)
    provider.failures = 100
    li_wei.send("1")
    follow_up(timedelta(minutes=61))
    failed = Message.objects.filter(direction="out", reply_to=None).exclude(
        pk__lte=rest[-1].pk if rest else first.pk
    )
    assert failed and {(m.status, m.attempts, m.error) for m in failed} == {
        ("failed", actions.MAX_ATTEMPTS, "HTTP 503")
    }


def add_twilio(*more: str) -> None:
    call_command("sms_channel", "add", "--survey", "un75", "--provider", "twilio", *more)


def test_an_operator_connects_a_number_from_the_command_line(un75: Survey, capsys: Any) -> None:
    add_twilio("--number", "+1 202 555 0199", "--auth-token", "t0ken", "--account", "AC1")
    said = capsys.readouterr().out
    channel = un75.text_channels.get()
    assert channel.number == "+12025550199"
    assert f"Webhook: http://127.0.0.1:8000/messaging/{channel.uuid}/receive" in said
    assert "TwiML" in said
    with pytest.raises(CommandError, match="already connected"):
        add_twilio("--number", "+12025550199", "--auth-token", "t")
    with pytest.raises(CommandError, match="auth token"):
        add_twilio("--number", "+12025550100")
    call_command(
        "api_key",
        "create",
        "--consultation",
        "un75",
        "--scope",
        "responses",
        "odk",
        "--name",
        "U-Report",
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Key ") and lines[1].startswith("gd_")


def test_a_crowd_of_a_thousand_phones_is_stored_exactly_as_it_answered(
    un75: Survey, provider: Provider, follow_up: Any, tmp_path: Any
) -> None:
    """Straight through, nonsense first, paused and resumed after the reminder, stopped,
    or silent until the chat expires: exactly the finished and the partial responses."""
    channel = actions.add_channel(
        survey=un75,
        provider="twilio",
        number="+254711000075",
        languages=["en"],
        account=provider.account,
        secret=provider.secret,
        api_url=provider.url,
    )
    definition = definition_for(un75.current_version)
    phones = crowd(1000)
    client = Client()
    for phone in phones:
        texting = TwilioPhone(client, channel, phone.number)
        take_part(phone, definition, texting.said)
    paused = [p for p in phones if p.habit == "pause"]
    assert follow_up(timedelta(minutes=61))[0] == len(paused) + sum(
        p.habit == "silent" for p in phones
    )
    reminders: dict[str, list[str]] = {}
    for sent in provider.sent:
        reminders.setdefault(sent.to, []).append(sent.text)
    for phone in paused:
        texting = TwilioPhone(client, channel, phone.number)
        take_part(
            phone,
            definition,
            texting.said,
            "\n".join(reminders[phone.number]),
        )
    follow_up(timedelta(hours=25))
    stored = {
        chat.sender: response.answers
        for chat in Chat.objects.exclude(response_id=None)
        for response in [Response.objects.get(pk=chat.response_id)]
    }
    wanted = {phones_hash_of(number): answers for number, answers in expected(phones).items()}
    assert stored == wanted
    assert Response.objects.count() == len(wanted)
    # In the organizers' export, each once, on the `sms` channel.
    call_command("export_responses", "--survey", "un75", "--output", str(tmp_path / "out.csv"))
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert len(rows) == len({row["id"] for row in rows}) == len(wanted)
    assert {row["channel"] for row in rows} == {"sms"}
    assert Chat.objects.filter(ended_at=None).count() == 0


def test_the_country_comes_from_olenas_number_where_the_organizer_says_so(twilio: Any) -> None:
    twilio.country_from_number = True
    twilio.save()
    olena = TwilioPhone(Client(), twilio, "+380501234567")  # Ukraine
    olena.send("English")
    olena.send("1")
    said = [olena.send("1")]  # future_outlook: better
    while not said[-1][0].startswith("Thank you"):
        said.append(olena.send("SKIP"))
    assert not any("Country where you live" in part for parts in said for part in parts)
    assert Response.objects.get().answers == {"future_outlook": "better", "country": "UA"}


def test_where_the_organizer_allows_it_a_number_answers_again(twilio: Any) -> None:
    twilio.repeat = True
    twilio.save()
    amina = TwilioPhone(Client(), twilio, AMINA)
    for _round in range(2):
        amina.send("English")
        amina.send("1")
        amina.send("1")  # future_outlook: better
        said = amina.send("SKIP")
        while not said[0].startswith("Thank you"):
            said = amina.send("SKIP")
    assert Response.objects.count() == 2 and Chat.objects.count() == 2


def test_a_silent_chat_is_kept_without_the_required_questions_it_never_reached(
    un75: Survey, twilio: Any, follow_up: Any
) -> None:
    country = un75.questions.get(key="country")
    country.required = True
    country.save(update_fields=["required"])
    record_survey_edit(survey=un75)
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    for text in ("English", "1", "3", "SKIP"):  # consent, future_outlook, world_2045 skipped
        li_wei.send(text)
    assert follow_up(timedelta(hours=25)) == (0, 1)
    assert Response.objects.get().answers == {"future_outlook": "worse"}


def test_stop_as_a_first_message_opens_no_chat(twilio: Any) -> None:
    said = TwilioPhone(Client(), twilio, PIERRE).send("STOP")
    assert said == ["You will get no more messages. Nothing you answered is kept."]
    assert not Chat.objects.filter(ended_at=None).exists()


def test_a_silent_chat_with_fewer_answers_than_the_survey_needs_is_not_kept(
    un75: Survey, twilio: Any, follow_up: Any
) -> None:
    un75.min_answers = 2
    un75.save(update_fields=["min_answers"])
    record_survey_edit(survey=un75)
    country = un75.questions.get(key="country")
    country.required = True
    country.save(update_fields=["required"])
    record_survey_edit(survey=un75)
    li_wei = TwilioPhone(Client(), twilio, LI_WEI)
    for text in ("English", "1", "3"):  # consent, future_outlook, then silence
        li_wei.send(text)
    assert follow_up(timedelta(hours=25)) == (0, 1)
    assert Response.objects.count() == 0
