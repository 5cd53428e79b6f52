"""Template helpers (HELPER_MODULES) for the HVD badge, checklist and choices."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_lang

from ckanext.opendata_th.hvd import categories, compliance, flags
from ckanext.opendata_th.ui.metadata import display_date

__all__ = [
    "opendata_th_hvd_categories",
    "opendata_th_hvd_category_choices",
    "opendata_th_hvd_checklist",
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


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The msgids compliance.py words these rules with (Thai in parts/hvd.po).
_FREQUENCY_MSGIDS = {
    True: "Up to date: last updated %(updated)s, next due by %(due)s",
    False: "Overdue: last updated %(updated)s, due by %(due)s",
}


def _reader_text(rule: dict[str, Any], pkg_dict: dict[str, Any], lang: str) -> str:
    """The reason of a rule in the reader's language, dates in B.E./C.E. and categories by label.

    compliance.py words reasons for the API (both languages, ISO dates, codes);
    the page re-words the two rules that carry dates or codes and keeps the rest.
    """
    if rule["rule"] == "update_frequency":
        dates = _ISO_DATE.findall(rule["reason"])
        if len(dates) >= 2:
            shown = {"updated": display_date(dates[0], lang), "due": display_date(dates[1], lang)}
            return tk._(_FREQUENCY_MSGIDS[bool(rule["passed"])]) % shown
    if rule["rule"] == "category" and rule["passed"]:
        eu = categories.eu_categories(flags.category_codes(pkg_dict))
        labels = ", ".join(category.label_for(lang) for category in eu)
        return tk._("Categories: %(categories)s") % {"categories": labels}
    return str(rule["reason"])


def opendata_th_hvd_checklist(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The compliance rules as the dataset page shows them: {rule, passed, title, text}."""
    lang = get_lang()
    return [
        {
            "rule": rule["rule"],
            "passed": rule["passed"],
            "title": tk._(compliance.RULES[rule["rule"]]),
            "text": _reader_text(rule, pkg_dict, lang),
        }
        for rule in compliance.report(pkg_dict)["rules"]
    ]
