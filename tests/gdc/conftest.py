"""An agency with an editor, an outsider and a sysadmin, for the GD Catalog tests."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories

from tests.conftest import PLUGINS

pytestmark = pytest.mark.ckan_config("ckan.plugins", PLUGINS)


@dataclasses.dataclass
class Agency:
    org: dict[str, Any]
    editor: dict[str, Any]
    member: dict[str, Any]
    outsider: dict[str, Any]
    sysadmin: dict[str, Any]


@pytest.fixture
def agency(clean_db: Any, clean_index: Any) -> Agency:
    editor = ckan_factories.UserWithToken()
    member = ckan_factories.UserWithToken()
    outsider = ckan_factories.UserWithToken()
    sysadmin = ckan_factories.SysadminWithToken()
    org = ckan_factories.Organization(
        name="oae",
        title="สำนักงานเศรษฐกิจการเกษตร",
        users=[{"name": editor["name"], "capacity": "editor"}, {"name": member["name"], "capacity": "member"}],
    )
    return Agency(org=org, editor=editor, member=member, outsider=outsider, sysadmin=sysadmin)
