"""A dataset that is not open can never be public: every way of saving or publishing one.

API errors are validation errors (409) keyed by field, in Thai and English;
nothing is saved when they are raised.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.governance.conftest import Agency, create_dataset, restricted_dataset
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PUBLIC_ERROR = "Only a dataset whose data category is public and whose classification is open may be public"
PUBLIC_ERROR_TH = "ชุดข้อมูลจะเป็นสาธารณะได้เฉพาะเมื่อหมวดหมู่ข้อมูลเป็นข้อมูลสาธารณะ"
MISMATCH_ERROR = "is not allowed for data category"
MISMATCH_ERROR_TH = "ใช้กับหมวดหมู่ข้อมูล"


def _private(app: Any, agency: Agency, name: str) -> bool:
    return api_get(app, "package_show", agency.token("sysadmin"), id=name)["result"]["private"]


def _exists(name: str) -> bool:
    return model.Package.get(name) is not None


def _rejected(app: Any, agency: Agency, action: str, field: str = "private", **data: Any) -> str:
    error = api_post(app, action, agency.token("editor"), status=409, **data)["error"]
    assert field in error, error
    return " ".join(error[field])


# --- package_create ------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "classification"),
    [
        ("personal", "confidential"),
        ("internal", "internal"),
        ("security", "top_secret"),
        ("official_secret", "secret"),
        ("ข้อมูลส่วนบุคคล", "ลับ"),  # GD Catalog display values
        ("ส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร"),
    ],
)
def test_create_refuses_a_public_dataset_that_is_not_open(app, agency, category, classification):
    data = dataset_dict(
        name="leak", owner_org=agency.org["id"], data_category=category, data_classification=classification
    )
    message = _rejected(app, agency, "package_create", **data)
    assert PUBLIC_ERROR in message
    assert PUBLIC_ERROR_TH in message
    assert not _exists("leak")


@pytest.mark.parametrize("private", [False, "false", "False", "", "on", "no", 0])
def test_create_reads_private_as_ckan_does(app, agency, private):
    """Anything CKAN would store as public is refused; "" and "on" mean public to CKAN."""
    data = dataset_dict(
        name="leak",
        owner_org=agency.org["id"],
        data_category="personal",
        data_classification="secret",
        private=private,
    )
    _rejected(app, agency, "package_create", **data)
    assert not _exists("leak")


def test_create_without_private_is_public_and_refused(app, agency):
    data = dataset_dict(name="leak", owner_org=agency.org["id"], data_category="personal", data_classification="secret")
    del data["private"]
    _rejected(app, agency, "package_create", **data)


def test_create_refuses_a_classification_the_category_does_not_allow(app, agency):
    data = dataset_dict(
        name="mismatch",
        owner_org=agency.org["id"],
        data_category="ข้อมูลส่วนบุคคล",
        data_classification="ลับที่สุด",
        private=True,
    )
    message = _rejected(app, agency, "package_create", field="data_classification", **data)
    assert MISMATCH_ERROR in message
    assert MISMATCH_ERROR_TH in message
    assert "ลับที่สุด (Top secret)" in message
    assert not _exists("mismatch")


def test_create_accepts_a_private_restricted_dataset(app, agency):
    dataset = restricted_dataset(app, agency, name="patients", data_classification="ลับ")
    assert dataset["private"] is True
    assert dataset["data_classification"] == "confidential"


def test_create_accepts_a_public_open_dataset_given_as_display_values(app, agency):
    dataset = create_dataset(app, agency, name="open", data_category="ข้อมูลสาธารณะ", data_classification="เปิดเผย")
    assert dataset["private"] is False


# --- package_update, package_patch, package_revise ------------------------------


def test_update_cannot_make_a_restricted_dataset_public(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    _rejected(app, agency, "package_update", **{**dataset, "private": False})
    assert _private(app, agency, "patients") is True


def test_update_cannot_reclassify_a_public_dataset_and_keep_it_public(app, agency):
    dataset = create_dataset(app, agency, name="open")
    data = {**dataset, "data_category": "security", "data_classification": "secret"}
    _rejected(app, agency, "package_update", **data)
    assert api_get(app, "package_show", id="open")["result"]["data_classification"] == "open"


def test_update_may_reclassify_a_dataset_it_makes_private(app, agency):
    dataset = create_dataset(app, agency, name="open")
    data = {**dataset, "data_category": "security", "data_classification": "secret", "private": True}
    updated = api_post(app, "package_update", agency.token("editor"), **data)["result"]
    assert updated["private"] is True


def test_patch_cannot_make_a_restricted_dataset_public(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    _rejected(app, agency, "package_patch", id=dataset["id"], private=False)
    assert _private(app, agency, "patients") is True


@pytest.mark.parametrize(
    ("patch", "fields"),
    [
        ({"data_classification": "ลับ"}, {"private", "data_classification"}),
        ({"data_category": "ข้อมูลส่วนบุคคล"}, {"private", "data_classification"}),
        ({"data_category": "personal", "data_classification": "secret"}, {"private"}),
    ],
)
def test_patch_cannot_reclassify_a_public_dataset(app, agency, patch, fields):
    dataset = create_dataset(app, agency, name="open")
    error = api_post(app, "package_patch", agency.token("editor"), status=409, id=dataset["id"], **patch)["error"]
    assert fields <= set(error)
    assert _private(app, agency, "open") is False


def test_revise_cannot_make_a_restricted_dataset_public(app, agency):
    restricted_dataset(app, agency, name="patients")
    api_post(
        app,
        "package_revise",
        agency.token("editor"),
        status=409,
        match={"name": "patients"},
        update={"private": False},
    )
    assert _private(app, agency, "patients") is True


def test_sysadmin_is_bound_by_the_rule_too(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    api_post(app, "package_patch", agency.token("sysadmin"), status=409, id=dataset["id"], private=False)


def test_resources_can_be_added_to_a_restricted_dataset(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    api_post(app, "resource_create", agency.token("editor"), package_id=dataset["id"], name="r", url="http://x/a")
    assert _private(app, agency, "patients") is True


# --- bulk actions --------------------------------------------------------------


def test_bulk_make_public_refuses_a_batch_with_a_restricted_dataset(app, agency):
    embargoed = create_dataset(app, agency, name="embargoed", private=True)
    patients = restricted_dataset(app, agency, name="patients")
    error = api_post(
        app,
        "bulk_update_public",
        agency.token("admin"),
        status=403,
        org_id=agency.org["id"],
        datasets=[embargoed["id"], patients["id"]],
    )["error"]
    assert "patients" in error["message"]
    assert "embargoed" not in error["message"]
    assert "เปลี่ยนเป็นสาธารณะไม่ได้" in error["message"]
    # all or nothing: the open dataset in the batch is not published either
    assert _private(app, agency, "embargoed") is True
    assert _private(app, agency, "patients") is True


def test_bulk_make_public_binds_sysadmins(app, agency):
    patients = restricted_dataset(app, agency, name="patients")
    api_post(
        app,
        "bulk_update_public",
        agency.token("sysadmin"),
        status=403,
        org_id=agency.org["id"],
        datasets=[patients["id"]],
    )
    assert _private(app, agency, "patients") is True


def test_bulk_make_public_publishes_open_datasets_as_harvestable(app, agency):
    embargoed = create_dataset(app, agency, name="embargoed", private=True, allow_harvest=False)
    api_post(app, "bulk_update_public", agency.token("admin"), org_id=agency.org["id"], datasets=[embargoed["id"]])
    shown = api_get(app, "package_show", id="embargoed")["result"]
    assert shown["private"] is False
    assert shown["allow_harvest"] == "true"


def test_bulk_make_private_and_delete_still_work_on_restricted_datasets(app, agency):
    patients = restricted_dataset(app, agency, name="patients")
    token = agency.token("admin")
    api_post(app, "bulk_update_private", token, org_id=agency.org["id"], datasets=[patients["id"]])
    api_post(app, "bulk_update_delete", token, org_id=agency.org["id"], datasets=[patients["id"]])
    assert model.Package.get("patients").state == "deleted"


def test_organization_bulk_page_cannot_make_a_restricted_dataset_public(app, agency):
    patients = restricted_dataset(app, agency, name="patients")
    response = app.post(
        f"/organization/bulk_process/{agency.org['name']}",
        data={f"dataset_{patients['id']}": "on", "bulk_action.public": "public"},
        headers={"Authorization": agency.token("admin")},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert _private(app, agency, "patients") is True


def test_organization_bulk_page_still_publishes_open_datasets(app, agency):
    embargoed = create_dataset(app, agency, name="embargoed", private=True)
    response = app.post(
        f"/organization/bulk_process/{agency.org['name']}",
        data={f"dataset_{embargoed['id']}": "on", "bulk_action.public": "public"},
        headers={"Authorization": agency.token("admin")},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert _private(app, agency, "embargoed") is False


# --- the dataset form -------------------------------------------------------------


def _form(data: dict[str, Any]) -> dict[str, Any]:
    """A dataset dict as the browser posts it: lists repeat, tags are a string, flags are words."""
    form: dict[str, Any] = {}
    for key, value in data.items():
        if key == "tags":
            form["tag_string"] = ",".join(tag["name"] for tag in value)
        elif isinstance(value, bool):
            form[key] = str(value)
        elif value is not None and not isinstance(value, dict):
            form[key] = value
    return form


def test_new_dataset_form_cannot_publish_a_restricted_dataset(app, agency):
    data = dataset_dict(name="leak", owner_org=agency.org["id"], data_category="personal", data_classification="secret")
    response = app.post(
        "/dataset/new",
        data={**_form(data), "save": ""},
        headers={"Authorization": agency.token("editor")},
        follow_redirects=False,
    )
    assert response.status_code == 200  # the form again, with the error
    assert PUBLIC_ERROR in response.get_data(as_text=True)
    assert not _exists("leak")


def test_new_dataset_form_saves_a_private_restricted_dataset(app, agency):
    data = dataset_dict(
        name="patients",
        owner_org=agency.org["id"],
        data_category="personal",
        data_classification="secret",
        private=True,
    )
    response = app.post(
        "/dataset/new",
        data={**_form(data), "save": ""},
        headers={"Authorization": agency.token("editor")},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert model.Package.get("patients").private is True


def test_edit_dataset_form_cannot_make_a_restricted_dataset_public(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    data = {**dataset, "private": False}
    response = app.post(
        "/dataset/edit/patients",
        data={**_form(data), "save": ""},
        headers={"Authorization": agency.token("editor")},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert PUBLIC_ERROR in response.get_data(as_text=True)
    assert _private(app, agency, "patients") is True


def test_edit_dataset_form_cannot_reclassify_a_public_dataset(app, agency):
    dataset = create_dataset(app, agency, name="open")
    data = {**dataset, "data_category": "internal", "data_classification": "internal"}
    response = app.post(
        "/dataset/edit/open",
        data={**_form(data), "save": ""},
        headers={"Authorization": agency.token("editor")},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert PUBLIC_ERROR in response.get_data(as_text=True)
    assert api_get(app, "package_show", id="open")["result"]["data_category"] == "public"


# --- owner organization --------------------------------------------------------------


def test_a_restricted_dataset_cannot_lose_its_agency(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    error = api_post(
        app, "package_owner_org_update", agency.token("sysadmin"), status=409, id=dataset["id"], organization_id=None
    )["error"]
    assert "owner_org" in error
    assert model.Package.get("patients").owner_org == agency.org["id"]


def test_moving_a_restricted_dataset_moves_who_finds_it(app, agency):
    dataset = restricted_dataset(app, agency, name="patients")
    api_post(
        app,
        "package_owner_org_update",
        agency.token("sysadmin"),
        id=dataset["id"],
        organization_id=agency.other_org["id"],
    )

    def count(who: str) -> int:
        return api_get(app, "package_search", agency.token(who), include_private="true", q="name:patients")["result"][
            "count"
        ]

    assert count("member") == 0
    assert count("other_agency_admin") == 1
