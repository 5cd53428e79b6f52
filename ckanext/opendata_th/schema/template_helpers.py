"""Template helpers for the schema's forms and the agency pages (HELPER_MODULES)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import vocab
from ckanext.opendata_th.schema import recommendations, values

__all__ = [
    "opendata_th_agencies_by_ministry",
    "opendata_th_dataset_data_type",
    "opendata_th_field_applies",
    "opendata_th_field_recommendations",
    "opendata_th_recommendations",
]


def _page_language() -> str:
    lang = tk.h.lang()
    return lang if lang in recommendations.LANGUAGES else "en"


def opendata_th_recommendations(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's unmet recommendations for its page: `message` in the page's language only."""
    lang = _page_language()
    return [
        {**item.as_dict(), "message": item.message[lang]} for item in recommendations.unmet_recommendations(dataset)
    ]


def opendata_th_field_recommendations(field_name: str, data: dict[str, Any] | None) -> list[str]:
    """The recommendation messages (page language) about one field of the dataset form's data."""
    if not data:
        return []
    lang = _page_language()
    return [
        item.message[lang]
        for item in recommendations.unmet_recommendations(data)
        if item.resource_id is None and field_name in item.fields
    ]


def opendata_th_dataset_data_type(dataset_id: str | None) -> str | None:
    """The data_type code of a dataset the user may see (for its resource form)."""
    if not dataset_id:
        return None
    try:
        dataset = tk.get_action("package_show")({}, {"id": dataset_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return values.to_code("data_type", dataset.get("data_type"))


def opendata_th_field_applies(field: dict[str, Any], data_type: str | None) -> bool:
    """Whether the schema field belongs to `data_type` (its `data_types` key)."""
    types = field.get("data_types")
    return types is None or data_type is None or data_type in types


def opendata_th_agencies_by_ministry(ministry: str | None = None) -> list[dict[str, Any]]:
    """Ministries with their agencies, in vocabulary order; only `ministry` if given.

    Each item: {code, label, agencies: [organization dicts]}.  Agencies
    without a ministry come last under "none".
    """
    organizations = tk.get_action("organization_list")({}, {"all_fields": True, "include_extras": True, "limit": 1000})
    ministries = vocab.get("ministry")
    grouped: dict[str, list[dict[str, Any]]] = {code: [] for code in ministries.codes}
    for organization in organizations:
        code = values.to_code("ministry", organization.get("ministry")) or "none"
        grouped.setdefault(code, []).append(organization)
    return [
        {"code": code, "label": dict(ministries.term(code).label), "agencies": agencies}
        for code, agencies in grouped.items()
        if agencies and (ministry is None or code == ministry)
    ]
