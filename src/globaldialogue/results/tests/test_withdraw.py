"""Pierre takes his answers back with the receipt code from the thank-you page: the response
is gone, the counts follow, nothing else changes; a wrong code is told in his language, and
guessing codes is throttled."""

import pytest
from django.test import Client, override_settings

from globaldialogue.results.actions import tally_all
from globaldialogue.results.models import Tally
from globaldialogue.results.tests.helpers import near, submit
from globaldialogue.surveys.models import Response

WITHDRAW = "/s/un75/withdraw/"
pytestmark = pytest.mark.usefixtures("uncached_results")


@pytest.fixture
def uncached_results(settings):
    settings.RESULTS_CACHE_SECONDS = 0  # each look at the results sees them as they are


def total() -> int | None:
    return Client().get("/api/surveys/un75/results").json()["total"]


def counted() -> int:
    return Tally.objects.get(survey__slug="un75", dimension="", question="", option="").count


def pierres_receipt(un75) -> str:
    submit(un75, 1)
    return Response.objects.latest("submitted_at").receipt


def test_pierre_withdraws_a_counted_response_and_the_counts_follow(un75):
    submit(un75, 12)
    receipt = pierres_receipt(un75)
    tally_all()
    published = total()
    assert near(published, 13)
    page = Client().get(WITHDRAW + "?lang=fr")
    assert page.status_code == 200 and "reçu" in page.content.decode()
    done = Client().post(WITHDRAW + "?lang=fr", {"receipt": receipt.lower().replace("-", " ")})
    assert done.status_code == 200
    assert "Vos réponses ont été retirées" in done.content.decode()
    assert not Response.objects.filter(receipt=receipt).exists()
    tally_all()
    assert counted() == 12 and Response.objects.count() == 12
    # The public figures follow at the next release, once ten more have answered: then
    # comparing two releases shows what ten or more said, not what Pierre took back.
    assert total() == published
    again = Client().post(WITHDRAW + "?lang=fr", {"receipt": receipt})
    assert again.status_code == 404 and "Aucune réponse" in again.content.decode()
    submit(un75, 10)
    tally_all()
    assert near(total(), 22)


def test_a_response_withdrawn_before_it_was_counted_is_never_counted(un75):
    submit(un75, 12)
    receipt = pierres_receipt(un75)
    Client().post(WITHDRAW, {"receipt": receipt})
    tally_all()
    assert counted() == 12 and near(total(), 12)


@override_settings(RATE_WITHDRAW_PER_IP=(3, 3600))
def test_guessing_receipt_codes_is_throttled(un75):
    receipt = pierres_receipt(un75)
    for guess in ("AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC"):
        assert Client().post(WITHDRAW, {"receipt": guess}).status_code == 404
    refused = Client().post(WITHDRAW, {"receipt": receipt})
    assert refused.status_code == 429
    assert Response.objects.filter(receipt=receipt).exists()


def test_the_thank_you_page_says_how_to_withdraw(un75):
    receipt = pierres_receipt(un75)
    page = Client().get(f"/s/un75/thanks/?receipt={receipt}&lang=en").content.decode()
    assert "/s/un75/withdraw/?lang=en" in page


def test_olga_sees_the_exact_counts_the_public_does_not(un75, olga_client):
    submit(un75, 12)
    tally_all()
    submit(un75, 3)  # not yet released
    tally_all()
    page = olga_client.get("/admin/results/release/").content.decode()
    assert "Responses now (exact, not public)" in page
    assert ">15<" in page and ">12<" in page  # now, and when the release was made
