"""Template helpers, registered by the blanket in plugin.py."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

__all__ = ["opendata_th_portal_name"]


def opendata_th_portal_name() -> str:
    """The catalogue's name in the language of the current request."""
    if get_lang() == "th":
        return tk.config["ckanext.opendata_th.portal_name"]
    return tk.config["ckanext.opendata_th.portal_name_en"]
