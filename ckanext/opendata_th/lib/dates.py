"""Dates as Thai readers expect them: Buddhist-era years in Thai.

Month names come from Babel's Thai locale data (CLDR), so no month list is
written here; only the era differs from the Common Era Babel prints.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_time

BE_OFFSET = 543  # Buddhist era year = Common Era year + 543


def thai_date(value: datetime.date, with_hours: bool = False, with_seconds: bool = False) -> str:
    """`15 มี.ค. 2567`, optionally followed by `14:30` or `14:30:05`."""
    text = f"{format_date(value, 'd MMM', locale='th')} {value.year + BE_OFFSET}"
    if isinstance(value, datetime.datetime) and (with_hours or with_seconds):
        text += " " + format_time(value, "HH:mm:ss" if with_seconds else "HH:mm", locale="th")
    return text
