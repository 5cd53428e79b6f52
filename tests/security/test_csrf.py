"""CSRF stays on for cookie sessions after API token requests used the same views.

CKAN 2.12 exempts a view from CSRF for the whole process once a token
request used it; `guard/csrf.py` checks again.  Each test first makes the
token request that used to open the view, then posts from another origin
with a signed-in browser's session cookie and no CSRF token.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories as ckan_factories

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "correct123"  # CKAN's user factory's password
EVIL = {"Origin": "https://evil.example", "Referer": "https://evil.example/page"}


def _csrf_token(app: Any, path: str) -> str:
    html = app.get(path).get_data(as_text=True)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html) or re.search(
        r'<meta name="_csrf_token" content="([^"]+)"', html
    )
    assert match, "the page carries a CSRF token"
    return match.group(1)


def _sign_in(app: Any, user: dict[str, Any]) -> None:
    """Sign in through the login form, as a browser does: the test client keeps the session cookie."""
    token = _csrf_token(app, "/user/login")
    response = app.post(
        "/user/login", data={"login": user["name"], "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/user/login" not in response.headers["Location"]


@pytest.fixture
def editor(app: Any) -> dict[str, Any]:
    user: dict[str, Any] = ckan_factories.UserWithToken()
    return user


@pytest.fixture
def dataset(app: Any, editor: dict[str, Any]) -> dict[str, Any]:
    org = ckan_factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    return api_post(app, "package_create", editor["token"], **dataset_dict(name="budget", owner_org=org["id"]))[
        "result"
    ]


def test_a_cookie_session_cannot_patch_a_dataset_cross_origin_after_a_token_patch(app, editor, dataset):
    api_post(app, "package_patch", editor["token"], id=dataset["id"], notes="แก้ด้วยโทเค็น")
    _sign_in(app, editor)

    forged = app.post("/api/3/action/package_patch", json={"id": dataset["id"], "notes": "forged"}, headers=EVIL)

    assert forged.status_code in (400, 403), forged.get_data(as_text=True)[:500]
    assert model.Package.get(dataset["id"]).notes == "แก้ด้วยโทเค็น"


def test_the_same_cookie_session_still_patches_with_its_csrf_token(app, editor, dataset):
    api_post(app, "package_patch", editor["token"], id=dataset["id"], notes="แก้ด้วยโทเค็น")
    _sign_in(app, editor)
    token = _csrf_token(app, f"/dataset/{dataset['name']}")

    response = app.post(
        "/api/3/action/package_patch",
        json={"id": dataset["id"], "notes": "แก้จากหน้าเว็บ"},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert model.Package.get(dataset["id"]).notes == "แก้จากหน้าเว็บ"


def test_the_login_form_refuses_a_cross_origin_post_after_a_token_post(app, editor):
    victim = ckan_factories.User()
    app.post(
        "/user/login", data={"login": victim["name"], "password": PASSWORD}, headers={"Authorization": editor["token"]}
    )
    app.get("/dataset/")  # the visitor's browser has a session cookie

    forged = app.post("/user/login", data={"login": victim["name"], "password": PASSWORD}, headers=EVIL)

    assert forged.status_code in (400, 403), forged.get_data(as_text=True)[:500]
    assert app.get("/dashboard/datasets", follow_redirects=False).status_code != 200  # nobody signed in


def test_the_ingest_form_refuses_a_cross_origin_post_after_a_token_post(app, editor, dataset):
    resource = api_post(
        app,
        "resource_create",
        editor["token"],
        package_id=dataset["id"],
        name="ตาราง",
        url="http://example.com/a.csv",
        format="CSV",
    )["result"]
    path = f"/dataset/{dataset['id']}/resource/{resource['id']}/ingest"
    app.post(path, headers={"Authorization": editor["token"]}, follow_redirects=False)
    _sign_in(app, editor)

    forged = app.post(path, headers=EVIL, follow_redirects=False)

    assert forged.status_code in (400, 403), forged.get_data(as_text=True)[:500]
    assert "CSRF" in forged.get_data(as_text=True)
