"""Issue 13, item 3: old activity does not stay public after a reclassification.

A dataset is created public, edited, then reclassified confidential
personal data.  The snapshots CKAN took while it was public carry its old
title and notes; none of the activity paths may show them to anonymous
visitors or another agency any more, while the agency's members still see
them all.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, create_dataset
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

TITLE = "ที่พักพยานคดีลับ"
NOTES = "บ้านเลขที่ 99 ถนนลับ"
OUTSIDERS = ("anonymous", "other_agency_admin")


@pytest.fixture
def reclassified(app: Any, agency: Agency) -> dict[str, Any]:
    editor = agency.token("editor")
    dataset = create_dataset(app, agency, name="witness-homes", title=TITLE)
    api_post(app, "package_patch", editor, id=dataset["id"], notes=NOTES)
    old = api_get(app, "package_activity_list", editor, id=dataset["id"])["result"]
    api_post(
        app,
        "package_patch",
        editor,
        id=dataset["id"],
        title="ข้อมูลจำกัดการเข้าถึง",
        data_category="personal",
        data_classification="confidential",
        private=True,
    )
    # something public in the same streams, so that filtering is seen not to empty them
    public = create_dataset(app, agency, name="open-budget", title="งบประมาณเปิดเผย")
    return {"dataset": dataset, "old_activities": old, "public": public}


def _headers(agency: Agency, who: str) -> dict[str, str]:
    token = agency.token(who)
    return {"Authorization": token} if token else {}


def _outcome(app: Any, url: str, headers: dict[str, str]) -> str:
    """The status of a page, or the error it raised (the test app lets view errors through)."""
    try:
        page = app.get(url, headers=headers)
    except Exception as error:  # compared with an unknown id's, not hidden
        return type(error).__name__
    assert TITLE not in page.get_data(as_text=True)
    return str(page.status_code)


def _streams(app: Any, agency: Agency, who: str) -> dict[str, list[dict[str, Any]]]:
    token = agency.token(who)
    editor = agency.users["editor"]["name"]
    streams = {
        "recently_changed": api_get(app, "recently_changed_packages_activity_list", token)["result"],
        "user": api_get(app, "user_activity_list", token, id=editor)["result"],
        "organization": api_get(app, "organization_activity_list", token, id=agency.org["id"])["result"],
    }
    if token:
        api_post(app, "follow_user", token, id=editor)
        streams["dashboard"] = api_get(app, "dashboard_activity_list", token)["result"]
    return streams


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_activity_list_serves_the_old_snapshots(app, agency, reclassified, who):
    hidden = reclassified["dataset"]["id"]
    for name, stream in _streams(app, agency, who).items():
        assert stream, name  # the public dataset's activity is still there
        assert hidden not in {a["object_id"] for a in stream}, name
        assert TITLE not in str(stream) and NOTES not in str(stream), name


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_activity_of_it_is_shown_by_id(app, agency, reclassified, who):
    token = agency.token(who)
    old = reclassified["old_activities"]
    api_get(app, "package_activity_list", token, status=404, id=reclassified["dataset"]["id"])
    for activity in old:
        # activity_show's auth reads include_data unconditionally (a KeyError in CKAN without it)
        shown = api_post(app, "activity_show", token, status=404, id=activity["id"], include_data=False)
        assert shown["error"]["message"] == "Not found"
        assert (
            api_get(app, "activity_data_show", token, status=404, id=activity["id"])["error"]["message"] == "Not found"
        )
        api_get(app, "activity_diff", token, status=404, id=activity["id"], object_type="package")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_activity_page_shows_it(app, agency, reclassified, who):
    headers = _headers(agency, who)
    old = reclassified["old_activities"]
    name = reclassified["dataset"]["name"]
    for url in (
        f"/dataset/activity/{name}",
        f"/dataset/changes/{old[0]['id']}",
    ):
        page = app.get(url, headers=headers)
        assert page.status_code == 404, url
        assert TITLE not in page.get_data(as_text=True), url
    # CKAN's view asks activity_show without catching its errors: the hidden ids fail exactly like unknown ones
    unknown = str(uuid.uuid4())
    assert _outcome(app, f"/dataset/changes_multiple?new_id={old[0]['id']}&old_id={old[-1]['id']}", headers) == (
        _outcome(app, f"/dataset/changes_multiple?new_id={unknown}&old_id={unknown}", headers)
    )
    for url in (
        f"/user/activity/{agency.users['editor']['name']}",
        f"/organization/activity/{agency.org['name']}",
        "/",
        f"/organization/{agency.org['name']}",
    ):
        page = app.get(url, headers=headers)
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert TITLE not in text and NOTES not in text and name not in text, url


def test_members_still_see_every_snapshot(app, agency, reclassified):
    hidden = reclassified["dataset"]["id"]
    for name, stream in _streams(app, agency, "member").items():
        if name != "organization":  # CKAN's agency stream leaves out every private dataset, for everyone
            assert {a["object_id"] for a in stream} >= {hidden, reclassified["public"]["id"]}, name
    # the snapshots' data is for those who may edit the dataset (CKAN's rule)
    old = reclassified["old_activities"][0]["id"]
    shown = api_get(app, "activity_data_show", agency.token("editor"), id=old)["result"]
    assert shown["package"]["notes"] == NOTES
    page = app.get(f"/user/activity/{agency.users['editor']['name']}", headers=_headers(agency, "member"))
    assert TITLE in page.get_data(as_text=True)


def test_pages_of_a_stream_count_only_what_the_caller_may_see(app, agency, reclassified):
    """Three hidden activities come first in the editor's stream; pages of one still reach the public ones."""
    editor = agency.users["editor"]["name"]
    everything = api_get(app, "user_activity_list", agency.token("member"), id=editor)["result"]
    expected = [a["id"] for a in everything if a["object_id"] != reclassified["dataset"]["id"]]
    assert len(everything) > len(expected) >= 2
    pages = [
        api_get(app, "user_activity_list", id=editor, limit=1, offset=n)["result"] for n in range(len(expected) + 1)
    ]
    assert [page[0]["id"] for page in pages[:-1]] == expected
    assert pages[-1] == []
