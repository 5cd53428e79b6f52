"""Template helpers, registered through plugin.HELPER_MODULES."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

from ckanext.opendata_th import vocab

__all__ = ["opendata_th_portal_name", "opendata_th_vocab_choices"]


def opendata_th_portal_name() -> str:
    """The catalogue's name in the language of the current request."""
    if get_lang() == "th":
        return tk.config["ckanext.opendata_th.portal_name"]
    return tk.config["ckanext.opendata_th.portal_name_en"]


def opendata_th_vocab_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming `choices_helper`: the choices of the field's `vocabulary`."""
    return vocab.get(field["vocabulary"]).choices()
