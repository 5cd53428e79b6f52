"""Which tables the caller may read, asked of CKAN's actions (never decided here).

`datastore_info` is the gate: it runs `package_show` (governance's
members-only rule for data that is not open) and the ingest PDPA guard, so
a table skipped here is one the caller could not have read anyway.  The
catalogue document is built as an anonymous user sees the catalogue, and
only from datasets governance says are published, whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.opendata_th import governance
from ckanext.opendata_th.api import changes, examples, openapi, records, stats, urls
from ckanext.opendata_th.api.errors import forbidden, not_found

Table = tuple[dict[str, Any], list[dict[str, Any]]]


def _columns(context: dict[str, Any], resource_id: str) -> list[dict[str, Any]] | None:
    try:
        info = tk.get_action("datastore_info")(dict(context), {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    columns: list[dict[str, Any]] = [c for c in info["fields"] if c["id"] not in records.HIDDEN]
    return columns


def _dataset(context: dict[str, Any], dataset_id: str) -> dict[str, Any]:
    try:
        found: dict[str, Any] = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    except tk.NotAuthorized:
        raise forbidden() from None
    except tk.ObjectNotFound:
        raise not_found() from None
    return found


def _tables_of(context: dict[str, Any], dataset: dict[str, Any]) -> list[Table]:
    found: list[Table] = []
    for resource in dataset.get("resources") or []:
        if not resource.get("datastore_active"):
            continue
        columns = _columns(context, resource["id"])
        if columns is not None:
            found.append((resource, columns))
    return found


def check_readable(resource_id: str) -> None:
    """Whether the caller may read the table, asked of datastore_info's auth (governance, PDPA) only.

    The cheap gate in front of a cached document: the actions themselves run
    only when the document has to be built.
    """
    resource = model.Resource.get(resource_id)
    if resource is None:
        raise not_found()
    context = records.context()
    try:
        tk.check_access("datastore_info", context, {"id": resource_id})
    except tk.NotAuthorized:
        if governance.is_hidden(context["user"], model.Package.get(resource.package_id)):
            raise not_found() from None  # to whoever may not see it, the table does not exist
        raise forbidden() from None
    except tk.ObjectNotFound:
        raise not_found() from None


def readable_resource(resource_id: str) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    resource = records.resource(resource_id)
    context = records.context()
    columns = _columns(context, resource_id)
    if columns is None:
        raise forbidden()
    return _dataset(context, resource["package_id"]), resource, columns


def readable_tables(dataset_id: str) -> tuple[dict[str, Any], list[Table]]:
    context = records.context()
    dataset = _dataset(context, dataset_id)
    return dataset, _tables_of(context, dataset)


def page_size() -> int:
    return tk.asint(tk.config.get("ckanext.opendata_th.api.catalogue_page_size"))


def public_datasets() -> Iterator[dict[str, Any]]:
    """Every dataset anonymous users find, page by page (package_search stops at 1,000 rows a call)."""
    context: dict[str, Any] = {"user": "", "ignore_auth": False}
    rows, start = page_size(), 0
    while True:
        result = tk.get_action("package_search")(
            dict(context),
            # a stable order, so pages neither overlap nor skip while nothing changes
            {"q": "*:*", "rows": rows, "start": start, "sort": "id asc", "include_private": False},
        )
        yield from result["results"]
        start += rows
        if not result["results"] or start >= result["count"]:
            return


def public_tables() -> list[Table]:
    """Every table anonymous users may read, from the datasets governance says are published."""
    context: dict[str, Any] = {"user": "", "ignore_auth": False}
    found: list[Table] = []
    for dataset in public_datasets():
        if governance.is_published(dataset):
            found.extend(_tables_of(context, dataset))
    return found


def catalogue_generation() -> str:
    """Changes whenever the catalogue document could: a dataset or resource, a table, a write, the site.

    Three cheap aggregate reads instead of listing the catalogue: the
    document is rebuilt only when this moves.
    """
    packages = model.Session.execute(
        sa.select(sa.func.count(), sa.func.max(model.Package.metadata_modified)).select_from(model.Package)
    ).one()
    resources = model.Session.execute(
        sa.select(sa.func.count(), sa.func.max(model.Resource.metadata_modified)).select_from(model.Resource)
    ).one()
    return stats.combined(
        [
            str(tuple(packages)),
            str(tuple(resources)),
            stats.all_tables_fingerprint(),
            str(changes.writes()),
            urls.site(),
            str(tk.config.get("ckanext.opendata_th.portal_name_en") or ""),
        ]
    )


def docs_entries(readable: list[Table]) -> list[dict[str, Any]]:
    """What the docs page shows per table: columns with labels and examples, URLs, code samples."""
    entries = []
    for resource, columns in readable:
        column_stats = openapi.column_stats(resource["id"], columns)
        entries.append(
            {
                "resource": resource,
                "columns": [
                    {**column, "stats": column_stats.get(column["id"], {}), "labels": openapi.labels(column)}
                    for column in columns
                ],
                "records_url": urls.site() + urls.records_path(resource["id"]),
                "schema_url": urls.site() + urls.schema_path(resource["id"]),
                "openapi_url": urls.site() + urls.resource_openapi_path(resource["id"]),
                "examples": examples.build(resource["id"], columns, column_stats),
            }
        )
    return entries
