"""Browser tests: headless Debian Chromium (/usr/bin/chromium, driven by
/usr/bin/chromedriver through Selenium; nothing downloads a browser) against
a real CKAN started for this test slot (site.py).

The site is seeded through its API: three agencies, a data officer (editor
of one of them), and public datasets of several types, one high-value with
a CSV loaded into the DataStore by the job worker.  Screenshots of the key
pages go to .local/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import os
import pathlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ckan.lib import search
from ckan.tests import factories
from ckan.tests import helpers as test_helpers
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser import site
from tests.conftest import MIGRATED_PLUGINS
from tests.factories import dataset_dict

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMEDRIVER = pathlib.Path("/usr/bin/chromedriver")
AXE = site.LOCAL / "cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = site.LOCAL / "screenshots"
DATA = pathlib.Path(__file__).parent / "data"

OFFICER = {"name": "officer", "password": "officer-pass-2567", "email": "officer@nso.example.go.th"}


@pytest.fixture(scope="session")
def screenshots() -> pathlib.Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An empty catalogue (this slot's databases reset), served on a free port."""
    port = site.free_port()
    work = tmp_path_factory.mktemp("browser-site")
    ini = site.write_ini(work / "ckan.ini", port, work / "storage")
    test_helpers.reset_db()
    for plugin in MIGRATED_PLUGINS:
        site.migrate(ini, plugin)
    site.clear_jobs(ini)  # a fresh catalogue inherits no queued load of a dataset now gone
    search.clear_all()
    sysadmin = factories.SysadminWithToken()
    with site.running(ini, port, site.LOCAL / "run" / f"browser-{os.environ.get('CKAN_SITE_ID', 'test')}") as url:
        yield {"url": url, "api": site.Api(url, sysadmin["token"])}


@pytest.fixture(scope="module")
def seeded(server: dict[str, Any]) -> dict[str, Any]:
    api = server["api"]
    nso = api("organization_create", name="nso", title="สำนักงานสถิติแห่งชาติ", ministry="mdes")
    api("organization_create", name="tmd", title="กรมอุตุนิยมวิทยา", ministry="mdes")
    api("organization_create", name="dot", title="กรมการท่องเที่ยว", ministry="mots")
    api("user_create", **OFFICER)
    api("organization_member_create", id="nso", username=OFFICER["name"], role="editor")
    elderly = api(
        "package_create",
        **dataset_dict(
            name="elderly-population-by-province",
            title="จำนวนผู้สูงอายุจำแนกตามจังหวัด",
            notes="จำนวนประชากรอายุ 60 ปีขึ้นไป จำแนกตามจังหวัดและเพศ",
            owner_org=nso["id"],
            tags=[{"name": "ผู้สูงอายุ"}, {"name": "ประชากร"}],
            high_value_dataset="true",
            hvd_category=["statistics"],
            last_updated_date="2024-03-15",
        ),
    )
    for name, title in (("rice-area", "เนื้อที่ทำนาข้าวจำแนกตามจังหวัด"), ("bank-branches", "จำนวนสาขาธนาคาร")):
        api("package_create", **dataset_dict(name=name, title=title, owner_org=nso["id"]))
    with open(DATA / "elderly.csv", "rb") as csv:
        resource = api(
            "resource_create",
            files={"upload": ("elderly.csv", csv, "text/csv")},
            package_id=elderly["id"],
            name="ผู้สูงอายุรายจังหวัด",
            format="CSV",
        )
    wait_for_datastore(server["url"], resource["id"])
    return {"elderly": elderly, "resource": resource}


def wait_for_datastore(url: str, resource_id: str, timeout: float = 240) -> None:
    """Until the job worker has loaded the resource into the DataStore."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = requests.get(f"{url}/api/3/action/resource_show", params={"id": resource_id}, timeout=10).json()
        if shown["result"].get("datastore_active"):
            return
        time.sleep(1)
    raise AssertionError(f"resource {resource_id} was not loaded into the DataStore within {timeout} s")


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "install Debian's chromium and chromium-driver (bin/install.sh)"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.add_argument("--lang=th")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


# Runs axe on the page and hands back its violations as JSON (an axe failure
# is reported as a critical violation, so it cannot pass silently).
_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}).then(
  (result) => done(JSON.stringify(result.violations)),
  (error) => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(error), nodes: []}])),
);
"""


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2 A/AA violations axe-core finds on the current page."""
    assert AXE.exists(), f"axe-core is installed by bin/install.sh into {AXE}"
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(_RUN_AXE)
    violations = json.loads(result)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
