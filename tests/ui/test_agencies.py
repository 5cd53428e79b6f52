"""Agency pages: names in both languages, ministry, figures and datasets as the viewer may see them."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

CLASSIFIED_TITLE = "ทะเบียนผู้สูงอายุรายบุคคล"


@pytest.fixture
def agency_catalogue(app: Any, catalogue: dict[str, Any]) -> dict[str, Any]:
    """The ui catalogue, with nso's English name and a classified (confidential, private) dataset of nso."""
    token = catalogue["token"]
    nso = catalogue["agencies"][0]
    api_post(app, "organization_patch", token, id=nso["id"], title_en="National Statistical Office")
    api_post(
        app,
        "package_create",
        token,
        **dataset_dict(
            name="elderly-register",
            title=CLASSIFIED_TITLE,
            owner_org=nso["id"],
            data_category="personal",
            data_classification="confidential",
            high_value_dataset="true",
            hvd_category=["statistics"],
            private=True,
        ),
    )
    return catalogue


def _page(app: Any, url: str, token: str | None = None) -> BeautifulSoup:
    headers = {"Authorization": token} if token else {}
    response = app.get(url, headers=headers)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _figures(page: BeautifulSoup) -> dict[str, int]:
    return {
        item["class"][0].removeprefix("opendata-th-figure-"): int(item.select_one(".opendata-th-figure-count").text)
        for item in page.select(".opendata-th-agency-figures li")
    }


def test_agency_page_in_thai_shows_names_ministry_and_public_figures(app, agency_catalogue):
    page = _page(app, "/th/organization/nso")
    assert page.html["lang"] == "th"
    assert page.select_one(".opendata-th-agency-title").text == "สำนักงานสถิติแห่งชาติ"
    other = page.select_one(".opendata-th-agency-other")
    assert other.text == "National Statistical Office" and other["lang"] == "en"
    assert "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in page.select_one(".opendata-th-agency-ministry").text
    # One public dataset (HVD, with an API, just updated); the private and the classified ones do not count.
    assert _figures(page) == {"datasets": 1, "hvd": 1, "api": 1, "recent": 1}
    labels = [label.text for label in page.select(".opendata-th-agency-figures .opendata-th-figure-label")]
    assert labels == ["ชุดข้อมูล", "ชุดข้อมูลที่มีคุณค่าสูง", "ชุดข้อมูลที่มี API", "ปรับปรุงใน 30 วันที่ผ่านมา"]


def test_anonymous_visitor_sees_no_private_or_classified_dataset_of_the_agency(app, agency_catalogue):
    urls = ("/th/organization/nso", "/th/organization/nso?high_value_dataset=true")
    urls += ("/th/organization/", "/en/organization/nso")
    for url in urls:
        html = app.get(url).get_data(as_text=True)
        for hidden in ("แผนลับผู้สูงอายุ", "secret-plan", CLASSIFIED_TITLE, "elderly-register"):
            assert hidden not in html, (url, hidden)
    page = _page(app, "/th/organization/nso")
    assert [a.text.strip() for a in page.select(".dataset-heading a")] == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]
    assert page.select_one("#organization-info .opendata-th-agency-count").text.strip() == "1"


def test_the_agency_and_sysadmins_count_what_they_may_read(app, agency_catalogue):
    page = _page(app, "/th/organization/nso", agency_catalogue["token"])
    assert _figures(page) == {"datasets": 3, "hvd": 2, "api": 1, "recent": 3}
    titles = {a.text.strip() for a in page.select(".dataset-heading a")}
    assert CLASSIFIED_TITLE in titles and "แผนลับผู้สูงอายุ" in titles


def test_agency_page_in_english(app, agency_catalogue):
    page = _page(app, "/en/organization/nso")
    assert page.html["lang"] == "en"
    assert page.select_one(".opendata-th-agency-title").text == "National Statistical Office"
    other = page.select_one(".opendata-th-agency-other")
    assert other.text == "สำนักงานสถิติแห่งชาติ" and other["lang"] == "th"
    assert "Ministry of Digital Economy and Society" in page.select_one(".opendata-th-agency-ministry").text
    labels = [label.text for label in page.select(".opendata-th-agency-figures .opendata-th-figure-label")]
    assert labels == ["Datasets", "High-value datasets", "Datasets with an API", "Updated in the last 30 days"]


def test_agency_page_has_the_catalogue_facets_and_its_figures_filter_the_list(app, agency_catalogue):
    page = _page(app, "/th/organization/nso")
    facet_titles = {heading.text.strip() for heading in page.select(".module-facet h2, section.module h2")}
    assert {"ประเภทชุดข้อมูล", "ชุดข้อมูลที่มีคุณค่าสูง", "มี API"} <= facet_titles
    api_link = page.select_one(".opendata-th-agency-figures .opendata-th-figure-api a")["href"]
    assert "has_api=true" in api_link
    filtered = _page(app, api_link)
    assert [a.text.strip() for a in filtered.select(".dataset-heading a")] == ["จำนวนผู้สูงอายุจำแนกตามจังหวัด"]


def test_agency_list_shows_ministry_and_the_count_a_visitor_may_see(app, agency_catalogue):
    page = _page(app, "/th/organization/")
    items = {
        item.select_one(".media-heading").text.strip(): item
        for item in page.select("li.media-item")
        if item.select_one(".media-heading")
    }
    nso = items["สำนักงานสถิติแห่งชาติ"]
    assert nso.select_one(".opendata-th-agency-ministry").text.strip() == "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
    # nso holds three datasets; a visitor may see one of them.
    assert nso.select_one(".opendata-th-agency-count").text.strip() == "1 ชุดข้อมูล"
    assert items["กรมการท่องเที่ยว"].select_one(".opendata-th-agency-ministry").text.strip() == ("กระทรวงการท่องเที่ยวและกีฬา")
    english = _page(app, "/en/organization/")
    headings = [heading.text.strip() for heading in english.select("li.media-item .media-heading")]
    assert "National Statistical Office" in headings and "กรมการท่องเที่ยว" in headings  # no English name: Thai
    assert "Ministry of Digital Economy and Society" in english.get_text()
