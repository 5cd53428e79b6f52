"""Export datasets to the GD Catalog workbook the importer reads.

The datasets come from `package_search` run as the requesting user, with
`include_private`: CKAN's permission labels decide which private datasets
that user may see, so an export never shows more than the catalogue would.
Values are written as GD Catalog shows them (Thai display values, B.E.
dates), so the workbook loads into GD Catalog and back into this catalogue.
openpyxl's write-only mode streams rows to the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ckanext.opendata_th import vocab
from ckanext.opendata_th.gdc import template, values
from ckanext.opendata_th.lib.spreadsheet import neutralise_formula

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PAGE = 500


def datasets(context: dict[str, Any], org_id: str | None) -> Iterator[dict[str, Any]]:
    """Every dataset the context's user may see (of one agency), page by page."""
    query: dict[str, Any] = {
        "q": "*:*",
        "fq": f'+owner_org:"{org_id}"' if org_id else "",
        "include_private": True,
        "rows": _PAGE,
        "sort": "name asc",
    }
    start = 0
    while True:
        page = tk.get_action("package_search")(dict(context), {**query, "start": start})
        yield from page["results"]
        start += _PAGE
        if start >= page["count"] or not page["results"]:
            return


def _text_cell(sheet: Any, value: str, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def _head(sheet: Any, title: str, columns: list[template.Column]) -> None:
    """Rows 1-5: title, note, field names, header (Thai labels), English labels."""
    sheet.append([_text_cell(sheet, title, bold=True)])
    sheet.append([_text_cell(sheet, "GD Catalog metadata template / แม่แบบคำอธิบายชุดข้อมูล GD Catalog")])
    sheet.append([_text_cell(sheet, column.key) for column in columns])
    sheet.append([_text_cell(sheet, column.header(), bold=True) for column in columns])
    # Row 5 is the template's example row, which importers skip.
    sheet.append([_text_cell(sheet, column.label.get("en", column.key)) for column in columns])


def _row(sheet: Any, columns: list[template.Column], data: dict[str, Any], link: str = "") -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        text = neutralise_formula(link) if column.key == template.LINK_KEY else values.write(column.field or {}, data)
        cells.append(_text_cell(sheet, text))
    return cells


def build(items: Iterator[dict[str, Any]]) -> tuple[bytes, int]:
    """The workbook for `items` and how many datasets it holds."""
    types = template.data_types()
    workbook = openpyxl.Workbook(write_only=True)
    meta, resources = {}, {}
    labels = vocab.get("data_type")
    for data_type in types:
        meta[data_type] = workbook.create_sheet(template.meta_sheet(data_type))
        resources[data_type] = workbook.create_sheet(template.resource_sheet(data_type))
    columns = {data_type: template.dataset_columns(data_type) for data_type in types}
    resource_columns = {data_type: template.resource_columns(data_type) for data_type in types}
    for data_type in types:
        title = labels.label_of(data_type, "th")
        _head(meta[data_type], title, columns[data_type])
        _head(resources[data_type], title, resource_columns[data_type])
    count = 0
    for item in items:
        data_type = str(item.get("data_type") or "")
        if data_type not in meta:
            continue  # a dataset without a GD Catalog type has no sheet to go to
        meta[data_type].append(_row(meta[data_type], columns[data_type], item))
        for resource in item.get("resources") or []:
            sheet = resources[data_type]
            sheet.append(_row(sheet, resource_columns[data_type], resource, link=item["name"]))
        count += 1
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue(), count


def filename(org_name: str | None) -> str:
    return f"gdc-catalog-{org_name}.xlsx" if org_name else "gdc-catalog.xlsx"
