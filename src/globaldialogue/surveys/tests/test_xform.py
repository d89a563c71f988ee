"""A survey version as an XForm: ODK Validate (Java, shipped with pyxform) accepts it, with
every survey language, the limits and the logic of the web form."""

from defusedxml import ElementTree as ET
from django.core.management import call_command

from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.tests.test_import_xlsform import workbook
from globaldialogue.surveys.tests.test_xlsform_logic import CHOICES, YOUTH

XF = "{http://www.w3.org/2002/xforms}"


def binds(xml):
    root = ET.fromstring(xml)
    return {b.get("nodeset").rsplit("/", 1)[-1]: b.attrib for b in root.iter(f"{XF}bind")}


def test_the_un75_survey_is_an_xform_odk_validate_accepts_in_six_languages(un75, odk_validate):
    form = odk_validate(definition_for(un75.current_version), "un75")
    root = ET.fromstring(form.xml)
    languages = [t.get("lang") for t in root.iter(f"{XF}translation")]
    assert languages == [
        "English (en)",
        "français (fr)",
        "español (es)",
        "Русский (ru)",
        "简体中文 (zh-hans)",
        "العربيّة (ar)",
    ]
    found = binds(form.xml)
    assert found["world_2045"]["constraint"] == "count-selected(.) <= 3"
    assert found["world_2045__other"]["relevant"] == "selected( /data/world_2045 , 'other')"
    assert "required" not in found["country"]  # the one-minute survey requires nothing
    assert found["advice"]["constraint"] == "string-length(.) <= 280"
    assert form.md5.startswith("md5:") and form.version == str(un75.current_version.number)


def test_the_forms_logic_goes_into_the_xform(db, tmp_path, odk_validate):
    call_command(
        "import_xlsform",
        str(workbook(tmp_path / "youth.xlsx", survey=YOUTH, choices=CHOICES)),
        consultation="youth",
    )
    survey = Survey.objects.get(slug="city_priorities")
    form = odk_validate(definition_for(survey.current_version), "youth")
    found = binds(form.xml)
    assert found["school"]["relevant"] == "selected( /data/studies , 'yes')"
    assert found["school"]["required"] == " /data/age  < 18"
    assert found["age"]["constraint"] == ". >= 0 and . <= 120"
    assert found["decade"]["calculate"] == "int( /data/age  div 10)"
    assert found["children"]["relevant"] == " /data/decade  >= 2"
    assert "region =  /data/region " in form.xml  # the cascading choice's filter
