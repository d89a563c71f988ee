"""globaldialogue grant-role USER ROLE (--organization SLUG | --consultation SLUG) [--revoke]"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from globaldialogue.consultations import actions
from globaldialogue.consultations.models import Consultation, Membership, Organization
from globaldialogue.consultations.permissions import Role


class Command(BaseCommand):
    help = (
        "Give a person a role on an organization (then on all its consultations) or on one "
        "consultation, or take it back with --revoke. Roles: " + ", ".join(Role.values) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        on = parser.add_mutually_exclusive_group(required=True)
        on.add_argument("--organization", help="The organization's slug.")
        on.add_argument("--consultation", help="The consultation's slug.")
        parser.add_argument("--revoke", action="store_true", help="Take the role back.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No one has the user name {options['username']!r}.")
        where = _where(options)
        role = Role(options["role"])
        if options["revoke"]:
            membership = Membership.objects.filter(user=user, role=role, **where).first()
            if membership is None:
                raise CommandError("They do not hold this role there.")
            actions.revoke_role(membership=membership)
            self.stdout.write(f"Revoked: {membership}")
            return
        self.stdout.write(f"Granted: {actions.grant_role(user=user, role=role, **where)}")


def _where(options: dict[str, Any]) -> dict[str, Any]:
    if options["organization"]:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization {options['organization']!r}.")
        return {"organization": organization}
    consultation = Consultation.objects.filter(slug=options["consultation"]).first()
    if consultation is None:
        raise CommandError(f"No consultation {options['consultation']!r}.")
    return {"consultation": consultation}
