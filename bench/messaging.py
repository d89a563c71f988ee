"""Text messages in: how many inbound messages a second the Twilio-compatible webhook takes.

On the embedded database (SQLite in a fresh data folder, as `make demo` runs), in one
process through Django's test client (no network, no server: the view, the signature, the
chat's lock, the survey script, the stored response and the TwiML answer). A crowd of N
phones takes UN75 straight through (the test suite's crowd, all answering): 13 messages each,
one stored response at each chat's end. Baseline in the same run: as many requests to the
JSON API's `POST /api/surveys/un75/responses`, each a whole response (the crowd's answers
under new ids): the same request path without the chat. The ratio compares a message with a
whole web response.

    .venv/bin/python bench/messaging.py [--phones 300]
"""

import argparse
import time
import uuid

from common import embedded_django, machine, save


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=300)
    phones = parser.parse_args().phones
    embedded_django(
        "gd-messaging-",
        GLOBALDIALOGUE_RATE_SUBMIT_IP="0/1",
        GLOBALDIALOGUE_TASKS="immediate",
        ALLOWED_HOSTS="testserver",
    )
    from django.test import Client

    from globaldialogue.messaging import actions
    from globaldialogue.messaging.tests.crowd import Phone, take_part
    from globaldialogue.messaging.tests.phones import TwilioPhone
    from globaldialogue.surveys.definition import definition_for
    from globaldialogue.surveys.demo import load_demo_survey
    from globaldialogue.surveys.models import Response

    survey = load_demo_survey()
    definition = definition_for(survey.current_version)
    channel = actions.add_channel(
        survey=survey,
        provider="twilio",
        number="+254711000075",
        languages=["en"],
        account="AC-bench",
        secret="bench-token",
        api_url="http://127.0.0.1:9",
    )
    client = Client()
    crowd = [Phone(f"+2547{20000000 + i:08d}", "straight", 0) for i in range(phones)]
    messages = 0
    started = time.perf_counter()
    for phone in crowd:
        texting = TwilioPhone(client, channel, phone.number)

        def said(text: str, texting: TwilioPhone = texting) -> str:
            nonlocal messages
            messages += 1
            return texting.said(text)

        take_part(phone, definition, said)
    webhook = time.perf_counter() - started
    stored = Response.objects.filter(channel="sms").count()

    # As many requests as the webhook took, each a whole response (the crowd's answers, new ids).
    started = time.perf_counter()
    for n in range(messages):
        answers = crowd[n % phones].answers
        body = {"id": str(uuid.uuid4()), "language": "en", "answers": answers}
        answer = client.post("/api/surveys/un75/responses", body, content_type="application/json")
        assert answer.status_code == 201, answer.content
    baseline = time.perf_counter() - started

    result = {
        "machine": machine(),
        "database": "SQLite (embedded)",
        "phones": phones,
        "messages": messages,
        "stored_by_sms": stored,
        "webhook_seconds": round(webhook, 2),
        "messages_per_second": round(messages / webhook),
        "responses_per_second_by_sms": round(stored / webhook, 1),
        "baseline_api_seconds": round(baseline, 2),
        "baseline_responses_per_second": round(messages / baseline),
        "message_to_api_response_ratio": round(baseline / webhook, 2),
    }
    save("messaging", result)


if __name__ == "__main__":
    main()
