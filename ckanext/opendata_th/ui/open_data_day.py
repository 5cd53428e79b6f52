"""The "Open Data Day" page: featured datasets and every high-value dataset by category.

The featured list is curated by a sysadmin in the config option
`ckanext.opendata_th.ui.featured_datasets` (dataset names, in the order
shown): the metadata standard has no "featured" field and a sysadmin, not
each agency, decides what the catalogue puts forward on the day.  Both lists
come from package_search as an anonymous visitor, so the page is the same
for everyone and never shows a private or classified dataset, even when a
curated name points at one (permission labels of governance/ decide).
HVD categories and their labels come from hvd/categories.py (the vocabulary
file plus a site's national categories), never written here.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.hvd import categories, flags

FEATURED_CONFIG = "ckanext.opendata_th.ui.featured_datasets"
# A dataset name as CKAN's name_validator allows it; anything else in the
# option is ignored rather than put into a Solr query.
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
# Solr answers at most this many rows per query (CKAN's ckan.search.rows_max default).
_PAGE = 1000
UNCATEGORISED = "uncategorised"


@dataclasses.dataclass(frozen=True)
class CategoryGroup:
    code: str
    label: str  # in the reader's language
    datasets: tuple[dict[str, Any], ...]


def _public_search(**data: Any) -> dict[str, Any]:
    """package_search as an anonymous visitor: public, open datasets only."""
    context = {"user": "", "auth_user_obj": None, "ignore_auth": False}
    return tk.get_action("package_search")(context, {"include_private": False, **data})


def featured_names() -> list[str]:
    """The curated dataset names, in the configured order, once each."""
    names: list[str] = []
    for name in str(tk.config.get(FEATURED_CONFIG) or "").split():
        if _NAME.match(name) and name not in names:
            names.append(name)
    return names


def featured() -> list[dict[str, Any]]:
    """The featured datasets a visitor may see, in the curated order."""
    names = featured_names()
    if not names:
        return []
    fq = "name:(" + " OR ".join(f'"{name}"' for name in names) + ")"
    found = {dataset["name"]: dataset for dataset in _public_search(q="*:*", fq=fq, rows=len(names))["results"]}
    return [found[name] for name in names if name in found]


def high_value_datasets() -> list[dict[str, Any]]:
    """Every public high-value dataset, by title."""
    datasets: list[dict[str, Any]] = []
    while True:
        page = _public_search(
            q="*:*", fq="high_value_dataset:true", sort="title_string asc", rows=_PAGE, start=len(datasets)
        )
        datasets.extend(page["results"])
        if not page["results"] or len(datasets) >= page["count"]:
            return datasets


def by_category(datasets: list[dict[str, Any]], lang: str) -> list[CategoryGroup]:
    """The datasets under each HVD category (a dataset in two is in both), empty categories left out.

    Categories in the order of the category list; datasets without a known
    category come last.
    """
    members: dict[str, list[dict[str, Any]]] = {category.code: [] for category in categories.all_categories()}
    rest: list[dict[str, Any]] = []
    for dataset in datasets:
        codes = flags.category_codes(dataset)
        for code in codes:
            members[code].append(dataset)
        if not codes:
            rest.append(dataset)
    groups = [
        CategoryGroup(category.code, category.label_for(lang), tuple(members[category.code]))
        for category in categories.all_categories()
        if members[category.code]
    ]
    if rest:
        groups.append(CategoryGroup(UNCATEGORISED, tk._("Other high-value datasets"), tuple(rest)))
    return groups
