"""Template helpers: provenance and duplicate flags on the dataset page."""

from __future__ import annotations

from typing import Any

from ckanext.opendata_th.harvest import records

__all__ = ["opendata_th_harvest_duplicates", "opendata_th_harvest_provenance"]


def opendata_th_harvest_provenance(package_id: str) -> dict[str, Any] | None:
    """Source, original URL, source identifier, first and last harvested; None if published directly."""
    found = records.provenance(package_id)
    return found.as_dict() if found is not None else None


def opendata_th_harvest_duplicates(package_id: str) -> list[dict[str, str]]:
    """Records from harvest sources flagged as this same dataset."""
    return records.duplicates_of(package_id)
