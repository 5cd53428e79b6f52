"""A public Thai table with a data dictionary, and a live HTTP server of the test app."""

from __future__ import annotations

import dataclasses
import datetime
import socket
import threading
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from werkzeug.serving import make_server

from tests.factories import dataset_dict
from tests.helpers import api_post

PROVINCES = ["กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "สงขลา"]
FIELDS = [
    {"id": "จังหวัด", "type": "text", "info": {"label": "จังหวัด", "label_en": "Province"}},
    {"id": "ปี", "type": "int4", "info": {"label": "ปี พ.ศ.", "label_en": "Year (B.E.)"}},
    {"id": "จำนวน", "type": "numeric", "info": {"label": "จำนวนผู้สูงอายุ", "label_en": "Elderly people"}},
    {"id": "วันที่", "type": "date", "info": {"label": "วันที่สำรวจ", "label_en": "Survey date"}},
    {"id": "หมายเหตุ", "type": "text", "info": {"label": "หมายเหตุ", "label_en": "Note"}},
]


def rows() -> list[dict[str, Any]]:
    """30 rows: 5 provinces x 6 years; the first note is a spreadsheet formula."""
    found = []
    for year in range(2561, 2567):
        for index, province in enumerate(PROVINCES):
            found.append(
                {
                    "จังหวัด": province,
                    "ปี": year,
                    "จำนวน": 1000 * (index + 1) + year - 2560 + 0.5,
                    "วันที่": datetime.date(year - 543, 1 + index, 15).isoformat(),
                    "หมายเหตุ": '=HYPERLINK("http://evil")' if not found else f"แถว {len(found) + 1}",
                }
            )
    return found


@dataclasses.dataclass
class Table:
    token: str
    dataset: dict[str, Any]
    resource_id: str
    org: dict[str, Any]

    @property
    def records_url(self) -> str:
        return f"/api/opendata/v1/resources/{self.resource_id}/records"


def make_table(
    app: Any,
    token: str,
    org: dict[str, Any],
    name: str,
    *,
    fields: list[dict[str, Any]] | None = None,
    records: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> Table:
    dataset = api_post(app, "package_create", token, **dataset_dict(name=name, owner_org=org["id"], **overrides))
    created = api_post(
        app,
        "datastore_create",
        token,
        resource={"package_id": dataset["result"]["id"], "name": "ผู้สูงอายุรายจังหวัด", "format": "CSV"},
        fields=fields or FIELDS,
        records=rows() if records is None else records,
        force=True,
    )["result"]
    shown = api_post(app, "package_show", token, id=name)["result"]
    return Table(token=token, dataset=shown, resource_id=created["resource_id"], org=org)


@pytest.fixture
def sysadmin(app: Any) -> dict[str, Any]:
    user: dict[str, Any] = ckan_factories.SysadminWithToken()
    return user


@pytest.fixture
def agency(app: Any, sysadmin: dict[str, Any]) -> dict[str, Any]:
    org: dict[str, Any] = api_post(app, "organization_create", sysadmin["token"], name="dop", title="กรมกิจการผู้สูงอายุ")
    return org["result"]


@pytest.fixture
def table(app: Any, sysadmin: dict[str, Any], agency: dict[str, Any]) -> Table:
    return make_table(app, sysadmin["token"], agency, "elderly")


@pytest.fixture
def restricted(app: Any, sysadmin: dict[str, Any], agency: dict[str, Any]) -> Table:
    """A confidential table of personal data: its agency's members only."""
    return make_table(
        app,
        sysadmin["token"],
        agency,
        "elderly-names",
        data_category="personal",
        data_classification="confidential",
        private=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test app over real HTTP on a free port; ckan.site_url points at it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setitem(tk.config, "ckan.site_url", base)
    server = make_server("127.0.0.1", port, app.flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=10)
