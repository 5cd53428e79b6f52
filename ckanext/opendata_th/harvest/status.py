"""A harvest source's status: its last run with counts, the error report, and what was not taken as it is.

`reported` lists every remote record whose latest harvest did not import
it, or imported it differently from the source (`notes`), with what
happened and why: a record is never left out or changed in silence.  It
follows each record's latest processed object, so a record refused once
stays listed while later runs leave it unchanged at the source.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestSource

from ckanext.opendata_th.harvest import notes, records
from ckanext.opendata_th.lib.i18n import bilingual

COUNTED = ("created", "updated", "downgraded", "withdrawn", "unchanged", "skipped", "duplicate", "failed")
MAX_ERRORS = 100


def _iso(value: Any) -> str | None:
    """ISO text; harvest_jobs_run may leave a job's `finished` as the text it copied from gather_finished."""
    if not value:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _last_job(source_id: str) -> HarvestJob | None:
    return (
        model.Session.query(HarvestJob)
        .filter(HarvestJob.source_id == source_id)
        .order_by(HarvestJob.created.desc())
        .first()
    )


def _counts(job: HarvestJob) -> dict[str, int]:
    rows = (
        model.Session.query(records.HarvestObjectExtra.value, HarvestObject.state)
        .join(HarvestObject, HarvestObject.id == records.HarvestObjectExtra.harvest_object_id)
        .filter(HarvestObject.harvest_job_id == job.id, records.HarvestObjectExtra.key == records.OUTCOME)
    )
    counter = Counter(outcome for outcome, _state in rows)
    return {name: counter.get(name, 0) for name in COUNTED}


def _object_errors(job: HarvestJob) -> list[dict[str, Any]]:
    rows = (
        model.Session.query(HarvestObject.guid, HarvestObjectError.stage, HarvestObjectError.message)
        .join(HarvestObjectError, HarvestObjectError.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job.id, HarvestObjectError.stage != notes.STAGE)
        .order_by(HarvestObject.guid)
        .limit(MAX_ERRORS)
    )
    return [{"source_identifier": guid, "stage": stage, "message": message} for guid, stage, message in rows]


def _gather_errors(job: HarvestJob) -> list[str]:
    rows = model.Session.query(HarvestGatherError.message).filter(HarvestGatherError.harvest_job_id == job.id)
    return [message for (message,) in rows]


NOT_IMPORTED = ("failed", "duplicate")  # outcomes whose reason is the object's error, not a note


def _latest_reported(source_id: str) -> list[HarvestObject]:
    """Each record's latest processed object, where it has notes or was not imported for an error."""
    latest = (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.state.in_(("COMPLETE", "ERROR")))
        .distinct(HarvestObject.guid)
        .order_by(HarvestObject.guid, HarvestObject.gathered.desc())
        .subquery()
    )
    flagged = (
        model.Session.query(records.HarvestObjectExtra.harvest_object_id)
        .filter(
            (records.HarvestObjectExtra.key == notes.NOTES)
            | ((records.HarvestObjectExtra.key == records.OUTCOME) & records.HarvestObjectExtra.value.in_(NOT_IMPORTED))
        )
        .subquery()
    )
    return (
        model.Session.query(HarvestObject)
        .filter(
            HarvestObject.id.in_(sa.select(latest.c.id)), HarvestObject.id.in_(sa.select(flagged.c.harvest_object_id))
        )
        .order_by(HarvestObject.guid)
        .limit(MAX_ERRORS)
        .all()
    )


def _entry(obj: HarvestObject) -> dict[str, Any]:
    """One reported record: its ids, outcome, and each note in both languages (code and values for pages)."""
    items: list[dict[str, Any]] = []
    for note in notes.stored(obj):
        what, why = note.bilingual()
        items.append({"code": note.code, "values": note.values, "what": what, "why": why})
    outcome = records.extra_value(obj, records.OUTCOME)
    if outcome in NOT_IMPORTED:
        for error in obj.errors:
            if error.stage != notes.STAGE:
                items.append({"code": outcome, "values": {}, "what": bilingual("Not imported"), "why": error.message})
    return {
        "source_identifier": obj.guid,
        "remote_name": notes.remote_name(obj),
        "outcome": outcome,
        "job_id": obj.harvest_job_id,
        "notes": items,
    }


def reported(source_id: str) -> list[dict[str, Any]]:
    """Every record not imported, or imported differently from the source, at its latest harvest."""
    return [_entry(obj) for obj in _latest_reported(source_id)]


def _held(source_id: str) -> dict[str, int]:
    rows = (
        model.Session.query(model.Package.private)
        .join(HarvestObject, HarvestObject.package_id == model.Package.id)
        .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True))
        .filter(model.Package.state == "active")
    )
    privacy = Counter(bool(private) for (private,) in rows)
    return {"full": privacy.get(False, 0), "metadata_only": privacy.get(True, 0)}


def source_status(source: HarvestSource) -> dict[str, Any]:
    """Last run (times, status, counts, errors) and what the source holds in the catalogue now."""
    job = _last_job(source.id)
    last_run: dict[str, Any] | None = None
    if job is not None:
        counts = _counts(job)
        gather_errors = _gather_errors(job)
        last_run = {
            "id": job.id,
            "status": job.status,
            "created": _iso(job.created),
            "gather_started": _iso(job.gather_started),
            "finished": _iso(job.finished),
            "counts": counts,
            "source_error": bool(gather_errors),
            "gather_errors": gather_errors,
            "record_errors": _object_errors(job),
        }
    return {
        "source_id": source.id,
        "title": source.title,
        "url": source.url,
        "type": source.type,
        "last_run": last_run,
        "datasets": _held(source.id),
        "reported": reported(source.id),
    }
