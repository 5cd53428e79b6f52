"""Read a GD Catalog workbook into rows keyed by field name.

The workbook is opened in openpyxl's read-only, values-only mode, which
streams rows instead of loading every cell object, so agency workbooks of
thousands of rows stay small in memory.  Sheets that are not template
sheets (instructions, choice lists) are ignored.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from typing import Any

import openpyxl

from ckanext.opendata_th.gdc import template
from ckanext.opendata_th.lib.i18n import bilingual


class WorkbookError(ValueError):
    """The file is not a GD Catalog workbook; the message is bilingual."""


@dataclasses.dataclass
class Row:
    sheet: str
    number: int  # the spreadsheet's row number, as the data officer sees it
    cells: dict[str, Any]  # column key -> cell value


@dataclasses.dataclass
class Sheet:
    name: str
    kind: str  # "meta" or "resource"
    data_type: str
    columns: dict[str, template.Column]
    rows: list[Row]
    unknown_headers: list[str]


def _open(content: bytes) -> Any:
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbookError(bilingual("The file is not an Excel workbook (.xlsx)")) from error


def template_sheets(content: bytes) -> list[str]:
    """The template sheets in the workbook; raises WorkbookError if there are none."""
    workbook = _open(content)
    try:
        names = [name for name in workbook.sheetnames if template.sheet_type(name)]
    finally:
        workbook.close()
    if not names:
        raise WorkbookError(bilingual("The workbook has no GD Catalog sheets (Temp2_Meta_... or Temp3_Resource_...)"))
    return names


def _column_map(
    key_row: tuple[Any, ...], header_row: tuple[Any, ...], columns: list[template.Column]
) -> tuple[dict[int, str], list[str]]:
    """Column index -> column key, and the headers that match no column.

    A field name in row 3 (our exports write them) wins over the header;
    otherwise the header text names the first column of that name not yet taken.
    """
    aliases = template.header_aliases(columns)
    keys = {column.key for column in columns}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(header_row):
        key_cell = str(key_row[index]).strip() if index < len(key_row) and key_row[index] else ""
        if key_cell in keys and key_cell not in mapping.values():
            mapping[index] = key_cell
            continue
        candidates = aliases.get(template.normalise_header(header), [])
        key = next((key for key in candidates if key not in mapping.values()), None)
        if key:
            mapping[index] = key
        elif header not in (None, ""):
            unknown.append(str(header))
    return mapping, unknown


def _is_blank(values: tuple[Any, ...]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _read_sheet(worksheet: Any, name: str, kind: str, data_type: str) -> Sheet:
    columns = template.dataset_columns(data_type) if kind == "meta" else template.resource_columns(data_type)
    rows = worksheet.iter_rows(values_only=True)
    head = [next(rows, ()) for _ in range(template.HEADER_ROW)]
    mapping, unknown = _column_map(head[template.KEY_ROW - 1], head[template.HEADER_ROW - 1], columns)
    by_key = {column.key: column for column in columns}
    sheet = Sheet(name, kind, data_type, {key: by_key[key] for key in mapping.values()}, [], unknown)
    for number, values in enumerate(rows, start=template.HEADER_ROW + 1):
        if number < template.FIRST_DATA_ROW or _is_blank(values):
            continue  # GD Catalog's example row, and empty rows left in the template
        cells = {key: values[index] for index, key in mapping.items() if index < len(values)}
        sheet.rows.append(Row(name, number, cells))
    return sheet


def read(content: bytes) -> list[Sheet]:
    """Every template sheet: metadata sheets first, so resources find their datasets."""
    workbook = _open(content)
    try:
        sheets = []
        for name in workbook.sheetnames:
            found = template.sheet_type(name)
            if found:
                sheets.append(_read_sheet(workbook[name], name, *found))
    finally:
        workbook.close()
    return sorted(sheets, key=lambda sheet: sheet.kind != "meta")
