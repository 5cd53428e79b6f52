""" "Most used" on the home page: public datasets ranked by their data's use.

Use is what the API room counts per resource in Redis (API calls and
downloads, api/usage.py).  The ranking starts from the counters, not from
the catalogue: only resources that were ever used are read (one sorted set
that the counting keeps), mapped to their datasets with one indexed query
on the resource table, and only the best-ranked datasets are then looked up in
Solr as an anonymous visitor, a batch at a time, until enough visible ones
are found.  So every public dataset can rank, however large the catalogue,
and private, classified or deleted datasets never show (permission labels
of governance/ decide, through package_search).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from redis.exceptions import RedisError

from ckanext.opendata_th.api import usage

log = logging.getLogger(__name__)

# Datasets looked up in Solr per query while looking for visible ones.
BATCH = 50
# Resource ids per SQL query (an IN list).
_SQL_CHUNK = 1000


def resource_totals() -> dict[str, int]:
    """{resource id: calls and downloads} for every resource used at least once."""
    return usage.ranking()


def dataset_totals(by_resource: dict[str, int]) -> dict[str, int]:
    """{dataset id: its active resources' total use}."""
    ids = list(by_resource)
    totals: dict[str, int] = defaultdict(int)
    for start in range(0, len(ids), _SQL_CHUNK):
        rows = (
            model.Session.query(model.Resource.id, model.Resource.package_id)
            .filter(model.Resource.id.in_(ids[start : start + _SQL_CHUNK]), model.Resource.state == "active")
            .all()
        )
        for resource_id, package_id in rows:
            totals[package_id] += by_resource[resource_id]
    return dict(totals)


def _public_datasets(ids: list[str]) -> dict[str, dict[str, Any]]:
    """The datasets among `ids` an anonymous visitor may see, by id."""
    context = {"user": "", "auth_user_obj": None, "ignore_auth": False}
    fq = "id:(" + " OR ".join(f'"{dataset_id}"' for dataset_id in ids) + ")"
    found = tk.get_action("package_search")(context, {"q": "*:*", "fq": fq, "rows": len(ids), "include_private": False})
    return {dataset["id"]: dataset for dataset in found["results"]}


def most_used(limit: int) -> list[dict[str, Any]]:
    """The `limit` public datasets whose data is used most; among equals the most recently updated first."""
    try:
        totals = dataset_totals(resource_totals())
    except RedisError:
        # The home page shows without the list rather than fail.
        log.warning("usage counters unavailable; no 'Most used' list", exc_info=True)
        return []
    ranked = sorted(totals, key=lambda dataset_id: -totals[dataset_id])
    visible: list[dict[str, Any]] = []
    for start in range(0, len(ranked), BATCH):
        batch = ranked[start : start + BATCH]
        found = _public_datasets(batch)
        visible.extend(found[dataset_id] for dataset_id in batch if dataset_id in found)
        if len(visible) >= limit:
            break
    visible.sort(key=lambda dataset: dataset.get("metadata_modified") or "", reverse=True)
    visible.sort(key=lambda dataset: -totals[dataset["id"]])  # stable: ties stay newest first
    return visible[:limit]
