"""An agency with members of every capacity, and the people who are not in it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from tests.factories import dataset_dict
from tests.helpers import api_post


@dataclasses.dataclass
class Agency:
    """The `moph` agency and everyone the tests act as (name -> API token; None is anonymous)."""

    org: dict[str, Any]
    other_org: dict[str, Any]
    tokens: dict[str, str | None]
    users: dict[str, dict[str, Any]]

    def token(self, who: str) -> str | None:
        return self.tokens[who]


# People outside the agency: each must get nothing from a dataset that is not open.
OUTSIDERS = ("anonymous", "outsider", "other_agency_admin", "collaborator")
# People inside it (and the sysadmin): each must get everything.
INSIDERS = ("member", "editor", "admin", "sysadmin")


@pytest.fixture
def agency(app: Any) -> Agency:
    users = {who: ckan_factories.UserWithToken() for who in ("member", "editor", "admin", "outsider", "collaborator")}
    users["other_agency_admin"] = ckan_factories.UserWithToken()
    users["sysadmin"] = ckan_factories.SysadminWithToken()
    org = ckan_factories.Organization(
        name="moph",
        title="กระทรวงสาธารณสุข",
        users=[{"name": users[who]["name"], "capacity": who} for who in ("member", "editor", "admin")],
    )
    other_org = ckan_factories.Organization(
        name="other-agency", users=[{"name": users["other_agency_admin"]["name"], "capacity": "admin"}]
    )
    tokens: dict[str, str | None] = {who: user["token"] for who, user in users.items()}
    tokens["anonymous"] = None
    return Agency(org=org, other_org=other_org, tokens=tokens, users=users)


def create_dataset(app: Any, agency: Agency, **overrides: Any) -> dict[str, Any]:
    """A dataset of the agency, created over the API by its editor."""
    data = dataset_dict(owner_org=agency.org["id"], **overrides)
    return api_post(app, "package_create", agency.token("editor"), **data)["result"]


def restricted_dataset(app: Any, agency: Agency, **overrides: Any) -> dict[str, Any]:
    """A private dataset of personal data classified confidential."""
    fields = {"data_category": "personal", "data_classification": "confidential", "private": True}
    return create_dataset(app, agency, **{**fields, **overrides})
