"""Cell conversions that need no database: dates, formula guard, kinds."""

from __future__ import annotations

import datetime

import pytest

from ckanext.opendata_th.gdc import values

DATE_FIELD = {"field_name": "created_date", "preset": "opendata_th_date"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2567-03-15", "2024-03-15"),
        ("15/03/2567", "2024-03-15"),
        ("2024-03-15", "2024-03-15"),
        (datetime.datetime(2567, 3, 15), "2024-03-15"),
        (datetime.date(2024, 3, 15), "2024-03-15"),
        ("", ""),
        (None, ""),
    ],
)
def test_dates_are_read_as_common_era(cell, expected):
    assert values.read_date(cell, DATE_FIELD) == expected


@pytest.mark.parametrize("cell", ["31 ม.ค.", "2567-02-30", "soon"])
def test_a_cell_that_is_no_date_is_an_error(cell):
    with pytest.raises(values.CellError):
        values.read_date(cell, DATE_FIELD)


def test_dates_are_written_in_the_buddhist_era():
    assert values.write(DATE_FIELD, {"created_date": "2024-03-15"}) == "2567-03-15"


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ({"field_name": "tag_string"}, values.Kind.TAGS),
        ({"field_name": "objective", "preset": "opendata_th_multiple", "vocabulary": "objective"}, values.Kind.MULTI),
        ({"field_name": "geo_coverage", "vocabulary": "geo_coverage"}, values.Kind.CHOICE),
        ({"field_name": "last_updated_date", "preset": "opendata_th_date"}, values.Kind.DATE),
        ({"field_name": "first_year_of_data", "preset": "opendata_th_be_year"}, values.Kind.YEAR),
        ({"field_name": "notes"}, values.Kind.TEXT),
    ],
)
def test_kinds_follow_the_schema(field, kind):
    assert values.kind(field) is kind


def test_an_unknown_choice_goes_to_other():
    field = {"field_name": "geo_coverage", "vocabulary": "geo_coverage"}
    assert values.read(field, "จังหวัด", companion=True) == {"geo_coverage": "province", "geo_coverage_other": ""}
    assert values.read(field, "ลุ่มน้ำ", companion=True) == {"geo_coverage": "other", "geo_coverage_other": "ลุ่มน้ำ"}


def test_other_is_written_as_its_text():
    field = {"field_name": "geo_coverage", "vocabulary": "geo_coverage"}
    assert values.write(field, {"geo_coverage": "other", "geo_coverage_other": "ลุ่มน้ำ"}) == "ลุ่มน้ำ"
    assert values.write(field, {"geo_coverage": "province"}) == "จังหวัด"
