"""Template helpers (HELPER_MODULES) for the HVD badge, checklist and choices."""

from __future__ import annotations

from typing import Any

from ckan.lib.i18n import get_lang

from ckanext.opendata_th.hvd import categories, compliance, flags

__all__ = [
    "opendata_th_hvd_categories",
    "opendata_th_hvd_category_choices",
    "opendata_th_hvd_compliance",
    "opendata_th_is_hvd",
]


def opendata_th_is_hvd(pkg_dict: dict[str, Any]) -> bool:
    return flags.is_hvd(pkg_dict)


def opendata_th_hvd_category_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming `choices_helper`: the EU categories and the site's national ones."""
    return categories.choices()


def opendata_th_hvd_categories(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's categories as {code, label, uri} in the request's language."""
    known, lang = categories.by_code(), get_lang()
    return [
        {"code": code, "label": known[code].label_for(lang), "uri": known[code].uri}
        for code in flags.category_codes(pkg_dict)
    ]


def opendata_th_hvd_compliance(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's compliance report (see hvd/compliance.py), computed from the dict shown."""
    return compliance.report(pkg_dict)
