"""Who may do what in the back office: one table, for each role, phase and action.

A person holds roles on an organization (then on each of its consultations) or on one
consultation. An action is "<subject>.<verb>"; its row names the roles that may do it and
in which phases of the object acted on (a draft survey, an open conversation, an event
that has ended). Nothing else decides: the admin (querysets, pages, actions), the back
office's forms and the tests all read this table, and a test plays it whole against
real requests. Operators (superusers) stand outside it. Partners act through their keys'
scopes (accounts.models.Scope), which the API checks.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner: everything, and who holds which role"
    ORGANIZER = "organizer", "Organizer: builds, opens and closes; sees personal data"
    MODERATOR = "moderator", "Moderator: accepts and rejects statements"
    TRANSLATOR = "translator", "Translator: edits the texts in each language"
    FACILITATOR = "facilitator", "Facilitator: runs dialogue events and their groups"
    ANALYST = "analyst", "Analyst: responses, themes, population margins, exports"
    VIEWER = "viewer", "Viewer: sees, changes nothing"


class Phase(StrEnum):
    DRAFT = "draft"  # not yet public
    OPEN = "open"  # taking part
    CLOSED = "closed"  # ended: results only


OWNER, ORGANIZER, MODERATOR, TRANSLATOR, FACILITATOR, ANALYST, VIEWER = Role
ANY = frozenset(Phase)
UNTIL_CLOSED = frozenset({Phase.DRAFT, Phase.OPEN})
DRAFT_ONLY = frozenset({Phase.DRAFT})
OPEN_ONLY = frozenset({Phase.OPEN})
EVERYONE = tuple(Role)
RUNS = (OWNER, ORGANIZER)  # who runs the consultation


def _grant(phases: frozenset[Phase], *roles: Role) -> dict[Role, frozenset[Phase]]:
    return dict.fromkeys(roles, phases)


TABLE: dict[str, dict[Role, frozenset[Phase]]] = {
    # the consultation itself, its people, keys and trail
    "consultation.view": _grant(ANY, *EVERYONE),
    "consultation.change": _grant(ANY, *RUNS),
    "consultation.delete": _grant(ANY, OWNER),
    "membership.view": _grant(ANY, *RUNS),
    "membership.change": _grant(ANY, OWNER),
    "membership.delete": _grant(ANY, OWNER),
    "entry.view": _grant(ANY, *RUNS),
    "apikey.view": _grant(ANY, *RUNS),
    "apikey.change": _grant(ANY, *RUNS),
    "populationmargins.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "populationmargins.change": _grant(ANY, *RUNS, ANALYST),
    "populationmargins.delete": _grant(ANY, *RUNS, ANALYST),
    # surveys and their responses
    "survey.view": _grant(ANY, *EVERYONE),
    "survey.change": _grant(UNTIL_CLOSED, *RUNS),
    "survey.translate": _grant(UNTIL_CLOSED, *RUNS, TRANSLATOR),
    "survey.publish": _grant(UNTIL_CLOSED, *RUNS),
    "survey.close": _grant(OPEN_ONLY, *RUNS),
    "survey.delete": _grant(DRAFT_ONLY, *RUNS),
    "response.view": _grant(ANY, *RUNS, ANALYST),
    # text channels (SMS gateways, WhatsApp): their settings and delivery figures
    "channel.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "channel.change": _grant(UNTIL_CLOSED, *RUNS),  # secrets are written, never shown
    "rapidproflow.view": _grant(ANY, *RUNS, ANALYST, VIEWER),  # a partner's flow, its runs
    "rapidproflow.change": _grant(UNTIL_CLOSED, *RUNS),  # its token, its result mapping
    # paper forms: batches printed (serial numbers) and uploads of typed-in answers
    "paperbatch.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "paperbatch.change": _grant(OPEN_ONLY, *RUNS),  # print the next serial numbers
    "paperupload.view": _grant(ANY, *RUNS, ANALYST),  # typed answers: response data
    "paperupload.change": _grant(OPEN_ONLY, *RUNS),  # store, correct, discard
    # conversations and their statements
    "conversation.view": _grant(ANY, *EVERYONE),
    "conversation.change": _grant(ANY, *RUNS),
    "conversation.translate": {**_grant(ANY, *RUNS), **_grant(UNTIL_CLOSED, TRANSLATOR)},
    "conversation.rotate_secret": _grant(UNTIL_CLOSED, *RUNS),
    "conversation.delete": _grant(DRAFT_ONLY, *RUNS),
    "statement.view": _grant(ANY, *RUNS, MODERATOR, TRANSLATOR, ANALYST, VIEWER),
    "statement.change": _grant(UNTIL_CLOSED, *RUNS),  # seed statements, the organizers' own
    "statement.moderate": _grant(ANY, *RUNS, MODERATOR),
    # translations are read as long as the report is: translators work after the close too
    "statement.translate": _grant(ANY, *RUNS, TRANSLATOR),
    # dialogue events, their sign-ups, groups and reports
    "event.view": _grant(ANY, *EVERYONE),
    "event.change": _grant(UNTIL_CLOSED, *RUNS),
    "event.translate": _grant(UNTIL_CLOSED, *RUNS, TRANSLATOR),
    "event.form_groups": _grant(OPEN_ONLY, *RUNS, FACILITATOR),
    "event.start": _grant(OPEN_ONLY, *RUNS, FACILITATOR),
    "event.export_reports": _grant(ANY, *RUNS, FACILITATOR, ANALYST),
    "event.delete": _grant(DRAFT_ONLY, *RUNS),
    "registration.view": _grant(ANY, *RUNS),  # email addresses: personal data
    "registration.forget_email": _grant(ANY, *RUNS),
    "registration.delete": _grant(ANY, *RUNS),
    "dialoguegroup.view": _grant(ANY, *RUNS, FACILITATOR, ANALYST, VIEWER),
    "dialoguegroup.change": _grant(OPEN_ONLY, *RUNS, FACILITATOR),
    "groupreport.view": _grant(ANY, *RUNS, FACILITATOR, ANALYST, VIEWER),
    "groupreport.change": _grant(ANY, *RUNS),
    # analyses of open answers and their themes
    "analysis.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "analysis.run": _grant(ANY, *RUNS, ANALYST),
    "theme.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "theme.change": _grant(ANY, *RUNS, ANALYST),
    "quote.view": _grant(ANY, *RUNS, ANALYST, VIEWER),
    "quote.review": _grant(ANY, *RUNS, ANALYST),  # approve, edit or drop before publishing
    "release.view": _grant(ANY, *RUNS, ANALYST, VIEWER),  # exact counts of each release
    # Quotes and dialogue reports offered for translation (consultations.TranslatableText).
    "translatabletext.view": _grant(ANY, *RUNS, TRANSLATOR, ANALYST, VIEWER),
    "translatabletext.translate": _grant(ANY, *RUNS, TRANSLATOR),
}


def allows(roles: set[Role] | frozenset[Role], action: str, phase: Phase) -> bool:
    """Whether any of `roles` may do `action` to an object in `phase`."""
    grants = TABLE[action]  # an unknown action is a bug, not a refusal
    return any(phase in grants.get(role, ()) for role in roles)


def roles_for(action: str) -> set[Role]:
    """The roles that may do `action` in some phase."""
    return set(TABLE[action])
