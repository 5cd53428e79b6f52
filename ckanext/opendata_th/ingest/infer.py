"""The type of each column, from every cell of the file.

xloader and DataPusher guess from the first rows, so row 3,001 can break a
load the sample approved.  Here every cell votes and a column whose cells
disagree becomes text instead of failing.  The loader (bulk.py) adds each
distinct value once with its number of occurrences, so memory and time
follow the distinct values, not the rows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ckanext.opendata_th.ingest import pdpa
from ckanext.opendata_th.ingest.values import INT4_MAX, INT8_MAX, THAI_DIGITS, Kind, parse

PG_TYPES = {
    Kind.BOOL: "bool",
    Kind.INT: "int4",
    Kind.NUMERIC: "numeric",
    Kind.DATE: "date",
    Kind.TIMESTAMP: "timestamp",
    Kind.TEXT: "text",
}

# Labels in the data dictionary notes (Thai / English).
TYPE_NOTES = {
    "bool": "ใช่/ไม่ใช่ / boolean",
    "int4": "จำนวนเต็ม / integer",
    "int8": "จำนวนเต็ม / integer",
    "numeric": "ตัวเลข / number",
    "date": "วันที่ (ค.ศ.) / date (CE)",
    "timestamp": "วันเวลา (ค.ศ.) / date and time (CE)",
    "text": "ข้อความ / text",
}

PERCENT_NOTE = "ร้อยละ (ตัดเครื่องหมาย %) / percent (% sign removed)"
BUDDHIST_ERA_NOTE = "แปลงจาก พ.ศ. / converted from the Buddhist era"
MASKED_NOTE = "ปกปิดข้อมูลส่วนบุคคล / personal data masked"
_NOTE_SEPARATOR = "; "


def is_loader_note(notes: str) -> bool:
    """Whether a data dictionary description is only what the loader wrote, not an officer's words."""
    known = {*TYPE_NOTES.values(), PERCENT_NOTE, BUDDHIST_ERA_NOTE, MASKED_NOTE}
    return all(part.strip() in known for part in notes.split(_NOTE_SEPARATOR))


@dataclasses.dataclass
class ColumnProfile:
    kinds: dict[Kind, int] = dataclasses.field(default_factory=dict)
    first_row: dict[Kind, int] = dataclasses.field(default_factory=dict)
    max_abs_int: int = 0
    percent: bool = False
    buddhist_era: bool = False
    personal: dict[str, int] = dataclasses.field(default_factory=dict)  # cells per sign (pdpa.cell_signs)
    check_personal: bool = True

    def add(self, raw: Any, row: int, occurrences: int = 1) -> None:
        """Count one cell (or `occurrences` equal cells, the first at `row`)."""
        kind, value = parse(raw)
        if kind is Kind.NULL:
            return
        self.kinds[kind] = self.kinds.get(kind, 0) + occurrences
        self.first_row[kind] = min(row, self.first_row.get(kind, row))
        if kind is Kind.INT:
            self.max_abs_int = max(self.max_abs_int, abs(value))
        if isinstance(raw, str):
            stripped = raw.rstrip()
            if kind in (Kind.INT, Kind.NUMERIC) and stripped.endswith("%"):
                self.percent = True
            elif kind in (Kind.DATE, Kind.TIMESTAMP) and not self.buddhist_era:
                self.buddhist_era = str(value.year + 543) in raw.translate(THAI_DIGITS)
        # Whole numbers too: an account number without dashes reads as one.
        if self.check_personal and kind in (Kind.TEXT, Kind.INT):
            for sign in pdpa.cell_signs(raw):
                self.personal[sign] = self.personal.get(sign, 0) + occurrences

    @property
    def count(self) -> int:
        return sum(self.kinds.values())

    def pg_type(self) -> str:
        kinds = set(self.kinds)
        if not kinds:
            return "text"
        if kinds == {Kind.INT}:
            if self.max_abs_int <= INT4_MAX:
                return "int4"
            return "int8" if self.max_abs_int <= INT8_MAX else "numeric"
        if kinds <= {Kind.INT, Kind.NUMERIC}:
            return "numeric"
        if kinds <= {Kind.DATE, Kind.TIMESTAMP}:
            return "date" if kinds == {Kind.DATE} else "timestamp"
        if len(kinds) == 1:
            return PG_TYPES[kinds.pop()]
        return "text"

    def evidence(self, label: str) -> pdpa.ColumnEvidence:
        """What the PDPA guard judges the column on (pdpa.personal_columns)."""
        return pdpa.ColumnEvidence(
            label=label,
            cells=self.count,
            signs=dict(self.personal),
            numbers=self.kinds.get(Kind.INT, 0),
            number_digits=len(str(self.max_abs_int)) if self.max_abs_int else 0,
        )

    def notes(self) -> str:
        parts = [TYPE_NOTES.get(self.pg_type(), self.pg_type())]
        if self.percent:
            parts.append(PERCENT_NOTE)
        if self.buddhist_era and self.pg_type() in ("date", "timestamp"):
            parts.append(BUDDHIST_ERA_NOTE)
        return _NOTE_SEPARATOR.join(parts)
