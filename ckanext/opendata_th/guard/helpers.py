"""Chained template helpers (HELPER_MODULES) for CKAN helpers that fail with a 500 on a refusal.

The upstream fault (CKAN 2.12, ``ckan/lib/helpers.py``
``resource_view_get_fields``): the resource page's view filters ask
``datastore_search`` for the table's columns and catch only NotFound.  When
the reader may not read the rows (the PDPA guard holds a table until a data
officer decides, or the data is members-only) the refusal escapes and the
whole resource page answers 500.  A reader who may not read the rows has no
columns to filter by; the page itself still shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["resource_view_get_fields"]


@tk.chained_helper
def resource_view_get_fields(next_helper: Callable[..., list[str]], resource: dict[str, Any]) -> list[str]:
    try:
        return next_helper(resource)
    except tk.NotAuthorized:
        return []
