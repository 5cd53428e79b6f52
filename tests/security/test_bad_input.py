"""Bad input answers a clear 4xx, never a 500, a stack trace, SQL or a table's internal name.

Every input the attack on the catalogue found answering 5xx (issue 13), in
this project's views and in CKAN's and other extensions' reached through
the catalogue.  Most are refused by `guard/inputs.py` before any view runs.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from typing import Any

import ckan.lib.jobs as ckan_jobs
import pytest
from ckan.tests import factories as ckan_factories

from ckanext.opendata_th.ingest import pdpa
from tests.conftest import MIGRATED_PLUGINS, PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

CENTRAL_PLUGINS = PLUGINS.replace("opendata_th ", "opendata_th opendata_th_harvest ", 1) + " datatables_view harvest"

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckan.views.default_views", "datatables_view"),
    pytest.mark.usefixtures("with_plugins", "with_test_worker"),
]

DEEP = "[" * 100_000 + "]" * 100_000
LEAKS = ("Traceback", "psycopg2", "sqlalchemy", "SELECT ", 'File "/', "_table_metadata", "CharacterNotInRepertoire")


@dataclasses.dataclass
class World:
    """A catalogue with an open table, a members-only one with a preview, and one held for PDPA review."""

    agency: dict[str, Any]
    open_dataset: dict[str, Any]
    open_resource: str
    open_view: str
    private_dataset: dict[str, Any]
    private_resource: str
    private_view: str
    held_dataset: dict[str, Any]
    held_resource: str
    private_activities: list[str]


_BUILT: list[World] = []


def _citizen_id(first12: str) -> str:
    return first12 + next(d for d in "0123456789" if pdpa.is_citizen_id(first12 + d))


def _table(app: Any, token: str, dataset_id: str) -> str:
    created = api_post(
        app,
        "datastore_create",
        token,
        resource={"package_id": dataset_id, "name": "ตาราง", "format": "CSV"},
        fields=[{"id": "จังหวัด", "type": "text"}, {"id": "จำนวน", "type": "int"}],
        records=[{"จังหวัด": "เชียงใหม่", "จำนวน": 1}],
        force=True,
    )
    return str(created["result"]["resource_id"])


def _build(app: Any, token: str) -> World:
    agency = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ")["result"]
    open_dataset = api_post(app, "package_create", token, **dataset_dict(name="open", owner_org=agency["id"]))["result"]
    restricted = {"data_category": "personal", "data_classification": "confidential", "private": True}
    private_dataset = api_post(
        app, "package_create", token, **dataset_dict(name="secret", owner_org=agency["id"], **restricted)
    )["result"]
    private_resource = _table(app, token, private_dataset["id"])
    private_view = api_post(
        app, "resource_view_create", token, resource_id=private_resource, title="ตาราง", view_type="datatables_view"
    )["result"]["id"]
    api_post(app, "package_patch", token, id=private_dataset["id"], notes="แก้ไขครั้งที่สอง")
    activities = api_get(app, "package_activity_list", token, id=private_dataset["id"])["result"]
    held_dataset = api_post(app, "package_create", token, **dataset_dict(name="held", owner_org=agency["id"]))["result"]
    rows = "\n".join(f"ผู้รับ {i},{_citizen_id(f'11017002034{i}')}" for i in range(5))
    form = {
        "upload": (io.BytesIO(f"ชื่อ,เลขประจำตัวประชาชน\n{rows}\n".encode()), "p.csv"),
        "package_id": held_dataset["id"],
    }
    held = app.post("/api/3/action/resource_create", data={**form, "name": "ผู้รับ"}, headers={"Authorization": token})
    ckan_jobs.Worker(["default"]).work(burst=True)
    open_resource = _table(app, token, open_dataset["id"])
    open_view = api_post(
        app, "resource_view_create", token, resource_id=open_resource, title="ตาราง", view_type="datatables_view"
    )["result"]["id"]
    return World(
        agency=agency,
        open_dataset=open_dataset,
        open_resource=open_resource,
        open_view=open_view,
        private_dataset=private_dataset,
        private_resource=private_resource,
        private_view=private_view,
        held_dataset=held_dataset,
        held_resource=held.json["result"]["id"],
        private_activities=[activity["id"] for activity in activities],
    )


@pytest.fixture
def world(app: Any, reset_db: Any, migrate_db_for: Any, reset_index: Any, reset_redis: Any) -> World:
    """Built once for the module (every case only reads), on a clean database and index."""
    if not _BUILT:
        reset_db()
        for plugin in (*MIGRATED_PLUGINS, "harvest"):
            migrate_db_for(plugin)
        reset_index()
        reset_redis()
        _BUILT.append(_build(app, ckan_factories.SysadminWithToken()["token"]))
    return _BUILT[0]


Request = tuple[str, str, dict[str, Any]]

# What the preview's script posts for one page of rows.
_DRAW = {"draw": "1", "start": "0", "length": "10", "search[value]": "", "order[0][column]": "0",
         "order[0][dir]": "asc", "columns[0][data]": "_id", "columns[0][searchable]": "true"}  # fmt: skip


def get(path: str, **kwargs: Any) -> Request:
    return ("GET", path, kwargs)


def action(name: str, body: Any) -> Request:
    data = body if isinstance(body, str) else json.dumps(body)
    return ("POST", f"/api/3/action/{name}", {"data": data, "content_type": "application/json"})


CASES: dict[str, Callable[[World], Request]] = {
    # this project's code
    "records of a NUL id": lambda w: get("/api/opendata/v1/resources/%00/records"),
    "openapi of a NUL dataset": lambda w: get("/dataset/%00/openapi.json"),
    "api usage of a NUL id": lambda w: action("opendata_th_api_usage", {"id": "\u0000"}),
    "catalog page 10^12": lambda w: get("/catalog.ttl?page=1000000000000"),
    "agency page 10^12": lambda w: get(f"/organization/{w.agency['name']}?page=1000000000000"),
    "tag autocomplete NUL": lambda w: get("/api/2/util/tag/autocomplete?incomplete=%00"),
    "gdc export of a NUL agency": lambda w: get("/organization/%00/gdc-export.xlsx"),
    "records of _table_metadata": lambda w: get("/api/opendata/v1/resources/_table_metadata/records"),
    "hvd compliance of a dict id": lambda w: action("opendata_th_hvd_compliance", {"id": {"a": 1}}),
    "catalog with a Solr function query": lambda w: get("/catalog.jsonld?fq={!frange l=0}sum(1,1)"),
    "catalog in an unknown format": lambda w: get("/catalog.foo"),
    # CKAN and other extensions, reached through the catalogue
    "package_search nested 100,000 levels": lambda w: action("package_search", '{"q": ' + DEEP + "}"),
    "datastore_search nested 100,000 levels": lambda w: action(
        "datastore_search", '{"resource_id": "' + w.open_resource + '", "filters": ' + DEEP + "}"
    ),
    "package_show NUL id": lambda w: get("/api/3/action/package_show?id=a%00b"),
    "datastore_search NUL id": lambda w: action("datastore_search", {"resource_id": "a\u0000b"}),
    "datastore_search NUL filter": lambda w: action(
        "datastore_search", {"resource_id": w.open_resource, "filters": {"จังหวัด": "a\u0000"}}
    ),
    "package_search lone surrogate": lambda w: action("package_search", '{"q": "\\ud800"}'),
    "dump NUL id": lambda w: get("/datastore/dump/%00"),
    "dump limit -1": lambda w: get(f"/datastore/dump/{w.open_resource}?limit=-1"),
    "dump offset 10^30": lambda w: get(f"/datastore/dump/{w.open_resource}?offset=" + "1" + "0" * 30),
    "dataset autocomplete limit 10^12": lambda w: get(
        "/api/2/util/dataset/autocomplete?incomplete=a&limit=" + "1" + "0" * 12
    ),
    "harvest NUL": lambda w: get("/harvest/%00"),
    "datastore_search on _table_metadata": lambda w: action("datastore_search", {"resource_id": "_table_metadata"}),
    "dump in a path format": lambda w: get(f"/datastore/dump/{w.open_resource}?format=../../x"),
    "dump as xlsx": lambda w: get(f"/datastore/dump/{w.open_resource}?format=xlsx"),
    "anonymous package_collaborator_list": lambda w: action("package_collaborator_list", {"id": w.open_dataset["id"]}),
    "anonymous package_collaborator_list of a hidden dataset": lambda w: action(
        "package_collaborator_list", {"id": w.private_dataset["id"]}
    ),
    "rows of a private view": lambda w: ("POST", f"/datatables/ajax/{w.private_view}", {"data": _DRAW}),
    "rows of an unknown view": lambda w: ("POST", "/datatables/ajax/no-such-view", {"data": _DRAW}),
    "filtered download without visible": lambda w: (
        "POST",
        f"/datatables/filtered-download/{w.open_view}",
        {"data": {"params": json.dumps({"search": {"value": ""}}), "format": "csv"}},
    ),
    "changes of a hidden dataset": lambda w: get(
        "/dataset/changes_multiple",
        query_string={"new_id": w.private_activities[0], "old_id": w.private_activities[-1]},
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_answers_a_clear_4xx(app: Any, world: World, case: str) -> None:
    method, path, kwargs = CASES[case](world)
    if method == "POST" and not path.startswith("/api/"):
        kwargs["headers"] = {"X-CSRFToken": _visitor_csrf_token(app, world)}

    response = (app.post if method == "POST" else app.get)(path, **kwargs)

    text = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, f"{response.status_code}: {text[:800]}"
    for leak in LEAKS:
        assert leak not in text, leak
    if path.split("?")[0] != f"/datatables/ajax/{world.private_view}":
        assert world.private_resource not in text


def _visitor_csrf_token(app: Any, world: World) -> str:
    """The CSRF token an anonymous visitor's page carries (the preview's script sends it)."""
    html = app.get(f"/dataset/{world.open_dataset['name']}").get_data(as_text=True)
    marker = 'name="_csrf_token" content="'
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_a_held_tables_resource_page_opens_for_visitors(app: Any, world: World) -> None:
    """The page of a resource the PDPA guard holds shows its metadata; only the table is withheld."""
    response = app.get(f"/dataset/{world.held_dataset['name']}/resource/{world.held_resource}")

    text = response.get_data(as_text=True)
    assert response.status_code == 200, f"{response.status_code}: {text[:800]}"
    assert "ผู้รับ" in text
    assert _citizen_id("110170020340") not in text
    for leak in LEAKS:
        assert leak not in text, leak
