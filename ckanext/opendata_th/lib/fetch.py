"""The one guarded way the catalogue fetches a URL on its server (SSRF).

Every server-side fetch (the ingest worker's download, harvest sources,
ckanext-dcat's RDF download) goes through `session()` or `get()`, so an
editor cannot make the server read an internal service (Solr, Redis,
PostgreSQL's neighbours, cloud metadata at 169.254.169.254) and publish the
answer.

The rule, written once here:

- only `http` and `https`;
- only public internet addresses: no loopback, private (RFC 1918),
  link-local, unique-local, CGNAT, unspecified, multicast or reserved
  address, nor an IPv6 form of one (IPv4-mapped, 6to4, NAT64);
- a deployment names its own hosts in `ckanext.opendata_th.fetch.allowed_hosts`
  (host names, IP addresses or CIDR networks, each optionally with `:port`);
  the default is none.

The check is made where the socket is opened: the connection resolves the
host, checks every address, and connects to the checked address itself
(Host header, TLS SNI and certificate still name the host), so a DNS answer
that changes between a check and the connect cannot slip through.  Each
redirect opens its own connection and is checked the same way.  Proxies from
the environment are ignored: a proxy would fetch an internal address on our
behalf.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from typing import Any
from urllib.parse import urljoin, urlsplit

import ckan.plugins.toolkit as tk
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from ckanext.opendata_th.lib.i18n import bilingual

ALLOWED_HOSTS_OPTION = "ckanext.opendata_th.fetch.allowed_hosts"
SCHEMES = ("http", "https")
MAX_REDIRECTS = 5

# Besides what `ipaddress` calls non-global: networks whose last 32 bits are an IPv4 address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")

NOT_PUBLIC = "The address is not a public internet address, so the catalogue does not fetch it"
NOT_HTTP = "Only http and https addresses can be fetched"
TOO_MANY_REDIRECTS = "The address redirected more than %(limit)s times"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchRefused(requests.exceptions.ConnectionError):
    """The catalogue will not fetch this address; `str()` is the bilingual message.

    A `requests` ConnectionError, so code that reports failed connections
    (ckanext-dcat's harvester) reports this one too.  The message never names
    the resolved address: it says what the rule is, not what is inside.
    """

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(bilingual(msgid, **params))


class _Blocked(Exception):
    """Raised inside urllib3 (not an OSError, so urllib3 neither retries nor wraps it)."""


# --- the rule ---------------------------------------------------------------------


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """True for an address on the public internet, the only kind fetched by default."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)  # ::ffff:a.b.c.d is a.b.c.d
    embedded = _embedded_ipv4(address)
    if embedded is not None and not is_public(embedded):
        return False
    special = (
        address.is_loopback,
        address.is_private,
        address.is_link_local,
        address.is_multicast,
        address.is_reserved,
        address.is_unspecified,
        address in _CGNAT,
    )
    return address.is_global and not any(special)


class AllowList:
    """The deployment's own hosts: names (lower case) and networks, each on any port or on one port.

    `127.0.0.1:8000` admits that port only: allowing a whole host would also
    admit the other services it runs (Solr, Redis).
    """

    def __init__(self, entries: list[str]) -> None:
        self.names: list[tuple[str, int | None]] = []
        self.networks: list[tuple[Network, int | None]] = []
        for entry in entries:
            self._add(entry.strip())

    def _add(self, entry: str) -> None:
        host, port = entry, None
        head, _, tail = entry.rpartition(":")
        if tail.isdigit() and head and (":" not in head or head.startswith("[")):
            host, port = head, int(tail)
        try:
            self.networks.append((ipaddress.ip_network(host.strip("[]"), strict=False), port))
        except ValueError:
            self.names.append((host.lower().rstrip("."), port))

    def has_host(self, host: str, port: int) -> bool:
        name = host.lower().rstrip(".")
        return any(name == allowed and p in (None, port) for allowed, p in self.names)

    def has_address(self, address: Address, port: int) -> bool:
        return any(
            address.version == network.version and address in network and p in (None, port)
            for network, p in self.networks
        )


def allow_list() -> AllowList:
    raw = tk.config.get(ALLOWED_HOSTS_OPTION) or []
    entries = raw.replace(",", " ").split() if isinstance(raw, str) else [str(e) for e in raw]
    return AllowList(entries)


def address_allowed(address: Address, port: int) -> bool:
    """Public, or inside a network the deployment allow-listed (on this port)."""
    return is_public(address) or allow_list().has_address(address, port)


def _parse(text: str) -> Address:
    return ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone id (fe80::1%eth0) is not part of it


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, checked; raises `_Blocked` if any one is refused.

    All must pass, not one: the connection could otherwise be steered to the
    refused one by the order of the answer.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_list().has_host(host, port) and not all(address_allowed(_parse(a), port) for a in addresses):
        raise _Blocked(host)
    return addresses


def check_url(url: str) -> None:
    """Raises `FetchRefused` unless `url` is http(s) and its host resolves to allowed addresses only.

    For a clear answer before anything is fetched (a form, a harvest
    source); the fetch itself checks again where it connects.  A host that
    does not resolve is not refused here: its fetch fails on its own.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FetchRefused(NOT_HTTP)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise FetchRefused(NOT_HTTP) from error
    try:
        resolve(parts.hostname, port)
    except _Blocked as error:
        raise FetchRefused(NOT_PUBLIC) from error
    except (OSError, UnicodeError):
        return


# --- the pinned connection ----------------------------------------------------------


class _PinnedConnection:
    """Mixed into urllib3's connections: resolve, check, and connect to the checked address."""

    _dns_host: str
    port: int

    def _new_conn(self) -> socket.socket:
        host = self._dns_host
        try:
            addresses = resolve(host, self.port)
        except OSError:
            addresses = [host]  # urllib3 reports the failed resolution in its own words
        # urllib3 connects to `_dns_host`; the TLS layer and the Host header keep using `host`.
        try:
            for address in addresses[:-1]:  # like create_connection: the next address if one refuses
                self._dns_host = address
                with contextlib.suppress(NewConnectionError):
                    return super()._new_conn()  # type: ignore[misc]
            self._dns_host = addresses[-1]
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = host


class _PinnedHTTPConnection(_PinnedConnection, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnection, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A `requests` adapter whose every connection obeys the rule."""

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PinnedHTTPPool, "https": _PinnedHTTPSPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        raise FetchRefused(NOT_PUBLIC)  # a proxy connects for us, past the check

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            return super().send(request, *args, **kwargs)
        except _Blocked as error:
            raise FetchRefused(NOT_PUBLIC) from error


def guard(session: requests.Session) -> requests.Session:
    """`session`, made to obey the rule (for sessions made by others, e.g. ckanext-dcat's)."""
    adapter = GuardedAdapter()
    for scheme in SCHEMES:
        session.mount(f"{scheme}://", adapter)
    session.trust_env = False
    session.proxies.clear()
    session.max_redirects = MAX_REDIRECTS
    return session


def session() -> requests.Session:
    """A new `requests` session that fetches public (or allow-listed) addresses only."""
    return guard(requests.Session())


def get(url: str, *, client: requests.Session | None = None, **kwargs: Any) -> requests.Response:
    """GET `url` under the rule, following up to MAX_REDIRECTS redirects, each one checked.

    Raises `FetchRefused` for a refused address (first or any hop) and
    `requests.RequestException` for everything else that goes wrong.  With
    `stream=True` the caller closes the response.
    """
    client = client or session()
    check_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        response = client.get(url, allow_redirects=False, **kwargs)
        if not response.is_redirect:
            return response
        location = response.headers["Location"]
        response.close()
        url = urljoin(url, location)
        check_url(url)
    raise FetchRefused(TOO_MANY_REDIRECTS, limit=MAX_REDIRECTS)
