"""What the harvest tables say about each source's records (provenance, incremental runs).

ckanext-harvest keeps one `harvest_object` per record per run; ours carry
extras: `outcome` (created / updated / downgraded / withdrawn / unchanged /
skipped / duplicate / failed), `source_modified` (the record's
metadata_modified at the source), `original_url`, `duplicate_of`, and
`notes` / `remote_name` when the record was not imported as it is (`notes`).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra, HarvestSource

OUTCOME = "outcome"
SOURCE_MODIFIED = "source_modified"
ORIGINAL_URL = "original_url"
DUPLICATE_OF = "duplicate_of"
ACTION = "action"  # "change" (fetch and import) or "delete" (gone from the source)


def extra_value(obj: HarvestObject, key: str) -> str | None:
    return next((item.value for item in obj.extras if item.key == key), None)


def set_extra(obj: HarvestObject, key: str, value: str) -> None:
    for item in obj.extras:
        if item.key == key:
            item.value = value
            return
    obj.extras.append(HarvestObjectExtra(key=key, value=value))


def last_seen(source_id: str) -> dict[str, tuple[str, str | None]]:
    """guid -> (state, source_modified) of each record's latest object from this source.

    One query: the gather stage compares it with the source's listing.
    """
    modified = (
        sa.select(HarvestObjectExtra.value)
        .where(HarvestObjectExtra.harvest_object_id == HarvestObject.id, HarvestObjectExtra.key == SOURCE_MODIFIED)
        .limit(1)
        .scalar_subquery()
    )
    rows = (
        model.Session.query(HarvestObject.guid, HarvestObject.state, modified)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.state.in_(("COMPLETE", "ERROR")))
        .distinct(HarvestObject.guid)
        .order_by(HarvestObject.guid, HarvestObject.gathered.desc())
    )
    return {guid: (state, value) for guid, state, value in rows}


def current_guids(source_id: str) -> dict[str, str]:
    """guid -> central package id of every record this source currently holds in the catalogue."""
    rows = (
        model.Session.query(HarvestObject.guid, HarvestObject.package_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True))
        .filter(model.Package.state == "active")
    )
    return {guid: package_id for guid, package_id in rows}


def central_package(source_id: str, guid: str) -> model.Package | None:
    """The central dataset a record was last saved to (active or withdrawn), if any."""
    row = (
        model.Session.query(HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.guid == guid)
        .filter(HarvestObject.package_id.isnot(None))
        .order_by(HarvestObject.current.desc(), HarvestObject.gathered.desc())
        .first()
    )
    return model.Package.get(row[0]) if row else None


def current_object(package_id: str) -> HarvestObject | None:
    return (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.package_id == package_id, HarvestObject.current.is_(True))
        .first()
    )


def is_harvested(package_id: str) -> bool:
    return current_object(package_id) is not None


@dataclasses.dataclass(frozen=True)
class Provenance:
    source_id: str
    source_title: str
    source_url: str
    original_url: str | None
    source_identifier: str
    first_harvested: datetime.datetime | None
    last_harvested: datetime.datetime | None

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("first_harvested", "last_harvested"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def provenance(package_id: str) -> Provenance | None:
    """Where a harvested dataset came from; None for a dataset published directly."""
    obj = current_object(package_id)
    if obj is None:
        return None
    first, last = (
        model.Session.query(sa.func.min(HarvestObject.import_finished), sa.func.max(HarvestObject.import_finished))
        .filter(HarvestObject.package_id == package_id, HarvestObject.state == "COMPLETE")
        .one()
    )
    source: HarvestSource = obj.source
    return Provenance(
        source_id=source.id,
        source_title=source.title or source.url,
        source_url=source.url,
        original_url=extra_value(obj, ORIGINAL_URL),
        source_identifier=obj.guid,
        first_harvested=first,
        last_harvested=last or obj.import_finished,
    )


def duplicates_of(package_id: str) -> list[dict[str, str]]:
    """Records from other sources (or this one) flagged as the same dataset as `package_id`, latest per source."""
    rows = (
        model.Session.query(HarvestObject.guid, HarvestSource.title, HarvestSource.url)
        .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .join(HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id)
        .filter(HarvestObjectExtra.key == DUPLICATE_OF, HarvestObjectExtra.value == package_id)
        .distinct()
    )
    return [{"source_identifier": guid, "source": title or url} for guid, title, url in rows]
