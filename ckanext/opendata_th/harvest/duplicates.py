"""The same dataset reaching the central catalogue twice.

A record is the same dataset as one already in the catalogue when another
source currently holds a record with its identifier, when the catalogue has
a dataset with that id (published directly, or copied by an aggregator), or
when the source's agency already has an active dataset with the same name
(published directly, or harvested from another source).  Titles are not
compared: agencies publish series with one title (a dataset per year).
Such a record is flagged on its harvest object, not saved a second time.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ckan import model
from ckanext.harvest.model import HarvestObject

from ckanext.opendata_th.lib.i18n import bilingual


@dataclasses.dataclass(frozen=True)
class Duplicate:
    package_id: str
    package_name: str
    reason: str  # bilingual

    def message(self, guid: str) -> str:
        return bilingual(
            "Record %(guid)s is the same dataset as %(name)s already in the catalogue (%(reason)s); "
            "it was flagged and not saved twice",
            guid=guid,
            name=self.package_name,
            reason=self.reason,
        )


def _active(package_id: str | None) -> model.Package | None:
    package = model.Package.get(package_id) if package_id else None
    return package if package is not None and package.state == "active" else None


def find(
    source_id: str, guid: str, record: dict[str, Any], owner_org: str | None, own_id: str | None
) -> Duplicate | None:
    """The dataset `record` duplicates, or None.  `own_id` is the dataset this source already saved it to."""
    other = (
        model.Session.query(HarvestObject.package_id)
        .filter(HarvestObject.guid == guid, HarvestObject.current.is_(True))
        .filter(HarvestObject.harvest_source_id != source_id)
        .first()
    )
    package = _active(other[0]) if other else None
    if package is not None and package.id != own_id:
        return Duplicate(package.id, package.name, bilingual("harvested from another source"))
    package = _active(guid)
    if package is not None and package.id != own_id:
        return Duplicate(package.id, package.name, bilingual("same identifier"))
    if not owner_org:
        return None
    name = record.get("name")
    query = (
        model.Session.query(model.Package)
        .filter(model.Package.owner_org == owner_org, model.Package.state == "active")
        .filter(model.Package.type == "dataset", model.Package.name == name)
    )
    if own_id:
        query = query.filter(model.Package.id != own_id)
    package = query.first()
    if package is not None:
        return Duplicate(package.id, package.name, bilingual("same agency and same name"))
    return None
