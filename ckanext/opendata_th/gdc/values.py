"""Cell values <-> field values.

A cell holds what a data officer types in GD Catalog's template: Thai
display values, comma-separated lists, Buddhist-era (B.E.) dates and years.
The catalogue stores codes and Common-Era (C.E.) dates.  How a field is read
follows from its schema definition: its `vocabulary` (or inline `choices`),
a multiple-choice preset, a date preset, or a year-of-data name.

Reading never raises for an unknown choice: GD Catalog puts an unknown value
in the field's `<field>_other` companion with the code `other`, and so do we.
A value that cannot be a date raises `CellError` with a bilingual reason.
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import Any

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib import thai
from ckanext.opendata_th.lib.i18n import bilingual
from ckanext.opendata_th.lib.spreadsheet import neutralise_formula

_DATE_PRESETS = frozenset({"date", "datetime", "datetime_tz"})
_MULTIPLE_PRESETS = frozenset({"multiple_select", "multiple_checkbox", "multiple_text"})
_SEPARATORS = re.compile(r"\s*[,\n;]\s*")


class CellError(ValueError):
    """A cell that cannot be read; the message is bilingual."""


class Kind(enum.Enum):
    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    TAGS = "tags"
    DATE = "date"
    YEAR = "year"


def kind(field: dict[str, Any]) -> Kind:
    """How a field's cells are read and written, from its preset, validators or name."""
    name = field["field_name"]
    preset = str(field.get("preset") or "")
    validators = str(field.get("validators") or "").split()
    if name == "tag_string":
        return Kind.TAGS
    if preset in _MULTIPLE_PRESETS or preset.endswith("_multiple") or field.get("multiple"):
        return Kind.MULTI
    if any(validator.endswith("multiple_choice") for validator in validators):
        return Kind.MULTI
    if field.get("vocabulary") or field.get("choices"):
        return Kind.CHOICE
    if preset in _DATE_PRESETS or preset.endswith("_date") or name.endswith(("_date", "_calendar")):
        return Kind.DATE
    if any(validator.endswith(("_date", "isodate")) for validator in validators):
        return Kind.DATE
    if preset.endswith("year") or name.endswith("year_of_data"):
        return Kind.YEAR
    return Kind.TEXT


# --- choices ------------------------------------------------------------------


class Choices:
    """A field's choices: display value -> code, and code -> GD Catalog value."""

    def __init__(self, field: dict[str, Any]) -> None:
        self.vocabulary = vocab.get(field["vocabulary"]) if field.get("vocabulary") else None
        self._inline = {str(choice["value"]): choice for choice in field.get("choices") or []}

    def code_for(self, value: str) -> str | None:
        if self.vocabulary:
            return self.vocabulary.code_for(value)
        wanted = _fold(value)
        for code, choice in self._inline.items():
            label = choice.get("label")
            labels = label.values() if isinstance(label, dict) else [label]
            if wanted in {_fold(code), *(_fold(str(text)) for text in labels if text)}:
                return code
        return None

    def display(self, code: str) -> str:
        if self.vocabulary:
            return self.vocabulary.term(code).gdc_value if code in self.vocabulary else code
        label = self._inline.get(code, {}).get("label")
        if isinstance(label, dict):
            return str(label.get("th") or label.get("en") or code)
        return str(label or code)

    @property
    def has_other(self) -> bool:
        return vocab.OTHER in (self.vocabulary.codes if self.vocabulary else self._inline)


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())


# --- reading ------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO, stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def split_list(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def read(field: dict[str, Any], value: Any, companion: bool) -> dict[str, Any]:
    """The dataset keys a cell sets: `{field: value}`, plus `<field>_other`.

    `companion` says whether the schema has the `<field>_other` field; an
    empty cell clears the field (a re-import replaces what the sheet holds).
    """
    name = field["field_name"]
    field_kind = kind(field)
    if field_kind is Kind.DATE:
        return {name: read_date(value, field)}
    text = cell_text(value)
    if field_kind is Kind.YEAR:
        return {name: read_year(text, field)}
    if field_kind is Kind.TAGS:
        return {name: ",".join(split_list(text))}
    if field_kind in (Kind.CHOICE, Kind.MULTI):
        return _read_choice(field, text, field_kind is Kind.MULTI, companion)
    return {name: text}


def _read_choice(field: dict[str, Any], text: str, multiple: bool, companion: bool) -> dict[str, Any]:
    name = field["field_name"]
    choices = Choices(field)
    values = split_list(text) if multiple else ([text] if text else [])
    codes: list[str] = []
    unknown: list[str] = []
    for value in values:
        code = choices.code_for(value)
        if code is None and companion and choices.has_other:
            unknown.append(value)
            code = vocab.OTHER
        # A value with nowhere to go is passed on for the schema to reject.
        chosen = code or value
        if chosen not in codes:
            codes.append(chosen)
    result: dict[str, Any] = {name: codes if multiple else (codes[0] if codes else "")}
    if companion:
        result[f"{name}_other"] = ", ".join(unknown)
    return result


def _field_label(field: dict[str, Any]) -> str:
    label = field.get("label") or field["field_name"]
    return str(label.get("th") or label.get("en")) if isinstance(label, dict) else str(label)


def read_year(text: str, field: dict[str, Any]) -> str:
    """A year as the schema takes it.

    GD Catalog's years of data are B.E.; the schema stores them as B.E. and
    converts a C.E. year itself, so the cell goes through unchanged (only a
    spreadsheet's "2565.0" is tidied) and the schema's validator decides.
    """
    match = re.fullmatch(r"(\d{4})\.0+", text)
    return match.group(1) if match else text


def read_date(value: Any, field: dict[str, Any]) -> str:
    """An ISO C.E. date from a date cell or text, B.E. or C.E. (`""` if empty)."""
    if not isinstance(value, datetime.date) and not cell_text(value):
        return ""
    parsed = thai.parse_date(value if isinstance(value, datetime.date) else cell_text(value))
    if parsed is None:
        raise CellError(
            bilingual('%(field)s: "%(value)s" is not a date', field=_field_label(field), value=cell_text(value))
        )
    return (parsed.date() if isinstance(parsed, datetime.datetime) else parsed).isoformat()


# --- writing ------------------------------------------------------------------


def write(field: dict[str, Any], data: dict[str, Any]) -> str:
    """A field of a dataset or resource dict as GD Catalog shows it."""
    name = field["field_name"]
    field_kind = kind(field)
    value = data.get(name)
    if field_kind is Kind.TAGS:
        names = [tag["name"] for tag in data.get("tags") or []] if "tags" in data else split_list(value or "")
        return neutralise_formula(", ".join(names))
    if value in (None, "", []):
        return ""
    if field_kind is Kind.DATE:
        return _write_date(str(value))
    if field_kind is Kind.YEAR:
        text = cell_text(value)
        return str(thai.to_be_year(int(text))) if text.isdigit() else neutralise_formula(text)
    if field_kind in (Kind.CHOICE, Kind.MULTI):
        return neutralise_formula(_write_choice(field, data, value))
    return neutralise_formula(cell_text(value))


def _write_choice(field: dict[str, Any], data: dict[str, Any], value: Any) -> str:
    choices = Choices(field)
    other = str(data.get(f"{field['field_name']}_other") or "")
    codes = value if isinstance(value, list) else [value]
    shown = [other if (code == vocab.OTHER and other) else choices.display(str(code)) for code in codes]
    return ", ".join(shown)


def _write_date(value: str) -> str:
    """An ISO C.E. date as GD Catalog's B.E. `YYYY-MM-DD` text."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return neutralise_formula(value)
    year = int(match.group(1))
    return f"{thai.to_be_year(year):04d}-{match.group(2)}-{match.group(3)}"
