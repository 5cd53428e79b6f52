"""Issue 13, item 4: to anyone who may not see a dataset, it does not exist.

A classified dataset's ids answer exactly like ids nobody ever created: the
same status and the same message (the id itself aside) on every read path,
for anonymous visitors and for another agency's admin.  Its names do not
reach them through bulk make-public, member lists or tags either.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, create_dataset, restricted_dataset
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", f"{PLUGINS} datatables_view"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

SECRET_TAG = "ทะเบียนลับ"
CALLERS = ("anonymous", "other_agency_admin")

PATHS = {
    "package_show": "/api/3/action/package_show?id={dataset}",
    "package_show by name": "/api/3/action/package_show?id={name}",
    "resource_show": "/api/3/action/resource_show?id={resource}",
    "resource_view_list": "/api/3/action/resource_view_list?id={resource}",
    "package_activity_list": "/api/3/action/package_activity_list?id={dataset}",
    "package_relationships_list": "/api/3/action/package_relationships_list?id={dataset}",
    "activity_show": "/api/3/action/activity_show?id={activity}",
    "activity_data_show": "/api/3/action/activity_data_show?id={activity}",
    "datastore_search": "/api/3/action/datastore_search?resource_id={resource}",
    "datastore_info": "/api/3/action/datastore_info?id={resource}",
    "tag_show": "/api/3/action/tag_show?id={tag}",
    "records": "/api/opendata/v1/resources/{resource}/records",
    "record": "/api/opendata/v1/resources/{resource}/records/1",
    "schema": "/api/opendata/v1/resources/{resource}/schema",
    "resource openapi.json": "/api/opendata/v1/resources/{resource}/openapi.json",
    "dataset openapi.json": "/dataset/{dataset}/openapi.json",
    "docs page": "/dataset/{name}/api",
    "dataset page": "/dataset/{name}",
    "resource page": "/dataset/{dataset}/resource/{resource}",
    "download": "/dataset/{dataset}/resource/{resource}/download",
    "datastore dump": "/datastore/dump/{resource}",
    "activity page": "/dataset/activity/{name}",
    "changes page": "/dataset/changes/{activity}",
}

# Per-response noise that differs between any two requests.
_NOISE = re.compile(r'(name="_csrf_token" content|name="_csrf_token" value)="[^"]*"')


@pytest.fixture
def classified(app: Any, agency: Agency) -> dict[str, str]:
    dataset = restricted_dataset(app, agency, name="patients", title="ผู้ป่วยรายบุคคล", tags=[{"name": SECRET_TAG}])
    table = api_post(
        app,
        "datastore_create",
        agency.token("editor"),
        resource={"package_id": dataset["id"], "name": "รายชื่อผู้ป่วย"},
        fields=[{"id": "name", "type": "text"}],
        records=[{"name": "สมชาย"}],
        force=True,
    )["result"]
    activities = api_get(app, "package_activity_list", agency.token("editor"), id=dataset["id"])["result"]
    return {
        "dataset": dataset["id"],
        "name": dataset["name"],
        "resource": table["resource_id"],
        "activity": activities[0]["id"],
        "tag": SECRET_TAG,
    }


def _unknown() -> dict[str, str]:
    return {
        "dataset": str(uuid.uuid4()),
        "name": "no-such-dataset",
        "resource": str(uuid.uuid4()),
        "activity": str(uuid.uuid4()),
        "tag": "ไม่มีป้ายนี้",
    }


def _answer(app: Any, agency: Agency, who: str, path: str, ids: dict[str, str]) -> tuple[int, str]:
    token = agency.token(who)
    response = app.get(path.format(**ids), headers={"Authorization": token} if token else {}, follow_redirects=False)
    text = _NOISE.sub(r"\1=...", response.get_data(as_text=True))
    for key, value in ids.items():
        text = text.replace(value, f"<{key}>")
    return response.status_code, text


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("path", PATHS)
def test_a_classified_id_answers_like_an_unknown_one(app, agency, classified, path, who):
    seen = _answer(app, agency, who, PATHS[path], classified)
    unknown = _answer(app, agency, who, PATHS[path], _unknown())

    assert seen[0] == 404, seen
    assert seen == unknown
    assert "ผู้ป่วย" not in seen[1] and "patients" not in seen[1]


def test_members_still_get_everything(app, agency, classified):
    for path in ("package_show", "resource_show", "datastore_search", "records", "schema", "tag_show", "download"):
        status, _text = _answer(app, agency, "member", PATHS[path], classified)
        assert status in (200, 302), path


def test_a_refusal_stays_a_refusal_for_those_who_may_see_the_dataset(app, agency, classified):
    """A public dataset whose editing is refused is no secret: its outsiders get 403, not 404."""
    public = create_dataset(app, agency, name="public-figures")
    api_post(app, "package_patch", agency.token("other_agency_admin"), status=403, id=public["id"], notes="x")


def test_bulk_make_public_names_nothing_to_outsiders(app, agency, classified):
    for who in CALLERS:
        error = api_post(
            app,
            "bulk_update_public",
            agency.token(who),
            status=403,
            datasets=[classified["dataset"]],
            org_id=agency.org["id"],
        )["error"]
        assert "patients" not in str(error) and classified["dataset"] not in str(error)
    # the agency's own admin still learns which datasets blocked the batch
    error = api_post(
        app,
        "bulk_update_public",
        agency.token("admin"),
        status=403,
        datasets=[classified["dataset"]],
        org_id=agency.org["id"],
    )["error"]
    assert "patients" in error["message"]


def test_member_list_hands_out_no_hidden_dataset_ids(app, agency, classified):
    public = create_dataset(app, agency, name="public-figures")
    for who in CALLERS:
        members = api_get(app, "member_list", agency.token(who), id=agency.org["id"], object_type="package")["result"]
        assert [m[0] for m in members] == [public["id"]], who
    members = api_get(app, "member_list", agency.token("member"), id=agency.org["id"], object_type="package")["result"]
    assert {m[0] for m in members} == {public["id"], classified["dataset"]}


def test_a_tag_of_classified_data_only_is_not_listed(app, agency, classified):
    create_dataset(app, agency, name="public-figures", tags=[{"name": "สถิติ"}])
    for who in CALLERS:
        token = agency.token(who)
        # POST: the ui room's chains of tag_list and tag_autocomplete are not marked side-effect free
        assert SECRET_TAG not in api_post(app, "tag_list", token)["result"]
        assert SECRET_TAG not in api_post(app, "tag_autocomplete", token, q="ทะเบียน")["result"]
        suggestions = app.get("/api/2/util/tag/autocomplete?incomplete=ทะเบียน", headers=_auth(agency, who))
        assert SECRET_TAG not in suggestions.get_data(as_text=True)
        assert api_get(app, "tag_show", token, id="สถิติ")["result"]["name"] == "สถิติ"
    assert api_get(app, "tag_show", agency.token("member"), id=SECRET_TAG)["result"]["name"] == SECRET_TAG


def test_dataset_suggestions_name_no_hidden_dataset(app, agency, classified):
    for who in CALLERS:
        found = api_get(app, "package_autocomplete", agency.token(who), q="patients")["result"]
        assert found == [], who
        page = app.get("/api/2/util/dataset/autocomplete?incomplete=patients", headers=_auth(agency, who))
        assert page.status_code == 200 and "patients" not in page.get_data(as_text=True)
    assert api_get(app, "package_autocomplete", agency.token("member"), q="patients")["result"]


def _auth(agency: Agency, who: str) -> dict[str, str]:
    token = agency.token(who)
    return {"Authorization": token} if token else {}


WRITES = {
    "package_patch": lambda ids: {"id": ids["dataset"], "notes": "x"},
    "package_delete": lambda ids: {"id": ids["dataset"]},
    "resource_create": lambda ids: {"package_id": ids["dataset"], "name": "x", "url": "https://example.org/x.csv"},
    "resource_patch": lambda ids: {"id": ids["resource"], "name": "x"},
    "resource_delete": lambda ids: {"id": ids["resource"]},
    "package_collaborator_list": lambda ids: {"id": ids["dataset"]},
    "resource_view_create": lambda ids: {"resource_id": ids["resource"], "view_type": "datatables_view", "title": "x"},
    "datastore_create": lambda ids: {"resource_id": ids["resource"], "records": [{"name": "x"}]},
    "datastore_upsert": lambda ids: {"resource_id": ids["resource"], "records": [{"name": "x"}], "method": "insert"},
    "datastore_delete": lambda ids: {"resource_id": ids["resource"], "filters": {"name": "สมชาย"}},
    "datastore_records_delete": lambda ids: {"resource_id": ids["resource"], "filters": {"name": "สมชาย"}},
}


def _write(app: Any, agency: Agency, who: str, action: str, ids: dict[str, str]) -> tuple[int, str]:
    token = agency.token(who)
    response = app.post(
        f"/api/3/action/{action}", json=WRITES[action](ids), headers={"Authorization": token} if token else {}
    )
    text = response.get_data(as_text=True)
    for key, value in ids.items():
        text = text.replace(value, f"<{key}>")
    return response.status_code, text


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("action", WRITES)
def test_a_write_on_a_classified_id_answers_like_an_unknown_one(app, agency, classified, action, who):
    seen = _write(app, agency, who, action, classified)
    unknown = _write(app, agency, who, action, _unknown())

    assert seen == unknown
    assert seen[0] in (404, 409), seen
    assert "ผู้ป่วย" not in seen[1] and "patients" not in seen[1]
    # nothing was written
    assert api_get(app, "package_show", agency.token("member"), id=classified["dataset"])["result"]["notes"] != "x"
