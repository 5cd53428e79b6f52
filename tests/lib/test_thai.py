"""Thai digits, Buddhist-era years and dates: parsing once, shown per language."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import helpers

from ckanext.opendata_th.lib import thai
from tests.conftest import PLUGINS
from tests.factories import dataset_dict


def test_thai_date_uses_the_buddhist_era():
    assert thai.format_thai_date(datetime.date(2024, 3, 15)) == "15 มี.ค. 2567"
    assert thai.format_thai_date(datetime.datetime(2024, 12, 31, 23, 59, 5), with_hours=True) == "31 ธ.ค. 2567 23:59"
    assert thai.format_thai_date(datetime.datetime(2024, 1, 1, 8, 5, 9), with_seconds=True) == "1 ม.ค. 2567 08:05:09"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2564", datetime.date(2021, 3, 15)),
        ("15/03/2021", datetime.date(2021, 3, 15)),
        ("1 ต.ค. 65", datetime.date(2022, 10, 1)),
        ("15 มีนาคม 2564", datetime.date(2021, 3, 15)),
        ("7 เมษายน พ.ศ. 2566", datetime.date(2023, 4, 7)),
        ("๑๕/๐๓/๒๕๖๔", datetime.date(2021, 3, 15)),
        ("2567-03-15", datetime.date(2024, 3, 15)),
        ("1 Oct 2024", datetime.date(2024, 10, 1)),
        ("01-Apr-23", datetime.date(2023, 4, 1)),  # an English month: C.E., two digits as Excel reads them
        ("15-Sep-99", datetime.date(1999, 9, 15)),
        ("01-Apr-2023", datetime.date(2023, 4, 1)),
        ("01-เม.ย.-66", datetime.date(2023, 4, 1)),  # a Thai month: B.E.
        ("1/ต.ค./2565", datetime.date(2022, 10, 1)),
        ("วันที่ 5 ม.ค. 2567 เวลา 10.30 น.", datetime.datetime(2024, 1, 5, 10, 30)),
        (datetime.date(2567, 3, 15), datetime.date(2024, 3, 15)),
    ],
)
def test_dates_as_agencies_write_them(text, expected):
    assert thai.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2567", "hello", "15 ตุลา 2567 x", "", "1 ค.ศ. 2567", "0000-00-00", "5-ชั้น-12"])
def test_not_a_date(text):
    assert thai.parse_date(text) is None


def test_years_convert_between_eras():
    assert thai.to_ce_year(2567) == 2024
    assert thai.to_ce_year(2024) == 2024
    assert thai.to_be_year(2024) == 2567
    assert thai.to_be_year(2567) == 2567


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
