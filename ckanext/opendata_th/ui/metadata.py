"""The metadata standard grouped the way readers look for it.

A reader first wants to know what the data is, then who publishes it and
how to reach them, when it covers and how often it changes, how it may be
used, and only then the type-specific details (statistics, geography).
Values are shown by vocabulary label in the reader's language, never as
codes; an "other" choice shows the free text given for it; dates follow
the language (Buddhist era in Thai).  Empty fields and fields of other data
types are left out.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from babel.dates import format_date

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib.thai import format_thai_date, parse_date
from ckanext.opendata_th.schema.values import split_values

# (group key, title msgid, field names in reading order).  Fields of the
# schema not named here are shown last, under "More details".
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "about",
        "About this dataset",
        ("data_type", "data_type_other", "objective", "data_source", "data_language", "standard", "reference_data"),
    ),
    ("contact", "Publisher and contact", ("maintainer", "maintainer_email", "data_support", "data_collect")),
    (
        "coverage",
        "Time and place covered",
        (
            "geo_coverage",
            "first_year_of_data",
            "last_year_of_data",
            "reference_period",
            "update_frequency_unit",
            "update_frequency_interval",
            "created_date",
            "last_updated_date",
            "data_release_calendar",
            "data_release_date",
        ),
    ),
    (
        "access",
        "Access and use",
        ("data_category", "data_classification", "data_format", "accessible_condition", "url", "allow_harvest"),
    ),
    ("hvd", "High-value dataset", ("high_value_dataset", "hvd_category")),
    (
        "statistics",
        "Statistics",
        (
            "official_statistics",
            "unit_of_measure",
            "unit_of_multiplier",
            "disaggregate",
            "calculation_method",
        ),
    ),
    (
        "geography",
        "Geography",
        (
            "geographic_data_set",
            "equivalent_scale",
            "positional_accuracy",
            "west_bound_longitude",
            "east_bound_longitude",
            "south_bound_latitude",
            "north_bound_latitude",
        ),
    ),
)
MORE = ("more", "More details")

# Shown elsewhere on the dataset page (title, description, tags, agency,
# licence) or not meant for readers.
HIDDEN = frozenset({"id", "title", "name", "notes", "tag_string", "owner_org", "license_id", "spatial"})

DATE_PRESETS = frozenset({"opendata_th_date"})
_OTHER_SUFFIX = "_other"


@dataclasses.dataclass(frozen=True)
class Row:
    field: str
    label: str
    values: tuple[str, ...]
    kind: str  # text | markdown | email | link


@dataclasses.dataclass(frozen=True)
class Group:
    key: str
    title: str  # a msgid; the template translates it
    rows: tuple[Row, ...]


def display_date(value: Any, lang: str) -> str:
    """`15 มี.ค. 2567` in Thai, `15 Mar 2024` in English; the value itself if it is no date."""
    parsed = parse_date(value) if value else None
    if parsed is None:
        return str(value or "")
    day = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    if lang == "th":
        return format_thai_date(day)
    return format_date(day, "d MMM y", locale="en")


def _label(field: Mapping[str, Any], lang: str) -> str:
    label = field.get("label") or field["field_name"]
    if isinstance(label, Mapping):
        return str(label.get(lang) or label.get("en") or field["field_name"])
    return str(label)


def _choice_labels(field: Mapping[str, Any], value: Any, lang: str) -> list[str]:
    """Labels of the chosen codes: from the field's vocabulary, else its inline choices."""
    # A boolean stored by boolean_validator matches the "true"/"false" choices.
    codes = [str(code).lower() if isinstance(code, bool) else str(code) for code in split_values(value)]
    codes = [code for code in codes if code.strip()]
    if field.get("vocabulary"):
        terms = vocab.get(field["vocabulary"])
        return [terms.label_of(code, lang) for code in codes]
    choices = {str(choice["value"]): choice.get("label", choice["value"]) for choice in field.get("choices", [])}
    labels = []
    for code in codes:
        label = choices.get(code, code)
        labels.append(str(label.get(lang) or label.get("en")) if isinstance(label, Mapping) else str(label))
    return labels


def _values(field: Mapping[str, Any], data: Mapping[str, Any], lang: str) -> list[str]:
    name, value = field["field_name"], data.get(field["field_name"])
    if value in (None, "", [], "[]"):
        return []
    if field.get("preset") in DATE_PRESETS:
        return [display_date(value, lang)]
    if not (field.get("vocabulary") or field.get("choices")):
        return [str(value)]
    labels = _choice_labels(field, value, lang)
    other_text = data.get(name + _OTHER_SUFFIX)
    if other_text and vocab.OTHER in split_values(value):
        # "อื่นๆ: <what the agency wrote>" reads better than two rows.
        other_label = _choice_labels(field, vocab.OTHER, lang)[0]
        labels = [f"{label}: {other_text}" if label == other_label else label for label in labels]
    return labels


def _kind(field: Mapping[str, Any]) -> str:
    if field.get("preset") == "opendata_th_markdown" or field.get("form_snippet") == "markdown.html":
        return "markdown"
    if field.get("display_snippet") == "email.html" or field["field_name"].endswith("email"):
        return "email"
    if field.get("display_snippet") == "link.html" or field["field_name"] == "url":
        return "link"
    return "text"


def _applies(field: Mapping[str, Any], data_type: str | None) -> bool:
    types = field.get("data_types")
    return types is None or data_type is None or data_type in types


def _is_other_text(field: Mapping[str, Any], names: set[str]) -> bool:
    """`<name>_other` is folded into `<name>`'s row, except data_type_other (its own question)."""
    name = field["field_name"]
    return name.endswith(_OTHER_SUFFIX) and name[: -len(_OTHER_SUFFIX)] in names and name != "data_type_other"


def grouped(fields: Sequence[Mapping[str, Any]], data: Mapping[str, Any], lang: str) -> list[Group]:
    """The dataset's non-empty metadata as groups of rows (see GROUPS), empty groups left out."""
    names = {field["field_name"] for field in fields}
    data_type = data.get("data_type")
    rows: dict[str, Row] = {}
    for field in fields:
        name = field["field_name"]
        if name in HIDDEN or field.get("display_snippet", "") is None or _is_other_text(field, names):
            continue
        if not _applies(field, data_type):
            continue
        values = _values(field, data, lang)
        if values:
            rows[name] = Row(name, _label(field, lang), tuple(values), _kind(field))
    groups = []
    placed: set[str] = set()
    for key, title, members in GROUPS:
        group_rows = tuple(rows[name] for name in members if name in rows)
        placed.update(members)
        if group_rows:
            groups.append(Group(key, title, group_rows))
    rest = tuple(row for name, row in rows.items() if name not in placed)
    if rest:
        groups.append(Group(MORE[0], MORE[1], rest))
    return groups
