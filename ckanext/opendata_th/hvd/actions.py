"""Actions (ACTION_MODULES): one dataset's HVD compliance, and the HVD report."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.opendata_th.hvd import compliance, report
from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["opendata_th_hvd_compliance", "opendata_th_hvd_report"]


@tk.side_effect_free
def opendata_th_hvd_compliance(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's compliance with the HVD requirements, rule by rule.

    :param id: the dataset's id or name
    :returns: ``{id, name, high_value_dataset, compliant, rules: [{rule, title, passed, reason}]}``
    """
    dataset_id = data_dict.get("id")
    if not isinstance(dataset_id, str) or not dataset_id.strip():
        # an object or a list would reach package_show's database lookup and fail there (a 500)
        raise tk.ValidationError({"id": [bilingual("Give the dataset's id or name as text")]})
    tk.check_access("opendata_th_hvd_compliance", context, data_dict)
    dataset = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    return compliance.report(dataset)


@tk.side_effect_free
def opendata_th_hvd_report(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every high-value dataset the caller may see, with its compliance, grouped per agency.

    :returns: ``[{agency, total, compliant, rows: [{name, title, categories, compliant, <rule>: bool, failures}]}]``
    """
    tk.check_access("opendata_th_hvd_report", context, data_dict)
    rows = [{k: v for k, v in line.items() if k != "results"} for line in report.build(context)]
    return report.by_agency(rows)
