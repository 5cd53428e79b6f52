"""lib/fetch.py: public addresses only, checked where the socket connects, redirects included."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from ckanext.opendata_th.lib import fetch

ALLOW = "ckanext.opendata_th.fetch.allowed_hosts"
PUBLIC = "93.184.215.14"  # a public (IANA) address; never connected to by these tests


class LocalServer:
    """A real http.server on 127.0.0.1 that records the requests it saw (path, Host header)."""

    def __init__(self, redirect_to: str | None = None) -> None:
        self.seen: list[tuple[str, str]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.seen.append((self.path, self.headers.get("Host", "")))
                if redirect_to is not None:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"a,b\n1,2\n"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_server() -> Iterator[Callable[..., LocalServer]]:
    servers: list[LocalServer] = []

    def start(redirect_to: str | None = None) -> LocalServer:
        servers.append(LocalServer(redirect_to))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Made-up host names answered from this dict, one answer per lookup (the last one repeats)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host in answers:
            queue = answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not to bind)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    ],
)
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not fetch.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_public(address: str) -> None:
    assert fetch.is_public(ipaddress.ip_address(address))


@pytest.mark.ckan_config(ALLOW, "")
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8983/solr/ckan/select?q=*:*&wt=csv",
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_urls_of_non_public_addresses_are_refused_with_the_plain_message(ckan_config: Any, url: str) -> None:
    with pytest.raises(fetch.FetchRefused) as refused:
        fetch.check_url(url)
    assert refused.value.msgid == fetch.NOT_PUBLIC
    assert str(refused.value).endswith(fetch.NOT_PUBLIC)
    assert "127.0.0.1" not in str(refused.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.csv", "gopher://127.0.0.1/", "http:///x"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(fetch.FetchRefused) as refused:
        fetch.check_url(url)
    assert refused.value.msgid == fetch.NOT_HTTP


def test_a_public_address_passes_the_check() -> None:
    fetch.check_url(f"https://{PUBLIC}/data.csv")  # an IP literal: no DNS needed


@pytest.mark.ckan_config(ALLOW, "")
def test_a_loopback_server_is_never_reached_without_the_allow_list(ckan_config: Any, local_server: Any) -> None:
    server = local_server()
    with pytest.raises(fetch.FetchRefused):
        fetch.get(server.url + "/data.csv", timeout=5)
    with pytest.raises(fetch.FetchRefused):  # the session alone refuses too (the check is in the connection)
        fetch.session().get(server.url + "/data.csv", timeout=5)
    assert server.seen == []


@pytest.mark.parametrize("allowed", ["127.0.0.1", "127.0.0.0/8", "10.0.0.0/8, 127.0.0.1", "localhost", "::1 127.0.0.1"])
def test_the_allow_list_admits_hosts_ips_and_networks(
    ckan_config: Any, monkeypatch: pytest.MonkeyPatch, local_server: Any, allowed: str
) -> None:
    monkeypatch.setitem(ckan_config, ALLOW, allowed)
    server = local_server()
    host = "localhost" if allowed == "localhost" else "127.0.0.1"
    response = fetch.get(f"http://{host}:{server.port}/data.csv", timeout=5)
    assert response.status_code == 200
    assert response.content == b"a,b\n1,2\n"
    assert [path for path, _ in server.seen] == ["/data.csv"]


def test_a_redirect_to_a_loopback_port_that_is_not_allowed_is_refused_at_the_redirect(
    ckan_config: Any, monkeypatch: pytest.MonkeyPatch, local_server: Any
) -> None:
    target = local_server()
    first = local_server(redirect_to=f"{target.url}/secret")
    monkeypatch.setitem(ckan_config, ALLOW, f"127.0.0.1:{first.port}")  # the first server's port only
    with pytest.raises(fetch.FetchRefused):
        fetch.get(first.url + "/start", timeout=5)
    with pytest.raises(fetch.FetchRefused):  # requests' own redirect following meets the same check
        fetch.session().get(first.url + "/start", timeout=5)
    assert [path for path, _ in first.seen] == ["/start", "/start"]
    assert target.seen == []


def test_an_allow_list_entry_with_a_port_admits_that_port_only() -> None:
    allowed = fetch.AllowList(["127.0.0.1:8000", "[::1]:8001", "agency.example:8443", "10.0.0.0/8", "::2"])
    loopback = ipaddress.ip_address("127.0.0.1")
    assert allowed.has_address(loopback, 8000)
    assert not allowed.has_address(loopback, 8983)
    assert allowed.has_address(ipaddress.ip_address("::1"), 8001)
    assert not allowed.has_address(ipaddress.ip_address("::1"), 8000)
    assert allowed.has_address(ipaddress.ip_address("::2"), 1)
    assert allowed.has_address(ipaddress.ip_address("10.9.8.7"), 5432)
    assert allowed.has_host("Agency.Example.", 8443)
    assert not allowed.has_host("agency.example", 443)


@pytest.mark.ckan_config(ALLOW, "127.0.0.1")
def test_redirects_are_limited(ckan_config: Any, local_server: Any) -> None:
    loop = local_server(redirect_to="/again")
    with pytest.raises(fetch.FetchRefused) as refused:
        fetch.get(loop.url + "/", timeout=5)
    assert refused.value.msgid == fetch.TOO_MANY_REDIRECTS
    assert len(loop.seen) == fetch.MAX_REDIRECTS + 1


@pytest.mark.ckan_config(ALLOW, "")
def test_a_dns_answer_that_changes_after_the_check_is_caught_where_the_socket_connects(
    ckan_config: Any, resolver: dict[str, list[str]], local_server: Any
) -> None:
    server = local_server()
    resolver["rebind.example"] = [PUBLIC, "127.0.0.1"]  # public when checked, loopback when connecting
    url = f"http://rebind.example:{server.port}/data.csv"
    fetch.check_url(url)  # the first answer passes
    with pytest.raises(fetch.FetchRefused):
        fetch.session().get(url, timeout=5)  # the connection asked again and got loopback
    assert server.seen == []


@pytest.mark.ckan_config(ALLOW, "")
def test_a_host_with_any_non_public_address_is_refused(ckan_config: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    answer = real(PUBLIC, 80, type=socket.SOCK_STREAM) + real("127.0.0.1", 80, type=socket.SOCK_STREAM)
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: answer if host == "mixed.example" else real(host, *a, **k)
    )
    with pytest.raises(fetch.FetchRefused):
        fetch.check_url("http://mixed.example/")


@pytest.mark.ckan_config(ALLOW, "127.0.0.1")
def test_the_connection_goes_to_the_checked_address_and_keeps_the_host_name(
    ckan_config: Any, resolver: dict[str, list[str]], local_server: Any
) -> None:
    server = local_server()
    resolver["pinned.example"] = ["127.0.0.1"]
    response = fetch.get(f"http://pinned.example:{server.port}/data.csv", timeout=5)
    assert response.status_code == 200
    assert server.seen == [("/data.csv", f"pinned.example:{server.port}")]


def test_a_refusal_is_a_requests_connection_error() -> None:
    assert issubclass(fetch.FetchRefused, requests.exceptions.ConnectionError)


def test_proxies_from_the_environment_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    session = fetch.session()
    assert session.trust_env is False
    assert session.proxies == {}
    assert session.max_redirects == fetch.MAX_REDIRECTS
