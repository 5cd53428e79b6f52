"""Template helpers: provenance and duplicate flags on the dataset page, labels of the status page."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.harvest import notes, records, status

__all__ = [
    "opendata_th_harvest_count_labels",
    "opendata_th_harvest_duplicates",
    "opendata_th_harvest_job_status_label",
    "opendata_th_harvest_note_text",
    "opendata_th_harvest_provenance",
]


def opendata_th_harvest_provenance(package_id: str) -> dict[str, Any] | None:
    """Source, original URL, source identifier, first and last harvested; None if published directly."""
    found = records.provenance(package_id)
    return found.as_dict() if found is not None else None


def opendata_th_harvest_duplicates(package_id: str) -> list[dict[str, str]]:
    """Records from harvest sources flagged as this same dataset."""
    return records.duplicates_of(package_id)


def opendata_th_harvest_count_labels() -> list[tuple[str, str]]:
    """(key, label in the reader's language) of each count in a run's status, in the status's order."""
    labels = {
        "created": tk._("Added"),  # not "Created": CKAN's label of a creation date
        "updated": tk._("Updated"),
        "downgraded": tk._("Downgraded to metadata only"),
        "withdrawn": tk._("Withdrawn"),
        "unchanged": tk._("Unchanged"),
        "skipped": tk._("Skipped"),
        "duplicate": tk._("Duplicates"),
        "failed": tk._("Failed"),
    }
    return [(key, labels[key]) for key in status.COUNTED]


def opendata_th_harvest_job_status_label(job_status: str | None) -> str:
    """A harvest job's status (ckanext-harvest: New, Running, Finished) in the reader's language."""
    labels = {"New": tk._("Waiting to start"), "Running": tk._("Running"), "Finished": tk._("Finished")}
    return labels.get(job_status or "", job_status or "-")


def opendata_th_harvest_note_text(note: dict[str, Any]) -> tuple[str, str]:
    """(what happened, why) of a status note in the reader's language.

    A failure's reason is the error it was refused with, kept in both languages.
    """
    code = str(note.get("code") or "")
    if code in notes.MESSAGES:
        return notes.Note(code, dict(note.get("values") or {})).text(tk._)
    return tk._("Not imported"), str(note.get("why") or "")
