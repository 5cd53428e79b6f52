"""Forms and page basics: date fields that take Buddhist- or Christian-era
dates, a label for every field, the language switch and `lang` attributes."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _page(app: Any, url: str, token: str) -> BeautifulSoup:
    response = app.get(url, headers={"Authorization": token})
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_date_fields_show_the_buddhist_era_in_thai_and_iso_in_english(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api_post(app, "package_create", token, **dataset_dict(name="dated", last_updated_date="2024-03-15"))
    thai = _page(app, "/th/dataset/edit/dated", token).select_one("#field-last_updated_date")
    english = _page(app, "/dataset/edit/dated", token).select_one("#field-last_updated_date")
    assert thai["type"] == "text" and thai["value"] == "15/03/2567"
    assert english["value"] == "2024-03-15"
    assert thai["aria-describedby"] == "field-last_updated_date-hint"


@pytest.mark.parametrize("typed", ["15/03/2567", "15/03/2024", "2024-03-15", "15 มีนาคม 2567"])
def test_a_date_typed_in_either_era_is_stored_as_the_same_day(app, sysadmin_with_token, typed):
    token = sysadmin_with_token["token"]
    api_post(app, "package_create", token, **dataset_dict(name="typed", last_updated_date=typed))
    assert api_get(app, "package_show", token, id="typed")["result"]["last_updated_date"] == "2024-03-15"


def test_every_field_of_the_dataset_form_has_a_label(app, sysadmin_with_token):
    page = _page(app, "/th/dataset/new", sysadmin_with_token["token"])
    form = page.select_one("form#dataset-edit")
    assert form is not None
    fields = [
        field
        for field in form.select("input, select, textarea")
        if field.get("type") not in ("hidden", "submit", "button") and not field.get("aria-hidden")
    ]
    assert len(fields) > 20
    labelled = {label["for"] for label in page.select("label[for]")}
    unlabelled = [
        field.get("id") or field.get("name")
        for field in fields
        if field.get("id") not in labelled and not field.get("aria-label") and not field.get("aria-labelledby")
    ]
    assert unlabelled == []


def test_every_page_links_to_itself_in_the_other_language(app, sysadmin_with_token):
    api_post(app, "package_create", sysadmin_with_token["token"], **dataset_dict(name="switch"))
    english = BeautifulSoup(app.get("/dataset/switch").get_data(as_text=True), "html.parser")
    link = english.select_one("a.opendata-th-language")
    assert english.html["lang"] == "en"
    assert link["href"] == "/th/dataset/switch" and link["lang"] == "th" and link.text.strip() == "ภาษาไทย"

    thai = BeautifulSoup(app.get(link["href"]).get_data(as_text=True), "html.parser")
    back = thai.select_one("a.opendata-th-language")
    assert thai.html["lang"] == "th"
    assert back["href"] in ("/dataset/switch", "/en/dataset/switch") and back["lang"] == "en"
    assert back.text.strip() == "English"
    assert BeautifulSoup(app.get(back["href"]).get_data(as_text=True), "html.parser").html["lang"] == "en"
