"""Every string of the public pages has its Thai translation, and CKAN core
strings that CKAN's own Thai catalogue lacks are translated too (core.po)."""

from __future__ import annotations

import gettext
import pathlib

import pytest

import ckanext.opendata_th
from ckanext.opendata_th.ui import helpers, metadata, search
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

CATALOGUE = pathlib.Path(ckanext.opendata_th.__file__).parent / "i18n/th/LC_MESSAGES/ckanext-opendata_th.mo"


def _thai() -> gettext.GNUTranslations:
    with open(CATALOGUE, "rb") as compiled:  # compiled at install by bin/install.sh
        return gettext.GNUTranslations(compiled)


def _ui_msgids() -> list[str]:
    msgids = [title for title, _vocabulary in search.FACETS.values() if title not in ("Groups", "Formats", "Tags")]
    msgids = [msgid for msgid in msgids if msgid != "Licenses"]
    msgids += [title for _key, title, _fields in metadata.GROUPS] + [metadata.MORE[1]]
    msgids += [title for _key, title, _sort, _fq in helpers.HOME_LISTS] + [helpers.MOST_USED[1]]
    return msgids


def test_every_ui_string_has_a_thai_translation():
    thai = _thai()
    untranslated = [msgid for msgid in _ui_msgids() if thai.gettext(msgid) == msgid]
    assert untranslated == []


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_core_strings_missing_from_ckans_thai_catalogue_are_translated(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]
    api_post(app, "package_create", token, **dataset_dict(name="empty", owner_org=agency["id"]))
    page = app.get("/th/dataset/empty").get_data(as_text=True)
    assert "ชุดข้อมูลนี้ยังไม่มีข้อมูล" in page and "This dataset has no data" not in page
    assert "หน่วยงานนี้ยังไม่มีคำอธิบาย" in page
