"""One cell -> a typed value, the way Thai government spreadsheets write them.

`parse()` says what a cell is (its `Kind`) and its value; `to_copy()` turns
a cell into the text PostgreSQL's COPY reads for the column's final type.
Both are pure and fast on the common case (plain text is recognised after
one character test), because they run twice on every cell of a file.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import math
import re
from typing import Any

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Compared after strip() and lower(); these mean "no value" in every column.
NULL_MARKERS = frozenset({"", "-", "–", "—", "--", "n/a", "#n/a", "na", "null", "none", "nan"})

TRUE_WORDS = frozenset({"true", "yes", "ใช่", "จริง"})
FALSE_WORDS = frozenset({"false", "no", "ไม่ใช่", "เท็จ"})

# Buddhist-era years are the Common Era year + 543.  A four-digit year from
# 2400 on can only be B.E. in a government table (CE 2400 is far future).
BE_OFFSET = 543
BE_THRESHOLD = 2400

INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1
# Digit strings this long are identifiers (13-digit citizen and company
# numbers), not quantities, even without a leading zero.
CODE_MIN_DIGITS = 13


class Kind(enum.IntEnum):
    NULL = 0
    BOOL = 1
    INT = 2
    NUMERIC = 3
    DATE = 4
    TIMESTAMP = 5
    TEXT = 6


_THAI_MONTHS = {
    1: ("มกราคม", ("ม", "ค")),
    2: ("กุมภาพันธ์", ("ก", "พ")),
    3: ("มีนาคม", ("มี", "ค")),
    4: ("เมษายน", ("เม", "ย")),
    5: ("พฤษภาคม", ("พ", "ค")),
    6: ("มิถุนายน", ("มิ", "ย")),
    7: ("กรกฎาคม", ("ก", "ค")),
    8: ("สิงหาคม", ("ส", "ค")),
    9: ("กันยายน", ("ก", "ย")),
    10: ("ตุลาคม", ("ต", "ค")),
    11: ("พฤศจิกายน", ("พ", "ย")),
    12: ("ธันวาคม", ("ธ", "ค")),
}
# Month names with dots and spaces removed: "ต.ค." and "ต. ค." become "ตค".
MONTHS: dict[str, int] = {}
for _number, (_full, _abbr) in _THAI_MONTHS.items():
    MONTHS[_full] = _number
    MONTHS["".join(_abbr)] = _number
_ENGLISH_MONTHS = "january february march april may june july august september october november december"
for _number, _name in enumerate(_ENGLISH_MONTHS.split(), start=1):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9

_NUMBER = re.compile(r"([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d{1,6}))?)?(?:\s*(?:น\.?|นาฬิกา))?"
_DMY = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:,?\s+(?:เวลา\s*)?" + _TIME + ")?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]" + _TIME + r"(?:Z|[+-]\d{2}:?\d{2})?)?")
_D_MONTH_Y = re.compile(r"(?:วันที่\s*)?(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d{4}|\d{2})(?:,?\s+(?:เวลา\s*)?" + _TIME + ")?")
_ERA_BE = ("พศ",)
_ERA_CE = ("คศ",)


def parse(raw: Any) -> tuple[Kind, Any]:
    """(kind, value) of one cell: a str from a text file or a native value from a workbook."""
    if raw is None:
        return Kind.NULL, None
    if isinstance(raw, str):
        return parse_text(raw)
    return _parse_native(raw)


# Government tables repeat their values (provinces, dates, codes): each
# distinct text is parsed once.  Results are immutable (int, Decimal, date).
@functools.lru_cache(maxsize=1 << 16)
def parse_text(raw: str) -> tuple[Kind, Any]:
    text = raw.strip()
    if text.lower() in NULL_MARKERS:
        return Kind.NULL, None
    first = text[0]
    # Every number and date starts with a digit, a sign or a bracket; most
    # text does not, so it is recognised here without a regular expression.
    if not (first.isdigit() or first in "+-−(.") and not ("๐" <= first <= "๙"):
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return Kind.BOOL, True
        if lowered in FALSE_WORDS:
            return Kind.BOOL, False
        if first == "ว" and text.startswith("วันที่"):
            return _parse_date(text.translate(THAI_DIGITS), text)
        return Kind.TEXT, text
    ascii_text = text.translate(THAI_DIGITS)
    number = _parse_number(ascii_text)
    if number is not None:
        return number
    return _parse_date(ascii_text, text)


def _parse_number(text: str) -> tuple[Kind, Any] | None:
    negative = False
    if text.startswith("(") and text.endswith(")"):  # accounting negative: (1,234.50)
        text = text[1:-1].strip()
        negative = True
    if text.endswith("%"):
        text = text[:-1].rstrip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    if negative and sign:
        return None
    negative = negative or sign in ("-", "−")
    if "," not in whole and fraction is None and _is_code(whole):
        return Kind.TEXT, None  # value filled in by the caller: the original text
    digits = whole.replace(",", "")
    if fraction is None:
        value = int(digits)
        return Kind.INT, -value if negative else value
    return Kind.NUMERIC, decimal.Decimal(f"{'-' if negative else ''}{digits}.{fraction}")


def _is_code(digits: str) -> bool:
    """Leading zeros (postal, province codes) or identifier length: keep as text."""
    return (len(digits) > 1 and digits[0] == "0") or len(digits) >= CODE_MIN_DIGITS


def _parse_date(ascii_text: str, original: str) -> tuple[Kind, Any]:
    for pattern, builder in ((_DMY, _from_dmy), (_YMD, _from_ymd), (_D_MONTH_Y, _from_d_month_y)):
        match = pattern.fullmatch(ascii_text)
        if match is not None:
            parsed = builder(match.groups())
            if parsed is not None:
                return parsed
    return Kind.TEXT, original.strip()


def _year(year: int, era: str | None = None, two_digits: bool = False) -> int | None:
    if two_digits:  # "1 ต.ค. 65": two-digit years in Thai dates are B.E. 25xx
        year += 2500 if era != "ce" else 2000
        return year - BE_OFFSET if era != "ce" else year
    if era == "be" or (era is None and year >= BE_THRESHOLD):
        year -= BE_OFFSET
    elif era == "ce" and year >= BE_THRESHOLD:
        return None
    return year if 1 <= year <= 9999 else None


def _with_time(date: datetime.date, parts: tuple[str | None, ...]) -> tuple[Kind, Any] | None:
    hour, minute, second, micro = parts
    if hour is None:
        return Kind.DATE, date
    try:
        moment = datetime.datetime(
            date.year,
            date.month,
            date.day,
            int(hour),
            int(minute or 0),
            int(second or 0),
            int((micro or "0").ljust(6, "0")),
        )
    except ValueError:
        return None
    return Kind.TIMESTAMP, moment


def _make_date(year: int | None, month: int, day: int) -> datetime.date | None:
    if year is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _from_dmy(groups: tuple[str | None, ...]) -> tuple[Kind, Any] | None:
    day, month, year = groups[:3]
    date = _make_date(_year(int(year or 0)), int(month or 0), int(day or 0))
    return None if date is None else _with_time(date, groups[3:])


def _from_ymd(groups: tuple[str | None, ...]) -> tuple[Kind, Any] | None:
    year, month, day = groups[:3]
    date = _make_date(_year(int(year or 0)), int(month or 0), int(day or 0))
    return None if date is None else _with_time(date, groups[3:])


def _from_d_month_y(groups: tuple[str | None, ...]) -> tuple[Kind, Any] | None:
    day, month_text, year = groups[:3]
    key = re.sub(r"[.\s]", "", (month_text or "").lower())
    era = None
    for suffix, name in [(s, "be") for s in _ERA_BE] + [(s, "ce") for s in _ERA_CE]:
        if key.endswith(suffix):
            key, era = key[: -len(suffix)], name
    month = MONTHS.get(key)
    if month is None or year is None:
        return None
    date = _make_date(_year(int(year), era, two_digits=len(year) == 2), month, int(day or 0))
    return None if date is None else _with_time(date, groups[3:])


def _parse_native(raw: Any) -> tuple[Kind, Any]:
    """Values a workbook reader already typed."""
    if isinstance(raw, bool):
        return Kind.BOOL, raw
    if isinstance(raw, int):
        return (Kind.TEXT, str(raw)) if len(str(abs(raw))) >= CODE_MIN_DIGITS else (Kind.INT, raw)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return Kind.NULL, None
        if raw.is_integer() and abs(raw) < 2**53:
            return _parse_native(int(raw))
        return Kind.NUMERIC, decimal.Decimal(repr(raw))
    if isinstance(raw, datetime.datetime):
        # Thai-locale Excel shows B.E. but a value typed as "15/03/2564" in
        # another locale is stored with year 2564: bring it back to CE.
        if raw.year >= BE_THRESHOLD:
            raw = raw.replace(year=raw.year - BE_OFFSET)
        if raw.time() == datetime.time(0):
            return Kind.DATE, raw.date()
        return Kind.TIMESTAMP, raw.replace(tzinfo=None)
    if isinstance(raw, datetime.date):
        if raw.year >= BE_THRESHOLD:
            raw = raw.replace(year=raw.year - BE_OFFSET)
        return Kind.DATE, raw
    if isinstance(raw, decimal.Decimal):
        return Kind.NUMERIC, raw
    return parse_text(str(raw))


def parse_cell(raw: Any) -> tuple[Kind, Any]:
    """`parse`, with the original text as the value of TEXT cells."""
    kind, value = parse(raw)
    if kind is Kind.TEXT and value is None:
        value = raw.strip() if isinstance(raw, str) else str(raw)
    return kind, value


def as_text(raw: Any) -> str:
    """A cell as text, for text columns: native numbers without a trailing .0."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime | datetime.date):
        return parse_cell(raw)[1].isoformat()
    return str(raw)


class CellError(ValueError):
    """A cell that cannot be stored in its column's type (a type override)."""


def to_copy(raw: Any, pg_type: str) -> str | None:
    """The COPY text of a cell for a column of `pg_type`; None for NULL."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return _text_to_copy(raw, pg_type)
    return _to_copy(raw, pg_type)


@functools.lru_cache(maxsize=1 << 16)
def _text_to_copy(raw: str, pg_type: str) -> str | None:
    return _to_copy(raw, pg_type)


def _to_copy(raw: Any, pg_type: str) -> str | None:
    if pg_type == "text":
        if isinstance(raw, str):
            text = raw.strip()
            return None if text.lower() in NULL_MARKERS else text
        return as_text(raw)
    kind, value = parse(raw)
    if kind is Kind.NULL:
        return None
    if pg_type in ("int4", "int8", "numeric", "float8"):
        if kind in (Kind.INT, Kind.NUMERIC):
            return str(value)
        if kind is Kind.TEXT and value is None and pg_type == "numeric":
            return raw.translate(THAI_DIGITS).strip() if isinstance(raw, str) else str(raw)  # a long code
    elif pg_type in ("date", "timestamp"):
        if kind in (Kind.DATE, Kind.TIMESTAMP):
            return str(value.isoformat())
    elif pg_type == "bool" and kind is Kind.BOOL:
        return "t" if value else "f"
    raise CellError(raw)
