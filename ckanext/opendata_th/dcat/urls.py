"""The URLs and URIs the DCAT output points at, from config patterns.

Patterns take `{site_url}`, `{catalog_uri}`, `{dataset_id}`, `{dataset_name}`
and `{resource_id}`.  The endpoint, the API documentation page and the
OpenAPI description are served by the API room (`api.urls` names the
stable paths).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import catalog_uri

from ckanext.opendata_th.api import urls as api_urls

API_DOCUMENTATION_CONFIG = "ckanext.opendata_th.dcat.api_documentation_url"
ENDPOINT_DESCRIPTION_CONFIG = "ckanext.opendata_th.dcat.endpoint_description_url"
PUBLISHER_CONFIG = "ckanext.opendata_th.dcat.publisher_uri"

DEFAULT_API_DOCUMENTATION = "{site_url}/dataset/{dataset_name}/api"


def _fill(pattern: str, dataset: dict[str, Any] | None = None, resource: dict[str, Any] | None = None) -> str:
    dataset, resource = dataset or {}, resource or {}
    return pattern.format(
        site_url=tk.config["ckan.site_url"].rstrip("/"),
        catalog_uri=catalog_uri().rstrip("/"),
        dataset_id=dataset.get("id") or resource.get("package_id") or "",
        dataset_name=dataset.get("name") or dataset.get("id") or resource.get("package_id") or "",
        resource_id=resource.get("id") or "",
    )


def datastore_endpoint(resource: dict[str, Any]) -> str:
    """The service's endpoint: the API room's stable records URL of the resource.

    Not `datastore_search`: that is CKAN's action API, whose parameters are
    not what the OpenAPI document (the endpoint description) describes.
    """
    return tk.config["ckan.site_url"].rstrip("/") + api_urls.records_path(str(resource.get("id") or ""))


def api_documentation(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    pattern = tk.config.get(API_DOCUMENTATION_CONFIG) or DEFAULT_API_DOCUMENTATION
    return _fill(pattern, dataset, resource)


def endpoint_description(dataset: dict[str, Any], resource: dict[str, Any]) -> str | None:
    pattern = tk.config.get(ENDPOINT_DESCRIPTION_CONFIG)
    return _fill(pattern, dataset, resource) if pattern else None


def resource_page(dataset: dict[str, Any], resource: dict[str, Any]) -> str:
    return _fill("{site_url}/dataset/{dataset_name}/resource/{resource_id}", dataset, resource)


def data_service(distribution_uri: str) -> str:
    """The service's URI: its distribution's, with a fragment."""
    return f"{distribution_uri}#datastore-api"


def national_scheme() -> str:
    return _fill("{catalog_uri}/hvd/category")


def national_category(code: str) -> str:
    return f"{national_scheme()}/{code}"


def catalog_publisher() -> str:
    return _fill(tk.config.get(PUBLISHER_CONFIG) or "{catalog_uri}#publisher")
