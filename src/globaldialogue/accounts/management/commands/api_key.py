"""globaldialogue api-key create --consultation SLUG --scope SCOPE... --name NAME
globaldialogue api-key revoke PREFIX"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from globaldialogue.accounts import actions
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.consultations.models import Consultation


class Command(BaseCommand):
    help = "Create a partner's API key (its secret printed once, never stored) or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Create a key.")
        create.add_argument("--consultation", default="", help="Bound to this consultation's slug.")
        create.add_argument("--scope", nargs="+", required=True, choices=Scope.values)
        create.add_argument("--name", required=True, help="Partner and purpose.")
        revoke = commands.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "revoke":
            key = ApiKey.objects.filter(prefix=options["prefix"], revoked_at=None).first()
            if key is None:
                raise CommandError(f"No key in use has the prefix {options['prefix']!r}.")
            actions.revoke_api_key(key=key)
            self.stdout.write(f"Revoked {key.prefix} ({key.name}).")
            return
        consultation = None
        if options["consultation"]:
            consultation = Consultation.objects.filter(slug=options["consultation"]).first()
            if consultation is None:
                raise CommandError(f"No consultation {options['consultation']!r}.")
        key, secret = actions.create_api_key(
            name=options["name"], consultation=consultation, scopes=options["scope"]
        )
        self.stdout.write(f"Key {key.prefix} for {key.name}; keep it now, it is not shown again:")
        self.stdout.write(secret)
