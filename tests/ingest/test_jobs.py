"""Upload -> job (real Redis queue) -> typed DataStore table, through the action API."""

from __future__ import annotations

import csv
import io
import itertools

import ckan.lib.jobs as ckan_jobs
import openpyxl
import pytest

from ckanext.opendata_th.ingest import bulk, fastcsv, jobs, load, status
from tests import outside
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post
from tests.ingest.test_detect import GROUPED, GROUPED_LABELS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

ELDERLY = (
    "ตารางที่ 1 จำนวนผู้สูงอายุจำแนกตามจังหวัด,,,,\r\n"
    "หน่วย: คน,,,,\r\n"
    "รหัสจังหวัด,จังหวัด,จำนวนผู้สูงอายุ (คน),สัดส่วน,วันที่สำรวจ\r\n"
    '10,กรุงเทพมหานคร,"1,234,567",12.5%,15/03/2564\r\n'
    "50,เชียงใหม่ ผู้สูงอายุจำนวนมาก,๓๗๕,๐๐๐,-,1 ต.ค. 65\r\n"
    "01,“จังหวัดทดสอบ”,(12),3.25%,๗ เมษายน พ.ศ. ๒๕๖๖\r\n"
    ",,,,\r\n"
    "ที่มา: กรมกิจการผู้สูงอายุ,,,,\r\n"
)


def work() -> None:
    ckan_jobs.Worker(["default"]).work(burst=True)


@pytest.fixture
def setup(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = api_post(app, "package_create", token, **dataset_dict(name="elderly", owner_org=agency["id"]))["result"]
    return token, dataset


def upload(app, token, data: bytes, filename: str, resource_id: str | None = None, **fields):
    form = {"upload": (io.BytesIO(data), filename), **fields}
    if resource_id:
        form["id"] = resource_id
        action = "resource_patch"
    else:
        action = "resource_create"
    response = app.post(f"/api/3/action/{action}", data=form, headers={"Authorization": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.json["result"]


def search(app, resource_id, token=None, **params):
    return api_get(app, "datastore_search", token, resource_id=resource_id, **params)["result"]


def test_cp874_csv_upload_becomes_a_typed_table(app, setup):
    token, dataset = setup
    resource = upload(
        app,
        token,
        ELDERLY.replace(",๓๗๕,๐๐๐,", ',"๓๗๕,๐๐๐",').encode("cp874"),
        "elderly.csv",
        package_id=dataset["id"],
        name="ผู้สูงอายุ",
    )
    assert status.get(resource["id"])["state"] == status.PENDING

    work()

    result = search(app, resource["id"], sort="_id")
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert types == {
        "_id": "int",
        "รหัสจังหวัด": "text",  # "01" keeps its zero, so the column is text
        "จังหวัด": "text",
        "จำนวนผู้สูงอายุ (คน)": "int4",
        "สัดส่วน": "numeric",
        "วันที่สำรวจ": "date",
    }
    records = result["records"]
    assert [r["รหัสจังหวัด"] for r in records] == ["10", "50", "01"]
    assert [r["จังหวัด"] for r in records][2] == "“จังหวัดทดสอบ”"
    assert [r["จำนวนผู้สูงอายุ (คน)"] for r in records] == [1234567, 375000, -12]
    assert [r["สัดส่วน"] for r in records] == [12.5, None, 3.25]
    assert [r["วันที่สำรวจ"] for r in records] == ["2021-03-15", "2022-10-01", "2023-04-07"]
    assert result["total"] == 3

    info = api_get(app, "datastore_info", token, id=resource["id"])["result"]
    labels = {f["id"]: f.get("info", {}).get("label") for f in info["fields"]}
    assert labels["จำนวนผู้สูงอายุ (คน)"] == "จำนวนผู้สูงอายุ (คน)"
    assert api_get(app, "resource_show", token, id=resource["id"])["result"]["datastore_active"] is True

    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert state["state"] == "complete"
    assert state["rows_done"] == state["rows_total"] == 3
    assert state["duration_seconds"] >= 0
    assert state["notes"] == {"skipped_rows": [8]}

    # Thai full text: a word inside an unspaced Thai cell
    found = search(app, resource["id"], q="ผู้สูงอายุ")
    assert [r["จังหวัด"] for r in found["records"]] == ["เชียงใหม่ ผู้สูงอายุจำนวนมาก"]


# An Air4Thai-style station export: MySQL zero dates, and dates as an English-locale Excel writes them.
STATIONS = (
    "stationID,nameTH,lastUpdate,installed\r\n"
    "01t,ริมถนนพระราม 4,2023-04-01 07:00:00,01-Apr-23\r\n"
    "02t,ห้วยขวาง,0000-00-00 00:00:00,15-Sep-99\r\n"
    "03t,บางนา,2023-04-02 08:00:00,0000-00-00\r\n"
)


@pytest.mark.parametrize("fast", [True, False], ids=["fastcsv", "row-by-row"])
def test_zero_dates_are_nulls_and_english_month_dates_are_dates(app, setup, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(fastcsv, "copy_raw", lambda *args, **kwargs: (_ for _ in ()).throw(fastcsv.Unsupported()))
    token, dataset = setup
    resource = upload(app, token, STATIONS.encode(), "stations.csv", package_id=dataset["id"], name="สถานี")

    work()

    result = search(app, resource["id"], sort="_id")
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert (types["lastUpdate"], types["installed"]) == ("timestamp", "date")
    assert [r["lastUpdate"] for r in result["records"]] == ["2023-04-01T07:00:00.000", None, "2023-04-02T08:00:00.000"]
    assert [r["installed"] for r in result["records"]] == ["2023-04-01", "1999-09-15", None]


def _grouped_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(GROUPED)
    return buffer.getvalue().encode("utf-8")


def _grouped_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in GROUPED:
        sheet.append([cell or None for cell in row])
    for cells in ("A1:G1", "B2:E2", "A2:A3", "G2:G3"):  # as the agency's sheet merges them
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "make", "fast"),
    [("dlt.csv", _grouped_csv, True), ("dlt.csv", _grouped_csv, False), ("dlt.xlsx", _grouped_xlsx, False)],
    ids=["csv-fastcsv", "csv-row-by-row", "xlsx-merged"],
)
def test_grouped_headers_name_each_column_and_the_figures_stay_numbers(app, setup, monkeypatch, filename, make, fast):
    if not fast:
        monkeypatch.setattr(fastcsv, "copy_raw", lambda *args, **kwargs: (_ for _ in ()).throw(fastcsv.Unsupported()))
    token, dataset = setup
    resource = upload(app, token, make(), filename, package_id=dataset["id"], name="รถจดทะเบียน")

    work()

    result = search(app, resource["id"], sort="_id")
    fields = [f for f in result["fields"] if f["id"] != "_id"]
    assert [f["type"] for f in fields] == ["text"] + ["int4"] * 6
    # Long Thai names are shortened to PostgreSQL's 63 bytes in the column id; the label keeps them whole.
    info = api_get(app, "datastore_info", token, id=resource["id"])["result"]
    assert [f["info"]["label"] for f in info["fields"] if f["id"] != "_id"] == GROUPED_LABELS
    ids = [f["id"] for f in fields]
    rows = [[record[column] for column in ids] for record in result["records"]]
    assert rows == [
        ["รถยนต์นั่งส่วนบุคคลไม่เกิน 7 คน", 1234567, 2345678, 1111111, 222222, 98765, 5012343],
        ["รถจักรยานยนต์", 21000000, 0, 0, 0, 123456, 21123456],
    ]


def test_the_real_department_of_land_transport_workbook_loads_with_its_grouped_headers(app, setup):
    token, dataset = setup
    data = outside.real_file("dlt_new_cars_by_brand_2559.xls").read_bytes()
    resource = upload(app, token, data, "dlt_new_cars_by_brand_2559.xls", package_id=dataset["id"], name="รถใหม่")

    work()

    info = api_get(app, "datastore_info", token, id=resource["id"])["result"]
    columns = [(f["info"]["label"], f["type"]) for f in info["fields"] if f["id"] != "_id"]
    assert columns[2] == ("ความจุกระบอกสูบ – ไม่เกิน 1,300 ซีซี", "int4")
    assert columns[7] == ("รถใช้ – เชื้อเพลิงไฟฟ้า", "int4")
    assert [kind for _label, kind in columns] == ["int4", "text"] + ["int4"] * 7
    first = search(app, resource["id"], sort="_id", limit=1)["records"][0]
    assert first["ยี่ห้อรถ"] == "ALFA ROMEO"
    # "  รวม" under the 65 brands is a total, not a brand: noted, and said on the page in the reader's language.
    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert state["rows_total"] == 65 and state["notes"]["total_rows"] == [74]
    page = app.get(f"/th/dataset/{dataset['id']}/resource/{resource['id']}").get_data(as_text=True)
    assert "แถวผลรวมของไฟล์ (แถวที่ 74) แยกไว้ต่างหากจากข้อมูล" in page


def test_a_code_header_over_row_numbers_is_an_integer_and_real_codes_stay_text(app, setup):
    token, dataset = setup
    lines = ["id,จังหวัด,รหัสไปรษณีย์,รหัสสถานี"]
    lines += [f"{n},จังหวัด {n},{50000 + 100 * n},{7 * n + 3}" for n in range(1, 41)]
    resource = upload(app, token, "\r\n".join(lines).encode(), "stations.csv", package_id=dataset["id"], name="x")

    work()

    types = {f["id"]: f["type"] for f in search(app, resource["id"], limit=1)["fields"]}
    assert types["id"] == "int4"  # 1..40: it counts the rows
    assert (types["รหัสไปรษณีย์"], types["รหัสสถานี"]) == ("text", "text")  # codes, not quantities


def test_reupload_swaps_and_a_failing_load_keeps_the_old_table(app, setup):
    token, dataset = setup
    resource = upload(app, token, "ปี,จำนวน\n2564,1\n2565,2\n".encode(), "a.csv", package_id=dataset["id"], name="a")
    work()
    assert search(app, resource["id"])["total"] == 2

    upload(app, token, "ปี,จำนวน\n2564,1\n2565,2\n2566,3\n".encode(), "a.csv", resource_id=resource["id"])
    work()
    assert search(app, resource["id"])["total"] == 3

    # A binary file: the job fails with a message, the table stays as it was
    upload(app, token, b"\x00\x01\x02\xff" * 100, "a.csv", resource_id=resource["id"])
    work()
    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert state["state"] == "error"
    assert "binary" in state["error"]["message_en"]
    assert search(app, resource["id"])["total"] == 3


def test_killed_load_leaves_the_old_table_and_a_retry_completes(app, setup, monkeypatch):
    token, dataset = setup
    resource = upload(app, token, "ปี,จำนวน\n2564,1\n".encode(), "k.csv", package_id=dataset["id"], name="k")
    work()

    upload(app, token, "ปี,จำนวน\n2564,1\n2565,2\n".encode(), "k.csv", resource_id=resource["id"])
    ckan_jobs.get_queue().empty()

    class Killed(BaseException):
        """Stands for SIGKILL of the worker between staging and swap."""

    def killed(*args, **kwargs):
        raise Killed()

    with monkeypatch.context() as patch:
        patch.setattr(load, "swap", killed)
        with pytest.raises(Killed):
            jobs.run_job(resource["id"])
    assert search(app, resource["id"])["total"] == 1  # still the old table

    jobs.run_job(resource["id"])
    assert search(app, resource["id"])["total"] == 2
    assert status.get(resource["id"])["state"] == status.COMPLETE


def test_bad_value_under_a_type_override_names_row_column_and_value(app, setup):
    token, dataset = setup
    resource = upload(app, token, "รหัส,จำนวน\nA1,5\nA2,6\n".encode(), "o.csv", package_id=dataset["id"], name="o")
    work()
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource["id"],
        force=True,
        fields=[
            {"id": "รหัส", "type": "text", "info": {"type_override": "int", "label": "รหัส"}},
            {"id": "จำนวน", "type": "int4"},
        ],
    )
    api_post(app, "opendata_th_ingest_run", token, resource_id=resource["id"])
    work()
    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert state["state"] == "error"
    assert (state["error"]["row"], state["error"]["column"], state["error"]["value"]) == (2, "รหัส", "A1")
    assert search(app, resource["id"])["total"] == 2


def test_a_type_override_in_the_data_dictionary_reloads_the_table(app, setup):
    token, dataset = setup
    resource = upload(app, token, "เขต,จำนวน\n1,5\n2,6\n".encode(), "t.csv", package_id=dataset["id"], name="t")
    work()
    assert {f["id"]: f["type"] for f in search(app, resource["id"])["fields"]}["เขต"] == "int4"

    # What the data dictionary form posts: same columns, an override on one.
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource["id"],
        force=True,
        fields=[
            {"id": "เขต", "type": "int4", "info": {"type_override": "text", "label": "เขต"}},
            {"id": "จำนวน", "type": "int4", "info": {"label": "จำนวน"}},
        ],
    )
    assert status.get(resource["id"])["state"] == status.PENDING  # queued by the override
    work()
    result = search(app, resource["id"], sort="_id")
    assert {f["id"]: f["type"] for f in result["fields"]}["เขต"] == "text"
    assert [r["เขต"] for r in result["records"]] == ["1", "2"]

    # Saving the dictionary again without a change queues nothing.
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource["id"],
        force=True,
        fields=[
            {"id": "เขต", "type": "text", "info": {"type_override": "text", "label": "เขต"}},
            {"id": "จำนวน", "type": "int4", "info": {"label": "จำนวน"}},
        ],
    )
    assert status.get(resource["id"])["state"] == status.COMPLETE


def test_every_sheet_of_a_workbook_loads(app, setup):
    token, dataset = setup
    book = openpyxl.Workbook()
    first = book.active
    first.title = "ภาคเหนือ"
    first.append(["จังหวัด", "จำนวน"])
    first.append(["เชียงใหม่", 10])
    second = book.create_sheet("ภาคใต้")
    second.append(["จังหวัด", "จำนวน"])
    second.append(["สงขลา", 20])
    second.append(["ภูเก็ต", 30])
    book.create_sheet("ว่าง")
    data = io.BytesIO()
    book.save(data)

    resource = upload(app, token, data.getvalue(), "regions.xlsx", package_id=dataset["id"], name="ภูมิภาค")
    work()

    assert search(app, resource["id"])["records"][0]["จังหวัด"] == "เชียงใหม่"
    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert [s["sheet"] for s in state["sheets"]] == ["ภาคเหนือ", "ภาคใต้"]
    child = state["sheets"][1]["resource_id"]
    assert search(app, child)["total"] == 2
    child_resource = api_get(app, "resource_show", token, id=child)["result"]
    assert child_resource["name"] == "ภูมิภาค – ภาคใต้"
    assert len(api_get(app, "package_show", token, id=dataset["id"])["result"]["resources"]) == 2


def _citizen_id(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def test_personal_data_is_held_back_until_an_officer_decides(app, setup):
    token, dataset = setup
    rows = [f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')},08{i}-234-5678" for i in range(5)]
    resource = upload(
        app,
        token,
        ("ชื่อ,เลขประจำตัวประชาชน,โทรศัพท์\n" + "\n".join(rows)).encode(),
        "p.csv",
        package_id=dataset["id"],
        name="p",
    )
    work()

    state = api_get(app, "opendata_th_ingest_status", token, resource_id=resource["id"])["result"]
    assert state["pdpa_state"] == "pending"
    # the names sit next to citizen ids: personal too
    assert {c["kind"] for c in state["pii_columns"]} == {"name", "citizen_id", "phone"}
    api_get(app, "datastore_search", None, status=403, resource_id=resource["id"])
    assert search(app, resource["id"], token)["total"] == 5  # the officer can review it

    api_post(app, "opendata_th_ingest_pdpa_decide", token, resource_id=resource["id"], decision="mask")
    work()
    records = search(app, resource["id"])["records"]  # anonymous again
    assert records[0]["เลขประจำตัวประชาชน"].startswith("xxxxxxxxxx")
    assert records[0]["โทรศัพท์"].startswith("xxxx")
    assert records[0]["ชื่อ"].startswith("xxxxx") and "ผู้รับ" not in records[0]["ชื่อ"]


def _personal_csv(extra_header: str = "", extra: str = "") -> bytes:
    rows = [f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')},08{i}-234-5678,เชียงใหม่{extra}" for i in range(5)]
    return (f"ชื่อ,เลขประจำตัวประชาชน,โทรศัพท์,จังหวัด{extra_header}\n" + "\n".join(rows)).encode()


def test_a_masking_load_that_fails_keeps_the_table_closed(app, setup):
    token, dataset = setup
    resource = upload(app, token, _personal_csv(",รหัส", ",A1"), "f.csv", package_id=dataset["id"], name="f")
    work()
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_PENDING

    # An override no value fits: the next loads fail while converting values,
    # after the officer's "mask" is known to the job.
    fields = [{"id": c, "type": "text"} for c in ("ชื่อ", "เลขประจำตัวประชาชน", "โทรศัพท์", "จังหวัด")]
    fields.append({"id": "รหัส", "type": "text", "info": {"type_override": "int", "label": "รหัส"}})
    api_post(app, "datastore_create", token, resource_id=resource["id"], force=True, fields=fields)
    api_post(app, "opendata_th_ingest_pdpa_decide", token, resource_id=resource["id"], decision="mask")
    work()

    row = status.get(resource["id"])
    assert row["state"] == status.ERROR
    assert row["pdpa_state"] == status.PDPA_PENDING
    api_get(app, "datastore_search", None, status=403, resource_id=resource["id"])
    api_get(app, "datastore_info", None, status=403, id=resource["id"])
    assert search(app, resource["id"], token)["total"] == 5  # the officer still sees it


def test_a_held_table_stays_closed_while_its_masking_load_is_queued_or_running(app, setup, monkeypatch):
    token, dataset = setup
    resource = upload(app, token, _personal_csv(), "r.csv", package_id=dataset["id"], name="r")
    work()

    api_post(app, "opendata_th_ingest_pdpa_decide", token, resource_id=resource["id"], decision="drop")
    assert status.get(resource["id"])["state"] == status.PENDING
    api_get(app, "datastore_search", None, status=403, resource_id=resource["id"])
    ckan_jobs.get_queue().empty()

    class Killed(BaseException):
        """Stands for SIGKILL of the worker after staging, before the swap."""

    def killed(*args, **kwargs):
        raise Killed()

    with monkeypatch.context() as patch:
        patch.setattr(load, "swap", killed)
        with pytest.raises(Killed):
            jobs.run_job(resource["id"], force=True)
    assert status.get(resource["id"])["state"] == status.RUNNING
    api_get(app, "datastore_search", None, status=403, resource_id=resource["id"])

    jobs.run_job(resource["id"], force=True)
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_RESOLVED
    result = search(app, resource["id"])  # anonymous: open, without the dropped columns (names included)
    assert {f["id"] for f in result["fields"]} == {"_id", "จังหวัด"}
    assert result["total"] == 5


def test_while_reading_the_status_carries_an_estimated_total(app, setup, monkeypatch):
    token, dataset = setup
    rows = "".join(f"จังหวัดที่ {i},{i}\n" for i in range(5_000))
    resource = upload(app, token, f"จังหวัด,จำนวน\n{rows}".encode(), "e.csv", package_id=dataset["id"], name="e")
    ckan_jobs.get_queue().empty()
    seen: list[tuple[int, int | None, str]] = []
    real_update = status.update

    def recording(resource_id, **values):  # the real update, remembered: what the page polled
        if "rows_total" in values and "rows_done" in values and "phase" not in values:
            seen.append((values["rows_done"], values["rows_total"], status.get(resource_id)["phase"]))
        real_update(resource_id, **values)

    monkeypatch.setattr(bulk, "PROGRESS_EVERY", 1_000)
    monkeypatch.setattr(fastcsv, "BLOCK_SIZE", 8_192)  # pyarrow reads ~230 rows a block: several reports
    monkeypatch.setattr(status, "update", recording)
    jobs.run_job(resource["id"])

    reading = [(done, total) for done, total, phase in seen if phase == "reading"]
    done = [done for done, _ in reading]
    assert len(done) >= 4
    assert done == sorted(set(done))
    assert all(b - a >= 1_000 for a, b in itertools.pairwise([0, *done]))  # no more often than every 1,000 rows
    # From the bytes read: never below the rows read, never far above the real count.
    assert all(total is not None and done <= total <= 5_500 for done, total in reading)
    assert status.get(resource["id"])["rows_total"] == 5_000  # exact once read


def test_a_ragged_file_is_read_row_by_row_with_the_same_progress(app, setup, monkeypatch):
    token, dataset = setup
    rows = "".join(f"จังหวัดที่ {i},{i}\n" if i % 2 else f"จังหวัดที่ {i},{i},\n" for i in range(5_000))
    resource = upload(app, token, f"จังหวัด,จำนวน\n{rows}".encode(), "r.csv", package_id=dataset["id"], name="r")
    ckan_jobs.get_queue().empty()
    seen: list[tuple[int, int | None, str]] = []
    real_update = status.update

    def recording(resource_id, **values):
        if "rows_total" in values and "rows_done" in values and "phase" not in values:
            seen.append((values["rows_done"], values["rows_total"], status.get(resource_id)["phase"]))
        real_update(resource_id, **values)

    monkeypatch.setattr(bulk, "PROGRESS_EVERY", 1_000)
    monkeypatch.setattr(status, "update", recording)
    jobs.run_job(resource["id"])

    reading = [(done, total) for done, total, phase in seen if phase == "reading"]
    assert [done for done, _ in reading] == [1_000, 2_000, 3_000, 4_000, 5_000]
    assert all(total is not None and 4_500 <= total <= 5_500 for _, total in reading)
    assert search(app, resource["id"])["total"] == 5_000
