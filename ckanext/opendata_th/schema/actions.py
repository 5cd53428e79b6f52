"""Actions (ACTION_MODULES): a dataset's unmet recommendations."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.opendata_th.schema import recommendations

__all__ = ["opendata_th_dataset_recommendations"]


@tk.side_effect_free
def opendata_th_dataset_recommendations(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The recommendations the dataset does not meet (schema/recommendations.yaml).

    :param id: the dataset's id or name
    :returns: ``[{code, fields, message: {th, en}, resource_id?}]``, empty when all are met
    """
    dataset_id = tk.get_or_bust(data_dict, "id")
    # package_show first: to whoever may not see the dataset it answers "not found",
    # as for an unknown id (governance/existence.py); a refusal here would tell them it exists.
    dataset = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    tk.check_access("opendata_th_dataset_recommendations", context, {"id": dataset["id"]})
    return [item.as_dict() for item in recommendations.unmet_recommendations(dataset)]
