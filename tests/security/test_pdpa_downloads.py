"""Personal data on every download path while the PDPA guard holds a table, and after "mask" or "drop".

An agency editor uploads a CSV of people (names, citizen ids, house
addresses, bank accounts) to an open dataset.  Until a data officer decides,
its original file is as closed as its table: anonymous readers, registered
users and another agency's admin get 403 from the download URL (with or
without the file name) and 404 from ``/datastore/dump``; the agency's
officers get the file.  After "mask" or "drop" everyone else's download is
the masked table and no full citizen id is in any byte they receive; the
original stays with the agency.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.lib.jobs as ckan_jobs
import pytest

from ckanext.opendata_th.ingest import pdpa, status
from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, create_dataset
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

# Outside the officers: each must get nothing personal from a held or masked resource.
READERS = ("anonymous", "outsider", "other_agency_admin", "member")
OFFICERS = ("editor", "admin", "sysadmin")


def _citizen_id(first12: str) -> str:
    return first12 + next(d for d in "0123456789" if pdpa.is_citizen_id(first12 + d))


CITIZEN_IDS = [_citizen_id(f"3101200{i:05d}") for i in range(6)]
ACCOUNTS = [f"123-4-5678{i}-0" for i in range(6)]
PEOPLE = "ชื่อ,นามสกุล,เลขประจำตัวประชาชน,ที่อยู่,เลขบัญชีธนาคาร,จังหวัด\n" + "".join(
    f"สมชาย{i},ใจดี{i},{CITIZEN_IDS[i]},{i + 1}/3 หมู่ 4 ต.บางพลีใหญ่ อ.บางพลี จ.สมุทรปราการ,{ACCOUNTS[i]},สมุทรปราการ\n"
    for i in range(6)
)
ORIGINAL = PEOPLE.encode()


def work() -> None:
    ckan_jobs.Worker(["default"]).work(burst=True)


def _headers(agency: Agency, who: str) -> dict[str, str]:
    token = agency.token(who)
    return {"Authorization": token} if token else {}


@pytest.fixture
def people(app: Any, agency: Agency) -> dict[str, Any]:
    """The uploaded table of people, loaded and held for the officer's review."""
    dataset = create_dataset(app, agency, name="welfare-recipients")
    response = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": "ผู้รับสวัสดิการ", "upload": (io.BytesIO(ORIGINAL), "people.csv")},
        headers={"Authorization": agency.token("editor")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    resource = response.json["result"]
    work()
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_PENDING
    base = f"/dataset/{dataset['id']}/resource/{resource['id']}/download"
    return {"dataset": dataset, "resource": resource, "urls": [f"{base}/people.csv", base, f"{base}/x.csv?inline=1"]}


def _decide(app: Any, agency: Agency, people: dict[str, Any], decision: str) -> None:
    api_post(
        app,
        "opendata_th_ingest_pdpa_decide",
        agency.token("editor"),
        resource_id=people["resource"]["id"],
        **{"decision": decision},
    )
    work()
    assert status.get(people["resource"]["id"])["pdpa_state"] == status.PDPA_RESOLVED


def _no_citizen_id(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    leaked = [number for number in CITIZEN_IDS if number in text]
    assert not leaked, leaked
    assert "สมชาย" not in text and "123-4-5678" not in text  # names and accounts are personal too


def test_the_new_detections_find_names_addresses_and_bank_accounts(app, agency, people):
    found = api_get(app, "opendata_th_ingest_status", agency.token("editor"), resource_id=people["resource"]["id"])
    kinds = {column["label"]: column["kind"] for column in found["result"]["pii_columns"]}
    assert kinds == {
        "ชื่อ": "name",
        "นามสกุล": "name",
        "เลขประจำตัวประชาชน": "citizen_id",
        "ที่อยู่": "address",
        "เลขบัญชีธนาคาร": "bank_account",
    }


def test_while_held_the_original_file_is_for_the_officers_only(app, agency, people):
    for url in people["urls"]:
        for who in READERS:
            refused = app.get(url, headers=_headers(agency, who), follow_redirects=False)
            assert refused.status_code == 403, (url, who, refused.status_code)
            assert "awaits a data officer" in refused.get_data(as_text=True)
            _no_citizen_id(refused.get_data())
        for who in OFFICERS:
            served = app.get(url, headers=_headers(agency, who))
            assert served.status_code == 200, (url, who)
            assert served.get_data() == ORIGINAL

    thai = app.get(f"/th{people['urls'][0]}")
    assert thai.status_code == 403 and "รอเจ้าหน้าที่ตรวจสอบ" in thai.get_data(as_text=True)


def test_while_held_the_dump_and_the_records_are_closed(app, agency, people):
    resource_id = people["resource"]["id"]
    for who in READERS:
        for path in (f"/datastore/dump/{resource_id}", f"/datastore/dump/{resource_id}?format=json"):
            response = app.get(path, headers=_headers(agency, who))
            assert response.status_code in (403, 404), (path, who)
            _no_citizen_id(response.get_data())
        records = app.get(f"/api/opendata/v1/resources/{resource_id}/records", headers=_headers(agency, who))
        assert records.status_code in (403, 404)
    dump = app.get(f"/datastore/dump/{resource_id}", headers=_headers(agency, "editor"))
    assert dump.status_code == 200 and CITIZEN_IDS[0] in dump.get_data(as_text=True)


def _masked_table(app: Any, agency: Agency, people: dict[str, Any], who: str, url: str) -> list[dict[str, str]]:
    response = app.get(url, headers=_headers(agency, who), follow_redirects=True)
    assert response.status_code == 200, (who, url, response.status_code)
    _no_citizen_id(response.get_data())
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_after_mask_everyone_else_downloads_the_masked_table(app, agency, people):
    _decide(app, agency, people, "mask")
    resource_id = people["resource"]["id"]
    for who in READERS:
        for url in [*people["urls"], f"/datastore/dump/{resource_id}", f"/datastore/dump/{resource_id}?format=tsv"]:
            response = app.get(url, headers=_headers(agency, who), follow_redirects=True)
            assert response.status_code == 200, (who, url)
            _no_citizen_id(response.get_data())
        rows = _masked_table(app, agency, people, who, people["urls"][0])
        assert len(rows) == 6
        assert rows[0]["จังหวัด"] == "สมุทรปราการ"  # what is not personal is published as it is
        assert rows[0]["เลขประจำตัวประชาชน"] == "x" * 10 + CITIZEN_IDS[0][-3:]
        for kind in ("json", "xml"):
            _no_citizen_id(app.get(f"/datastore/dump/{resource_id}?format={kind}", headers=_headers(agency, who)).data)

    for who in OFFICERS:  # the original stays with the agency
        assert app.get(people["urls"][0], headers=_headers(agency, who)).get_data() == ORIGINAL


def test_after_drop_the_dropped_columns_are_in_no_download(app, agency, people):
    _decide(app, agency, people, "drop")
    for who in READERS:
        for url in people["urls"]:
            rows = _masked_table(app, agency, people, who, url)
            assert set(rows[0]) == {"_id", "จังหวัด"} and len(rows) == 6
    assert app.get(people["urls"][1], headers=_headers(agency, "editor")).get_data() == ORIGINAL


def test_after_confirm_the_original_is_public(app, agency, people):
    """The officer published the columns as they are: the file is what the agency chose to publish."""
    api_post(
        app,
        "opendata_th_ingest_pdpa_decide",
        agency.token("editor"),
        resource_id=people["resource"]["id"],
        decision="confirm",
    )
    for who in READERS:
        assert app.get(people["urls"][0], headers=_headers(agency, who)).get_data() == ORIGINAL


def test_a_file_without_personal_data_is_served_to_everyone(app, agency):
    dataset = create_dataset(app, agency, name="provinces")
    plain = "จังหวัด,จำนวน\nเชียงใหม่,1\nลำปาง,2\n".encode()
    response = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": "จังหวัด", "upload": (io.BytesIO(plain), "p.csv")},
        headers={"Authorization": agency.token("editor")},
        content_type="multipart/form-data",
    )
    resource = response.json["result"]
    work()
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_NONE
    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/p.csv"
    assert app.get(url).get_data() == plain
