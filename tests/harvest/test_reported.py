"""Nothing is skipped or changed in silence: each record not imported as it is gets an entry.

A GD Catalog-shaped stub (Thai display values) serves one record taken as
it is, one adjusted (a format outside the list, a field this catalogue has
not, an uploaded file left at the source), one public at the source but
internal by its own category, and one refused (internal, no consent).  The
status page (Thai and /en/), the status API (both languages) and
ckanext-harvest's job report list every one but the first, with its remote
name, what happened and why.
"""

from __future__ import annotations

import copy
import html
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from ckan.tests.helpers import call_action

from tests import outside
from tests.harvest.conftest import CENTRAL_PLUGINS, Central, central_show
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins"),
]

_BASE: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "gdc_records.json").read_text("utf-8"))[0]


def _record(suffix: str, **fields: Any) -> dict[str, Any]:
    record = copy.deepcopy(_BASE)
    record.pop("extras")
    record["resources"][0].pop("url_type")
    record.update(id=f"rec-{suffix}", name=f"remote-{suffix}", title=f"ชุดข้อมูล {suffix}", **fields)
    return record


ACCEPTED = _record("accepted")
ADJUSTED = _record("adjusted", data_format=["CSV", "GeoPackage"], version="2.0")
ADJUSTED["resources"][0]["url_type"] = "upload"
PRIVATISED = _record("privatised", data_category="ข้อมูลใช้ภายใน", data_classification="ชั้นเผยแพร่ภายในองค์กร")
PRIVATISED["allow_harvest"] = "ยินยอม"
REFUSED = _record("refused", data_category="ข้อมูลใช้ภายใน", data_classification="ชั้นเผยแพร่ภายในองค์กร", private=True)
RECORDS = [ACCEPTED, ADJUSTED, PRIVATISED, REFUSED]
REAL_RECORD = outside.gdc_records()


class _GdCatalog(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body, ensure_ascii=False).encode())

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path.endswith("/package_search"):
            served: list[dict[str, Any]] = self.server.records  # type: ignore[attr-defined]
            listing = [{"id": r["id"], "metadata_modified": r["metadata_modified"]} for r in served]
            start = int(params.get("start", 0))
            page = listing[start : start + int(params.get("rows", 1000))]
            self._answer(200, {"success": True, "result": {"count": len(listing), "results": page}})
        elif url.path.endswith("/package_show"):
            record = next((r for r in self.server.records if r["id"] == params.get("id")), None)  # type: ignore[attr-defined]
            self._answer(200 if record else 404, {"success": bool(record), "result": record})
        else:
            self._answer(404, {})


def _serve(records: list[dict[str, Any]]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GdCatalog)
    server.records = records  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def gd_catalog() -> Iterator[str]:
    yield from _serve(RECORDS)


@pytest.fixture
def data_go_th() -> Iterator[str]:
    """The real data.go.th record (GD Catalog 2.x, no classification, 1.x extras, uploaded files)."""
    yield from _serve([json.loads(REAL_RECORD.read_text("utf-8").splitlines()[0])])


def _codes(status: dict[str, Any]) -> dict[str, set[str]]:
    return {entry["remote_name"]: {note["code"] for note in entry["notes"]} for entry in status["reported"]}


def test_every_record_not_imported_as_it_is_has_an_entry(gd_catalog: str, central: Central, app: Any):
    source = central.source(gd_catalog)

    central.harvest(source["id"])

    status = api_get(app, "opendata_th_harvest_status", token=central.sysadmin["token"], id=source["id"])["result"]
    counts = status["last_run"]["counts"]
    assert (counts["created"], counts["skipped"], counts["failed"]) == (3, 1, 0), counts
    assert status["last_run"]["record_errors"] == []  # notes are not failures
    assert _codes(status) == {
        "remote-adjusted": {"to_other", "field_dropped", "upload_kept_remote"},
        "remote-privatised": {"metadata_only", "made_private"},
        "remote-refused": {"no_consent"},
    }
    by_name = {entry["remote_name"]: entry for entry in status["reported"]}
    assert by_name["remote-refused"]["source_identifier"] == "rec-refused"
    # the API carries both languages
    notes = {note["code"]: note for entry in status["reported"] for note in entry["notes"]}
    assert notes["to_other"]["what"] == "data_format ถูกกำหนดเป็น “อื่นๆ” / data_format set to “other”"
    assert "GeoPackage" in notes["to_other"]["why"] and "version" in notes["field_dropped"]["what"]
    assert notes["no_consent"]["what"] == "ไม่ได้นำเข้า / Not imported"
    assert "allow_harvest" in notes["no_consent"]["why"] and " / " in notes["no_consent"]["why"]

    # what was saved is what the entries say
    adjusted = central_show("remote-adjusted")
    assert adjusted["private"] is False and adjusted["data_format"] == ["csv", "other"]
    assert adjusted["data_format_other"] == "GeoPackage"
    assert adjusted["resources"][0]["url"] == ADJUSTED["resources"][0]["url"]
    privatised = central_show("remote-privatised")
    assert privatised["private"] is True and privatised["resources"] == []
    assert central_show("remote-accepted")["private"] is False

    # the status page, in the reader's language
    headers = {"Authorization": central.sysadmin["token"]}
    thai = app.get(f"/th/harvest/{source['name']}/status", headers=headers).get_data(as_text=True)
    english = app.get(f"/en/harvest/{source['name']}/status", headers=headers).get_data(as_text=True)
    for name in ("remote-adjusted", "remote-privatised", "remote-refused"):
        assert name in thai and name in english
    assert "remote-accepted" not in thai and "rec-accepted" not in english
    assert "ระเบียนที่ไม่ได้นำเข้า หรือนำเข้าต่างจากแหล่งข้อมูล" in thai
    assert html.escape("data_format ถูกกำหนดเป็น “อื่นๆ”") in thai and "เป็นสาธารณะที่แหล่งข้อมูล แต่เป็นส่วนตัวที่นี่" in thai
    assert "ไม่ได้นำเข้า" in thai and "Not imported" not in thai
    assert html.escape("data_format set to “other”") in english and "Public at the source, private here" in english
    assert "Not imported" in english and "ไม่ได้นำเข้า" not in english

    # ckanext-harvest's job report lists the same records, named, with the reasons in both languages
    report = call_action("harvest_job_report", context={"user": central.sysadmin["name"]}, id=status["last_run"]["id"])
    messages = {
        entry["guid"]: [error["message"] for error in entry["errors"]] for entry in report["object_errors"].values()
    }
    assert set(messages) == {"rec-adjusted", "rec-privatised", "rec-refused"}
    assert messages["rec-refused"] == [f"remote-refused: {notes['no_consent']['what']}: {notes['no_consent']['why']}"]
    assert any("GeoPackage" in message for message in messages["rec-adjusted"])

    # a later run that finds nothing changed keeps the entries: the refused record is still not here
    again = central.harvest(source["id"])
    assert again["last_run"]["counts"]["created"] == 0
    assert _codes(again) == _codes(status)


def test_a_public_record_without_classification_is_public_here(data_go_th: str, central: Central, app: Any):
    source = central.source(data_go_th)

    central.harvest(source["id"])

    status = api_get(app, "opendata_th_harvest_status", token=central.sysadmin["token"], id=source["id"])["result"]
    assert status["last_run"]["counts"]["created"] == 1, status
    dataset = central_show("covid-19-daily")
    assert dataset["private"] is False and dataset["data_classification"] == "open"
    assert len(dataset["resources"]) == 14
    (entry,) = status["reported"]
    assert entry["remote_name"] == "covid-19-daily"
    codes = [note["code"] for note in entry["notes"]]
    uploads = [r for r in json.loads(REAL_RECORD.read_text("utf-8").splitlines()[0])["resources"] if r.get("url_type")]
    assert len(uploads) == 12 and all(r["url_type"] == "upload" for r in uploads)
    assert "classification_defaulted" in codes and codes.count("upload_kept_remote") == len(uploads)
    assert {"code": "field_dropped", "values": {"field": "telephone_number"}}.items() <= next(
        note for note in entry["notes"] if note["code"] == "field_dropped"
    ).items()
    assert "metadata_only" not in codes and "made_private" not in codes
    defaulted = next(note for note in entry["notes"] if note["code"] == "classification_defaulted")
    assert defaulted["what"].startswith("กำหนดชั้นข้อมูลเป็น") and "Open" in defaulted["what"]
    english = app.get(
        f"/en/harvest/{source['name']}/status", headers={"Authorization": central.sysadmin["token"]}
    ).get_data(as_text=True)
    assert "Classification set to" in english and "covid-19-daily" in english
