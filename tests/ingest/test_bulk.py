"""The bulk loader (SQL casts, number scan, distinct-value maps) agrees with values.py, the reference."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from psycopg2 import sql

from ckanext.opendata_th.ingest import bulk, jobs, load, readers, status
from ckanext.opendata_th.ingest.infer import ColumnProfile
from ckanext.opendata_th.ingest.values import Kind, native_text, parse, parse_text, to_copy
from tests.conftest import PLUGINS

# One column per kind of trouble; each column's type and every value must
# be what values.parse / values.to_copy make of the same cells.
TRICKY: dict[str, list[str]] = {
    # a label on every row: rows with a single filled cell at the end of a
    # file would be taken for footnotes (detect.table_rows)
    "label": [f"แถว {n}" for n in range(1, 10)],
    "thai_digits": ["๑๒๓", "๔,๕๖๗", "-๘", "(๙๐)", "๑๒.๕"],
    "negatives": ["(1,234.50)", "(12)", "-7", "+8", "−9", "( 3 )"],
    "percents": ["12.5%", "3 %", "(4%)", "-0.25%", "100%"],
    "thousands": ["1,234,567", "12,345.678", "999", "1,000"],
    "whole": ["1", "22", "333", "4444"],
    "big": ["3000000000", "-3,000,000,000", "1"],
    "huge": ["1,234,567,890,123,456,789,012", "5"],
    "leading_zero_codes": ["01", "10110", "0", "00"],
    "long_codes": ["1234567890123", "5"],
    "be_dates": ["15/03/2564", "1 ต.ค. 65", "15 มีนาคม 2564", "7 เมษายน พ.ศ. 2566", "๑๕/๐๓/๒๕๖๔", "2021-03-15"],
    "timestamps": ["15/03/2564 10:30", "2021-03-15T08:00:00", "1 ต.ค. 65"],
    "null_markers": ["-", "–", "n/a", "N/A", "", "  ", "NULL", "1", "none"],
    "mixed": ["1", "2.5", "ไม่ทราบ", "-"],
    "booleans": ["ใช่", "ไม่ใช่", "TRUE", "no", "-"],
    "unicode_spaces": ["  12  ", "\u00a034\u00a0", "\u300056", "7\u2003%"],
    "dots": [".5", "5.", "1.2.3"],
    "not_numbers": ["1,23", "12,3456", "1 234", "++1", "(-1)"],
}

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]


def _csv(tmp_path) -> str:
    height = max(len(cells) for cells in TRICKY.values())
    lines = [",".join(TRICKY)]
    for row in range(height):
        cells = [column[row] if row < len(column) else "" for column in TRICKY.values()]
        lines.append(",".join('"' + cell.replace('"', '""') + '"' for cell in cells))
    path = tmp_path / "tricky.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _reference_type(cells: list[str]) -> str:
    profile = ColumnProfile(check_personal=False)
    for row, cell in enumerate(cells, start=2):
        profile.add(cell, row)
    return profile.pg_type()


@pytest.fixture
def loaded(tmp_path):
    """The tricky file through the real loader, up to its staging table; dropped afterwards."""
    path = _csv(tmp_path)
    resource_id = str(uuid.uuid4())
    raw = f"raw_0_{resource_id}"
    connection = status.connect()
    limits = jobs.limits()
    (sheet,) = readers.open_sheets(path, readers.sniff_format(path, "csv"), limits)
    analysis = jobs._analyse(sheet, limits, connection, raw, resource_id)
    assert analysis is not None
    jobs._load_one(connection, resource_id, sheet, analysis, progress_of=resource_id)
    table = sql.Identifier(load.STAGING_SCHEMA, resource_id)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            (table.as_string(connection),),
        )
        types = dict(cursor.fetchall())
        cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY _id").format(table))
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    yield connection, analysis, types, rows
    jobs._drop_raw(connection, [raw])
    load.drop_staging(connection, resource_id)
    with connection, connection.cursor() as cursor:
        cursor.execute("DELETE FROM opendata_th_ingest._status WHERE resource_id = %s", (resource_id,))
    connection.close()


def _scratch_tables(connection, resource_id):
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND strpos(relname, %s) > 0"
            " AND relname <> %s AND relkind = 'r' ORDER BY 1",
            (load.STAGING_SCHEMA, resource_id, resource_id),
        )
        return [name for (name,) in cursor.fetchall()]


def test_the_raw_table_and_its_column_maps_are_dropped_together(loaded):
    connection, analysis, _types, _rows = loaded
    scratch = _scratch_tables(connection, analysis.raw.removeprefix("raw_0_"))
    assert analysis.raw in scratch and any(name.startswith("m") for name in scratch)
    jobs._drop_raw(connection, [analysis.raw])
    assert _scratch_tables(connection, analysis.raw.removeprefix("raw_0_")) == []


def test_rows_added_after_a_load_are_numbered_after_its_rows(loaded):
    connection, analysis, _types, rows = loaded
    table = sql.Identifier(load.STAGING_SCHEMA, analysis.raw.removeprefix("raw_0_"))
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING _id").format(table))
        assert cursor.fetchone()[0] == len(rows) + 1
        cursor.execute("SELECT pg_get_serial_sequence(%s, '_id') IS NOT NULL", (table.as_string(connection),))
        assert cursor.fetchone()[0]


SQL_TYPES = {
    "int4": "integer",
    "int8": "bigint",
    "numeric": "numeric",
    "date": "date",
    "timestamp": "timestamp without time zone",
    "text": "text",
    "bool": "boolean",
}


@pytest.mark.parametrize("column", list(TRICKY))
def test_sql_path_and_python_path_agree(loaded, column):
    connection, _analysis, types, rows = loaded
    cells = TRICKY[column]
    expected_type = _reference_type(cells)
    assert types[column] == SQL_TYPES[expected_type], column

    # The reference's COPY text, read back by PostgreSQL as the column type.
    expected = []
    with connection, connection.cursor() as cursor:
        for cell in cells:
            text = to_copy(cell, expected_type)
            cursor.execute(sql.SQL("SELECT %s::{}").format(sql.SQL(expected_type)), (text,))
            expected.append(cursor.fetchone()[0])
    assert [row[column] for row in rows[: len(cells)]] == expected, column


def test_the_tricky_columns_take_the_expected_types(loaded):
    """The reference itself, pinned: a change in values.py shows up here, not only as agreement."""
    _connection, _analysis, types, _rows = loaded
    assert types["thai_digits"] == "numeric"
    assert types["negatives"] == "numeric"
    assert types["whole"] == "integer"
    assert types["big"] == "bigint"
    assert types["huge"] == "numeric"
    assert types["leading_zero_codes"] == "text"
    assert types["long_codes"] == "text"
    assert types["be_dates"] == "date"
    assert types["timestamps"] == "timestamp without time zone"
    assert types["null_markers"] == "integer"
    assert types["mixed"] == "text"
    assert types["booleans"] == "boolean"
    assert types["unicode_spaces"] == "integer"
    assert types["dots"] == "text"
    assert types["not_numbers"] == "text"


def test_number_columns_are_cast_in_sql_and_the_rest_mapped(loaded):
    """The fast path is really taken for plain number columns (the benchmark depends on it)."""
    _connection, analysis, _types, _rows = loaded
    scanned = dict(zip(analysis.ids, analysis.scan.stats, strict=True))
    assert scanned["whole"].only_numbers and scanned["whole"].plain
    assert scanned["thousands"].only_numbers and scanned["thousands"].commas
    assert scanned["thai_digits"].only_numbers and not scanned["thai_digits"].plain
    assert scanned["percents"].percent
    assert not scanned["leading_zero_codes"].only_numbers
    assert not scanned["mixed"].only_numbers


@pytest.mark.parametrize(
    "cell",
    [
        "๑๒๓",
        "(1,234.50)",
        "12 %",
        "(4%)",
        "0123",
        "1234567890123",
        "-1234567890123",
        "1,234.5",
        "3000000000",
        "1,23",
        "(-1)",
        "++1",
        "\u00a034",
        "12.",
        "−5",
    ],
)
def test_number_scan_agrees_with_values(cell):
    stats = bulk.NumberStats()
    stripped = cell.strip()
    stats.add(stripped)
    kind, value = parse(stripped)
    if kind in (Kind.INT, Kind.NUMERIC):
        assert stats.only_numbers and stats.numbers == 1
        assert stats.fractions == (kind is Kind.NUMERIC)
        if kind is Kind.INT and abs(value) >= 10**9:
            assert stats.max_abs_int == abs(value)
    else:
        assert not stats.only_numbers


@pytest.mark.parametrize(
    "raw",
    [
        None,
        True,
        False,
        7,
        1234567890123,
        -1234567890123,
        1.0,
        2.5,
        0.1 + 0.2,
        1e-05,
        float("nan"),
        decimal.Decimal("12.50"),
        datetime.date(2021, 3, 15),
        datetime.date(2564, 3, 15),
        datetime.datetime(2021, 3, 15, 10, 30),
        datetime.datetime(2021, 3, 15, 0, 0),
        "  ๑๒ ",
    ],
)
def test_workbook_cells_staged_as_text_read_back_the_same(raw):
    """native_text: typed workbook/JSON cells survive the all-text staging table."""
    text = native_text(raw)
    kind, value = parse(raw)
    if text is None:
        assert kind is Kind.NULL
        return
    kind_back, value_back = parse_text(text)
    assert kind_back is kind
    if kind is not Kind.TEXT:
        assert value_back == value


def test_clean_strips_like_python_and_nulls_every_spelling_of_a_marker():
    assert bulk.clean([" a ", "N/A", "Null", "–", "", "\u3000x\u3000", None, "-1"]) == [
        "a",
        None,
        None,
        None,
        None,
        "x",
        None,
        "-1",
    ]


def _analyse_file(path: str, limits: readers.Limits) -> None:
    resource_id = str(uuid.uuid4())
    raw = f"raw_0_{resource_id}"
    connection = status.connect()
    try:
        (sheet,) = readers.open_sheets(path, readers.sniff_format(path, None), limits)[:1]
        jobs._analyse(sheet, limits, connection, raw, resource_id)
    finally:
        jobs._drop_raw(connection, [raw])
        connection.close()


def test_the_row_limit_stops_the_stream_with_a_clear_message(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("ปี,จำนวน\n2564,1\n2565,2\n2566,3\n", encoding="utf-8")
    with pytest.raises(readers.IngestError, match="more than 2 rows"):
        _analyse_file(str(path), readers.Limits(max_rows=2))


def test_a_long_workbook_cell_names_its_row_and_column(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["จังหวัด", "หมายเหตุ"])
    book.active.append(["เชียงใหม่", "สั้น"])
    book.active.append(["ลำปาง", "ยาว" * 20])
    path = tmp_path / "long.xlsx"
    book.save(path)
    with pytest.raises(readers.IngestError) as raised:
        _analyse_file(str(path), readers.Limits(max_cell_chars=10))
    assert (raised.value.row, raised.value.column) == (3, "หมายเหตุ")
    assert "more than 10 characters" in str(raised.value)
