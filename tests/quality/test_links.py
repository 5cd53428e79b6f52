"""Link checks against a real local HTTP server: status, type and size from headers, bounded in time."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ckanext.opendata_th.quality import links

ALLOW = "ckanext.opendata_th.fetch.allowed_hosts"
HUGE = 10 * 2**30  # what /huge claims to send


class Server:
    """A real http.server on loopback with one path per behaviour; it records the paths it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.seen.append(self.path)
                if self.path == "/slow":
                    time.sleep(3)
                if self.path == "/loop":
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 404 if self.path == "/missing" else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Content-Length", str(HUGE if self.path == "/huge" else 8))
                self.end_headers()
                if self.path == "/huge":
                    try:  # sends until the client hangs up
                        while True:
                            self.wfile.write(b"x" * 65536)
                    except OSError:
                        return
                self.wfile.write(b"a,b\n1,2\n")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def _resource(url: str, **extra: Any) -> dict[str, Any]:
    return {"id": "r1", "name": "data.csv", "url": url, "format": "CSV", **extra}


@pytest.fixture
def allowed(server: Server, ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> Server:
    monkeypatch.setitem(ckan_config, ALLOW, [f"127.0.0.1:{server.port}"])
    monkeypatch.setitem(ckan_config, links.TIMEOUT_OPTION, 1)
    return server


def test_an_answering_link_gives_its_type_and_size(allowed):
    link = links.check(_resource(f"{allowed.url}/ok"))
    assert link.ok and link.status == 200
    assert link.content_type == "text/csv"
    assert link.size == 8


def test_a_missing_file_is_a_failed_link_with_its_status(allowed):
    link = links.check(_resource(f"{allowed.url}/missing"))
    assert not link.ok and link.status == 404
    assert link.problem is not None and link.problem.text("en") == "The server answered HTTP 404"


def test_a_link_that_hangs_fails_within_the_timeout(allowed):
    started = time.monotonic()
    link = links.check(_resource(f"{allowed.url}/slow"))
    assert not link.ok
    assert link.problem is not None and link.problem.text("en") == "The server did not answer in time"
    assert time.monotonic() - started < 3  # the server sleeps 3 s; the timeout is 1 s


def test_a_redirect_loop_is_stopped(allowed):
    link = links.check(_resource(f"{allowed.url}/loop"))
    assert not link.ok
    assert link.problem is not None and "redirected more than" in link.problem.text("en")


def test_a_link_that_sends_gigabytes_is_measured_from_its_headers(allowed):
    started = time.monotonic()
    link = links.check(_resource(f"{allowed.url}/huge"))
    assert link.ok and link.size == HUGE
    assert time.monotonic() - started < 5  # the body is never read


def test_an_internal_address_is_refused_without_a_request(server):
    before = len(server.seen)
    link = links.check(_resource(f"{server.url}/ok"))  # loopback, not allow-listed
    assert not link.ok
    assert link.problem is not None and "not a public internet address" in link.problem.text("en")
    assert len(server.seen) == before


def test_links_into_the_catalogue_itself_are_not_fetched(server, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url)
    before = len(server.seen)
    link = links.check(_resource(f"{server.url}/datastore/dump/r1"))
    assert link.ok and link.kind == links.SITE
    assert len(server.seen) == before


def test_every_resource_of_a_dataset_is_checked_in_order(allowed):
    dataset = {
        "resources": [
            {"id": "a", "name": "a", "url": f"{allowed.url}/ok"},
            {"id": "b", "name": "b", "url": f"{allowed.url}/missing"},
            {"id": "c", "name": "c", "url": ""},
            {"id": "d", "name": "d", "url": f"{allowed.url}/ok", "state": "deleted"},
        ]
    }
    checked = links.check_resources(dataset)
    assert [(link.resource_id, link.ok) for link in checked] == [("a", True), ("b", False), ("c", False)]
