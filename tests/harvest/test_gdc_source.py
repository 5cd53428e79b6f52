"""A GD Catalog-shaped source: Thai display values in package_show, served by a stub on loopback.

The stub answers the two CKAN API calls the harvester makes with records
shaped like GD Catalog's (display strings, not codes), and one record whose
package_show is not JSON, to show that one bad record does not stop the run.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.harvest.conftest import CENTRAL_PLUGINS, Central, central_show
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the agency catalogue's host
    pytest.mark.usefixtures("with_plugins"),
]

RECORDS: list[dict[str, Any]] = json.loads((Path(__file__).parent / "data" / "gdc_records.json").read_text("utf-8"))
BROKEN_ID = "broken-record"


class _GdCatalog(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path.endswith("/package_search"):
            start = int(params.get("start", 0))
            listing = [{"id": r["id"], "metadata_modified": r["metadata_modified"]} for r in RECORDS]
            listing.append({"id": BROKEN_ID, "metadata_modified": "2024-03-01T00:00:00"})
            page = listing[start : start + int(params.get("rows", 1000))]
            self._answer(
                200, json.dumps({"success": True, "result": {"count": len(listing), "results": page}}).encode()
            )
        elif url.path.endswith("/package_show"):
            if params.get("id") == BROKEN_ID:
                self._answer(200, b'{"success": true, "result": {"id": "broken-record", "title": ')
                return
            record = next((r for r in RECORDS if r["id"] == params.get("id")), None)
            status = 200 if record else 404
            self._answer(status, json.dumps({"success": bool(record), "result": record}, ensure_ascii=False).encode())
        else:
            self._answer(404, b"{}")


@pytest.fixture
def gd_catalog() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GdCatalog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_thai_display_values_become_codes(gd_catalog: str, central: Central, app: Any):
    source = central.source(gd_catalog)

    status = central.harvest(source["id"])["last_run"]

    assert status["counts"]["created"] == 2 and status["counts"]["failed"] == 1, status
    assert [error["source_identifier"] for error in status["record_errors"]] == [BROKEN_ID]
    assert "valid JSON" in status["record_errors"][0]["message"]
    # the failure, the uploaded file left at the source and the inventory entry are each reported
    reported = {entry["source_identifier"]: entry for entry in central.status(source["id"])["reported"]}
    assert reported[BROKEN_ID]["outcome"] == "failed" and "valid JSON" in reported[BROKEN_ID]["notes"][0]["why"]
    assert [note["code"] for note in reported[RECORDS[0]["id"]]["notes"]] == ["upload_kept_remote"]
    assert [note["code"] for note in reported[RECORDS[1]["id"]]["notes"]] == ["metadata_only"]
    public = central_show("population-by-province")
    assert (public["data_type"], public["data_category"], public["data_classification"]) == (
        "statistical",
        "public",
        "open",
    )
    assert (public["update_frequency_unit"], public["geo_coverage"], public["license_id"]) == (
        "year",
        "country",
        "cc-by",
    )
    assert public["objective"] == ["agency_mission"] and public["data_format"] == ["csv"]
    assert public["private"] is False and public["owner_org"] == central.org["id"]
    assert [r["url"] for r in public["resources"]] == [RECORDS[0]["resources"][0]["url"]]
    assert public["resources"][0]["id"] != RECORDS[0]["resources"][0]["id"]
    inventory = central_show("registry-of-officials")
    assert (inventory["data_category"], inventory["data_classification"]) == ("internal", "internal")
    assert inventory["private"] is True and inventory["resources"] == [] and not inventory.get("url")
    api_get(app, "package_show", status=404, id="registry-of-officials")

    # the broken record is retried on the next run; the others are unchanged and not fetched again
    again = central.harvest(source["id"])["last_run"]["counts"]
    assert (again["failed"], again["created"], again["updated"]) == (1, 0, 0), again
