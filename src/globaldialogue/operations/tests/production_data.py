"""What the production suite's site holds, loaded by `python -m` with the site's settings:
the UN75 survey, the open UN75 conversation, and a dialogue group of four. Prints what
the tests need (statement ids, signed partner ids, room tokens) as JSON."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")
django.setup()


from globaldialogue.consultations.actions import save_consultation  # noqa: E402
from globaldialogue.deliberation.demo import load_demo_conversation  # noqa: E402
from globaldialogue.deliberation.identity import xid_signature  # noqa: E402
from globaldialogue.deliberation.models import Statement  # noqa: E402
from globaldialogue.dialogues import tokens  # noqa: E402
from globaldialogue.dialogues.models import DialogueGroup, Event  # noqa: E402
from globaldialogue.dialogues.tests.events import group_of_four, youth_event  # noqa: E402
from globaldialogue.surveys.demo import load_demo_survey  # noqa: E402

PARTNER_IDS = 40


def main() -> None:
    load_demo_survey()
    conversation = load_demo_conversation()
    statements = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED
    )
    xids = {f"partner-{i}": xid_signature(conversation, f"partner-{i}") for i in range(PARTNER_IDS)}
    group_of_four(_event())
    group = DialogueGroup.objects.get()
    rooms = {r.display_name: [r.pk, tokens.room_token(registration=r)] for r in group.members.all()}
    print(
        json.dumps(
            {
                "conversation": conversation.slug,
                "statements": sorted(statements.values_list("pk", flat=True)),
                "xids": xids,
                "rooms": rooms,
            }
        )
    )


def _event() -> Event:
    consultation = save_consultation(
        slug="youth", title={"en": "Youth"}, languages=["en"], replace=False
    )
    return youth_event(consultation, ["en"], {"en": "Youth dialogue"})


if __name__ == "__main__":
    main()
