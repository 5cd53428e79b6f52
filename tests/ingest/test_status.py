"""What the status shows while a load runs: a translated label for every
phase, and a percentage during reading estimated from the bytes read."""

from __future__ import annotations

import gettext
import itertools
import pathlib

import pytest

import ckanext.opendata_th
from ckanext.opendata_th.ingest import jobs, readers, status
from ckanext.opendata_th.ingest.readers import Limits
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

CATALOGUE = pathlib.Path(ckanext.opendata_th.__file__).parent / "i18n/th/LC_MESSAGES/ckanext-opendata_th.mo"


def test_every_phase_has_a_thai_label():
    with open(CATALOGUE, "rb") as compiled:  # compiled at install by bin/install.sh
        thai = gettext.GNUTranslations(compiled)
    untranslated = [msgid for msgid in status.PHASES.values() if thai.gettext(msgid) == msgid]
    assert untranslated == []
    phases_written = {"queued", "fetching", "reading", "analysing", "typing", "loading", "swapping"}
    phases_written |= {"complete", "unchanged", "failed", "interrupted"}
    assert set(status.PHASES) == phases_written


def test_the_row_count_is_estimated_from_the_bytes_read(tmp_path):
    path = tmp_path / "big.csv"
    lines = ["จังหวัด,จำนวน"] + [f"จังหวัดที่ {i},{i * 7}" for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (sheet,) = readers.open_sheets(str(path), "csv", Limits())
    assert jobs.estimate_rows(100, sheet.meta) is None  # nothing read yet

    with sheet.open_rows() as rows:
        read = sum(1 for _ in itertools.islice(rows, 5_001)) - 1  # less the header
        estimate = jobs.estimate_rows(read, sheet.meta)
        assert estimate is not None
        assert 20_001 * 0.9 <= estimate <= 20_001 * 1.1
        near_end = read + sum(1 for _ in itertools.islice(rows, 14_000))
        assert 20_001 * 0.98 <= jobs.estimate_rows(near_end, sheet.meta) <= 20_001 * 1.02  # closer with more read
        assert jobs.estimate_rows(read, {**sheet.meta, "bytes_read": lambda: 1 << 40}) == read  # never below rows read
    assert jobs.estimate_rows(read, sheet.meta) is None  # closed: no position to go by


def test_percent_is_capped_below_100_while_only_estimated():
    reading = status.public_view({"phase": "reading", "rows_done": 120, "rows_total": 100})
    assert (reading["percent"], reading["rows_total_estimated"]) == (99, True)
    loading = status.public_view({"phase": "loading", "rows_done": 100, "rows_total": 100})
    assert (loading["percent"], loading["rows_total_estimated"]) == (100, False)
    assert status.public_view({"phase": "fetching", "rows_done": 0, "rows_total": None})["percent"] is None


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false")  # no job: the test sets the status
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_resource_page_in_thai_shows_the_phase_and_the_estimated_percentage(app, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    agency = api_post(app, "organization_create", token, name="dop", title="กรมกิจการผู้สูงอายุ")["result"]
    dataset = dataset_dict(name="elderly", owner_org=agency["id"])
    dataset["resources"] = [{"name": "ผู้สูงอายุ", "url": "http://example.com/elderly.csv", "format": "CSV"}]
    dataset = api_post(app, "package_create", token, **dataset)["result"]
    resource_id = dataset["resources"][0]["id"]
    page_url = f"/th/dataset/{dataset['id']}/resource/{resource_id}"

    # A running load holds its lock (jobs.run_job); without it the status says "interrupted".
    with status.load_lock(resource_id):
        status.update(resource_id, state=status.RUNNING, phase="reading", rows_done=50, rows_total=200)
        page = app.get(page_url).get_data(as_text=True)
        assert "กำลังอ่านแถวข้อมูล" in page and ">reading<" not in page
        assert "50 จากประมาณ 200 แถว (ร้อยละ 25 ประมาณจากส่วนของไฟล์ที่อ่านแล้ว)" in page
        api = api_get(app, "opendata_th_ingest_status", None, resource_id=resource_id)["result"]
        assert (api["phase"], api["phase_label"], api["percent"], api["rows_total_estimated"]) == (
            "reading",
            "Reading the rows",
            25,
            True,
        )

        status.update(resource_id, phase="loading", rows_done=150, rows_total=200)
        page = app.get(page_url).get_data(as_text=True)
        assert "กำลังเขียนตาราง" in page
        assert "ร้อยละ 75" in page and "ประมาณ" not in page

    # The lock is gone, as when a worker is killed: the page says the load was interrupted.
    page = app.get(page_url).get_data(as_text=True)
    assert "ถูกขัดจังหวะ" in page and "กำลังเขียนตาราง" not in page


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_load_that_ends_between_two_reads_is_not_shown_interrupted():
    resource_id = "race-0000-0000-0000-000000000000"
    status.update(resource_id, state=status.RUNNING, phase="loading")
    read_while_running = status.get(resource_id)
    # The job writes its final state and releases its lock before the lock lookup.
    status.update(resource_id, state=status.COMPLETE, phase="complete")
    shown = status.checked(read_while_running)
    assert shown is not None
    assert shown["state"] == status.COMPLETE
    assert shown["phase"] == "complete"


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_running_load_without_its_lock_is_still_shown_interrupted():
    resource_id = "dead-0000-0000-0000-000000000000"
    status.update(resource_id, state=status.RUNNING, phase="loading")
    shown = status.checked(status.get(resource_id))
    assert shown is not None
    assert (shown["state"], shown["phase"]) == (status.ERROR, "interrupted")
