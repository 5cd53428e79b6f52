"""The GD Catalog actions and pages over HTTP, with the real job queue."""

from __future__ import annotations

import io

import ckan.lib.jobs as jobs
import openpyxl
import pytest

from ckanext.opendata_th.gdc import exporter
from tests.conftest import PLUGINS
from tests.gdc import workbook
from tests.helpers import api_get

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_redis", "with_test_worker"),
]


def _upload(app, token, org, content=None, status=200):
    content = content or workbook.build({"record": [workbook.RECORD_ROW]}, {"record": []})
    response = app.post(
        "/api/3/action/opendata_th_gdc_import",
        data={"owner_org": org, "upload": (io.BytesIO(content), "gdc.xlsx")},
        headers={"Authorization": token} if token else {},
        content_type="multipart/form-data",
    )
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.json


def test_import_runs_as_a_job_through_the_redis_queue(app, agency):
    content = workbook.build({"record": [workbook.RECORD_ROW]}, {"record": []})
    started = _upload(app, agency.editor["token"], agency.org["name"], content)["result"]
    queued = api_get(app, "opendata_th_gdc_import_status", agency.editor["token"], id=started["id"])["result"]
    assert queued["state"] == "queued"
    assert jobs.get_queue().count == 1

    jobs.Worker(["default"]).work(burst=True)

    done = api_get(app, "opendata_th_gdc_import_status", agency.editor["token"], id=started["id"])["result"]
    assert (done["state"], done["done"], done["total"], done["created"]) == ("finished", 1, 1, 1)
    assert done["rows"][0]["dataset"] == "rice-farmers-register"
    assert jobs.get_queue().count == 0
    dataset = api_get(app, "package_show", agency.editor["token"], id="rice-farmers-register")["result"]
    assert dataset["owner_org"] == agency.org["id"]


def test_a_non_member_may_not_import(app, agency):
    result = _upload(app, agency.outsider["token"], agency.org["name"], status=403)
    assert result["success"] is False
    assert jobs.get_queue().count == 0


def test_a_plain_member_may_not_import(app, agency):
    _upload(app, agency.member["token"], agency.org["name"], status=403)


def test_anonymous_may_not_import(app, agency):
    _upload(app, None, agency.org["name"], status=403)


def test_a_non_member_may_not_read_an_import_status(app, agency):
    started = _upload(app, agency.editor["token"], agency.org["name"])["result"]

    api_get(app, "opendata_th_gdc_import_status", agency.outsider["token"], status=403, id=started["id"])
    api_get(app, "opendata_th_gdc_import_status", agency.sysadmin["token"], id=started["id"])


def test_a_file_that_is_not_a_workbook_is_a_validation_error(app, agency):
    result = _upload(app, agency.editor["token"], agency.org["name"], content=b"hello", status=409)
    assert "xlsx" in result["error"]["upload"][0]


def test_the_agency_export_downloads_with_a_token(app, agency):
    response = app.get(
        f"/organization/{agency.org['name']}/gdc-export.xlsx", headers={"Authorization": agency.member["token"]}
    )

    assert response.status_code == 200
    assert response.mimetype == exporter.MIMETYPE
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert "Temp2_Meta_Record" in book.sheetnames
    assert "Temp3_Resource_GIS" in book.sheetnames


def test_exports_are_refused_to_outsiders(app, agency):
    url = f"/organization/{agency.org['name']}/gdc-export.xlsx"
    assert app.get(url, headers={"Authorization": agency.outsider["token"]}).status_code == 403
    assert app.get(url).status_code == 403
    admin_url = "/ckan-admin/gdc-export.xlsx"
    assert app.get(admin_url, headers={"Authorization": agency.editor["token"]}).status_code == 403
    assert app.get(admin_url, headers={"Authorization": agency.sysadmin["token"]}).status_code == 200


def test_export_action_returns_the_workbook(app, agency):
    result = api_get(app, "opendata_th_gdc_export", agency.member["token"], owner_org=agency.org["name"])["result"]
    assert result["filename"] == "gdc-catalog-oae.xlsx"
    assert result["count"] == 0
    api_get(app, "opendata_th_gdc_export", agency.outsider["token"], status=403, owner_org=agency.org["name"])


def test_the_import_page_and_its_link_on_the_organization_page(app, agency):
    headers = {"Authorization": agency.editor["token"]}
    org_page = app.get(f"/organization/{agency.org['name']}", headers=headers).get_data(as_text=True)
    assert f"/organization/{agency.org['name']}/gdc-import" in org_page

    page = app.get(f"/organization/{agency.org['name']}/gdc-import", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="upload"' in html
    assert "_csrf_token" in html or "csrf" in html
    outsider = app.get(
        f"/organization/{agency.org['name']}/gdc-import", headers={"Authorization": agency.outsider["token"]}
    )
    assert outsider.status_code == 403


def test_the_status_page_shows_progress_and_the_report(app, agency):
    bad = {**workbook.RECORD_ROW, "maintainer_email": "not-an-email"}
    bad_date = {**workbook.RECORD_ROW, "name": "bad-date", "created_date": "31 ม.ค."}
    content = workbook.build({"record": [bad, bad_date]})
    started = _upload(app, agency.editor["token"], agency.org["name"], content)["result"]
    headers = {"Authorization": agency.editor["token"]}

    queued = app.get(f"/organization/{agency.org['name']}/gdc-import/{started['id']}", headers=headers)
    assert queued.status_code == 200
    assert 'http-equiv="refresh"' in queued.get_data(as_text=True)

    jobs.Worker(["default"]).work(burst=True)
    page = app.get(f"/organization/{agency.org['name']}/gdc-import/{started['id']}", headers=headers)
    html = page.get_data(as_text=True)
    assert "ไม่ใช่วันที่ / " in html  # a reason made in the worker, in Thai and English
    assert "อีเมลผู้ติดต่อ / Contact email" in html
    assert 'http-equiv="refresh"' not in html
