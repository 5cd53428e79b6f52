"""Template helpers, registered through plugin.HELPER_MODULES."""

from __future__ import annotations

from typing import Any

import ckan.lib.helpers as h
import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib.thai import format_thai_date

__all__ = ["opendata_th_portal_name", "opendata_th_vocab_choices", "render_datetime"]


def opendata_th_portal_name() -> str:
    """The catalogue's name in the language of the current request."""
    if get_lang() == "th":
        return tk.config["ckanext.opendata_th.portal_name"]
    return tk.config["ckanext.opendata_th.portal_name_en"]


def opendata_th_vocab_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming `choices_helper`: the choices of the field's `vocabulary`."""
    return vocab.get(field["vocabulary"]).choices()


@tk.chained_helper
def render_datetime(
    next_helper: Any,
    datetime_: Any,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's date helper, but with Buddhist-era years on Thai pages.

    Every template shows dates through this helper, so chaining it puts the
    Buddhist era everywhere a date appears; English pages keep CKAN's output.
    """
    if date_format or get_lang() != "th":
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    parsed = h._datestamp_to_datetime(datetime_)
    if not parsed:
        return ""
    return format_thai_date(parsed, with_hours, with_seconds)
