"""A real CKAN for the browser tests: the web app and a job worker as
subprocesses on a free loopback port, against this test slot's databases,
Solr core and Redis database (the CKAN_* variables bin/stack exports).

The configuration is test.ini with the production plugins and settings that
matter to a visitor (Thai by default, the data preview, uploads on disk so
the worker reads what the web app stored).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOCAL = pathlib.Path(os.environ.get("ODTH_LOCAL_DIR", ROOT / ".local"))
CKAN = pathlib.Path(sys.executable).with_name("ckan")
PLUGINS = (
    "opendata_th activity datastore datatables_view text_view image_view dcat structured_data "
    "scheming_datasets scheming_organizations"
)
# Settings of test.ini replaced here (the rest is kept).
_OVERRIDDEN = (
    "testing",
    "ckan.plugins",
    "ckan.site_url",
    "SESSION_COOKIE_DOMAIN",
    "ckan.storage_path",
    "ckan.files.",
    "ckan.locale_default",
    "ckan.locales_offered",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_ini(path: pathlib.Path, port: int, storage: pathlib.Path) -> pathlib.Path:
    kept = [
        line
        for line in (ROOT / "test.ini").read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith(_OVERRIDDEN)
    ]
    at = kept.index("[app:main]") + 1
    settings = [
        f"ckan.plugins = {PLUGINS}",
        f"ckan.site_url = http://127.0.0.1:{port}",
        f"ckan.storage_path = {storage}",
        "ckan.locale_default = th",
        "ckan.locales_offered = th en",
        "ckan.views.default_views = datatables_view",
        "ckanext.opendata_th.ui.featured_datasets = elderly-population-by-province rice-area",
        "ckan.dataset.create_on_ui_requires_resources = false",
    ]
    kept[at:at] = settings
    path.write_text("\n".join(kept).replace("%(here)s", str(ROOT)) + "\n", encoding="utf-8")
    return path


def migrate(ini: pathlib.Path, plugin: str) -> None:
    """A plugin's database migrations, as `ckan db upgrade -p` runs them."""
    subprocess.run([CKAN, "-c", ini, "db", "upgrade", "-p", plugin], check=True, capture_output=True)


def clear_jobs(ini: pathlib.Path) -> None:
    """Empty the slot's background job queues (`ckan jobs clear`)."""
    subprocess.run([CKAN, "-c", ini, "jobs", "clear"], check=True, capture_output=True)


@contextlib.contextmanager
def running(ini: pathlib.Path, port: int, logs: pathlib.Path) -> Iterator[str]:
    """The web app and a job worker while the block runs; both stopped after it."""
    url = f"http://127.0.0.1:{port}"
    logs.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen[Any]] = []
    with open(logs / "web.log", "wb") as web_log, open(logs / "worker.log", "wb") as worker_log:
        try:
            processes.append(
                subprocess.Popen(
                    [CKAN, "-c", ini, "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader", "--threaded"],
                    stdout=web_log,
                    stderr=subprocess.STDOUT,
                )
            )
            processes.append(
                subprocess.Popen([CKAN, "-c", ini, "jobs", "worker"], stdout=worker_log, stderr=subprocess.STDOUT)
            )
            _wait_until_up(url, processes[0], logs / "web.log")
            yield url
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _wait_until_up(url: str, web: subprocess.Popen[Any], log: pathlib.Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise RuntimeError(f"the web app exited; see {log}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the web app did not answer within 120 s; see {log}")


class Api:
    """The action API of the running site, as a client script calls it."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def __call__(self, action: str, files: dict[str, Any] | None = None, **data: Any) -> Any:
        endpoint, headers = f"{self.url}/api/3/action/{action}", {"Authorization": self.token}
        if files:
            response = requests.post(endpoint, data=data, files=files, headers=headers, timeout=60)
        else:
            response = requests.post(endpoint, json=data, headers=headers, timeout=60)
        assert response.ok, f"{action}: HTTP {response.status_code} {response.text[:2000]}"
        return response.json()["result"]
