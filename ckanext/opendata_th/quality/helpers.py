"""Template helpers (HELPER_MODULES): a dataset's score on its page, in the page's language."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

from ckanext.opendata_th.quality import report

__all__ = ["opendata_th_quality"]


def opendata_th_quality(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The page's account of the score (report.for_page), or None when the reader may not see it."""
    if not pkg_dict.get("id") or not tk.h.check_access("opendata_th_quality_show", {"id": pkg_dict["id"]}):
        return None
    return report.for_page(report.latest_or_now(pkg_dict), "th" if get_lang() == "th" else "en")
