"""A small public catalogue for the ui tests: two agencies, datasets of
several types, one with its data in the DataStore (so it "has an API"), one
high-value, and a private one that must never show."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import dataset_dict
from tests.helpers import api_post


@pytest.fixture
def catalogue(app: Any, sysadmin_with_token: dict[str, Any]) -> dict[str, Any]:
    token = sysadmin_with_token["token"]
    nso = api_post(app, "organization_create", token, name="nso", title="สำนักงานสถิติแห่งชาติ", ministry="mdes")
    tmd = api_post(app, "organization_create", token, name="tmd", title="กรมอุตุนิยมวิทยา", ministry="mdes")
    dot = api_post(app, "organization_create", token, name="dot", title="กรมการท่องเที่ยว", ministry="mots")
    elderly = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(
            name="elderly",
            title="จำนวนผู้สูงอายุจำแนกตามจังหวัด",
            owner_org=nso["result"]["id"],
            tags=[{"name": "ผู้สูงอายุ"}, {"name": "ประชากร"}],
            high_value_dataset="true",
            hvd_category=["statistics"],
            last_updated_date="2024-03-15",
            data_language=["th", "other"],
            data_language_other="ภาษาถิ่นใต้",
            resources=[{"name": "ผู้สูงอายุรายจังหวัด", "url": "http://example.com/elderly.csv", "format": "CSV"}],
        ),
    )["result"]
    resource_id = elderly["resources"][0]["id"]
    api_post(
        app,
        "datastore_create",
        token,
        resource_id=resource_id,
        force=True,
        fields=[{"id": "จังหวัด", "type": "text"}, {"id": "จำนวน", "type": "int"}],
        records=[{"จังหวัด": "เชียงใหม่", "จำนวน": 350000}],
    )
    stations = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(name="stations", title="ตำแหน่งสถานีตรวจอากาศ", data_type="gis", owner_org=tmd["result"]["id"]),
    )["result"]
    attractions = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(name="attractions", title="แหล่งท่องเที่ยว", data_type="record", owner_org=dot["result"]["id"]),
    )["result"]
    secret = api_post(
        app,
        "package_create",
        token,
        **dataset_dict(name="secret-plan", title="แผนลับผู้สูงอายุ", owner_org=nso["result"]["id"], private=True),
    )["result"]
    return {
        "token": token,
        "elderly": elderly,
        "stations": stations,
        "attractions": attractions,
        "secret": secret,
        "agencies": [nso["result"], tmd["result"], dot["result"]],
    }
