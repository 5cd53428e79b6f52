"""Scoring in the background: after every change of a dataset, and every night for all.

Scores go through their own queue (`opendata_th_quality`), with its own
worker, so link checks never hold up a DataStore load.  One dataset that
cannot be scored is logged and skipped; the others are scored.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_th.quality import facts, links, score, store

__all__ = ["QUEUE", "enqueue", "enqueue_all", "on_dataset_changed", "score_dataset"]

log = logging.getLogger(__name__)

QUEUE = "opendata_th_quality"
ON_CHANGE_OPTION = "ckanext.opendata_th.quality.score_on_change"


def on_dataset_changed(pkg_dict: dict[str, Any]) -> None:
    """IPackageController hook: score the dataset again (its links too) in the background."""
    if tk.config.get(ON_CHANGE_OPTION) and pkg_dict.get("id") and pkg_dict.get("type", "dataset") == "dataset":
        enqueue(pkg_dict["id"])


def enqueue(package_id: str) -> None:
    tk.enqueue_job(score_dataset, [package_id], title=f"quality score {package_id}", queue=QUEUE)


def enqueue_all() -> int:
    """Queue every active dataset for scoring (the nightly run); returns how many."""
    ids = [row.id for row in _active_datasets()]
    for package_id in ids:
        enqueue(package_id)
    return len(ids)


def _active_datasets() -> Any:
    return model.Session.query(model.Package.id).filter(
        model.Package.state == model.State.ACTIVE, model.Package.type == "dataset"
    )


def score_dataset(package_id: str, check_links: bool = True) -> score.Score | None:
    """Score one dataset now and keep the score; None when the dataset is gone."""
    try:
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return None
    if dataset.get("state") != "active":
        return None
    now = datetime.datetime.utcnow()
    checked = links.check_resources(dataset) if check_links else None
    result = score.compute(facts.gather(dataset, checked, now))
    store.save(dataset["id"], dataset.get("owner_org"), result, now)
    return result


def score_all(check_links: bool = True) -> tuple[int, int]:
    """Score every active dataset here and now; returns (scored, failed)."""
    scored = failed = 0
    for row in _active_datasets().all():
        try:
            score_dataset(row.id, check_links=check_links)
            scored += 1
        except Exception:  # one dataset never stops the others
            model.Session.rollback()
            log.exception("Could not score dataset %s", row.id)
            failed += 1
    return scored, failed
