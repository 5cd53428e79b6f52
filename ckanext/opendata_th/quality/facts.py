"""Phase 1 of scoring: what the catalogue knows of a dataset, gathered once.

The measures (measure.py) read only these facts, so they are pure and a
test gives them facts directly.  Gathering runs as the site user: a score
is computed for every dataset, and who may read it is decided when it is
shown (actions.py, helpers.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.hvd.compliance import active_resources
from ckanext.opendata_th.hvd.flags import as_bool
from ckanext.opendata_th.ingest import status
from ckanext.opendata_th.ingest.infer import is_loader_note
from ckanext.opendata_th.ingest.jobs import resource_format
from ckanext.opendata_th.quality.links import Link

__all__ = ["Facts", "Table", "gather"]

TEXT_TYPES = frozenset({"text", "varchar", "char", "bpchar", "name"})
_INTERNAL_COLUMNS = frozenset({"_id", "_full_text"})


@dataclasses.dataclass(frozen=True)
class Table:
    """A tabular resource and what its DataStore load gave."""

    resource_id: str
    name: str
    loaded: bool
    failed: bool  # its last load ended in an error
    column_types: tuple[str, ...] = ()
    described: int = 0  # columns an officer described in the data dictionary

    @property
    def typed(self) -> bool:
        return any(kind not in TEXT_TYPES for kind in self.column_types)


@dataclasses.dataclass(frozen=True)
class Facts:
    dataset: dict[str, Any]
    tables: tuple[Table, ...]
    links: tuple[Link, ...] | None  # None: not checked (yet)
    now: datetime.datetime


def gather(dataset: dict[str, Any], links: tuple[Link, ...] | None, now: datetime.datetime) -> Facts:
    tables = tuple(_table(resource) for resource in active_resources(dataset) if _is_tabular(resource))
    return Facts(dataset=dataset, tables=tables, links=links, now=now)


def _is_tabular(resource: dict[str, Any]) -> bool:
    return as_bool(resource.get("datastore_active")) or resource_format(resource) is not None


def _table(resource: dict[str, Any]) -> Table:
    row = status.get(resource["id"]) or {}
    base = {
        "resource_id": resource["id"],
        "name": str(resource.get("name") or resource["id"]),
        "failed": row.get("state") == status.ERROR,
    }
    if not as_bool(resource.get("datastore_active")):
        return Table(**base, loaded=False)
    try:
        info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource["id"]})
    except (tk.ObjectNotFound, tk.ValidationError):  # the flag is set but the table is gone
        return Table(**base, loaded=False)
    columns = [column for column in info.get("fields") or [] if column.get("id") not in _INTERNAL_COLUMNS]
    return Table(
        **base,
        loaded=True,
        column_types=tuple(str(column.get("type") or "text") for column in columns),
        described=sum(1 for column in columns if _described(column)),
    )


def _described(column: dict[str, Any]) -> bool:
    notes = str((column.get("info") or {}).get("notes") or "").strip()
    return bool(notes) and not is_loader_note(notes)
