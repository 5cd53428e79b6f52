"""The GD Catalog metadata spreadsheet, as read from the dataset schema.

GD Catalog's template has one metadata sheet per data type
(`Temp2_Meta_<Type>`, one row per dataset) and one resource sheet per data
type (`Temp3_Resource_<Type>`, one row per resource, linked to its dataset
by the dataset's name or title).  Rows 1-3 are a title and notes, row 4 is
the header and row 5 an example that importers skip.

Which columns a sheet has is not written down here: it is the schema's
fields whose `data_types` include the sheet's type, in schema order, so a
field added to the schema appears in the template without touching this
package.  Columns are matched by header text (the field's Thai or English
label, or its field name), never by position, so reordered or partial
templates import correctly.  The exporter also writes the field names in
row 3, which the importer uses when a header has been retyped.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from ckanext.opendata_th import vocab

TITLE_ROW = 1
NOTE_ROW = 2
KEY_ROW = 3  # field names (written by our exporter; a fallback for matching)
HEADER_ROW = 4
EXAMPLE_ROW = 5  # GD Catalog's example row: never imported
FIRST_DATA_ROW = 6

META_PREFIX = "Temp2_Meta_"
RESOURCE_PREFIX = "Temp3_Resource_"

# GD Catalog's sheet suffix for each data_type code.  A template fact (the
# sheet names GD Catalog uses), not a choice list.
SHEET_SUFFIX: dict[str, str] = {
    "record": "Record",
    "statistical": "Stat",
    "gis": "GIS",
    "multiple": "Multi",
    "other": "Other",
}

# The resource sheets' link to their dataset.  GD Catalog heads it with the
# dataset's name; the value is the dataset's name (URL) or its title.
LINK_KEY = "dataset_name"
LINK_LABEL = {"th": "ชื่อชุดข้อมูล", "en": "Dataset name"}

# The agency is the importing user's choice, never the sheet's.  The data
# type column is kept (GD Catalog has it) but the sheet decides the type; on
# the Other sheet its text becomes `data_type_other`.  `<field>_other`
# companions travel in their field's cell (an unknown value there becomes
# "other" + the text), so they are not columns either.
_NOT_COLUMNS = frozenset({"owner_org"})


@dataclasses.dataclass(frozen=True)
class Column:
    key: str  # the field name, or LINK_KEY
    label: dict[str, str]
    field: dict[str, Any] | None = None  # the scheming field definition

    def header(self) -> str:
        return self.label.get("th") or self.label.get("en") or self.key


def _dataset_schema() -> dict[str, Any]:
    # Imported here: ckanext.scheming reads its schemas from the live config.
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset")
    if not schema:
        raise RuntimeError("ckanext-scheming has no `dataset` schema; is scheming_datasets loaded?")
    return schema


def _label(field: dict[str, Any]) -> dict[str, str]:
    label = field.get("label") or field["field_name"]
    return dict(label) if isinstance(label, dict) else {"en": str(label), "th": str(label)}


def belongs_to(field: dict[str, Any], data_type: str) -> bool:
    """Whether the field is part of the data type (no `data_types`: every type)."""
    types = field.get("data_types")
    return not types or data_type in types


def _is_companion(name: str, names: set[str]) -> bool:
    return name.endswith("_other") and name.removesuffix("_other") in names


def _columns(fields: list[dict[str, Any]], data_type: str) -> list[Column]:
    names = {field["field_name"] for field in fields}
    return [
        Column(field["field_name"], _label(field), field)
        for field in fields
        if field["field_name"] not in _NOT_COLUMNS
        and not _is_companion(field["field_name"], names)
        and belongs_to(field, data_type)
        # Scheming's convention for fields the form never shows (computed ones).
        and not ("form_snippet" in field and field["form_snippet"] is None)
    ]


def _name_first(columns: list[Column]) -> list[Column]:
    # GD Catalog's first column is the dataset's name, which links resources.
    return sorted(columns, key=lambda column: column.key != "name")


def dataset_fields() -> list[dict[str, Any]]:
    return list(_dataset_schema()["dataset_fields"])


def resource_fields() -> list[dict[str, Any]]:
    return list(_dataset_schema().get("resource_fields", []))


def dataset_columns(data_type: str) -> list[Column]:
    return _name_first(_columns(dataset_fields(), data_type))


def resource_columns(data_type: str) -> list[Column]:
    return [Column(LINK_KEY, LINK_LABEL), *_columns(resource_fields(), data_type)]


def field_names() -> set[str]:
    return {field["field_name"] for field in dataset_fields()}


def meta_sheet(data_type: str) -> str:
    return META_PREFIX + SHEET_SUFFIX[data_type]


def resource_sheet(data_type: str) -> str:
    return RESOURCE_PREFIX + SHEET_SUFFIX[data_type]


def data_types() -> list[str]:
    """The data types that have sheets, in the vocabulary's order."""
    return [code for code in vocab.get("data_type").codes if code in SHEET_SUFFIX]


def sheet_type(sheet_name: str) -> tuple[str, str] | None:
    """`("meta"|"resource", data_type)` for a template sheet name, else None."""
    for kind, prefix in (("meta", META_PREFIX), ("resource", RESOURCE_PREFIX)):
        if sheet_name.strip().lower().startswith(prefix.lower()):
            suffix = sheet_name.strip()[len(prefix) :].lower()
            for data_type, name in SHEET_SUFFIX.items():
                if name.lower() == suffix:
                    return kind, data_type
    return None


def normalise_header(text: Any) -> str:
    """Header text compared loosely: no case, `*`, spaces or trailing "(...)" notes."""
    value = unicodedata.normalize("NFC", str(text or "")).casefold()
    value = value.replace("*", "")
    value = re.sub(r"\([^)]*\)\s*$", "", value.strip())
    return "".join(value.split())


def header_aliases(columns: list[Column]) -> dict[str, list[str]]:
    """Every accepted header spelling -> the column keys it may name, in column order.

    Labels are not unique (the dataset's name and its source URL are both
    "URL"), so repeated headers take the columns in turn.
    """
    aliases: dict[str, list[str]] = {}
    for column in columns:
        for alias in {normalise_header(text) for text in (column.key, *column.label.values())}:
            aliases.setdefault(alias, []).append(column.key)
    return aliases
