"""Parsing of metadata values as agencies write them, independent of CKAN.

The validators use these functions, and so can the GD Catalog importer: a
value from a spreadsheet goes through the same rules as one from the API.
Each parser returns the normalised value or None when the input is not
valid; the caller decides on the error message.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib import thai

__all__ = [
    "bbox_geojson",
    "is_empty",
    "parse_be_year",
    "parse_date",
    "parse_number",
    "split_values",
    "to_code",
    "to_codes",
]

_YEAR = re.compile(r"^(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{4})$")


def is_empty(value: Any) -> bool:
    """True for the values a form or an API client sends for "nothing"."""
    from ckan.lib.navl.dictization_functions import missing

    return value is missing or value is None or value in ("", [], "[]") or value == {}


def _clean(value: Any) -> str:
    """The value as text with Thai digits as ASCII ("" for nothing: str(missing) raises)."""
    return "" if is_empty(value) else str(value).strip().translate(thai.THAI_DIGITS)


def parse_date(value: Any) -> datetime.date | None:
    """A date as agencies write it (ISO, `15/03/2567`, `1 ต.ค. 65`, Thai digits); see lib.thai."""
    if is_empty(value):
        return None
    parsed = thai.parse_date(value)
    return parsed.date() if isinstance(parsed, datetime.datetime) else parsed


def parse_be_year(value: Any, low: int = 2400, high: int | None = None) -> int | None:
    """A Buddhist-era year from `2567`, `พ.ศ. 2567` or a Christian-era `2024`.

    Returns None when it is not a year or outside low..high (B.E.; `high`
    defaults to ten years from now).
    """
    if isinstance(value, bool):
        return None
    match = _YEAR.match(_clean(value))
    if not match:
        return None
    year = thai.to_be_year(int(match.group(1)))
    if high is None:
        high = thai.to_be_year(datetime.date.today().year) + 10
    return year if low <= year <= high else None


def parse_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(_clean(value).replace(",", ""))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None  # no NaN, no inf


def to_code(vocabulary: str, value: Any) -> str | None:
    """The code of `value` (a code, a label, a URI or a GD Catalog value) in `vocabulary`."""
    if is_empty(value):
        return None
    return vocab.get(vocabulary).code_for(_clean(value) if isinstance(value, int | float) else str(value))


def split_values(value: Any) -> list[Any]:
    """The elements of a multiple-choice value: a list, a JSON list or one string."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return loaded
        return [text] if text else []
    return [value]


def to_codes(vocabulary: str, value: Any) -> tuple[list[str], list[str]]:
    """(codes in vocabulary order, unknown values) for a multiple-choice value.

    A string that is not itself a value is split on commas, so
    `"CSV, XLS"` from a spreadsheet cell works.
    """
    terms = vocab.get(vocabulary)
    found: set[str] = set()
    unknown: list[str] = []
    for element in split_values(value):
        if is_empty(element):
            continue
        code = terms.code_for(str(element))
        if code is None and isinstance(element, str) and "," in element:
            parts = [part for part in element.split(",") if part.strip()]
            codes = [terms.code_for(part) for part in parts]
            if all(codes):
                found.update(code for code in codes if code)
                continue
        if code is None:
            unknown.append(str(element))
        else:
            found.add(code)
    return [code for code in terms.codes if code in found], unknown


def bbox_geojson(west: float, south: float, east: float, north: float) -> str:
    """The bounding box as a GeoJSON polygon (the `spatial` extra convention)."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})
