"""A small catalogue with high-value datasets, built over the action API.

Shared by tests/hvd and tests/dcat: an agency, HVDs of several data types
and categories with DataStore-backed resources, a non-HVD dataset, and a
private and a restricted (not open) dataset that must never be published.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from ckan.tests import factories as ckan_factories

from tests.factories import dataset_dict
from tests.helpers import api_post

EU_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


@dataclasses.dataclass
class Catalogue:
    agency: dict[str, Any]
    token: str  # a sysadmin's
    datasets: dict[str, dict[str, Any]]

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.datasets[key]


def datastore_resource(app: Any, token: str, dataset_id: str, name: str = "ตารางข้อมูล") -> dict[str, Any]:
    """A CSV resource with a DataStore table (datastore_active)."""
    resource = api_post(
        app,
        "resource_create",
        token,
        package_id=dataset_id,
        name=name,
        url="http://data.example.go.th/a.csv",
        format="CSV",
    )["result"]
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource["id"],
        force=True,  # the resource has a URL, so the DataStore treats its table as derived
        fields=[{"id": "จังหวัด", "type": "text"}, {"id": "จำนวน", "type": "int"}],
        records=[{"จังหวัด": "เชียงใหม่", "จำนวน": 10}],
    )
    return resource


def create(app: Any, token: str, agency: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return api_post(app, "package_create", token, **dataset_dict(owner_org=agency["id"], **fields))["result"]


def build(app: Any) -> Catalogue:
    sysadmin = ckan_factories.SysadminWithToken()
    token = sysadmin["token"]
    agency = ckan_factories.Organization(
        name="nso", title="สำนักงานสถิติแห่งชาติ", users=[{"name": sysadmin["name"], "capacity": "admin"}]
    )
    hvd = {
        "high_value_dataset": "true",
        "data_language": ["th", "en"],
        "last_updated_date": datetime.date.today().isoformat(),
    }
    datasets = {
        "statistics": create(
            app, token, agency, name="population-stat", title="จำนวนประชากร", hvd_category=["statistics"], **hvd
        ),
        "geospatial": create(
            app,
            token,
            agency,
            name="admin-boundaries",
            title="Administrative boundaries",
            data_type="gis",
            hvd_category=["geospatial", "earth_observation"],
            applicable_legislation=[EU_REGULATION, "https://www.ratchakitcha.soc.go.th/eli/act/2562/data"],
            **hvd,
        ),
        "mobility": create(
            app,
            token,
            agency,
            name="bus-stops",
            title="ป้ายรถประจำทาง",
            data_type="record",
            hvd_category=["mobility"],
            update_frequency_unit="month",
            **hvd,
        ),
        "plain": create(
            app, token, agency, name="plain-multiple", title="ชุดข้อมูลทั่วไป", data_type="multiple", data_language=["th"]
        ),
        "other": create(app, token, agency, name="other-type", title="ข้อมูลอื่น", data_type="other"),
        "private": create(app, token, agency, name="private-stat", title="ข้อมูลส่วนตัว", private=True),
        "restricted": create(
            app,
            token,
            agency,
            name="restricted-stat",
            title="ข้อมูลลับ",
            data_category="personal",
            data_classification="confidential",
            private=True,
        ),
    }
    for key in ("statistics", "geospatial", "mobility", "plain", "private", "restricted"):
        datastore_resource(app, token, datasets[key]["id"])
    api_post(
        app,
        "resource_create",
        token,
        package_id=datasets["geospatial"]["id"],
        name="Boundaries (Shapefile)",
        url="http://data.example.go.th/boundaries.zip",
        format="SHP",
    )
    refreshed = {key: api_post(app, "package_show", token, id=d["id"])["result"] for key, d in datasets.items()}
    return Catalogue(agency=agency, token=token, datasets=refreshed)
