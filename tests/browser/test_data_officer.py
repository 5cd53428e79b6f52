"""A data officer logs in, creates a dataset of each of the five data types
through the form (seeing only that type's fields), uploads a CSV and sees
it loaded into the DataStore."""

from __future__ import annotations

import time
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import DATA, OFFICER, axe_violations
from tests.factories import TYPE_FIELDS

pytestmark = pytest.mark.usefixtures("seeded")

# A field of each kind of type-specific fields: shown for these types only.
TYPE_ONLY_FIELDS = {
    "field-unit_of_measure": {"statistical"},
    "field-west_bound_longitude": {"gis"},
    "field-data_collect": {"record", "multiple", "other"},
    "field-data_type_other": {"other"},
}
TITLES = {
    "record": "ทะเบียนแหล่งท่องเที่ยวทดสอบ",
    "statistical": "สถิติผู้สูงอายุทดสอบ",
    "gis": "ตำแหน่งสถานีตรวจอากาศทดสอบ",
    "multiple": "ข้อมูลครัวเรือนหลากหลายประเภททดสอบ",
    "other": "เสียงสัมภาษณ์ทดสอบ",
}


def _wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    return WebDriverWait(driver, timeout).until(condition)


def _press(driver: Any, element: Any) -> None:
    """Activate a button or link from the keyboard."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", element)
    element.send_keys(Keys.ENTER)


def _type(driver: Any, field_id: str, text: str) -> None:
    field = driver.find_element(By.ID, field_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.clear()
    field.send_keys(text)


def _choose(driver: Any, field_id: str, value: str) -> None:
    field = driver.find_element(By.ID, field_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    Select(field).select_by_value(value)


def _tick(driver: Any, field_id: str) -> None:
    box = driver.find_element(By.ID, field_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    if not box.is_selected():
        box.send_keys(Keys.SPACE)


def _set_hidden(driver: Any, field_id: str, value: str) -> None:
    """Fields behind CKAN's JS widgets (tag autocomplete, URL slug): set as the widget would."""
    driver.execute_script(
        "const f = document.getElementById(arguments[0]); f.value = arguments[1];"
        "f.dispatchEvent(new Event('change', {bubbles: true}));",
        field_id,
        value,
    )


def _log_in(driver: Any, url: str) -> None:
    driver.get(url + "/user/login")
    _type(driver, "field-login", OFFICER["name"])
    _type(driver, "field-password", OFFICER["password"])
    driver.find_element(By.ID, "field-password").send_keys(Keys.ENTER)
    _wait(driver, lambda d: "/user/login" not in d.current_url)


def _fill_dataset_form(driver: Any, data_type: str) -> None:
    _choose(driver, "field-data_type", data_type)
    for field_id, types in TYPE_ONLY_FIELDS.items():
        shown = driver.find_element(By.ID, field_id).is_displayed()
        assert shown == (data_type in types), f"{data_type}: {field_id} shown={shown}"
    _type(driver, "field-title", TITLES[data_type])
    _set_hidden(driver, "field-name", f"officer-{data_type}")
    _choose(driver, "field-data_category", "public")
    _choose(driver, "field-data_classification", "open")
    _type(driver, "field-maintainer", "กลุ่มงานสถิติ")
    _type(driver, "field-maintainer_email", "stat@nso.example.go.th")
    _set_hidden(driver, "field-tag_string", "ทดสอบ")
    _type(driver, "field-notes", f"ชุดข้อมูล{TITLES[data_type]}")
    _tick(driver, "field-objective-agency_mission")
    _choose(driver, "field-update_frequency_unit", "year")
    _type(driver, "field-update_frequency_interval", "1")
    _choose(driver, "field-geo_coverage", "country")
    _type(driver, "field-data_source", "สำนักงานสถิติแห่งชาติ")
    _tick(driver, "field-data_format-csv")
    _choose(driver, "field-license_id", "cc-by")
    _type(driver, "field-last_updated_date", "15/03/2567")  # a Buddhist-era date, as officers write it
    for name, value in TYPE_FIELDS[data_type].items():
        field = driver.find_element(By.ID, f"field-{name}")
        if field.tag_name == "select":
            _choose(driver, f"field-{name}", value)
        else:
            _type(driver, f"field-{name}", value)


def test_a_data_officer_creates_a_dataset_of_each_type_and_uploads_a_csv(server, browser, screenshots):
    _log_in(browser, server["url"])
    for data_type in ("record", "statistical", "gis", "multiple", "other"):
        browser.get(server["url"] + "/dataset/new")
        _fill_dataset_form(browser, data_type)
        if data_type == "statistical":
            browser.save_screenshot(str(screenshots / "10-dataset-form-statistical.png"))
            assert axe_violations(browser) == []
        _press(browser, browser.find_element(By.CSS_SELECTOR, 'button[name="save"]'))
        _wait(browser, lambda d: not d.current_url.endswith("/dataset/new"))
        errors = browser.find_elements(By.CSS_SELECTOR, ".error-explanation")
        assert not errors, errors[0].text if errors else ""
        shown = server["api"]("package_show", id=f"officer-{data_type}")
        assert shown["data_type"] == data_type and shown["state"] == "active"
        assert shown["last_updated_date"] == "2024-03-15"

    # Data for the statistical dataset: a CSV upload through the resource form.
    browser.get(server["url"] + "/dataset/officer-statistical/resource/new")
    upload = browser.find_element(By.CSS_SELECTOR, 'input[type="file"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", upload)
    upload.send_keys(str(DATA / "elderly.csv"))
    _type(browser, "field-name", "ผู้สูงอายุรายจังหวัดทดสอบ")
    browser.save_screenshot(str(screenshots / "11-resource-form.png"))
    assert axe_violations(browser) == []
    _press(browser, browser.find_elements(By.CSS_SELECTOR, 'button[name="save"].btn-primary')[-1])
    _wait(browser, lambda d: "/resource/new" not in d.current_url)

    # The upload is loaded by the job worker; the resource page says so.
    resource = server["api"]("package_show", id="officer-statistical")["resources"][0]
    page = f"{server['url']}/dataset/officer-statistical/resource/{resource['id']}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        browser.get(page)
        if server["api"]("resource_show", id=resource["id"]).get("datastore_active"):
            break
        time.sleep(2)
    browser.get(page)
    status = browser.find_element(By.ID, "ingest-status")
    assert status.get_attribute("data-state") == "complete", status.text
    assert "4" in status.text  # rows loaded
    assert server["api"]("datastore_search", resource_id=resource["id"])["total"] == 4
    browser.save_screenshot(str(screenshots / "12-resource-loaded.png"))
