"""The API room's stable URLs, in one place (the DCAT room points at them too)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

PREFIX = "/api/opendata/v1"


def site() -> str:
    return str(tk.config["ckan.site_url"]).rstrip("/")


def records_path(resource_id: str) -> str:
    return f"{PREFIX}/resources/{resource_id}/records"


def schema_path(resource_id: str) -> str:
    return f"{PREFIX}/resources/{resource_id}/schema"


def resource_openapi_path(resource_id: str) -> str:
    return f"{PREFIX}/resources/{resource_id}/openapi.json"


def catalogue_openapi_path() -> str:
    return f"{PREFIX}/openapi.json"


def dataset_openapi_path(dataset: dict[str, Any]) -> str:
    return f"/dataset/{dataset.get('name') or dataset['id']}/openapi.json"


def docs_path(dataset: dict[str, Any]) -> str:
    return f"/dataset/{dataset.get('name') or dataset['id']}/api"


def docs_url(dataset: dict[str, Any]) -> str:
    return site() + docs_path(dataset)
