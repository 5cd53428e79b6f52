"""Loads left behind by a dead worker or a lost Redis: resumed once, then failed.

A load's status says "queued" or "running" until its job writes the end.
When the worker is SIGKILLed, or Redis (no persistence here) loses the
queue, no job ever will.  `sweep` finds such loads and queues each one
again, once; a load that is left behind a second time is marked failed
with `INTERRUPTED_TWICE`, so no status stays "queued" or "running"
forever.  "Resumed" means run again from the start: a load publishes its
table only in its last step (load.swap), so there is nothing half-done
to continue from, and every load may be re-run (jobs.py).

The once is counted per queued job: the job queued here is remembered in
the status row's ``recovered_job``; a new load queued by a user has a new
job id and so its own one retry.

`sweep` runs in ``ckan opendata-th ingest recover``, which the worker's
supervisor (supervise.py, bin/ckan.sh) runs before every worker start and
every few minutes.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

import ckan.lib.redis as ckan_redis
import click
import psycopg2
import redis.exceptions
import rq
import rq.exceptions
from ckan import model
from rq.job import JobStatus

from ckanext.opendata_th.ingest import jobs, status

log = logging.getLogger(__name__)

INTERRUPTED_TWICE = (
    "The load was interrupted again after it had been resumed once (its worker or the job queue stopped), "
    "so it is not retried. The table published before it is unchanged. Run the load again."
)
# RQ states in which a job will still run, or is running in a live worker.
WAITING = frozenset({JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED})


@dataclass
class Sweep:
    """What one sweep did: resource ids re-queued and failed."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _unchanged(before: dict[str, Any], after: dict[str, Any] | None) -> bool:
    """The row is as the sweep first read it: no job has started or ended since."""
    keys = ("state", "job_id", "started_at", "queued_at")
    return after is not None and all(before.get(k) == after.get(k) for k in keys)


def _rq_job(job_id: str) -> rq.job.Job | None:
    try:
        return rq.job.Job.fetch(job_id, connection=ckan_redis.connect_to_redis())
    except rq.exceptions.NoSuchJobError:
        return None


def _worker_alive(job: rq.job.Job) -> bool:
    """Whether the RQ worker that took `job` still lives (its key in Redis; its pid, on this machine)."""
    if not job.worker_name:
        return False
    connection = ckan_redis.connect_to_redis()
    worker = rq.Worker.find_by_key(rq.Worker.redis_worker_namespace_prefix + job.worker_name, connection=connection)
    if worker is None:
        return False
    if worker.hostname == socket.gethostname() and worker.pid:
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True


def left_behind(row: dict[str, Any]) -> bool:
    """Whether no job will ever finish this load: its process died or its queued job is gone."""
    if row["state"] == status.RUNNING:
        # jobs.run_job holds the load lock while it runs; PostgreSQL drops it with a dead process.
        if status.load_alive(row["resource_id"]):
            return False
    else:
        job = _rq_job(row["job_id"])
        if job is not None:
            state = job.get_status(refresh=False)
            if state in WAITING or (state == JobStatus.STARTED and _worker_alive(job)):
                return False
    # Read again: a job that just started or ended has moved the row on.
    return _unchanged(row, status.get(row["resource_id"]))


def _fail(row: dict[str, Any]) -> None:
    from ckanext.opendata_th.lib.i18n import bilingual

    # The msgid lets a reader's language be chosen when the status is read;
    # the message is "ไทย / English" for readers of the stored row.
    error = {
        "msgid": INTERRUPTED_TWICE,
        "params": {},
        "message": bilingual(INTERRUPTED_TWICE),
        "message_en": INTERRUPTED_TWICE,
        "interrupted": True,
    }
    targets = [row["resource_id"]] + [
        child["resource_id"]
        for child in status.children(row["resource_id"])
        if child.get("state") in (status.PENDING, status.RUNNING)
    ]
    for resource_id in targets:
        status.update(resource_id, state=status.ERROR, phase="failed", finished_at=status.now(), error=error)


def _resume(row: dict[str, Any]) -> None:
    # Forced: the interrupted load may have been forced (a PDPA decision to
    # apply to an unchanged file), and the job that knew it is gone.
    job_id = jobs.enqueue(row["resource_id"], force=True)
    status.update(row["resource_id"], recovered_job=job_id)


def _still_there(resource_id: str) -> bool:
    """A load of a deleted or purged resource is not resumed: it would only fail, and hold up the live ones."""
    resource = model.Resource.get(resource_id)
    return resource is not None and resource.state == model.State.ACTIVE


def sweep() -> Sweep:
    """Re-queue (once) or fail every load that no job will finish."""
    done = Sweep()
    for row in status.unfinished():
        if not _still_there(row["resource_id"]) or not left_behind(row):
            continue
        if row.get("recovered_job") == row["job_id"]:
            log.warning("load of %s was left behind again after its retry: failed", row["resource_id"])
            _fail(row)
            done.failed.append(row["resource_id"])
        else:
            log.warning("load of %s was left behind (%s): queued again", row["resource_id"], row["state"])
            _resume(row)
            done.requeued.append(row["resource_id"])
    return done


@click.command("recover", short_help="Re-queue (once) or fail loads that a dead worker left behind")
def recover() -> None:
    """Re-queue, once, every load whose worker died or whose queued job Redis lost; fail it the second time."""
    try:
        done = sweep()
    except (redis.exceptions.ConnectionError, psycopg2.OperationalError) as error:
        # During an outage: the supervisor runs this again at the next start.
        raise click.ClickException(f"cannot recover loads now, {type(error).__name__}: {error}") from error
    click.echo(f"Re-queued {len(done.requeued)} load(s), failed {len(done.failed)}.")
