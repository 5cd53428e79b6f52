"""The agency catalogue's CKAN action API, as the harvester reads it.

Every failure (down, slow, HTTP error, malformed JSON, an answer without
`result`) becomes a `RemoteError` with a bilingual message naming the URL
without its query string and never the token, so it can be stored in the
harvest error report and logged as it is.

The source is fetched under the catalogue's SSRF rule (lib/fetch.py): a
source, and every redirect it answers, must be a public address unless the
sysadmin allow-listed its host; a refusal is a `RemoteError` like any other.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import requests

from ckanext.opendata_th.harvest.sourceconfig import SourceConfig
from ckanext.opendata_th.lib import fetch
from ckanext.opendata_th.lib.i18n import bilingual

USER_AGENT = "ckanext-opendata_th harvester"
NOT_PUBLIC = (
    "%(url)s is not a public internet address; the catalogue harvests it only if a sysadmin allow-lists"
    " its host in ckanext.opendata_th.fetch.allowed_hosts"
)


def source_url_refusal(url: str) -> str | None:
    """Why the catalogue will not fetch this harvest source URL (bilingual), or None if it may.

    Harvest sources are a sysadmin's choice, but they obey the same rule as
    every server-side fetch: a sysadmin who harvests an internal agency
    catalogue adds its host to `ckanext.opendata_th.fetch.allowed_hosts`.
    """
    try:
        fetch.check_url(url)
    except fetch.FetchRefused as error:
        if error.msgid != fetch.NOT_PUBLIC:
            return str(error)
        parts = urlsplit(url)
        return bilingual(NOT_PUBLIC, url=f"{parts.scheme}://{parts.netloc}{parts.path}")
    return None


class RemoteError(Exception):
    """The source could not answer this request; the message is bilingual and token-free."""


class NotAvailable(RemoteError):
    """The source says the dataset does not exist or may not be read (404/403)."""


class Remote:
    def __init__(self, base_url: str, config: SourceConfig) -> None:
        self.base_url = base_url.rstrip("/")
        self.config = config
        self.session = fetch.session()
        self.session.headers["User-Agent"] = USER_AGENT
        if config.token:
            self.session.headers["Authorization"] = config.token

    def _action(self, action: str, params: dict[str, Any]) -> Any:
        url = f"{self.base_url}/api/3/action/{action}"
        try:
            response = self.session.get(url, params=params, timeout=self.config.timeout)
        except fetch.FetchRefused as error:
            raise RemoteError(bilingual(NOT_PUBLIC, url=url)) from error
        except requests.Timeout as error:
            raise RemoteError(
                bilingual("%(url)s did not answer within %(seconds)s seconds", url=url, seconds=self.config.timeout)
            ) from error
        except requests.RequestException as error:
            raise RemoteError(
                bilingual("%(url)s could not be reached: %(reason)s", url=url, reason=type(error).__name__)
            ) from error
        if response.status_code in (403, 404):
            raise NotAvailable(bilingual("%(url)s answered HTTP %(status)s", url=url, status=response.status_code))
        if response.status_code != 200:
            raise RemoteError(bilingual("%(url)s answered HTTP %(status)s", url=url, status=response.status_code))
        try:
            body = json.loads(response.content)
        except ValueError as error:
            raise RemoteError(bilingual("%(url)s did not answer valid JSON", url=url)) from error
        if not isinstance(body, dict) or not body.get("success") or "result" not in body:
            raise RemoteError(bilingual("%(url)s did not answer a CKAN API result", url=url))
        return body["result"]

    def modified_by_id(self) -> dict[str, str]:
        """Every dataset id the token may read, with its metadata_modified.

        Ids and dates only (`fl`), paged by id: the cheap listing that tells
        what changed and what disappeared since the last run.
        """
        listing: dict[str, str] = {}
        start = 0
        while True:
            params = {
                "q": "*:*",
                "fq": self._filter(),
                "fl": "id,metadata_modified",
                "include_private": "true",
                "sort": "id asc",
                "rows": self.config.rows,
                "start": start,
            }
            result = self._action("package_search", params)
            page = result.get("results") if isinstance(result, dict) else None
            if not isinstance(page, list):
                raise RemoteError(bilingual("%(url)s did not answer a dataset list", url=self.base_url))
            for row in page:
                if isinstance(row, dict) and row.get("id"):
                    listing[str(row["id"])] = str(row.get("metadata_modified") or "")
            if len(page) < self.config.rows:
                return listing
            start += self.config.rows

    def _filter(self) -> str:
        if self.config.organization:  # a name checked by sourceconfig: no query syntax in it
            return f"dataset_type:dataset organization:{self.config.organization}"
        return "dataset_type:dataset"

    def package_show(self, dataset_id: str) -> dict[str, Any]:
        result = self._action("package_show", {"id": dataset_id})
        if not isinstance(result, dict) or not result.get("id"):
            raise RemoteError(bilingual("%(url)s did not answer a dataset", url=self.base_url))
        return result

    def dataset_url(self, name: str) -> str:
        """The dataset's page at the source (provenance: original URL)."""
        return f"{self.base_url}/dataset/{name}"
