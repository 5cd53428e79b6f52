"""pyarrow's reader (fastcsv) and the row-by-row reader fill the raw table identically.

Each file goes through jobs._analyse twice, once per path, and everything
the next phases read must be equal: the raw table (_n, _row, cells), the
rows skipped as notes, the number statistics of every column.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from psycopg2 import sql

from ckanext.opendata_th.ingest import bulk, fastcsv, jobs, readers, status
from ckanext.opendata_th.ingest.readers import IngestError, Limits
from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

GOVERNMENT_TABLE = (
    "ตารางที่ 1 จำนวนผู้สูงอายุจำแนกตามจังหวัด,,,,\r\n"
    "หน่วย: คน,,,,\r\n"
    "รหัสจังหวัด,จังหวัด,จำนวน (คน),สัดส่วน,วันที่สำรวจ\r\n"
    '10,กรุงเทพมหานคร,"1,234,567",12.5%,15/03/2564\r\n'
    ",,,,\r\n"
    '50," เชียงใหม่ ผู้สูงอายุ ","๓๗๕,๐๐๐",-,1 ต.ค. 65\r\n'
    "หมายเหตุกลางตาราง,,,,\r\n"
    '01,"“จังหวัด\r\nสองบรรทัด”",(12),3.25%,๗ เมษายน พ.ศ. ๒๕๖๖\r\n'
    "\r\n"
    "02,N/A,\u00a07\u00a0,( 4 %),\r\n"
    "03,–,3000000000,n/a,-\r\n"
    ",,,,\r\n"
    "ที่มา: กรมกิจการผู้สูงอายุ,,,,\r\n"
    "หมายเหตุ: ข้อมูลเบื้องต้น,,,,\r\n"
)
# Whole numbers, fractions, accounting negatives, Thai digits with a
# separator, numbers beyond int4, codes with leading zeros.
NUMBERS = "ก,ข,ค,ง,จ,ฉ\n" + "".join(
    f'{i},{i * 7 % 1000}.5,(1{i:03d}),"๑,{i % 1000:03d}",{3_000_000_000 + i},{i:03d}\n' for i in range(3000)
)


@dataclasses.dataclass
class Loaded:
    rows: list[tuple[object, ...]]
    skipped: list[int]
    stats: list[bulk.NumberStats]
    count: int


def _analyse(path: str, fast: bool, monkeypatch: pytest.MonkeyPatch, limits: Limits | None = None) -> Loaded:
    """The file through jobs._analyse on one path; the raw table read back and dropped."""
    used: list[bool] = []
    real = fastcsv.copy_raw

    def spied(*args, **kwargs):
        count = real(*args, **kwargs)
        used.append(True)
        return count

    with monkeypatch.context() as patch:
        patch.setattr(fastcsv, "copy_raw", spied)
        if not fast:
            patch.setattr(jobs, "_read_fast", lambda *args: False)
        resource_id = str(uuid.uuid4())
        raw = f"raw_0_{resource_id}"
        limits = limits or jobs.limits()
        (sheet,) = readers.open_sheets(path, readers.sniff_format(path, "csv"), limits)
        connection = status.connect()
        try:
            analysis = jobs._analyse(sheet, limits, connection, raw, resource_id)
            assert analysis is not None
            assert used == ([True] if fast else []), "the path under test was not the one taken"
            with connection, connection.cursor() as cursor:
                cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY _n").format(sql.Identifier(status.SCHEMA, raw)))
                rows = cursor.fetchall()
            # A column's statistics count only while it holds numbers (then it is typed from them).
            stats = [s if s.only_numbers else bulk.NumberStats(only_numbers=False) for s in analysis.scan.stats]
            return Loaded(rows, list(analysis.skipped), stats, analysis.rows)
        finally:
            jobs._drop_raw(connection, [raw])
            with connection, connection.cursor() as cursor:
                cursor.execute("DELETE FROM opendata_th_ingest._status WHERE resource_id = %s", (resource_id,))
            connection.close()


def _both(path: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Loaded, Loaded]:
    return _analyse(path, True, monkeypatch), _analyse(path, False, monkeypatch)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp874", ","), ("utf-16", "\t"), ("utf-8", "|")],
)
def test_a_government_table_reads_the_same_on_both_paths(tmp_path, monkeypatch, encoding, delimiter):
    text = GOVERNMENT_TABLE
    if delimiter != ",":
        text = text.replace(",", delimiter).replace(f'"1{delimiter}234{delimiter}567"', '"1,234,567"')
        text = text.replace(f'"๓๗๕{delimiter}๐๐๐"', '"๓๗๕,๐๐๐"')
    path = tmp_path / "table.csv"
    path.write_bytes(text.encode(encoding))
    fast, rows = _both(str(path), monkeypatch)
    assert fast == rows
    assert fast.count == 6
    assert [row[1] for row in fast.rows] == [4, 6, 7, 8, 10, 11]  # record numbers, the note at 7 included
    assert fast.skipped == [13, 14]  # footer notes
    assert fast.rows[1][3] == "เชียงใหม่ ผู้สูงอายุ"
    assert fast.rows[3][3] == "“จังหวัด\r\nสองบรรทัด”"
    assert fast.rows[4][3:] == (None, "7", "( 4 %)", None)


def test_number_statistics_agree_over_many_blocks(tmp_path, monkeypatch):
    path = tmp_path / "numbers.csv"
    path.write_text(NUMBERS, encoding="utf-8")
    monkeypatch.setattr(fastcsv, "BLOCK_SIZE", 4096)  # many blocks: statistics added block by block
    fast, rows = _both(str(path), monkeypatch)
    assert fast == rows
    assert [s.only_numbers for s in fast.stats] == [True, True, True, True, True, False]
    assert fast.stats[4].max_abs_int == 3_000_002_999


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2,3\n4,5\n6,7,8\n",  # a short row
        "a,b\n1,2\n3,4,\n",  # a trailing empty cell
        "t\na,b\n1,2\n",  # a title row of another width
    ],
)
def test_ragged_files_fall_back_to_the_row_reader(tmp_path, monkeypatch, text):
    path = tmp_path / "ragged.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssertionError, match="the path under test was not the one taken"):
        _analyse(str(path), True, monkeypatch)
    assert _analyse(str(path), False, monkeypatch).count >= 2


def test_errors_are_those_of_the_row_reader(tmp_path, monkeypatch):
    extra = tmp_path / "extra.csv"
    # The layout comes from the first 200 rows: a value past the header's last column later on is an error.
    extra.write_text("a,b,\n" + "1,2,\n" * 250 + "3,4,5\n", encoding="utf-8")
    with pytest.raises(IngestError) as found:
        _analyse(str(extra), True, monkeypatch)
    assert found.value.msgid == "Row %(row)s has values beyond the last column of the header"
    assert found.value.row == 252

    big = tmp_path / "big.csv"
    big.write_text("a,b\n1," + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as found:
        _analyse(str(big), True, monkeypatch, Limits(max_cell_chars=100))
    assert found.value.msgid == "Malformed CSV: %(error)s"

    many = tmp_path / "many.csv"
    many.write_text("a,b\n" + "1,2\n" * 50, encoding="utf-8")
    with pytest.raises(IngestError) as found:
        _analyse(str(many), True, monkeypatch, Limits(max_rows=10))
    assert found.value.msgid == "The table has more than %(limit)s rows"
