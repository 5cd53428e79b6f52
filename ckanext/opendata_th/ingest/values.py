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

from ckanext.opendata_th.lib import thai
from ckanext.opendata_th.lib.thai import THAI_DIGITS

# Compared after strip() and lower(); these mean "no value" in every column.
# MySQL's zero dates (Air4Thai station exports) say "no date".
ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00", "00/00/0000"})
NULL_MARKERS = frozenset({"", "-", "–", "—", "--", "n/a", "#n/a", "na", "null", "none", "nan"}) | ZERO_DATES

TRUE_WORDS = frozenset({"true", "yes", "ใช่", "จริง"})
FALSE_WORDS = frozenset({"false", "no", "ไม่ใช่", "เท็จ"})

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


_NUMBER = re.compile(r"([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


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
    value = thai.parse_date(ascii_text)
    if value is None:
        return Kind.TEXT, original.strip()
    return (Kind.TIMESTAMP if isinstance(value, datetime.datetime) else Kind.DATE), value


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
        raw = thai.to_ce(raw)
        if raw.time() == datetime.time(0):
            return Kind.DATE, raw.date()
        return Kind.TIMESTAMP, raw.replace(tzinfo=None)
    if isinstance(raw, datetime.date):
        return Kind.DATE, thai.to_ce(raw)
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


def native_text(raw: Any) -> str | None:
    """A workbook or JSON cell as the text `parse_text` reads back as the same kind and value.

    The bulk loader stages every cell as text; typed values are written so
    that they parse to what `_parse_native` makes of them: whole floats
    without ".0", other numbers in plain notation with a fraction (never
    "1e-05", which is text), dates and times in the Common Era as ISO 8601.
    """
    if raw is None or isinstance(raw, str):
        return raw
    kind, value = _parse_native(raw)
    if kind is Kind.NULL:
        return None
    if kind is Kind.BOOL:
        return "true" if value else "false"
    if kind is Kind.NUMERIC:
        text = format(value, "f")
        return text if "." in text else text + ".0"
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        return str(value.isoformat())
    if kind is Kind.TEXT and not isinstance(value, str):
        return str(raw)  # a long code: its digits as written
    return str(value)
