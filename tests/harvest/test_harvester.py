"""End to end across two live instances: what the agency publishes, the central catalogue reflects."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action, changed_config

from ckanext.opendata_th.harvest import withdrawal
from ckanext.opendata_th.harvest.helpers import opendata_th_harvest_duplicates, opendata_th_harvest_provenance
from tests.factories import dataset_dict
from tests.harvest.conftest import CENTRAL_PLUGINS, AgencyCatalogue, Central, central_show, free_port
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", CENTRAL_PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.fetch.allowed_hosts", "127.0.0.1"),  # the agency catalogue's host
    pytest.mark.usefixtures("with_plugins"),
]

RESTRICTED = {"data_category": "internal", "data_classification": "internal", "private": True}


def _by_guid(source_id: str) -> dict[str, model.Package]:
    from ckanext.harvest.model import HarvestObject

    rows = (
        model.Session.query(HarvestObject.guid, model.Package)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True))
    )
    return {guid: package for guid, package in rows}


def _source_fields(source: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "title", "url", "source_type", "owner_org", "frequency", "config")
    return {key: source[key] for key in keys}


def test_first_run_takes_what_governance_allows(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, token = agency_catalogue.new_agency()
    open_ds = agency_catalogue.dataset(org, resources=[{"url": "http://agency.example.go.th/a.csv", "name": "a"}])
    consented = agency_catalogue.dataset(
        org, **RESTRICTED, allow_harvest="true", url="http://agency.example.go.th/secret"
    )
    agency_catalogue.dataset(org, **RESTRICTED, allow_harvest="false")
    source = central.source(agency_catalogue.url, api_token=token, organization=org)

    status = central.harvest(source["id"])

    assert status["last_run"]["counts"]["created"] == 2, json.dumps(status["last_run"], ensure_ascii=False)
    assert status["last_run"]["counts"]["failed"] == 0, status
    held = _by_guid(source["id"])
    assert set(held) == {open_ds["id"], consented["id"]}
    full = central_show(held[open_ds["id"]].id)
    assert full["private"] is False and [r["url"] for r in full["resources"]] == ["http://agency.example.go.th/a.csv"]
    assert full["owner_org"] == central.org["id"]
    inventory = central_show(held[consented["id"]].id)
    assert inventory["private"] is True
    assert inventory["resources"] == [] and not inventory.get("url")
    # the inventory entry is nobody's business outside the agency: not anonymous search, API or DCAT
    anonymous = api_get(app, "package_search", q="*:*", include_private=True)["result"]
    assert [d["name"] for d in anonymous["results"]] == [full["name"]]
    api_get(app, "package_show", status=404, id=inventory["name"])
    catalogue = app.get("/catalog.ttl").get_data(as_text=True)
    assert full["id"] in catalogue and inventory["id"] not in catalogue
    # the agency's member at the centre sees it
    member = api_get(app, "package_show", token=central.member["token"], id=inventory["name"])["result"]
    assert member["resources"] == []
    _stored_records_hold_no_more_than_governance_allows(app, central, source["id"], inventory, consented["id"])


def _stored_records_hold_no_more_than_governance_allows(
    app: Any, central: Central, source_id: str, inventory: dict[str, Any], guid: str
) -> None:
    """ckanext-harvest serves the records it stored: they carry no data links and only the agency reads them."""
    from ckanext.harvest.model import HarvestObject

    objects = model.Session.query(HarvestObject).filter(HarvestObject.harvest_source_id == source_id).all()
    stored = {obj.guid: json.loads(obj.content) for obj in objects if obj.content}
    assert len(stored) == 3, stored
    refused = [record for record in stored.values() if record.get("state") == "deleted"]
    assert len(refused) == 1 and set(refused[0]) == {"id", "state"}  # not harvested: its id alone
    inventory_record = stored[guid]  # by source identifier: the factory gives every dataset the same title
    assert "resources" not in inventory_record and "url" not in inventory_record
    by_dataset = {"dataset_id": inventory["id"]}
    for token in (None, central.outsider["token"]):
        api_get(app, "harvest_object_show", token=token, status=403, **by_dataset)
        api_get(app, "harvest_object_show", token=token, status=403, id=objects[0].id)
    api_get(app, "harvest_object_list", token=central.member["token"], status=403, source_id=source_id)
    shown = api_get(app, "harvest_object_show", token=central.member["token"], **by_dataset)["result"]
    assert json.loads(shown["content"])["title"] == inventory["title"]


def test_changes_at_the_source_are_reflected_on_the_next_run(agency_catalogue: AgencyCatalogue, central: Central):
    org, token = agency_catalogue.new_agency()
    kept = agency_catalogue.dataset(org, title="ชุดที่คงอยู่")
    private = agency_catalogue.dataset(org, title="ชุดที่จะปิด")
    reclassified = agency_catalogue.dataset(
        org, title="ชุดที่จะเปลี่ยนชั้น", resources=[{"url": "http://a.go.th/r.csv", "name": "ข้อมูล"}]
    )
    deleted = agency_catalogue.dataset(org, title="ชุดที่จะลบ")
    classified = agency_catalogue.dataset(org, title="ชุดที่จะเป็นความลับ")
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    assert central.harvest(source["id"])["last_run"]["counts"]["created"] == 5
    first = {guid: package.id for guid, package in _by_guid(source["id"]).items()}

    # nothing changed: nothing fetched
    again = central.harvest(source["id"])["last_run"]["counts"]
    assert sum(again.values()) == 0, again

    agency_catalogue.call("package_patch", id=kept["id"], title="ชุดที่คงอยู่ (ปรับปรุง)")
    # made private without consent: withdrawn (a public dataset had consent forced on, so it is withdrawn explicitly)
    agency_catalogue.call("package_patch", id=private["id"], private=True, allow_harvest="false")
    agency_catalogue.call(
        "package_patch",
        id=reclassified["id"],
        private=True,
        data_category="internal",
        data_classification="internal",
        allow_harvest="true",
    )
    agency_catalogue.call("package_delete", id=deleted["id"])
    # classified, without consent: purged (the default for classified records), other withdrawals soft-deleted
    agency_catalogue.call(
        "package_patch",
        id=classified["id"],
        private=True,
        data_category="security",
        data_classification="secret",
        allow_harvest="false",
    )

    counts = central.harvest(source["id"])["last_run"]["counts"]
    assert (counts["updated"], counts["withdrawn"], counts["downgraded"], counts["failed"]) == (1, 3, 1, 0), counts
    _nothing_remains(first[classified["id"]], classified)
    assert model.Package.get(first[deleted["id"]]).state == "deleted"  # soft delete by default
    held = _by_guid(source["id"])
    assert set(held) == {kept["id"], reclassified["id"]}
    assert central_show(held[kept["id"]].id)["title"] == "ชุดที่คงอยู่ (ปรับปรุง)"
    downgraded = central_show(held[reclassified["id"]].id)
    assert downgraded["private"] is True and downgraded["resources"] == []
    assert downgraded["data_classification"] == "internal"
    for gone in (private, deleted):
        assert model.Session.query(model.Package).filter_by(name=gone["name"], state="active").count() == 0

    # consent given again: the withdrawn dataset comes back, in the same central record
    agency_catalogue.call("package_patch", id=private["id"], allow_harvest="true")
    counts = central.harvest(source["id"])["last_run"]["counts"]
    assert counts["updated"] == 1, counts
    assert private["id"] in _by_guid(source["id"])

    # purge chosen for every withdrawal: a dataset deleted at the source leaves nothing either
    agency_catalogue.call("package_delete", id=kept["id"])
    with changed_config(withdrawal.MODE_OPTION, "purge"):
        assert central.harvest(source["id"])["last_run"]["counts"]["withdrawn"] == 1
    _nothing_remains(first[kept["id"]], kept)


def _nothing_remains(package_id: str, remote: dict[str, Any]) -> None:
    """No dataset, activity, search document or harvest-table copy of the record's metadata."""
    from ckanext.activity.model import Activity
    from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra

    model.Session.remove()  # read what the harvest committed
    assert model.Package.get(package_id) is None
    assert model.Session.query(Activity).filter(Activity.object_id == package_id).count() == 0
    assert call_action("package_search", fq=f"id:{package_id}", include_private=True, include_drafts=True)["count"] == 0
    assert model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id).count() == 0
    objects = model.Session.query(HarvestObject).filter_by(guid=remote["id"]).all()
    kept = [json.dumps(json.loads(obj.content), ensure_ascii=False) for obj in objects if obj.content]  # Thai unescaped
    assert kept and all(remote["title"] not in content and remote["name"] not in content for content in kept)
    extras = model.Session.query(HarvestObjectExtra.value).filter(HarvestObjectExtra.value.contains(remote["name"]))
    assert extras.count() == 0
    # why it is gone is reported, without naming it
    errors = (
        model.Session.query(HarvestObjectError.message).join(HarvestObject).filter(HarvestObject.guid == remote["id"])
    )
    messages = [message for (message,) in errors]
    assert any("Not imported" in message or "Withdrawn from the catalogue" in message for message in messages)
    assert all(remote["name"] not in message and remote["title"] not in message for message in messages)


def test_harvested_datasets_are_read_only_except_curation(
    agency_catalogue: AgencyCatalogue, central: Central, app: Any
):
    org, token = agency_catalogue.new_agency()
    remote = agency_catalogue.dataset(org, resources=[{"url": "http://a.go.th/r.csv", "name": "ข้อมูล"}])
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    central.harvest(source["id"])
    local = central_show(_by_guid(source["id"])[remote["id"]].id)
    with app.flask_app.test_request_context():  # group_show searches datasets with the request's language (ui)
        group = call_action("group_create", context={"user": central.sysadmin["name"]}, name="curated-theme")

    for who in (central.member["token"], central.sysadmin["token"]):
        error = api_post(app, "package_patch", token=who, status=403, id=local["id"], title="แก้ที่ส่วนกลาง")
        assert "read-only" in error["error"]["message"]
        api_post(app, "resource_create", token=who, status=403, package_id=local["id"], url="http://x.go.th/y.csv")
        api_post(app, "resource_delete", token=who, status=403, id=local["resources"][0]["id"])
        api_post(app, "package_delete", token=who, status=403, id=local["id"])
    # curation: groups may change, and sending the dataset back unchanged is not an edit
    patched = api_post(
        app, "package_patch", token=central.sysadmin["token"], id=local["id"], groups=[{"name": group["name"]}]
    )["result"]
    assert [g["name"] for g in patched["groups"]] == ["curated-theme"]
    # the next run keeps the central curation
    agency_catalogue.call("package_patch", id=remote["id"], notes="คำอธิบายใหม่")
    central.harvest(source["id"])
    refreshed = central_show(local["id"])
    assert refreshed["notes"] == "คำอธิบายใหม่" and [g["name"] for g in refreshed["groups"]] == ["curated-theme"]
    # provenance is kept and shown on the page
    provenance = opendata_th_harvest_provenance(local["id"])
    assert provenance is not None
    assert provenance["source_identifier"] == remote["id"]
    assert provenance["original_url"] == f"{agency_catalogue.url}/dataset/{remote['name']}"
    assert provenance["first_harvested"] < provenance["last_harvested"]
    page = app.get(f"/dataset/{local['name']}").get_data(as_text=True)
    assert provenance["original_url"] in page and remote["id"] in page


def test_token_is_never_shown(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, token = agency_catalogue.new_agency()
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    sysadmin = central.sysadmin["token"]
    shown = [
        api_get(app, "harvest_source_show", token=sysadmin, id=source["id"])["result"],
        api_get(app, "package_show", token=sysadmin, id=source["id"])["result"],
        *api_get(app, "harvest_source_list", token=sysadmin)["result"],
        *api_get(app, "package_search", token=sysadmin, fq="dataset_type:harvest")["result"]["results"],
    ]
    assert shown and all(token not in json.dumps(item) for item in shown)
    assert all(json.loads(item["config"])["api_token"] == "********" for item in shown if "config" in item)
    # saving the source back with the mask keeps the real token, and the harvest still reads private metadata
    api_post(app, "harvest_source_update", token=sysadmin, **{**_source_fields(source), "config": shown[0]["config"]})
    agency_catalogue.dataset(org, **RESTRICTED, allow_harvest="true")
    assert central.harvest(source["id"])["last_run"]["counts"]["created"] == 1


def test_status_for_sysadmins_and_the_agency_only(agency_catalogue: AgencyCatalogue, central: Central, app: Any):
    org, token = agency_catalogue.new_agency()
    agency_catalogue.dataset(org)
    twice = agency_catalogue.dataset(org)
    # published directly at the centre too: the record is reported as a per-record error of the run
    call_action(
        "package_create",
        context={"user": central.sysadmin["name"]},
        **dataset_dict(name=twice["name"], owner_org=central.org["id"]),
    )
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    central.harvest(source["id"])
    for who in (central.member["token"], central.sysadmin["token"]):
        status = api_get(app, "opendata_th_harvest_status", token=who, id=source["id"])["result"]
        assert status["last_run"]["counts"]["created"] == 1 and status["last_run"]["counts"]["duplicate"] == 1
        assert status["datasets"] == {"full": 1, "metadata_only": 0}
        assert token not in json.dumps(status)
    api_get(app, "opendata_th_harvest_status", token=central.outsider["token"], status=403, id=source["id"])
    api_get(app, "opendata_th_harvest_status", status=403, id=source["id"])

    # the status page, linked from the source's page for those who may see it
    status_url = f"/harvest/{source['name']}/status"
    source_page = app.get(f"/harvest/{source['name']}", headers={"Authorization": central.member["token"]})
    assert status_url in source_page.get_data(as_text=True)
    page = app.get(status_url, headers={"Authorization": central.member["token"]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    error = status["last_run"]["record_errors"][0]
    assert error["source_identifier"] == twice["id"] and " / " in error["message"]  # Thai / English
    assert html.escape(error["message"]) in text and twice["id"] in text
    assert 'class="harvest-count-created">1<' in text and 'class="harvest-count-duplicate">1<' in text
    assert token not in text
    assert "Harvest status" in text and "Finished" in text
    thai = app.get(f"/th{status_url}", headers={"Authorization": central.sysadmin["token"]})
    thai_text = thai.get_data(as_text=True)
    assert thai.status_code == 200 and "สถานะการเก็บเกี่ยวข้อมูล" in thai_text and "เสร็จสิ้น" in thai_text
    assert token not in thai_text
    # everybody else: no status, and no link to it
    outsider_page = app.get(f"/harvest/{source['name']}", headers={"Authorization": central.outsider["token"]})
    assert status_url not in outsider_page.get_data(as_text=True)
    assert app.get(status_url, headers={"Authorization": central.outsider["token"]}).status_code == 403
    anonymous = app.get(status_url, follow_redirects=False)
    assert anonymous.status_code in (302, 403) and token not in anonymous.get_data(as_text=True)
    assert (
        app.get("/harvest/no-such-source/status", headers={"Authorization": central.sysadmin["token"]}).status_code
        == 404
    )


def test_a_source_that_is_down_changes_nothing(agency_catalogue: AgencyCatalogue, central: Central):
    org, token = agency_catalogue.new_agency()
    remote = agency_catalogue.dataset(org)
    source = central.source(agency_catalogue.url, api_token=token, organization=org)
    central.harvest(source["id"])
    # the agency moves: its old address answers nothing
    call_action(
        "harvest_source_update",
        context={"user": central.sysadmin["name"]},
        **{**_source_fields(source), "url": f"http://127.0.0.1:{free_port()}"},
    )
    status = central.harvest(source["id"])["last_run"]
    assert status["source_error"] and "could not be reached" in status["gather_errors"][0]
    assert remote["id"] in _by_guid(source["id"])
    assert central_show(_by_guid(source["id"])[remote["id"]].id)["state"] == "active"


def test_the_same_dataset_twice_is_flagged_not_duplicated(agency_catalogue: AgencyCatalogue, central: Central):
    org, token = agency_catalogue.new_agency()
    remote = agency_catalogue.dataset(org)
    # published directly at the centre under the same name by the same agency
    direct = call_action(
        "package_create",
        context={"user": central.sysadmin["name"]},
        **dataset_dict(name=remote["name"], owner_org=central.org["id"]),
    )
    first = central.source(agency_catalogue.url, api_token=token, organization=org)
    status = central.harvest(first["id"])["last_run"]
    assert status["counts"]["duplicate"] == 1 and status["counts"]["created"] == 0
    assert direct["name"] in status["record_errors"][0]["message"]
    assert opendata_th_harvest_duplicates(direct["id"])[0]["source_identifier"] == remote["id"]

    # two sources of one agency catalogue: the second is flagged
    other = agency_catalogue.dataset(org)
    second = central.source(agency_catalogue.url, api_token=token, organization=org, timeout=20)
    central.harvest(first["id"])
    status = central.harvest(second["id"])["last_run"]
    assert status["counts"]["duplicate"] == 2, status
    assert (
        model.Session.query(model.Package).filter(model.Package.title == other["title"]).count() == 2
    )  # remote+direct
