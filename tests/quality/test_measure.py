"""The score from facts: each indicator loses its points with a reason, fixes in order (no database).

The plugins are loaded for the scheming schema (recommendations) and the Thai translations.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ckanext.opendata_th.ingest.infer import TYPE_NOTES
from ckanext.opendata_th.lib.i18n import Message
from ckanext.opendata_th.quality import measure
from ckanext.opendata_th.quality.facts import Facts, Table
from ckanext.opendata_th.quality.indicators import catalogue, rating_for
from ckanext.opendata_th.quality.links import Link
from ckanext.opendata_th.quality.score import Score, compute
from tests.conftest import PLUGINS
from tests.factories import dataset_dict

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]

NOW = datetime.datetime(2026, 11, 20, 12, 0)
MQA_MAX = 405


def _dataset(**overrides: Any) -> dict[str, Any]:
    data = dataset_dict(
        id="d1",
        name="d1",
        owner_org="org1",
        tags=[{"name": "ประชากร"}],
        groups=[{"name": "society"}],
        accessible_condition="เปิดเผยได้ทั่วไป",
        last_updated_date="2026-11-01",
        metadata_created="2025-01-01T00:00:00",
        metadata_modified="2026-11-01T00:00:00",
        update_frequency_unit="year",
        resources=[
            {
                "id": "r1",
                "name": "population.csv",
                "format": "CSV",
                "url": "http://data.example.go.th/population.csv",
                "mimetype": "text/csv",
                "size": 1200,
                "datastore_active": True,
                "last_modified": "2026-11-01T00:00:00",
            }
        ],
    )
    data.update(overrides)
    return data


def _table(**overrides: Any) -> Table:
    values: dict[str, Any] = {
        "resource_id": "r1",
        "name": "population.csv",
        "loaded": True,
        "failed": False,
        "column_types": ("text", "int4"),
        "described": 2,
    }
    values.update(overrides)
    return Table(**values)


def _links(ok: bool = True) -> tuple[Link, ...]:
    problem = None if ok else Message("The server answered HTTP %(status)s", {"status": 404})
    return (Link("r1", "population.csv", "external", ok, 200 if ok else 404, "text/csv", 1200, problem),)


def _facts(dataset: dict[str, Any] | None = None, **overrides: Any) -> Facts:
    values: dict[str, Any] = {
        "dataset": dataset if dataset is not None else _dataset(),
        "tables": (_table(),),
        "links": _links(),
        "now": NOW,
    }
    values.update(overrides)
    return Facts(**values)


def _item(score: Score, code: str) -> Any:
    return next(item for item in score.items if item.code == code)


def test_every_indicator_has_a_measure_and_mqa_is_405_points():
    codes = {indicator.code for indicator in catalogue().indicators}
    assert codes == set(measure.MEASURES)
    mqa = {dimension.code for dimension in catalogue().dimensions if dimension.mqa}
    assert sum(indicator.points for indicator in catalogue().indicators if indicator.dimension in mqa) == MQA_MAX


def test_a_complete_dataset_keeps_every_point():
    score = compute(_facts())
    assert score.fixes() == [], [(item.code, item.reason) for item in score.fixes()]
    assert score.points == score.max_points == MQA_MAX + 100
    assert score.mqa_points == MQA_MAX
    assert score.rating == "excellent"


@pytest.mark.parametrize(
    ("code", "change", "reason"),
    [
        ("keywords", {"tags": []}, "no keywords"),
        ("categories", {"groups": []}, "in no group"),
        ("spatial", {"geo_coverage": ""}, "geographic coverage"),
        ("licence_vocabulary", {"license_id": "my-own-licence"}, "not one of the list"),
        ("contact_point", {"maintainer_email": ""}, "contact person"),
        ("rights", {"accessible_condition": ""}, "conditions of access"),
        ("recommendations", {"unit_of_measure": ""}, "unit of measure"),
        ("data_fresh", {"update_frequency_unit": "unknown"}, "not declared"),
    ],
)
def test_each_indicator_loses_its_points_with_a_reason(code, change, reason):
    item = _item(compute(_facts(_dataset(**change))), code)
    assert item.points < item.max_points
    assert item.reason is not None
    assert reason in item.reason.text("en")


def test_a_monthly_dataset_declared_updated_15_march_2564_is_overdue_whatever_the_files_say(app):
    dataset = _dataset(update_frequency_unit="month", last_updated_date="2021-03-15")
    score = compute(_facts(dataset))
    declared = _item(score, "declared_fresh")
    assert declared.points == 0
    assert _item(score, "data_fresh").points == 20  # its file was replaced last month
    with app.flask_app.test_request_context():
        thai, english = declared.reason.text("th"), declared.reason.text("en")
    assert thai.startswith("เกินกำหนด: ปรับปรุงล่าสุด 15 มี.ค. 2564")
    assert english.startswith("Overdue: last updated 15 Mar 2021")


def test_unchecked_links_are_left_out_of_the_score_not_counted_as_broken():
    unchecked = compute(_facts(links=None))
    assert not unchecked.links_checked
    assert {"access_url_status", "download_url_status"}.isdisjoint(item.code for item in unchecked.items)
    assert unchecked.max_points == MQA_MAX + 100 - 80
    assert unchecked.fixes() == []


def test_a_broken_link_costs_access_points_and_names_the_resource():
    score = compute(_facts(links=_links(ok=False)))
    item = _item(score, "access_url_status")
    assert item.points == 0
    assert "population.csv" in item.reason.text("en")
    assert "HTTP 404" in item.reason.text("en")
    assert score.fixes()[0].code == "access_url_status"  # 50 points: the biggest gain comes first


def test_loader_notes_are_not_descriptions_and_text_only_tables_lose_typing_points():
    score = compute(_facts(tables=(_table(column_types=("text", "text"), described=0),)))
    assert _item(score, "typed_columns").points == 0
    dictionary = _item(score, "dictionary")
    assert dictionary.points == 0
    assert "2 of 2 columns" in dictionary.reason.text("en")
    from ckanext.opendata_th.ingest.infer import is_loader_note

    assert is_loader_note(TYPE_NOTES["int4"] + "; แปลงจาก พ.ศ. / converted from the Buddhist era")
    assert not is_loader_note("จำนวนผู้สูงอายุ (คน)")


def test_a_pdf_only_dataset_loses_machine_readability():
    dataset = _dataset(resources=[{"id": "r2", "name": "report.pdf", "format": "PDF", "url": "http://x/r.pdf"}])
    score = compute(_facts(dataset, tables=()))
    for code in ("machine_readable", "datastore_loaded", "typed_columns", "dictionary"):
        assert _item(score, code).points == 0, code
    assert _item(score, "non_proprietary").points == 20  # PDF is an open format, only not machine-readable


def test_high_value_datasets_are_also_held_to_the_hvd_rules():
    assert "hvd" not in {item.dimension for item in compute(_facts()).items}
    hvd = compute(_facts(_dataset(high_value_dataset="true", hvd_category=[])))
    item = _item(hvd, "hvd_rules")
    assert item.max_points == 40
    assert item.points == 35  # seven of eight rules: no category
    assert "HVD category" in item.reason.text("en")


def test_ratings_follow_the_mqa_bands():
    assert rating_for(351 / 405).code == "excellent"
    assert rating_for(350 / 405).code == "good"
    assert rating_for(221 / 405).code == "good"
    assert rating_for(220 / 405).code == "sufficient"
    assert rating_for(120 / 405).code == "bad"


def test_a_score_survives_its_json_form():
    score = compute(_facts(_dataset(update_frequency_unit="month", last_updated_date="2021-03-15")))
    again = Score.from_json(score.as_json())
    assert again == score
