"""Two real CKAN instances on loopback: the central catalogue and an agency catalogue.

The central catalogue is this pytest process (Flask app, ckanext-harvest
with real Redis queues).  The agency catalogue is a `ckan run` subprocess
with this extension, its own database (ckan_agency_<slot>, created by
bin/ckan.sh like the other test databases) and its own Solr core
(ckan_agency_test; test slots sharing it are told apart by their site ids,
as in the test core); tests seed it through its action API, as an agency
would.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import requests
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from tests.conftest import MIGRATED_PLUGINS, PLUGINS
from tests.factories import dataset_dict

ROOT = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).with_name("ckan")
# opendata_th_harvest right after opendata_th, as in the ini: its templates come before scheming's
CENTRAL_PLUGINS = (
    PLUGINS.replace("opendata_th ", "opendata_th opendata_th_harvest ", 1)
    + " harvest opendata_th_ckan_harvester dcat_rdf_harvester"
)
AGENCY_PLUGINS = PLUGINS  # the agency runs this extension too


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited while starting: {log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not start within {seconds}s: {log.read_text()[-3000:]}")


@dataclasses.dataclass
class AgencyCatalogue:
    """The agency's CKAN: its URL and its sysadmin's token (for seeding only)."""

    url: str
    admin_token: str

    def call(self, action: str, token: str | None = None, **data: Any) -> Any:
        response = requests.post(
            f"{self.url}/api/3/action/{action}",
            json=data,
            headers={"Authorization": token or self.admin_token},
            timeout=60,
        )
        body = response.json()
        assert body.get("success"), f"{action} at the agency failed: {body.get('error')}"
        return body["result"]

    def new_agency(self) -> tuple[str, str]:
        """A fresh organization and the token of its member that the central catalogue is granted."""
        org = self.call("organization_create", name=f"agency-{uuid.uuid4().hex[:8]}", title="กรมทดสอบ")
        user = self.call(
            "user_create",
            name=f"central-{uuid.uuid4().hex[:8]}",
            email=f"{uuid.uuid4().hex[:8]}@example.go.th",
            password="central-harvest-pass",
        )
        self.call("organization_member_create", id=org["id"], username=user["name"], role="member")
        token = self.call("api_token_create", user=user["name"], name="central-catalogue")["token"]
        return org["name"], token

    def dataset(self, org: str, **fields: Any) -> dict[str, Any]:
        data = dataset_dict(owner_org=org, name=f"ds-{uuid.uuid4().hex[:10]}", **fields)
        return self.call("package_create", **data)


def _agency_env(port: int) -> dict[str, str]:
    url = os.environ.get("ODTH_AGENCY_SQLALCHEMY_URL")
    solr_url = os.environ.get("ODTH_AGENCY_SOLR_URL")
    assert url and solr_url, "ODTH_AGENCY_SQLALCHEMY_URL/SOLR_URL are not set: run the tests with bin/stack test"
    env = dict(os.environ)
    env.update(
        CKAN_SQLALCHEMY_URL=url,
        CKAN_SOLR_URL=solr_url,
        CKAN_SITE_ID=f"agency.{os.environ.get('CKAN_SITE_ID', 'test')}",
        CKAN_SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def _agency_ini(directory: Path) -> Path:
    text = (ROOT / "test.ini").read_text(encoding="utf-8")
    text = re.sub(r"^ckan\.plugins =.*$", f"ckan.plugins = {AGENCY_PLUGINS}", text, flags=re.M)
    text = text.replace("%(here)s", str(ROOT))
    ini = directory / "agency.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


@pytest.fixture(scope="session")
def agency_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgencyCatalogue]:
    directory = tmp_path_factory.mktemp("agency")
    port = free_port()
    env = _agency_env(port)
    ini = _agency_ini(directory)

    def ckan(*args: str) -> str:
        done = subprocess.run([str(CKAN), "-c", str(ini), *args], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"ckan {' '.join(args)}: {done.stderr[-3000:]}"
        return done.stdout

    ckan("db", "clean", "--yes")
    ckan("db", "init")
    ckan("db", "upgrade", "-p", "activity")
    ckan("search-index", "clear")
    ckan("user", "add", "agency_admin", "email=admin@agency.example.go.th", "password=agency-admin-pass")
    ckan("sysadmin", "add", "agency_admin")
    token = ckan("user", "token", "add", "agency_admin", "seeding").strip().splitlines()[-1].strip()
    log = directory / "agency.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CKAN), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader", "--threaded"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield AgencyCatalogue(url=url, admin_token=token)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def clean_db(reset_db, migrate_db_for, with_plugins):
    """CKAN's clean_db plus the migrations of the plugins the central catalogue loads."""
    reset_db()
    for plugin in (*MIGRATED_PLUGINS, "harvest"):
        migrate_db_for(plugin)


@dataclasses.dataclass
class Central:
    sysadmin: dict[str, Any]
    org: dict[str, Any]
    member: dict[str, Any]
    outsider: dict[str, Any]
    flask_app: Any

    def source(self, url: str, source_type: str = "opendata_th_ckan", **config: Any) -> dict[str, Any]:
        return call_action(
            "harvest_source_create",
            context={"user": self.sysadmin["name"]},
            url=url,
            name=f"source-{uuid.uuid4().hex[:8]}",
            title="แหล่งเก็บเกี่ยวทดสอบ",
            source_type=source_type,
            owner_org=self.org["id"],
            frequency="MANUAL",
            config=json.dumps(config),
        )

    def harvest(self, source_id: str) -> dict[str, Any]:
        """One run through the real Redis queues, consumed the way the gather and fetch consumers do.

        The consumers run under CKAN's command line, which keeps its Flask app
        in the click context's meta and pushes no Flask context of its own.
        """
        gather, fetch = queue.get_gather_consumer(), queue.get_fetch_consumer()
        job = call_action("harvest_job_create", context={"user": self.sysadmin["name"]}, source_id=source_id, run=True)
        for _attempt in range(20):
            for consumer, callback in ((gather, queue.gather_callback), (fetch, queue.fetch_callback)):
                with click.Context(click.Command("harvester")) as cli:
                    cli.meta["flask_app"] = self.flask_app
                    while True:
                        reply = consumer.basic_get(queue="")
                        if reply[2] is None:
                            break
                        callback(consumer, *reply)
            call_action("harvest_jobs_run", context={"user": self.sysadmin["name"]}, source_id=source_id)
            status = self.status(source_id)
            if status["last_run"]["status"] == "Finished":
                assert status["last_run"]["id"] == job["id"]
                return status
            time.sleep(0.5)
        raise AssertionError(f"the harvest job did not finish: {status}")

    def status(self, source_id: str) -> dict[str, Any]:
        return call_action("opendata_th_harvest_status", context={"user": self.sysadmin["name"]}, id=source_id)


@pytest.fixture
def central(clean_db: None, clean_index: None, app: Any) -> Central:
    for consumer in (queue.get_gather_consumer(), queue.get_fetch_consumer()):
        consumer.queue_purge()
    sysadmin = ckan_factories.SysadminWithToken()
    member = ckan_factories.UserWithToken()
    outsider = ckan_factories.UserWithToken()
    # organization_show's dataset search reads the request's language (ui room's facet labels)
    with app.flask_app.test_request_context():
        org = ckan_factories.Organization(
            name="central-agency",
            title="กรมทดสอบ (ส่วนกลาง)",
            users=[{"name": member["name"], "capacity": "editor"}],
        )
    return Central(sysadmin=sysadmin, org=org, member=member, outsider=outsider, flask_app=app.flask_app)


def central_show(package_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
