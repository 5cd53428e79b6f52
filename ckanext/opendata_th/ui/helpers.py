"""Template helpers of the public pages (registered through plugin.HELPER_MODULES).

Figures and lists come from package_search as an anonymous visitor sees the
catalogue, so the home page is the same for everyone and never counts or
shows a private or classified dataset (permission labels decide, governance).
"""

from __future__ import annotations

from typing import Any

import ckan.lib.helpers as h
import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

from ckanext.opendata_th.lib.thai import parse_date, to_be_year
from ckanext.opendata_th.ui import agencies, metadata, popular, search

__all__ = [
    "opendata_th_agency_dataset_count",
    "opendata_th_agency_figures",
    "opendata_th_agency_ministry_code",
    "opendata_th_agency_names",
    "opendata_th_display_date",
    "opendata_th_home_figures",
    "opendata_th_home_lists",
    "opendata_th_input_date",
    "opendata_th_language_switch",
    "opendata_th_metadata_groups",
]

# The home page's lists: (key, title msgid, Solr sort, filter query).
HOME_LISTS: tuple[tuple[str, str, str, str], ...] = (
    ("featured", "Featured high-value datasets", "metadata_modified desc", "high_value_dataset:true"),
    ("recent", "Recently updated", "metadata_modified desc", ""),
)
MOST_USED = ("popular", "Most used")  # ranked over every public dataset by ui/popular.py
HOME_LIST_SIZE = 5


def _public_search(**data: Any) -> dict[str, Any]:
    """package_search as an anonymous visitor: public, open datasets only."""
    context = {"user": "", "auth_user_obj": None, "ignore_auth": False}
    return tk.get_action("package_search")(context, {"include_private": False, **data})


def _count(fq: str = "") -> int:
    return int(_public_search(q="*:*", fq=fq, rows=0)["count"])


def opendata_th_home_figures() -> list[dict[str, Any]]:
    """The home page's live figures: [{key, label (msgid), count, url}]."""
    agencies = _public_search(q="*:*", rows=0, **{"facet.field": '["organization"]', "facet.limit": -1})
    search_url = h.url_for("dataset.search")
    return [
        {"key": "datasets", "label": "Datasets", "count": agencies["count"], "url": search_url},
        {
            "key": "agencies",
            "label": "Agencies publishing",
            "count": len(agencies["search_facets"].get("organization", {}).get("items", [])),
            "url": h.url_for("organization.index"),
        },
        {
            "key": "hvd",
            "label": "High-value datasets",
            "count": _count("high_value_dataset:true"),
            "url": h.url_for("dataset.search", high_value_dataset="true"),
        },
        {
            "key": "api",
            "label": "Datasets with an API",
            "count": _count(f"{search.HAS_API}:true"),
            "url": h.url_for("dataset.search", **{search.HAS_API: "true"}),
        },
    ]


def opendata_th_home_lists() -> list[dict[str, Any]]:
    """The home page's dataset lists: [{key, title (msgid), datasets}], empty lists left out."""
    lists = []
    for key, title, sort, fq in HOME_LISTS:
        datasets = _public_search(q="*:*", fq=fq, sort=sort, rows=HOME_LIST_SIZE)["results"]
        lists.append({"key": key, "title": title, "datasets": datasets})
    lists.append({"key": MOST_USED[0], "title": MOST_USED[1], "datasets": popular.most_used(HOME_LIST_SIZE)})
    return [found for found in lists if found["datasets"]]


def opendata_th_agency_names(agency: dict[str, Any]) -> agencies.Names:
    return agencies.names(agency, get_lang())


def opendata_th_agency_figures(agency: dict[str, Any]) -> list[agencies.Figure]:
    return agencies.figures(agency)


def opendata_th_agency_ministry_code(agency: dict[str, Any]) -> str:
    return agencies.ministry_code(agency)


def opendata_th_agency_dataset_count(agency: dict[str, Any]) -> int:
    """The agency's datasets that the viewer may see (not CKAN's unfiltered package_count)."""
    return agencies.dataset_counts().get(str(agency.get("id")), 0)


def opendata_th_metadata_groups(pkg_dict: dict[str, Any], schema: dict[str, Any]) -> list[metadata.Group]:
    return metadata.grouped(schema.get("dataset_fields", []), pkg_dict, get_lang())


def opendata_th_display_date(value: Any) -> str:
    """A stored ISO date as readers read it: `15 มี.ค. 2567` in Thai, `15 Mar 2024` in English."""
    return metadata.display_date(value, get_lang())


def opendata_th_input_date(value: Any) -> str:
    """A stored ISO date as the form shows it: `15/03/2567` (B.E.) in Thai, ISO in English.

    The date validator accepts both, and either era, so the field can be
    typed the way the officer writes dates.
    """
    parsed = parse_date(value) if value else None
    if parsed is None:
        return str(value or "")
    if get_lang() == "th":
        return f"{parsed.day:02d}/{parsed.month:02d}/{to_be_year(parsed.year)}"
    return f"{parsed.year:04d}-{parsed.month:02d}-{parsed.day:02d}"


def opendata_th_language_switch() -> dict[str, str]:
    """The link to this page in the other language: {code, label, url}."""
    other = "en" if get_lang() == "th" else "th"
    label = "English" if other == "en" else "ภาษาไทย"
    return {"code": other, "label": label, "url": h.url_for(h.current_url(), locale=other)}
