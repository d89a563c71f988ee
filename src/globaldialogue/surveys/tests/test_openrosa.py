"""A consultation as an OpenRosa server: ODK Collect's requests, byte for byte as the
OpenRosa 1.0 specification has them (form list, form download, HEAD then a multipart POST
of the filled form), and what becomes of a submission."""

import base64
import hashlib
import uuid

import pytest
from defusedxml import ElementTree as ET
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from globaldialogue.accounts.actions import create_api_key, revoke_api_key
from globaldialogue.surveys.access import forget_survey
from globaldialogue.surveys.models import Response, Survey
from globaldialogue.surveys.tests.test_import_xlsform import workbook
from globaldialogue.surveys.tests.test_xlsform_logic import CHOICES, YOUTH, import_youth

LIST = "{http://openrosa.org/xforms/xformsList}"
COLLECT = {"HTTP_X_OPENROSA_VERSION": "1.0"}


@pytest.fixture
def youth(db, tmp_path):
    return import_youth(tmp_path)


def filled(instance_id, version="1", **answers):
    fields = "".join(f"<{key}>{value}</{key}>" for key, value in answers.items())
    xml = (
        f'<data id="city_priorities" version="{version}">{fields}'
        f"<meta><instanceID>uuid:{instance_id}</instanceID></meta></data>"
    )
    return xml.encode()


def submit(xml, client=None, **account):
    upload = SimpleUploadedFile("submission.xml", xml, content_type="text/xml")
    return (client or Client()).post(
        "/openrosa/youth/submission", {"xml_submission_file": upload}, **{**COLLECT, **account}
    )


def message(response):
    return ET.fromstring(response.content).find("{http://openrosa.org/http/response}message").text


def test_collect_lists_and_downloads_the_open_forms(youth):
    listed = Client().get("/openrosa/youth/formList", **COLLECT)
    assert listed.status_code == 200 and listed["X-OpenRosa-Version"] == "1.0"
    assert listed["Content-Type"] == "text/xml; charset=utf-8" and listed.has_header("Date")
    form = ET.fromstring(listed.content).find(f"{LIST}xform")
    assert form.find(f"{LIST}formID").text == "city_priorities"
    assert form.find(f"{LIST}version").text == "1"
    url = form.find(f"{LIST}downloadUrl").text
    assert url == "http://testserver/openrosa/youth/forms/city_priorities.xml"
    xform = Client().get(url, **COLLECT)
    assert xform["X-OpenRosa-Version"] == "1.0"
    digest = "md5:" + hashlib.md5(xform.content, usedforsecurity=False).hexdigest()
    assert form.find(f"{LIST}hash").text == digest
    assert Client().get("/openrosa/youth/forms/nope.xml").status_code == 404
    assert Client().get("/openrosa/nobody/formList").status_code == 404


def test_a_submission_lands_once_and_a_resend_is_accepted_without_counting_again(youth):
    head = Client().head("/openrosa/youth/submission", **COLLECT)
    assert head.status_code == 204 and int(head["X-OpenRosa-Accept-Content-Length"]) > 0
    instance = uuid.uuid4()
    first = submit(filled(instance, age="40", studies="yes", region="west", city="nantes"))
    assert first.status_code == 201 and first["X-OpenRosa-Version"] == "1.0"
    again = submit(filled(instance, age="40", studies="yes", region="west", city="nantes"))
    assert again.status_code == 202
    stored = Response.objects.get()
    assert stored.id == instance and stored.channel == "odk"
    assert stored.answers == {"age": 40, "region": "west", "city": "nantes"}  # not asked: studies
    other = submit(filled(instance, age="41"))
    assert other.status_code == 409 and Response.objects.count() == 1


def test_answers_the_survey_refuses_are_refused_saying_why(youth):
    response = submit(filled(uuid.uuid4(), age="16", studies="yes", school="Lycée 4"))
    assert response.status_code == 400
    assert "school: Letters only" in message(response)
    assert not Response.objects.exists()
    assert submit(b"<data id='city_priorities'>").status_code == 400
    bomb = b'<!DOCTYPE d [<!ENTITY a "aaaa">]><data id="city_priorities">&a;</data>'
    assert submit(bomb).status_code == 400
    assert submit(filled("not-a-uuid", age="30")).status_code == 400
    assert (
        submit(filled(uuid.uuid4(), age="30").replace(b"city_priorities", b"x")).status_code == 404
    )
    assert Client().post("/openrosa/youth/submission", **COLLECT).status_code == 400


def test_a_form_of_an_earlier_version_is_checked_against_that_version(youth, tmp_path):
    changed = [list(row) for row in YOUTH]
    changed[1][6] = ". >= 18"  # the age question now starts at 18 (version 2)
    path = workbook(tmp_path / "v2.xlsx", survey=changed, choices=CHOICES)
    call_command("import_xlsform", str(path), consultation="youth")
    assert submit(filled(uuid.uuid4(), version="2", age="16")).status_code == 400
    assert submit(filled(uuid.uuid4(), version="1", age="16", studies="no")).status_code == 201
    assert Response.objects.get().version.number == 1


def signed_in(username, password, secure=True):
    """Collect's request headers with an enumerator's account (HTTP Basic)."""
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {pair}", "secure": secure}


@pytest.fixture
def accounts_only(youth):
    """The youth survey, set to take ODK forms from enumerators' accounts only (the
    organizer unticks "anonymous ODK submissions" on its page)."""
    Survey.objects.filter(pk=youth.pk).update(odk_anonymous=False)
    forget_survey(youth.slug)
    return youth


@pytest.fixture
def kofi(youth):
    """Kofi's account on his phone: an API key with the "odk" scope, for youth."""
    key, secret = create_api_key(
        name="Kofi (enumerator)", consultation=youth.consultation, scopes=["odk"]
    )
    return key, secret


def test_a_survey_for_enumerators_only_asks_collect_for_an_account(accounts_only, kofi):
    key, secret = kofi
    head = Client().head("/openrosa/youth/submission", **COLLECT)
    assert head.status_code == 401 and head["WWW-Authenticate"].startswith('Basic realm="youth"')
    anonymous = submit(filled(uuid.uuid4(), age="40"))
    assert anonymous.status_code == 401 and not Response.objects.exists()

    assert (
        Client().head("/openrosa/youth/submission", **signed_in(key.prefix, secret)).status_code
        == 204
    )
    upload = SimpleUploadedFile("s.xml", filled(uuid.uuid4(), age="40"), content_type="text/xml")
    sent = Client().post(
        "/openrosa/youth/submission",
        {"xml_submission_file": upload},
        **signed_in(key.prefix, secret),
    )
    assert sent.status_code == 201
    assert Response.objects.get().api_key == key


@pytest.mark.parametrize(
    "account",
    ["wrong password", "plain http", "no odk scope", "revoked", "other consultation"],
)
def test_an_account_that_does_not_let_in_is_refused(accounts_only, kofi, account, un75):
    key, secret = kofi
    username, password, secure = key.prefix, secret, True
    if account == "wrong password":
        password = secret[:-1] + ("x" if secret[-1] != "x" else "y")
    elif account == "plain http":
        secure = False  # the password would have crossed the network readable
    elif account == "no odk scope":
        other, password = create_api_key(name="Pat", consultation=accounts_only.consultation)
        username = other.prefix
    elif account == "revoked":
        revoke_api_key(key=key)
    else:
        other, password = create_api_key(
            name="UN75", consultation=un75.consultation, scopes=["odk"]
        )
        username = other.prefix
    upload = SimpleUploadedFile("s.xml", filled(uuid.uuid4(), age="40"), content_type="text/xml")
    sent = Client().post(
        "/openrosa/youth/submission",
        {"xml_submission_file": upload},
        **signed_in(username, password, secure),
    )
    assert sent.status_code == 401 and not Response.objects.exists()


def test_an_enumerators_account_has_its_own_limit(youth, kofi, settings):
    settings.RATE_SUBMIT_PER_IP = (1, 60)  # the network's, shared with anyone else there
    settings.RATE_ODK_PER_KEY = (2, 60)
    key, secret = kofi

    def send():
        upload = SimpleUploadedFile(
            "s.xml", filled(uuid.uuid4(), age="40"), content_type="text/xml"
        )
        return (
            Client()
            .post(
                "/openrosa/youth/submission",
                {"xml_submission_file": upload},
                **signed_in(key.prefix, secret),
            )
            .status_code
        )

    assert submit(filled(uuid.uuid4(), age="40")).status_code == 201  # anonymous, this network
    assert submit(filled(uuid.uuid4(), age="40")).status_code == 429
    assert [send(), send(), send()] == [201, 201, 429]
    assert Response.objects.filter(api_key=key).count() == 2
