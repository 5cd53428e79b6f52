"""Cells as Thai government spreadsheets write them."""

from __future__ import annotations

import datetime
import decimal

import pytest

from ckanext.opendata_th.ingest.values import CellError, Kind, parse_cell, to_copy

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("1,234", Kind.INT, 1234),
        ("๑,๒๓๔", Kind.INT, 1234),
        ("(1,234.50)", Kind.NUMERIC, decimal.Decimal("-1234.50")),
        ("-12", Kind.INT, -12),
        ("−7.5", Kind.NUMERIC, decimal.Decimal("-7.5")),
        ("12.5%", Kind.NUMERIC, decimal.Decimal("12.5")),
        ("๔๕ %", Kind.INT, 45),
        (" 42 ", Kind.INT, 42),
        ("0", Kind.INT, 0),
        ("0.25", Kind.NUMERIC, decimal.Decimal("0.25")),
    ],
)
def test_numbers(raw, kind, value):
    assert parse_cell(raw) == (kind, value)


@pytest.mark.parametrize("raw", ["10110", "01234", "10", "1101700203451", "0105536000315", "๐๑"])
def test_codes_with_leading_zeros_or_13_digits_stay_text(raw):
    kind, value = parse_cell(raw)
    if raw in ("10110", "10"):
        assert kind is Kind.INT  # a plain number
    else:
        assert (kind, value) == (Kind.TEXT, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/03/2564", D(2021, 3, 15)),
        ("15-03-2021", D(2021, 3, 15)),
        ("1 ต.ค. 65", D(2022, 10, 1)),
        ("1 ต.ค.65", D(2022, 10, 1)),
        ("15 มีนาคม 2564", D(2021, 3, 15)),
        ("7 เมษายน พ.ศ. 2566", D(2023, 4, 7)),
        ("๑๕/๐๓/๒๕๖๔", D(2021, 3, 15)),
        ("๗ เม.ย. ๒๕๖๖", D(2023, 4, 7)),
        ("วันที่ 3 ธันวาคม 2565", D(2022, 12, 3)),
        ("2564-03-15", D(2021, 3, 15)),
        ("2021-03-15", D(2021, 3, 15)),
        ("5 มกราคม ค.ศ. 2020", D(2020, 1, 5)),
        ("3 Jan 2024", D(2024, 1, 3)),
    ],
)
def test_buddhist_era_dates_become_common_era(raw, expected):
    assert parse_cell(raw) == (Kind.DATE, expected)


def test_timestamps():
    assert parse_cell("15/03/2564 13:45") == (Kind.TIMESTAMP, datetime.datetime(2021, 3, 15, 13, 45))
    assert parse_cell("15/03/2564 เวลา 08.30 น.") == (Kind.TIMESTAMP, datetime.datetime(2021, 3, 15, 8, 30))
    assert parse_cell("2021-03-15T13:45:10") == (Kind.TIMESTAMP, datetime.datetime(2021, 3, 15, 13, 45, 10))


@pytest.mark.parametrize("raw", ["31/02/2564", "15 ตุลา 2564x", "1 ต.ค.", "15/03/64"])
def test_invalid_or_ambiguous_dates_are_text(raw):
    assert parse_cell(raw)[0] is Kind.TEXT


@pytest.mark.parametrize("raw", ["", "  ", "-", "–", "—", "n/a", "N/A", "#N/A", None])
def test_null_markers(raw):
    assert parse_cell(raw) == (Kind.NULL, None)


def test_booleans_and_text():
    assert parse_cell("ใช่") == (Kind.BOOL, True)
    assert parse_cell("FALSE") == (Kind.BOOL, False)
    assert parse_cell("กรุงเทพมหานคร") == (Kind.TEXT, "กรุงเทพมหานคร")
    assert parse_cell("=SUM(A1:A3)") == (Kind.TEXT, "=SUM(A1:A3)")


def test_native_workbook_values():
    assert parse_cell(3.0) == (Kind.INT, 3)
    assert parse_cell(2.5) == (Kind.NUMERIC, decimal.Decimal("2.5"))
    assert parse_cell(datetime.datetime(2564, 3, 15)) == (Kind.DATE, D(2021, 3, 15))
    assert parse_cell(1101700203451) == (Kind.TEXT, "1101700203451")
    assert parse_cell(True) == (Kind.BOOL, True)


def test_to_copy_per_column_type():
    assert to_copy("1,234", "int4") == "1234"
    assert to_copy("1,234", "numeric") == "1234"
    assert to_copy("(5.5)", "numeric") == "-5.5"
    assert to_copy("15/03/2564", "date") == "2021-03-15"
    assert to_copy("15/03/2564", "timestamp") == "2021-03-15"
    assert to_copy(" ใช่ ", "bool") == "t"
    assert to_copy("-", "int4") is None
    assert to_copy("-", "text") is None
    assert to_copy(" 1,234 ", "text") == "1,234"  # mixed columns keep the text as written
    assert to_copy(12.0, "text") == "12"
    with pytest.raises(CellError):
        to_copy("abc", "int4")
