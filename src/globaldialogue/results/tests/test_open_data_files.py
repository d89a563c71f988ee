"""The public dataset as a background analysis: written with progress into DATA_DIR,
downloadable from the survey's address and the dashboard, replaced by the next run."""

import pytest
from django.test import Client

from globaldialogue.results import actions
from globaldialogue.results.models import Analysis
from globaldialogue.surveys.demo import load_synthetic_sample


@pytest.fixture
def written(un75, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.DATA_DIR = tmp_path
    load_synthetic_sample(un75, 150)
    actions.tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        analysis = actions.request_open_data(survey=un75)
    analysis.refresh_from_db()
    return analysis


def test_the_dataset_is_written_and_downloadable(written, tmp_path):
    assert written.status == Analysis.Status.DONE and written.progress == 1.0
    assert written.answers == 150
    names = sorted(path.name for path in (tmp_path / "opendata").iterdir())
    assert names == [
        f"un75-public-{written.pk}.codebook.csv",
        f"un75-public-{written.pk}.csv",
        f"un75-public-{written.pk}.parquet",
    ]
    response = Client().get("/s/un75/open-data.csv")
    assert response.status_code == 200
    assert "un75-public.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("region,country,age_group,gender,education,disability,language,")
    assert Client().get("/s/un75/open-data.parquet").status_code == 200
    assert Client().get("/s/un75/open-data.codebook").status_code == 200
    assert Client().get("/s/un75/open-data.xlsx").status_code == 404
    page = Client().get("/r/un75/?lang=en").content.decode()
    assert "/s/un75/open-data.parquet" in page and "Open data, anonymised" in page


def test_nothing_to_download_before_the_first_run(un75):
    assert Client().get("/s/un75/open-data.csv").status_code == 404
    assert "open-data" not in Client().get("/r/un75/").content.decode()


def test_a_new_run_replaces_the_files(written, tmp_path, django_capture_on_commit_callbacks):
    load_synthetic_sample(written.survey, 300)  # 150 more (the first 150 are the same ids)
    actions.tally_all()
    assert actions.refresh_analyses(survey_ids={written.survey_id})  # grew by half
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.request_open_data(survey=written.survey)
    again.refresh_from_db()
    assert again.status == Analysis.Status.DONE and again.answers == 300
    assert not Analysis.objects.filter(pk=written.pk).exists()
    assert {p.name.split("-")[2].split(".")[0] for p in (tmp_path / "opendata").iterdir()} == {
        str(again.pk)
    }
