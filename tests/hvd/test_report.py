"""The /hvd page and its CSV / XLSX report, the compliance action, facets and badges."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest

from tests.conftest import PLUGINS
from tests.helpers import api_get, api_post
from tests.hvd import catalogue

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def built(app: Any) -> catalogue.Catalogue:
    built = catalogue.build(app)
    # A private HVD, and an HVD whose title would run as a spreadsheet formula.
    catalogue.create(app, built.token, built.agency, name="private-hvd", private=True, high_value_dataset="true")
    catalogue.create(
        app,
        built.token,
        built.agency,
        name="formula-hvd",
        title='=HYPERLINK("http://evil","x")',
        high_value_dataset="true",
    )
    return built


def test_compliance_action_reports_each_rule(app, built):
    result = api_get(app, "opendata_th_hvd_compliance", id=built["statistics"]["name"])["result"]
    assert result["high_value_dataset"] is True
    assert result["compliant"], result["rules"]
    assert {rule["rule"] for rule in result["rules"]} >= {"open_licence", "api", "bulk_download", "category"}


def test_compliance_of_a_private_dataset_is_not_for_the_public(app, built):
    api_get(app, "opendata_th_hvd_compliance", status=403, id=built["private"]["id"])
    assert api_get(app, "opendata_th_hvd_compliance", built.token, id=built["private"]["id"])["success"]


def test_hvd_page_lists_public_hvds_with_compliance(app, built):
    page = app.get("/hvd").get_data(as_text=True)
    assert built["statistics"]["title"] in page and built["mobility"]["title"] in page
    assert "private-hvd" not in page
    assert built["plain"]["title"] not in page


def test_csv_report_is_formula_safe(app, built):
    response = app.get("/hvd/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert set(names) == {"population-stat", "admin-boundaries", "bus-stops", "formula-hvd"}
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil","x")' in titles
    formula_row = rows[1 + titles.index('\'=HYPERLINK("http://evil","x")')]
    assert "no" in formula_row  # no categories, no DataStore: not compliant


def test_xlsx_report_has_text_cells_only(app, built):
    response = app.get("/hvd/report.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 4
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)
    assert any(row[2] == '\'=HYPERLINK("http://evil","x")' for row in values)


def test_search_facets_and_badge(app, built):
    result = api_get(
        app,
        "package_search",
        fq="high_value_dataset:true",
        **{"facet.field": json.dumps(["vocab_hvd_category", "high_value_dataset"])},
    )["result"]
    assert result["count"] == 4
    categories = {item["name"]: item["count"] for item in result["search_facets"]["vocab_hvd_category"]["items"]}
    assert categories == {"statistics": 1, "geospatial": 1, "earth_observation": 1, "mobility": 1}
    page = app.get("/dataset/").get_data(as_text=True)
    assert "opendata-th-hvd-badge" in page
    assert "vocab_hvd_category" in page  # the facet block


def test_dataset_page_shows_the_checklist(app, built):
    page = app.get(f"/dataset/{built['statistics']['name']}").get_data(as_text=True)
    assert "opendata-th-hvd-checklist" in page and 'data-rule="api"' in page
    plain = app.get(f"/dataset/{built['plain']['name']}").get_data(as_text=True)
    assert "opendata-th-hvd-checklist" not in plain


def test_report_action_groups_by_agency(app, built):
    groups = api_post(app, "opendata_th_hvd_report", None)["result"]
    assert [group["agency"] for group in groups] == ["สำนักงานสถิติแห่งชาติ"]
    assert groups[0]["total"] == 4 and groups[0]["compliant"] == 3
