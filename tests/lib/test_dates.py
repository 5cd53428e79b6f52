"""Buddhist-era dates on Thai pages, Common Era on English ones."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import helpers

from ckanext.opendata_th.lib.dates import thai_date
from tests.conftest import PLUGINS
from tests.factories import dataset_dict


def test_thai_date_uses_the_buddhist_era():
    assert thai_date(datetime.date(2024, 3, 15)) == "15 มี.ค. 2567"
    assert thai_date(datetime.datetime(2024, 12, 31, 23, 59, 5), with_hours=True) == "31 ธ.ค. 2567 23:59"
    assert thai_date(datetime.datetime(2024, 1, 1, 8, 5, 9), with_seconds=True) == "1 ม.ค. 2567 08:05:09"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.freeze_time("2024-03-15 10:00:00")
def test_resource_page_shows_buddhist_era_in_thai_and_common_era_in_english(app, sysadmin, organization):
    dataset = helpers.call_action(
        "package_create",
        {"user": sysadmin["name"]},
        **dataset_dict(name="dated", owner_org=organization["id"], resources=[{"name": "r", "url": "http://x/a.csv"}]),
    )
    url = f"/dataset/dated/resource/{dataset['resources'][0]['id']}"

    thai_page = app.get(f"/th{url}").get_data(as_text=True)
    english_page = app.get(f"/en{url}").get_data(as_text=True)

    assert "15 มี.ค. 2567" in thai_page
    assert "2567" not in english_page
    assert "March 15, 2024" in english_page
