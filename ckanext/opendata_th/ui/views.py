"""The public pages the ui room serves itself (wired through plugin.get_blueprint)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang
from flask import Blueprint

from ckanext.opendata_th.ui import open_data_day

__all__ = ["get_blueprint"]


def open_data_day_page() -> str:
    """International Open Data Day: the curated featured datasets and every HVD by category."""
    lang = get_lang()
    return tk.render(
        "ui/open_data_day.html",
        {
            "featured": open_data_day.featured(),
            "categories": open_data_day.by_category(open_data_day.high_value_datasets(), lang),
        },
    )


def get_blueprint() -> Blueprint:
    blueprint = Blueprint("opendata_th_ui", __name__)
    blueprint.add_url_rule("/open-data-day", view_func=open_data_day_page, endpoint="open_data_day")
    return blueprint
