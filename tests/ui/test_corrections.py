"""CKAN's own Thai messages, corrected: แท็ก, หน่วยงาน, no doubled words (i18n/th/corrections.yaml)."""

from __future__ import annotations

import pytest

from ckanext.opendata_th.ui import corrections
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_every_wrong_form_is_corrected_in_the_catalogue_of_ckans_messages():
    catalogue = corrections.corrected_catalogue("th")
    texts = [m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalogue if m.id]

    assert catalogue["Make private"].string == "ทำให้เป็นส่วนตัว"
    assert catalogue["Organization"].string == "หน่วยงาน"
    for wrong in corrections.corrections("th"):
        assert not any(wrong in text for text in texts), wrong


def test_thai_pages_use_the_corrected_words(app):
    page = app.get("/th/dataset/").get_data(as_text=True)

    assert "หน่วยงาน" in page and "แท็ก" in page
    assert "องค์กร" not in page and "แท็ค" not in page


def test_a_creation_date_is_labelled_when_it_was_created(app, sysadmin_with_token):
    page = app.get(
        "/th/user/" + sysadmin_with_token["name"] + "/api-tokens",
        headers={"Authorization": sysadmin_with_token["token"]},
    )

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "สร้างเมื่อ" in text and "สร้างใหม่" not in text
