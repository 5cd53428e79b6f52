"""Filter values as users type them (issue 20): B.E. dates, Thai digits, separators; clear errors, never SQL."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ckanext.opendata_th.api import filters
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def _records(app, table, **params):
    response = app.get(table.records_url, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.json


def _ids(page):
    return [record["_id"] for record in page["records"]]


@pytest.mark.parametrize(
    "typed",
    ["2021-04-01", "2564-04-01", "1/4/2564", "01/04/2021", "1 เม.ย. 2564", "๑ เมษายน ๒๕๖๔", "1 เม.ย. 64"],
)
def test_a_date_filter_reads_every_form_the_loader_reads(app, table, typed):
    expected = _records(app, table, **{"วันที่[gte]": "2021-04-01"})
    assert expected["total"] > 0  # the rows of 2021-04-15 onwards

    assert _ids(_records(app, table, **{"วันที่[gte]": typed})) == _ids(expected)


def test_numbers_in_thai_digits_and_with_separators_filter_as_numbers(app, table):
    by_year = _records(app, table, ปี="2563")
    assert by_year["total"] == 5

    assert _ids(_records(app, table, ปี="๒๕๖๓")) == _ids(by_year)
    assert _ids(_records(app, table, **{"จำนวน[gte]": "๕,๐๐๐", "ปี": "2,563"})) == [
        r["_id"] for r in by_year["records"] if r["จำนวน"] >= 5000
    ]


@pytest.mark.parametrize(
    ("column", "value", "thai_form"),
    [
        ("วันที่", "15/13/2564", "วันที่ เช่น"),
        ("วันที่[gte]", "เมื่อวาน", "วันที่ เช่น"),
        ("ปี", "abc", "จำนวนเต็ม"),
        ("ปี[in]", "๓๗.๗๖", "จำนวนเต็ม"),
        ("จำนวน[lt]", "หนึ่งพัน", "ตัวเลข"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_clear_bilingual_400_without_sql(app, table, column, value, thai_form):
    response = app.get(table.records_url, query_string={column: value})
    text = response.get_data(as_text=True)

    assert response.status_code == 400, text
    message = response.json["error"]["message"]
    name = column.split("[")[0]
    assert name in message["th"] and name in message["en"]
    assert value in message["en"] and thai_form in message["th"]
    assert "expected" in message["en"] and "expected" not in message["th"]
    for leak in ("SELECT", "select", "HINT", "LINE 1", table.resource_id, "psycopg", "Traceback"):
        assert leak not in text


def test_an_unknown_column_in_filters_sort_or_fields_is_named(app, table):
    for params in ({"ไม่มี": "1"}, {"sort": "-ไม่มี"}, {"fields": "จังหวัด,ไม่มี"}):
        response = app.get(table.records_url, query_string=params)
        assert response.status_code == 400, params
        message = response.json["error"]["message"]
        assert "ไม่มี" in message["en"] and message["th"].startswith("ตารางนี้ไม่มีคอลัมน์")


def test_an_error_the_datastore_raises_is_answered_without_its_sql(app, table):
    # Beyond int4: the value rules read it, PostgreSQL refuses it.
    response = app.get(table.records_url, query_string={"ปี": "99999999999"})
    text = response.get_data(as_text=True)

    assert response.status_code == 400
    assert response.json["error"]["message"]["th"].startswith("คำค้นไม่ถูกต้อง")
    assert "SELECT" not in text and "out of range" not in text and table.resource_id not in text


def test_xlsx_carries_dates_as_dates(app, table):
    response = app.get(table.records_url, query_string={"format": "xlsx", "sort": "_id", "limit": "2"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active

    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("วันที่") + 1)
    assert cell.is_date and cell.value.date().isoformat() == "2018-01-15"
    assert cell.number_format == "yyyy-mm-dd"


def test_text_values_are_compared_as_written():
    assert filters.typed({"จังหวัด": " ๑๒ "}, {"จังหวัด": "text"}) == {"จังหวัด": " ๑๒ "}
    assert filters.typed({"ปี": {"gte": "๒,๕๖๑"}, "_id": ["1", "2"]}, {"ปี": "int4", "_id": "int8"}) == {
        "ปี": {"gte": "2561"},
        "_id": ["1", "2"],
    }
