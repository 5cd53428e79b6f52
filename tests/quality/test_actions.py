"""Scores through CKAN: queued after a change, scored by a real worker, kept, shown to who may see them."""

from __future__ import annotations

from typing import Any

import ckan.lib.jobs as ckan_jobs
import pytest
from ckan.tests import factories as ckan_factories

from ckanext.opendata_th.quality import jobs, store
from tests.conftest import PLUGINS
from tests.factories import dataset_dict
from tests.helpers import api_get, api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.ingest.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]


def _run_quality_jobs() -> None:
    ckan_jobs.Worker([jobs.QUEUE]).work(burst=True)


@pytest.fixture
def agency() -> dict[str, Any]:
    editor = ckan_factories.UserWithToken()
    outsider = ckan_factories.UserWithToken()
    org = ckan_factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    ckan_factories.Organization(users=[{"name": outsider["name"], "capacity": "admin"}])
    return {"org": org, "editor": editor["token"], "outsider": outsider["token"]}


def _create(app: Any, agency: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = dataset_dict(owner_org=agency["org"]["id"], **fields)
    return api_post(app, "package_create", agency["editor"], **data)["result"]


def test_a_new_dataset_is_queued_scored_by_the_worker_and_kept(app, agency):
    dataset = _create(app, agency, name="scored", unit_of_measure="")
    assert store.latest(dataset["id"]) is None
    _run_quality_jobs()

    kept = store.latest(dataset["id"])
    assert kept is not None and kept["owner_org"] == agency["org"]["id"]
    result = api_get(app, "opendata_th_quality_show", id="scored")["result"]
    assert result["scored_at"] is not None and result["links_checked"] is True
    assert result["points"] == kept["points"] and 0 < result["percent"] < 100
    first = result["fixes"][0]
    assert first["gain"] >= result["fixes"][-1]["gain"]
    assert set(first["fix"]) == {"th", "en"} and first["fix"]["th"] != first["fix"]["en"]
    recommendations = next(item for item in result["items"] if item["code"] == "recommendations")
    assert "unit of measure" in recommendations["reason"]["en"]
    assert [row["scored_on"] for row in result["history"]] == [kept["scored_on"].isoformat()]


def test_a_change_is_scored_again_the_same_day_in_place(app, agency):
    dataset = _create(app, agency, name="improving", unit_of_measure="")
    _run_quality_jobs()
    before = store.latest(dataset["id"])
    changes = {"unit_of_measure": "คน", "accessible_condition": "ใช้ได้ทั่วไป"}
    api_post(app, "package_patch", agency["editor"], id=dataset["id"], **changes)
    _run_quality_jobs()
    after = store.latest(dataset["id"])
    assert before is not None and after is not None
    assert after["points"] > before["points"]
    assert len(store.history(dataset["id"])) == 1


def test_a_dataset_not_scored_yet_is_scored_on_the_spot_without_links(app, agency, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, jobs.ON_CHANGE_OPTION, False)
    _create(app, agency, name="unscored")
    result = api_get(app, "opendata_th_quality_show", id="unscored")["result"]
    assert result["scored_at"] is None and result["links_checked"] is False
    assert result["history"] == []
    assert {item["code"] for item in result["items"]}.isdisjoint({"access_url_status", "download_url_status"})


def test_the_score_of_a_classified_dataset_does_not_exist_for_outsiders(app, agency):
    classified = {"data_category": "personal", "data_classification": "confidential", "private": True}
    dataset = _create(app, agency, name="closed", **classified)
    _run_quality_jobs()
    unknown = api_get(app, "opendata_th_quality_show", status=404, id="no-such-dataset")
    for token in (None, agency["outsider"]):
        refused = api_get(app, "opendata_th_quality_show", token, status=404, id=dataset["id"])
        assert refused["error"] == unknown["error"]
    assert api_get(app, "opendata_th_quality_show", agency["editor"], id=dataset["id"])["result"]["points"] > 0


def test_the_score_of_a_private_open_dataset_is_refused_as_the_dataset_is(app, agency):
    dataset = _create(app, agency, name="unpublished", private=True)
    for token in (None, agency["outsider"]):
        api_get(app, "package_show", token, status=403, id=dataset["id"])
        api_get(app, "opendata_th_quality_show", token, status=403, id=dataset["id"])


def test_only_editors_have_a_dataset_scored_again(app, agency):
    dataset = _create(app, agency, name="rescore")
    _run_quality_jobs()
    api_post(app, "opendata_th_quality_score", agency["outsider"], status=403, id=dataset["id"])
    assert api_post(app, "opendata_th_quality_score", agency["editor"], id=dataset["id"])["result"]["queued"]
    assert [job.func_name for job in ckan_jobs.get_queue(jobs.QUEUE).jobs] == [
        "ckanext.opendata_th.quality.jobs.score_dataset"
    ]


def test_one_dataset_that_cannot_be_scored_does_not_stop_the_others(app, agency, monkeypatch):
    first = _create(app, agency, name="breaks")
    second = _create(app, agency, name="scores")
    real = jobs.facts.gather

    def gather(dataset: dict[str, Any], *args: Any) -> Any:
        if dataset["name"] == "breaks":
            raise RuntimeError("a broken dataset")
        return real(dataset, *args)

    monkeypatch.setattr(jobs.facts, "gather", gather)
    assert jobs.score_all(check_links=False) == (1, 1)
    assert store.latest(first["id"]) is None and store.latest(second["id"]) is not None


def _page(app: Any, url: str, token: str | None = None) -> str:
    response = app.get(url, headers={"Authorization": token} if token else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _quality_section(page: str) -> str:
    section = page[page.index("opendata-th-quality") :]
    return section[: section.index("</section>")]


def test_the_dataset_page_shows_the_score_and_three_fixes_in_its_language(app, agency):
    _create(app, agency, name="on-the-page", unit_of_measure="")
    _run_quality_jobs()
    fixes = api_get(app, "opendata_th_quality_show", id="on-the-page")["result"]["fixes"]
    assert len(fixes) > 3

    thai = _quality_section(_page(app, "/th/dataset/on-the-page"))
    assert "คะแนนคุณภาพ" in thai and "สิ่งที่ควรปรับปรุงก่อน" in thai
    assert thai.count('data-indicator="') == 3
    for shown in fixes[:3]:
        assert shown["fix"]["th"] in thai and shown["fix"]["en"] not in thai
    assert fixes[3]["fix"]["th"] not in thai
    assert "Quality score" not in thai

    english = _quality_section(_page(app, "/en/dataset/on-the-page"))
    assert "Quality score" in english and "What to improve first" in english
    for shown in fixes[:3]:
        assert shown["fix"]["en"] in english
    assert "คะแนน" not in english
