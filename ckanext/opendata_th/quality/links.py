"""Phase 2 of scoring: does every resource answer?  One real request per external link.

- an uploaded file is looked up in the catalogue's storage (no request);
- a link into this catalogue (its API, a DataStore dump) is served here and
  not fetched;
- any other link gets one GET under the catalogue's SSRF rule (lib/fetch.py:
  public addresses, or the deployment's allow-list, and every redirect hop
  checked), with connect and read timeouts, and the body is never read: the
  status, content type and size come from the headers, so a link that sends
  gigabytes costs what its headers cost.

Links are checked a few at a time (`ckanext.opendata_th.quality.link_workers`),
and a link that hangs, loops or is refused is one failed link, never a failed
score.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from typing import Any

import ckan.plugins.toolkit as tk
import requests

from ckanext.opendata_th.hvd.compliance import active_resources
from ckanext.opendata_th.ingest.jobs import upload_size
from ckanext.opendata_th.lib import fetch
from ckanext.opendata_th.lib.i18n import Message

__all__ = ["Link", "check_resources"]

WORKERS_OPTION = "ckanext.opendata_th.quality.link_workers"
TIMEOUT_OPTION = "ckanext.opendata_th.quality.link_timeout"

UPLOAD, SITE, EXTERNAL = "upload", "site", "external"


@dataclasses.dataclass(frozen=True)
class Link:
    """What one resource's URL answered."""

    resource_id: str
    name: str
    kind: str  # UPLOAD, SITE or EXTERNAL
    ok: bool
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    problem: Message | None = None

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["problem"] = self.problem.as_json() if self.problem else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Link:
        problem = Message.from_json(data["problem"]) if data.get("problem") else None
        return cls(**{**data, "problem": problem})


def check_resources(dataset: dict[str, Any]) -> tuple[Link, ...]:
    """Every active resource's link, checked a few at a time, in resource order."""
    resources = active_resources(dataset)
    workers = max(1, tk.config.get(WORKERS_OPTION) or 4)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return tuple(pool.map(check, resources))


def check(resource: dict[str, Any]) -> Link:
    url = str(resource.get("url") or "")
    if resource.get("url_type") == "upload":
        size = upload_size(resource)
        if size is None:
            return _link(resource, UPLOAD, problem=Message("The uploaded file is missing from storage"))
        return _link(resource, UPLOAD, ok=True, content_type=resource.get("mimetype"), size=size)
    if not url:
        return _link(resource, EXTERNAL, problem=Message("The resource has no link"))
    if _is_site_url(url):
        return _link(resource, SITE, ok=True, content_type=resource.get("mimetype"))
    return _fetched(resource, url)


def _link(resource: dict[str, Any], kind: str, ok: bool = False, **found: Any) -> Link:
    name = str(resource.get("name") or resource.get("url") or "")
    return Link(resource_id=str(resource.get("id") or ""), name=name, kind=kind, ok=ok, **found)


def _is_site_url(url: str) -> bool:
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    return bool(site) and (url == site or url.startswith(site + "/"))


def _fetched(resource: dict[str, Any], url: str) -> Link:
    timeout = float(tk.config.get(TIMEOUT_OPTION) or 10)
    try:
        with fetch.get(url, stream=True, timeout=(timeout, timeout)) as response:
            status = response.status_code
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or None
            size = _length(response.headers.get("Content-Length"))
    except fetch.FetchRefused as refused:
        return _link(resource, EXTERNAL, problem=Message(refused.msgid, refused.params))
    except requests.Timeout:
        return _link(resource, EXTERNAL, problem=Message("The server did not answer in time"))
    except requests.RequestException:
        return _link(resource, EXTERNAL, problem=Message("The server could not be reached"))
    if status >= 400:
        problem = Message("The server answered HTTP %(status)s", {"status": status})
        return _link(resource, EXTERNAL, status=status, problem=problem)
    return _link(resource, EXTERNAL, ok=True, status=status, content_type=content_type, size=size)


def _length(header: str | None) -> int | None:
    try:
        return int(header) if header is not None else None
    except ValueError:
        return None
