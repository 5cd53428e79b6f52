"""Actions (ACTION_MODULES): a dataset's quality score, and scoring it again."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.opendata_th.lib.i18n import bilingual
from ckanext.opendata_th.quality import jobs, report, store

__all__ = ["opendata_th_quality_score", "opendata_th_quality_show"]


def _dataset(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The dataset as the caller may see it: an unknown or hidden one is not found (package_show decides)."""
    dataset_id = data_dict.get("id")
    if not isinstance(dataset_id, str) or not dataset_id.strip():
        raise tk.ValidationError({"id": [bilingual("Give the dataset's id or name as text")]})
    return tk.get_action("package_show")(dict(context), {"id": dataset_id})


@tk.side_effect_free
def opendata_th_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's quality score: points per indicator with reasons and fixes, and its history.

    A dataset not scored yet is scored on the spot, without its link checks
    (`links_checked: false`), and nothing is stored.

    :param id: the dataset's id or name
    :returns: ``{id, name, points, max_points, percent, rating, mqa_points, mqa_max_points,
        links_checked, scored_at, dimensions, items, fixes, history}``; messages in ``{th, en}``
    """
    dataset = _dataset(context, data_dict)
    tk.check_access("opendata_th_quality_show", context, {"id": dataset["id"]})
    stored = report.latest_or_now(dataset)
    return {"id": dataset["id"], "name": dataset["name"], **report.for_api(stored, store.history(dataset["id"]))}


def opendata_th_quality_score(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Queue the dataset to be scored again, its links checked (for its editors).

    :param id: the dataset's id or name
    :returns: ``{id, queued: true}``
    """
    dataset = _dataset(context, data_dict)
    tk.check_access("opendata_th_quality_score", context, {"id": dataset["id"]})
    jobs.enqueue(dataset["id"])
    return {"id": dataset["id"], "queued": True}
