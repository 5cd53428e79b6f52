"""Agency pages: the agency's names and ministry, and its figures as the viewer sees them.

Every count comes from package_search run as the current viewer, so the
permission labels of governance/ decide what counts: an anonymous visitor
never counts (or sees) a private or classified dataset, and an agency's own
members see their agency's whole catalogue.  CKAN's own `package_count` on
organization dicts is not used: it comes from an unfiltered Solr facet.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import ckan.plugins.toolkit as tk
from flask import g, has_request_context

from ckanext.opendata_th import vocab
from ckanext.opendata_th.schema import values
from ckanext.opendata_th.ui import search

MINISTRY_VOCABULARY = "ministry"
# "Recently updated" on an agency page: changed within this window.
RECENT_DAYS = 30
_COUNTS_CACHE = "_opendata_th_agency_counts"


@dataclasses.dataclass(frozen=True)
class Names:
    title: str  # in the reader's language (Thai name if the English one is missing)
    other: str  # the name in the other language, "" if there is none
    other_lang: str
    ministry: str  # the ministry's label in the reader's language, "" if none


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str  # a msgid; the template translates it
    count: int
    url: str


def names(agency: dict[str, Any], lang: str) -> Names:
    """The agency's name in the reader's language first, then the other language, and its ministry."""
    thai, english = str(agency.get("title") or agency.get("name") or ""), str(agency.get("title_en") or "")
    if lang == "th" or not english:
        title, other, other_lang = thai, english, "en"
    else:
        title, other, other_lang = english, thai, "th"
    return Names(title, other if other != title else "", other_lang, ministry_label(agency, lang))


def ministry_code(agency: dict[str, Any]) -> str:
    """The agency's ministry code; "" for none (or an agency outside any ministry)."""
    code = values.to_code(MINISTRY_VOCABULARY, agency.get(MINISTRY_VOCABULARY))
    return "" if not code or code == "none" else code


def ministry_label(agency: dict[str, Any], lang: str) -> str:
    code = ministry_code(agency)
    return vocab.get(MINISTRY_VOCABULARY).label_of(code, lang) if code else ""


def _viewer_search(**data: Any) -> dict[str, Any]:
    """package_search as the current viewer (private datasets included only where labels allow)."""
    return tk.get_action("package_search")({}, {"include_private": True, "rows": 0, **data})


def figures(agency: dict[str, Any]) -> list[Figure]:
    """The agency's live figures: datasets, high-value, with an API, recently updated."""
    owner = f'owner_org:"{agency["id"]}"'
    page = f"{agency.get('type') or 'organization'}.read"
    recent = f"metadata_modified:[NOW-{RECENT_DAYS}DAYS TO *]"
    rows: tuple[tuple[str, str, str, dict[str, str]], ...] = (
        ("datasets", "Datasets", "", {}),
        ("hvd", "High-value datasets", "high_value_dataset:true", {"high_value_dataset": "true"}),
        ("api", "Datasets with an API", f"{search.HAS_API}:true", {search.HAS_API: "true"}),
        ("recent", "Updated in the last 30 days", recent, {"sort": "metadata_modified desc"}),
    )
    found = []
    for key, label, fq, params in rows:
        count = int(_viewer_search(q="*:*", fq=f"{owner} {fq}".strip())["count"])
        found.append(Figure(key, label, count, tk.h.url_for(page, id=agency["name"], **params)))
    return found


def dataset_counts() -> dict[str, int]:
    """{agency id: datasets the viewer may see}, one Solr facet for every agency.

    Computed once per request: the agency list shows one count per agency.
    """
    if has_request_context() and hasattr(g, _COUNTS_CACHE):
        return dict(getattr(g, _COUNTS_CACHE))
    result = _viewer_search(q="*:*", **{"facet.field": '["owner_org"]', "facet.limit": -1})
    counts = {str(org): int(n) for org, n in (result.get("facets") or {}).get("owner_org", {}).items()}
    if has_request_context():
        setattr(g, _COUNTS_CACHE, counts)
    return counts
