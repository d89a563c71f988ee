"""What a phone needs to keep the survey offline: the worker, the manifest, the saved page."""

from django.test import Client


def test_the_worker_is_served_for_the_survey_and_checked_on_each_visit(un75):
    worker = Client().get("/s/un75/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"] == "text/javascript; charset=utf-8"
    assert worker["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in worker.content
    assert Client().get("/s/nope/sw.js").status_code == 404


def test_the_manifest_opens_the_survey_in_the_readers_language(un75):
    manifest = Client().get("/s/un75/manifest.webmanifest?lang=ar").json()
    assert manifest["start_url"] == "/s/un75/?lang=ar" and manifest["scope"] == "/s/un75/"
    assert manifest["dir"] == "rtl" and manifest["name"] == un75.title["ar"]


def test_the_survey_page_registers_the_worker_and_links_the_manifest(un75):
    page = Client().get("/s/un75/?lang=fr").content.decode()
    assert 'data-offline-worker="/s/un75/sw.js"' in page
    assert 'data-offline-saved="/s/un75/saved?lang=fr"' in page
    assert '<link rel="manifest" href="/s/un75/manifest.webmanifest?lang=fr">' in page
    saved = Client().get("/s/un75/saved?lang=fr").content.decode()
    assert "Enregistré sur ce téléphone" in saved
