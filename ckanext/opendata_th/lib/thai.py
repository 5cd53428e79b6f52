"""Thai digits, Buddhist-era years and Thai dates: the one place they are handled.

Every room that reads or shows a date (schema validators, the GD Catalog
importer and exporter, the DataStore loader, DCAT, templates) uses these
functions, so `15/03/2567`, `1 ต.ค. 65` and `7 เมษายน พ.ศ. 2566` mean the same
everywhere.  Month names come from Babel's CLDR data for Thai and English,
so no month list is written here.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from babel.dates import format_date, format_time, get_month_names

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Buddhist-era years are the Common Era year + 543.  A four-digit year from
# 2400 on can only be B.E. in government data (2400 B.E. = 1857 C.E., and
# the Common Era will not reach 2400 in any dataset's lifetime).
BE_OFFSET = 543
BE_THRESHOLD = 2400


def to_ce_year(year: int) -> int:
    """The Common Era year for a B.E. or C.E. year."""
    return year - BE_OFFSET if year >= BE_THRESHOLD else year


def to_be_year(year: int) -> int:
    """The Buddhist-era year for a B.E. or C.E. year."""
    return year if year >= BE_THRESHOLD else year + BE_OFFSET


def to_ce(value: datetime.date) -> datetime.date:
    """A date or datetime whose year was stored in the Buddhist era, in the Common Era.

    Thai-locale Excel shows B.E., and a value typed as "15/03/2564" in another
    locale is stored with year 2564.
    """
    return value.replace(year=value.year - BE_OFFSET) if value.year >= BE_THRESHOLD else value


# --- parsing -----------------------------------------------------------------


def _month_key(name: str) -> str:
    """Month names compared without dots, spaces or case: "ต.ค." and "ต. ค." are "ตค"."""
    return re.sub(r"[.\s]", "", name.lower())


@functools.cache
def _english_months() -> frozenset[str]:
    return frozenset(
        _month_key(name) for width in ("wide", "abbreviated") for name in get_month_names(width, locale="en").values()
    ) | {"sept"}


@functools.cache
def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for locale in ("th", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                months[_month_key(name)] = number
    months["sept"] = 9
    return months


_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d{1,6}))?)?(?:\s*(?:น\.?|นาฬิกา))?"
_DMY = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:,?\s+(?:เวลา\s*)?" + _TIME + ")?")
_YMD = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]" + _TIME + r"(?:Z|[+-]\d{2}:?\d{2})?)?")
# "15 มีนาคม 2564", "1 ต.ค. 65", and the exports' "01-Apr-23" / "01-เม.ย.-66" (hyphens or slashes around the month).
_D_MONTH_Y = re.compile(
    r"(?:วันที่\s*)?(\d{1,2})[\s\-/]*([^\d\s\-/][^\d]*?)[\s\-/]*(\d{4}|\d{2})(?:,?\s+(?:เวลา\s*)?" + _TIME + ")?"
)
_ERAS = (("พศ", "be"), ("คศ", "ce"))


def parse_date(value: Any) -> datetime.date | datetime.datetime | None:
    """A date (or a datetime, when a time is given) from anything agencies write.

    ISO `2024-03-15`; `15/03/2567` (B.E. or C.E.); `1 ต.ค. 65`; `15 มีนาคม 2564`;
    `7 เมษายน พ.ศ. 2566`; `01-Apr-23` (an English month: C.E., two-digit years
    as Excel reads them); Thai digits; date objects with a B.E. year.  None if
    the value is not a date.
    """
    if isinstance(value, datetime.date):  # datetime is a date too
        return to_ce(value)
    text = str(value).strip().translate(THAI_DIGITS)
    for pattern, builder in ((_DMY, _from_dmy), (_YMD, _from_ymd), (_D_MONTH_Y, _from_d_month_y)):
        match = pattern.fullmatch(text)
        if match is not None:
            parsed = builder(match.groups())
            if parsed is not None:
                return parsed
    return None


# Two-digit Common Era years, as Excel reads them: 00-29 are 20xx, 30-99 are 19xx.
CE_TWO_DIGIT_PIVOT = 30


def _year(year: int, era: str | None = None, two_digits: bool = False) -> int | None:
    if two_digits:  # "1 ต.ค. 65": two-digit years are B.E. 25xx, unless the date is C.E. ("01-Apr-23")
        if era == "ce":
            return year + (2000 if year < CE_TWO_DIGIT_PIVOT else 1900)
        return year + 2500 - BE_OFFSET
    if era == "be" or (era is None and year >= BE_THRESHOLD):
        year -= BE_OFFSET
    elif era == "ce" and year >= BE_THRESHOLD:
        return None
    return year if 1 <= year <= 9999 else None


def _make(year: int | None, month: int, day: int, time: tuple[str | None, ...]) -> datetime.date | None:
    if year is None:
        return None
    hour, minute, second, micro = time
    try:
        if hour is None:
            return datetime.date(year, month, day)
        fraction = int((micro or "0").ljust(6, "0"))
        return datetime.datetime(year, month, day, int(hour), int(minute or 0), int(second or 0), fraction)
    except ValueError:
        return None


def _from_dmy(groups: tuple[str | None, ...]) -> datetime.date | None:
    day, month, year = groups[:3]
    return _make(_year(int(year or 0)), int(month or 0), int(day or 0), groups[3:])


def _from_ymd(groups: tuple[str | None, ...]) -> datetime.date | None:
    year, month, day = groups[:3]
    return _make(_year(int(year or 0)), int(month or 0), int(day or 0), groups[3:])


def _from_d_month_y(groups: tuple[str | None, ...]) -> datetime.date | None:
    day, month_text, year = groups[:3]
    key = _month_key(month_text or "")
    era = None
    for suffix, name in _ERAS:
        if key.endswith(suffix):
            key, era = key[: -len(suffix)], name
    month = _months().get(key)
    if month is None or year is None:
        return None
    if era is None and key in _english_months():  # an English month name: a date written in the Common Era
        era = "ce"
    return _make(_year(int(year), era, two_digits=len(year) == 2), month, int(day or 0), groups[3:])


# --- display -------------------------------------------------------------------


def format_thai_date(value: datetime.date, with_hours: bool = False, with_seconds: bool = False) -> str:
    """`15 มี.ค. 2567`, optionally followed by `14:30` or `14:30:05`."""
    text = f"{format_date(value, 'd MMM', locale='th')} {value.year + BE_OFFSET}"
    if isinstance(value, datetime.datetime) and (with_hours or with_seconds):
        text += " " + format_time(value, "HH:mm:ss" if with_seconds else "HH:mm", locale="th")
    return text
