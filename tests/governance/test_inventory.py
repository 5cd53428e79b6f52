"""Who counts as a government user, and that only harvested inventory entries are opened to them.

The entries themselves need the central catalogue's harvest tables: they
are tested across two live instances in tests/harvest/test_inventory.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import changed_config

from ckanext.opendata_th.governance import inventory
from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, restricted_dataset
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.mark.parametrize(
    ("setting", "capacities"),
    [
        ("member", ("member", "editor", "admin")),
        ("editor", ("editor", "admin")),
        ("admin", ("admin",)),
        ("none", ()),
        ("Editor ", ("editor", "admin")),
    ],
)
def test_viewer_role_names_the_weakest_capacity(setting: str, capacities: tuple[str, ...]):
    with changed_config(inventory.VIEWER_ROLE_OPTION, setting):
        assert inventory.viewer_capacities() == capacities


def test_government_users_have_a_capacity_in_some_agency(agency: Agency):
    member, outsider = agency.users["member"]["name"], agency.users["outsider"]["name"]
    assert inventory.is_government_user(member) and inventory.is_government_user(agency.users["admin"]["name"])
    assert not inventory.is_government_user(outsider) and not inventory.is_government_user(None)
    assert inventory.user_labels(model.User.get(member)) == [inventory.LABEL]
    assert inventory.user_labels(model.User.get(outsider)) == [] and inventory.user_labels(None) == []
    with changed_config(inventory.VIEWER_ROLE_OPTION, "editor"):
        assert not inventory.is_government_user(member)
        assert inventory.is_government_user(agency.users["editor"]["name"])
    # a user whose only agency is deleted is no longer one
    model.Group.get(agency.org["id"]).state = model.State.DELETED
    model.Session.commit()
    assert not inventory.is_government_user(member)


def test_a_restricted_dataset_published_directly_is_not_an_inventory_entry(agency: Agency, app: Any):
    """Private, consented and without data, but not harvested: still members-only, also for other agencies."""
    dataset = restricted_dataset(app, agency, name="listed-but-not-harvested", allow_harvest="true")
    package = model.Package.get(dataset["id"])
    assert not package.resources and not inventory.is_inventory_entry(package)
    assert inventory.dataset_labels(package) == []
    api_get(app, "package_show", token=agency.token("other_agency_admin"), status=404, id=dataset["id"])
    found = api_get(app, "package_search", token=agency.token("other_agency_admin"), include_private=True)
    assert dataset["id"] not in {d["id"] for d in found["result"]["results"]}
