"""globaldialogue sms-channel add --survey SLUG --provider P --number N [--auth-token T] ...
globaldialogue sms-channel list [--survey SLUG]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from globaldialogue.messaging import actions
from globaldialogue.messaging.access import webhook_url
from globaldialogue.messaging.models import Channel, Provider
from globaldialogue.surveys.models import Survey


class Command(BaseCommand):
    help = "Connect a number (or WhatsApp sender) to a survey, and print its webhook URL."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        add = commands.add_parser("add", help="Connect a channel.")
        add.add_argument("--survey", required=True, help="The survey's slug.")
        add.add_argument("--provider", required=True, choices=Provider.values)
        add.add_argument("--number", required=True, help="The number people text, E.164.")
        add.add_argument(
            "--auth-token",
            default="",
            help="Twilio auth token, Africa's Talking API key, WhatsApp access token, "
            "External token.",
        )
        add.add_argument(
            "--account",
            default="",
            help="Twilio account SID, Africa's Talking username, WhatsApp phone number id.",
        )
        add.add_argument(
            "--app-secret",
            default="",
            help="WhatsApp: the app secret its webhooks are signed with.",
        )
        add.add_argument(
            "--api-url", default="", help="Where messages are sent (External: courier's send URL)."
        )
        add.add_argument(
            "--language",
            action="append",
            default=[],
            help="A language offered (repeat; default: all).",
        )
        add.add_argument(
            "--template", default="", help="WhatsApp: the approved template that re-opens a chat."
        )
        listing = commands.add_parser("list", help="The channels and their webhook URLs.")
        listing.add_argument("--survey", default="", help="Only this survey's.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "list":
            channels = Channel.objects.select_related("survey").order_by("pk")
            if options["survey"]:
                channels = channels.filter(survey__slug=options["survey"])
            for channel in channels:
                self.stdout.write(f"{channel.survey.slug}\t{channel}\t{webhook_url(channel)}")
            return
        survey = Survey.objects.filter(slug=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey {options['survey']!r}.")
        try:
            channel = actions.add_channel(
                survey=survey,
                provider=options["provider"],
                number=options["number"],
                languages=options["language"],
                account=options["account"],
                secret=options["auth_token"],
                signing_secret=options["app_secret"],
                api_url=options["api_url"],
                template=options["template"],
            )
        except actions.Refused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Connected {channel} to {survey.slug}.")
        self.stdout.write(f"Webhook: {webhook_url(channel)}")
        for line in _more(channel):
            self.stdout.write(line)


def _more(channel: Channel) -> list[str]:
    if channel.provider == Provider.TWILIO:
        return [
            f"Status callback: {webhook_url(channel, 'status')}",
            "Twilio's answer is TwiML <Response><Message>, given in the webhook's answer.",
        ]
    if channel.provider == Provider.AFRICASTALKING:
        return [f"Delivery reports: {webhook_url(channel, 'status')}"]
    if channel.provider == Provider.WHATSAPP:
        return [f"Verify token: {channel.uuid}"]
    base = webhook_url(channel, "")
    return [
        f"Statuses: {base}sent?id=, {base}delivered?id=, {base}failed?id=; opt-outs: {base}stopped"
    ]
