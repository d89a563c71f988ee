"""Olga uploads her consultation's own population figures (a city's census, with
education): the surveys are weighted to them at once, a wrong file is refused with its
problems and stores nothing, and deleting it returns to the world's figures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.perturb import MOST
from globaldialogue.results import actions
from globaldialogue.results.models import PopulationMargins
from globaldialogue.results.tests.helpers import option, question, submit

CENSUS = """country,sex,age,education,population
FR,male,15-29,,1000
FR,female,15-29,,1000
FR,,,primary,750
FR,,,tertiary,250
"""


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.RESULTS_CACHE_SECONDS = 0  # each request sees the figures of the moment


def crowd(survey):
    """Twenty graduates who think people will be better off, twenty others worse off."""
    submit(survey, 20, education="tertiary")
    submit(survey, 20, education="primary", future_outlook="worse")
    actions.tally_all()


def better_share():
    body = Client().get("/api/surveys/un75/results?lang=en").json()
    return option(question(body, "future_outlook"), "better")["weighted_share"], body


def upload(client, text, name="Census 2021"):
    consultation = Consultation.objects.get(slug="un75")
    return client.post(
        "/admin/results/populationmargins/add/",
        {
            "consultation": consultation.pk,
            "name": name,
            "file": SimpleUploadedFile("c.csv", text.encode()),
        },
    )


def test_surveys_are_weighted_to_the_uploaded_figures(
    un75, olga_client, django_capture_on_commit_callbacks
):
    crowd(un75)
    world, _body = better_share()
    # The world's figures: no education margin. Each group of 20 is published changed by up
    # to perturb.MOST (results.disclosure), so the share lies within 17/40 and 23/40.
    assert world == pytest.approx(0.5, abs=(MOST + 1) / 40)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(olga_client, CENSUS)
    assert response.status_code == 302
    share, body = better_share()
    # Graduates are a quarter of the city (the cells' counts are perturbed: results.disclosure).
    assert share == pytest.approx(0.25, abs=0.03)
    assert body["weighting"]["source"] == "Census 2021"
    page = Client().get("/s/un75/results?lang=en").content.decode()
    assert "the population figures the organizers provided (Census 2021)" in page
    margins = PopulationMargins.objects.get()
    assert margins.summary == {"countries": 1, "people": 2000, "education": ["primary", "tertiary"]}


def test_a_wrong_file_is_refused_with_its_problems(un75, olga_client):
    response = upload(olga_client, "country,sex,age,population\nXX,male,15-29,10\nFR,man,0-4,3\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "row 3: sex &#x27;man&#x27; is not female or male" in page
    assert not PopulationMargins.objects.exists()
    unknown = upload(olga_client, "country,sex,age,population\nXX,male,15-29,10\n")
    assert "unknown country codes: XX" in unknown.content.decode()


def test_deleting_the_figures_returns_to_the_world(un75, django_capture_on_commit_callbacks):
    crowd(un75)
    world, _body = better_share()
    with django_capture_on_commit_callbacks(execute=True):
        actions.upload_margins(consultation=un75.consultation, name="Census", text=CENSUS)
    assert better_share()[0] == pytest.approx(0.25, abs=0.03)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_margins(consultation=un75.consultation)
    share, body = better_share()
    # The world's figures again, as published before the upload (the same perturbed cells).
    assert share == pytest.approx(world) and body["weighting"]["source"] == ""
    assert world == pytest.approx(0.5, abs=(MOST + 1) / 40)
