"""The HVD report: every high-value dataset the user may see, with its
compliance, grouped by agency; and its CSV / XLSX downloads.

The datasets come from package_search in the caller's context, so the report
never shows more than search would (governance's permission labels apply).
Search is paged in fixed-size batches sorted by name and id, so a large
catalogue is read a page at a time rather than in one query.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from ckanext.opendata_th.hvd import categories, compliance, flags
from ckanext.opendata_th.lib.spreadsheet import neutralise_formula

PAGE_SIZE = 100
HVD_QUERY = f"{flags.FLAG}:true"

# Columns of the report: key, Thai header, English header.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("agency", "หน่วยงาน", "Agency"),
    ("name", "ชื่อ URL", "Name"),
    ("title", "ชื่อชุดข้อมูล", "Title"),
    ("url", "ที่อยู่", "URL"),
    ("categories", "หมวดหมู่", "HVD categories"),
    ("legislation", "กฎหมายที่ใช้บังคับ", "Applicable legislation"),
    ("compliant", "เป็นไปตามเกณฑ์", "Compliant"),
    *((rule, "", title) for rule, title in compliance.RULES.items()),
    ("failures", "เหตุผล", "Reasons"),
)


def hvd_datasets(context: Context) -> Iterator[dict[str, Any]]:
    """Every HVD the context's user may find, page by page."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            dict(context),
            {
                "fq": HVD_QUERY,
                "rows": PAGE_SIZE,
                "start": start,
                "sort": "name asc, id asc",
                "include_private": True,
            },
        )
        yield from result["results"]
        start += PAGE_SIZE
        if start >= result["count"] or not result["results"]:
            return


def row(dataset: dict[str, Any], now: datetime.datetime, lang: str = "en") -> dict[str, Any]:
    """One report line: the dataset, its categories and each rule's outcome."""
    results = compliance.check(dataset, now)
    known = categories.by_code()
    organization = dataset.get("organization") or {}
    line: dict[str, Any] = {
        "agency": organization.get("title") or organization.get("name") or "",
        "agency_name": organization.get("name") or "",
        "name": dataset.get("name"),
        "title": dataset.get("title"),
        "url": tk.url_for("dataset.read", id=dataset.get("name"), _external=True),
        "categories": ", ".join(known[code].label_for(lang) for code in flags.category_codes(dataset)),
        "legislation": " ".join(flags.legislation(dataset)),
        "compliant": all(result.passed for result in results),
        "failures": "; ".join(result.reason for result in results if not result.passed),
        "results": results,
    }
    for result in results:
        line[result.rule] = result.passed
    return line


def by_agency(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped per agency, agencies by name, with counts of compliant datasets."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for line in rows:
        groups.setdefault(line["agency"] or "-", []).append(line)
    return [
        {
            "agency": agency,
            "rows": lines,
            "total": len(lines),
            "compliant": sum(1 for line in lines if line["compliant"]),
        }
        for agency, lines in sorted(groups.items())
    ]


def build(context: Context, now: datetime.datetime | None = None, lang: str = "en") -> list[dict[str, Any]]:
    moment = now or datetime.datetime.utcnow()
    return [row(dataset, moment, lang) for dataset in hvd_datasets(context)]


def neutralise(value: Any) -> Any:
    """A report cell as safe text: booleans as "yes"/"no", formulas neutralised."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return neutralise_formula(str(value))


def _header() -> list[str]:
    return [f"{thai} / {english}" if thai else english for _key, thai, english in COLUMNS]


def _cells(line: dict[str, Any]) -> list[Any]:
    return [neutralise(line.get(key)) for key, _thai, _english in COLUMNS]


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Thai text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    for line in rows:
        writer.writerow(_cells(line))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "HVD"
    sheet.append(_header())
    for line in rows:
        sheet.append(_cells(line))
    for sheet_row in sheet.iter_rows(min_row=2):
        for cell in sheet_row:
            if isinstance(cell, Cell) and isinstance(cell.value, str):
                cell.data_type = "s"  # stored as text, never parsed as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
