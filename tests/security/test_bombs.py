"""Hostile input files fail fast with a clear message, not a raw internal error or an hour of the worker.

The bombs are built on the fly (streaming writes into a zip), never committed.
"""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ckanext.opendata_th.ingest import budget, readers, status
from ckanext.opendata_th.ingest.readers import IngestError, Limits
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post
from tests.ingest.test_jobs import upload, work
from tests.ingest.test_readers import ods, ods_cell

MB = 1 << 20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
STRINGS = "xl/sharedStrings.xml"
# A minimal XLSX whose one sheet refers to shared strings 0..2 (header "name", "value"; a row "x", 7).
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
    f'<Override PartName="/{STRINGS}" ContentType="{CT}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>',
}


def xlsx_bomb(path: Path, strings_bytes: int, pad: int = 1500, tiny: bool = False, sheet: str | None = None) -> Path:
    """An XLSX whose shared strings inflate to `strings_bytes`, written in streaming chunks.

    With pad=1500 each string is 1,500 "A"s and a random number: the part
    compresses about 150:1, like the reported 3 MB file that inflated to
    423 MB, below the old ratio guard (200:1).  `tiny` writes short random
    strings instead (many strings, for the count limit).
    """
    rnd = random.Random(13)  # noqa: S311  (filler text, not a secret)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in PARTS.items():
            out.writestr(name, sheet if sheet and name == "xl/worksheets/sheet1.xml" else text)
        with out.open(STRINGS, "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
            part.write(b"<si><t>name</t></si><si><t>value</t></si><si><t>x</t></si>")
            written = 0
            while written < strings_bytes:
                if tiny:
                    chunk = "".join(f"<si><t>ก{rnd.getrandbits(16):x}</t></si>" for _ in range(1000)).encode()
                else:
                    chunk = "".join(f"<si><t>{'A' * pad}{rnd.getrandbits(40):x}</t></si>" for _ in range(200)).encode()
                part.write(chunk)
                written += len(chunk)
            part.write(b"</sst>")
    return path


def _read_all(path: Path, limits: Limits) -> list[list[object]]:
    rows: list[list[object]] = []
    for sheet in readers.open_sheets(str(path), readers.sniff_format(str(path), None), limits):
        with sheet.open_rows() as opened:
            rows.extend(list(row) for row in opened)
    return rows


def _fails(path: Path, limits: Limits) -> tuple[IngestError, float]:
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        _read_all(path, limits)
    return caught.value, time.monotonic() - started


# --- zip bombs ---------------------------------------------------------------------------


def test_the_reported_shared_strings_bomb_fails_at_once_by_its_declared_size(tmp_path):
    # 150:1 passed the ratio guard; the shared strings part is bounded whatever the ratio.
    path = xlsx_bomb(tmp_path / "bomb.xlsx", 24 * MB)
    assert path.stat().st_size < 300 * 1024
    error, seconds = _fails(path, Limits(max_shared_strings_bytes=16 * MB))
    assert error.msgid == "The shared text of the workbook (%(part)s) unpacks to more than %(limit)s MB"
    assert error.params["limit"] == 16 and error.params["part"] == STRINGS
    assert seconds < 1


def test_a_part_is_bounded_by_the_bytes_really_inflated_not_only_the_directory(tmp_path):
    # The directory check is skipped (as for a directory that lies): counting alone stops it.
    path = xlsx_bomb(tmp_path / "bomb.xlsx", 24 * MB)
    limits = Limits(max_shared_strings_bytes=4 * MB)
    started = time.monotonic()
    with open(path, "rb") as f, pytest.raises(IngestError) as caught:
        readers._open_xlsx(f, limits)
    assert caught.value.msgid == "The shared text of the workbook (%(part)s) unpacks to more than %(limit)s MB"
    assert time.monotonic() - started < 5  # stopped after ~4 MB, not 24


def test_a_zip_directory_that_understates_a_part_fails_as_damaged(tmp_path):
    path = xlsx_bomb(tmp_path / "liar.xlsx", 8 * MB)
    data = bytearray(path.read_bytes())
    # The central directory entry of the shared strings claims 100 KB (zip64 extra: the 8-byte sizes).
    entry = _central_entry(data, STRINGS)
    extra_at = entry + 46 + len(STRINGS)
    if struct.unpack_from("<I", data, entry + 24)[0] == 0xFFFFFFFF:
        assert struct.unpack_from("<H", data, extra_at)[0] == 1  # the zip64 extra field
        struct.pack_into("<Q", data, extra_at + 4, 100_000)
    else:
        struct.pack_into("<I", data, entry + 24, 100_000)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo(STRINGS).file_size == 100_000
    error, seconds = _fails(path, Limits(max_shared_strings_bytes=4 * MB))
    assert error.msgid == "The workbook is damaged or truncated"
    assert seconds < 2


def _central_entry(data: bytearray, name: str) -> int:
    at = -1
    while True:
        at = data.index(b"PK\x01\x02", at + 1)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == name.encode():
            return at


def test_the_number_of_shared_strings_is_bounded(tmp_path):
    path = xlsx_bomb(tmp_path / "many.xlsx", 2 * MB, tiny=True)  # ~90,000 strings
    error, seconds = _fails(path, Limits(max_shared_strings=10_000))
    assert error.msgid == "The workbook has more than %(limit)s distinct texts (shared strings)"
    assert error.params["limit"] == 10_000
    assert seconds < 5


def test_a_workbook_within_its_budgets_still_reads(tmp_path):
    path = xlsx_bomb(tmp_path / "fine.xlsx", 1 * MB)
    assert _read_all(path, Limits(max_shared_strings_bytes=4 * MB)) == [["name", "value"], ["x", 7]]


def test_an_ods_whose_repeats_expand_to_a_billion_cells_fails_at_once(tmp_path):
    # 1.5 KB that calamine would build as 1,000,000 x 1,000 cells when it opens the file.
    rows = (
        "<table:table-row>" + ods_cell("a") + ods_cell("b") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    path = tmp_path / "repeats.ods"
    path.write_bytes(ods(rows))
    assert path.stat().st_size < 4096
    error, seconds = _fails(path, Limits())
    assert (
        error.msgid == "A sheet of the workbook spans more than %(limit)s cells (%(rows)s rows by %(columns)s columns)"
    )
    assert (error.params["rows"], error.params["columns"]) == (1_000_001, 1000)
    assert seconds < 1


def test_a_sheet_dimension_of_16384_columns_is_not_taken_at_its_word(tmp_path):
    # A few bytes of <dimension> would pad each of the 300,000 rows (most made up) to 16,384 cells.
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c></row>'
        '<row r="300000"><c r="A300000"><v>8</v></c></row></sheetData></worksheet>'
    )
    path = xlsx_bomb(tmp_path / "wide.xlsx", 0, sheet=sheet)
    started = time.monotonic()
    rows = _read_all(path, Limits())
    assert time.monotonic() - started < 10
    assert rows[:2] == [["name", "value"], ["x", 7]] and rows[-1] == [8]
    assert max(len(row) for row in rows) == 2


# --- time and memory of a load ------------------------------------------------------------


def test_a_load_past_its_time_budget_stops_itself(tmp_path):
    path = xlsx_bomb(tmp_path / "slow.xlsx", 30 * MB)
    started = time.monotonic()
    with budget.active(budget.Budget(seconds=0.5, memory_bytes=1 << 40)):
        error, _ = _fails(path, Limits())
    assert error.msgid == budget.TIME_MESSAGE
    assert time.monotonic() - started < 2.5  # reading all 30 MB takes several seconds


# Run in a fresh interpreter: in a long test session the heap holds pages that
# earlier tests freed, and a load could grow into them without the resident
# size moving, as a freshly forked work-horse does not.
_MEMORY_PROBE = """
import json, sys
from ckanext.opendata_th.ingest import budget, readers
from ckanext.opendata_th.ingest.readers import IngestError, Limits

def read_all(path):
    count = 0
    for sheet in readers.open_sheets(path, readers.sniff_format(path, None), Limits()):
        with sheet.open_rows() as opened:
            count += sum(1 for _ in opened)
    return count

limit = budget.resident_bytes() + 16 * 2**20
with budget.active(budget.Budget(seconds=60, memory_bytes=limit)):
    small = read_all(sys.argv[1])
    try:
        read_all(sys.argv[2])
        error = None
    except IngestError as caught:
        error = caught.msgid
print(json.dumps({"small": small, "error": error, "over": budget.resident_bytes() - limit}))
"""


def test_a_load_past_its_memory_budget_stops_itself(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n" + "1,2\n" * 50_000)
    bomb = xlsx_bomb(tmp_path / "fat.xlsx", 40 * MB)  # its shared strings fill the 16 MB
    probe = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path), str(bomb)], capture_output=True, text=True, check=True
    )
    outcome = json.loads(probe.stdout)
    assert outcome["small"] == 50_001  # well within it
    assert outcome["error"] == budget.MEMORY_MESSAGE
    assert outcome["over"] < 30 * MB  # stopped near the limit, not after 40+ MB


# --- text files -------------------------------------------------------------------------------


def test_deeply_nested_json_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(IngestError) as caught:
        readers.open_sheets(str(path), "json", Limits())
    assert caught.value.msgid == "The JSON is nested too deeply; rows must be a flat array of objects"


NUL_MESSAGE = "Line %(line)s of the file holds a NUL character (a zero byte): the file is damaged or not a text table"


@pytest.mark.parametrize("encoding", ["utf-8", "cp874", "utf-16"])
def test_a_nul_byte_after_the_first_4_kb_fails_with_its_line(tmp_path, encoding):
    lines = ["จังหวัด,จำนวน"] + [f"กรุงเทพมหานคร,{i}" for i in range(1, 400)] + ["เชียงใหม่,1\x002", "ลำปาง,3"]
    path = tmp_path / "nul.csv"
    text = "\n".join(lines)
    assert len(text[: text.index("\x00")].encode(encoding)) > 4096  # past what the binary sniff looks at
    path.write_bytes(text.encode(encoding))
    with pytest.raises(IngestError) as caught:
        readers.open_sheets(str(path), "csv", Limits())
    assert caught.value.msgid == NUL_MESSAGE
    assert caught.value.params["line"] == 401


# --- through the job, on the page and in the API ----------------------------------------------


SHARED_TEXT_EN = "The shared text of the workbook (xl/sharedStrings.xml) unpacks to more than 8 MB"
SHARED_TEXT_TH = "ข้อความที่ใช้ร่วมกันของสมุดงาน (xl/sharedStrings.xml) เมื่อคลายการบีบอัดแล้วใหญ่เกิน 8 MB"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.opendata_th.ingest.max_shared_strings_mb", "8")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis")
def test_a_zip_bomb_upload_fails_fast_in_both_languages_and_the_worker_loads_the_next_file(
    app, tmp_path, sysadmin_with_token
):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="elderly", owner_org=agency["id"]))["result"]
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", 24 * MB).read_bytes()
    bad = upload(app, token, bomb, "bomb.xlsx", package_id=dataset["id"], name="bomb", format="XLSX")
    good = upload(app, token, "จังหวัด,จำนวน\nลำปาง,3\n".encode(), "ok.csv", package_id=dataset["id"], name="ok")

    started = time.monotonic()
    work()  # both jobs, one worker
    assert time.monotonic() - started < 60

    row = status.get(bad["id"])
    assert (row["state"], row["phase"]) == (status.ERROR, "failed")
    assert (row["finished_at"] - row["started_at"]).total_seconds() < 5
    assert status.get(good["id"])["state"] == status.COMPLETE  # the worker went on to the next job

    error = api_get(app, "opendata_th_ingest_status", token, resource_id=bad["id"])["result"]["error"]
    assert (error["message_th"], error["message_en"]) == (SHARED_TEXT_TH, SHARED_TEXT_EN)
    assert error["message"] == f"{SHARED_TEXT_TH} / {SHARED_TEXT_EN}"
    assert "params" not in error

    page = f"/dataset/{dataset['id']}/resource/{bad['id']}"
    thai = app.get(f"/th{page}", headers={"Authorization": token}).get_data(as_text=True)
    english = app.get(page, headers={"Authorization": token}).get_data(as_text=True)
    assert SHARED_TEXT_TH in thai and SHARED_TEXT_EN not in thai
    assert SHARED_TEXT_EN in english and SHARED_TEXT_TH not in english


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis")
@pytest.mark.parametrize(
    ("message_en", "message_th"),
    [
        pytest.param(
            "The load took longer than its budget of 1 seconds and was stopped",
            "การนำเข้าข้อมูลใช้เวลาเกินที่กำหนดไว้ 1 วินาที จึงถูกหยุด",
            marks=pytest.mark.ckan_config("ckanext.opendata_th.ingest.max_seconds", "1"),
            id="time",
        ),
        pytest.param(
            "Reading the file needed more than 1 MB of memory and was stopped",
            "การอ่านไฟล์ต้องใช้หน่วยความจำเกิน 1 MB จึงถูกหยุด",
            marks=pytest.mark.ckan_config("ckanext.opendata_th.ingest.max_memory_mb", "1"),
            id="memory",
        ),
    ],
)
def test_a_load_past_its_configured_budget_stops_itself_with_a_bilingual_message(
    app, tmp_path, sysadmin_with_token, message_en, message_th
):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="elderly", owner_org=agency["id"]))["result"]
    slow = xlsx_bomb(tmp_path / "slow.xlsx", 40 * MB).read_bytes()  # within every size limit; ~10 s to read
    resource = upload(app, token, slow, "slow.xlsx", package_id=dataset["id"], name="slow", format="XLSX")

    work()

    row = status.get(resource["id"])
    assert row["state"] == status.ERROR
    assert (row["finished_at"] - row["started_at"]).total_seconds() < 5
    error = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]["error"]
    assert (error["message_en"], error["message_th"]) == (message_en, message_th)


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis")
def test_a_csv_with_a_nul_byte_after_4_kb_fails_with_its_line_not_a_database_error(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="elderly", owner_org=agency["id"]))["result"]
    lines = ["จังหวัด,จำนวน"] + [f"กรุงเทพมหานคร,{i}" for i in range(1, 400)] + ["เชียงใหม่,1\x002"]
    resource = upload(app, token, "\n".join(lines).encode(), "nul.csv", package_id=dataset["id"], name="nul")

    work()

    error = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]["error"]
    assert error["message_en"] == NUL_MESSAGE % {"line": 401}
    assert error["message_th"].startswith("บรรทัดที่ 401 ของไฟล์มีอักขระ NUL")
    assert "CharacterNotInRepertoire" not in error["message"]
