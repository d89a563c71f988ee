"""A consultation as an OpenRosa server: ODK Collect's requests, byte for byte as the
OpenRosa 1.0 specification has them (form list, form download, HEAD then a multipart POST
of the filled form), and what becomes of a submission."""

import hashlib
import uuid

import pytest
from defusedxml import ElementTree as ET
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from globaldialogue.surveys.models import Response
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


def submit(xml, client=None):
    upload = SimpleUploadedFile("submission.xml", xml, content_type="text/xml")
    return (client or Client()).post(
        "/openrosa/youth/submission", {"xml_submission_file": upload}, **COLLECT
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
