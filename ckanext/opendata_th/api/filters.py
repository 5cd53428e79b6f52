"""Filter values as users type them -> the canonical values of their column's type.

A reader filters a Thai table the way its data officer wrote it: Buddhist-era
dates (`15/03/2564`, `2564-04-01`, `15 มี.ค. 2564`), Thai digits (`๓๗๗๖`),
thousands separators (`1,234`).  Each value is read by the loader's own value
rules (`ingest.values`, which reads dates with `lib.thai`), the rules that
typed the column, never by PostgreSQL; what they cannot read is a clear 400
that names the column and the form expected, before any SQL runs.
"""

from __future__ import annotations

from typing import Any

from ckanext.opendata_th.api.errors import ApiError, Term, bad_request
from ckanext.opendata_th.ingest import values

# Column types whose filter values are read by the value rules; text is compared as written.
_EXPECTED = {
    "int4": "a whole number, such as 1,234 or ๑๒๓๔",
    "int8": "a whole number, such as 1,234 or ๑๒๓๔",
    "numeric": "a number, such as 1,234.5 or ๑๒๓๔.๕",
    "float8": "a number, such as 1,234.5 or ๑๒๓๔.๕",
    "date": "a date, such as 2024-03-15, 15/03/2567 or 15 มี.ค. 2567",
    "timestamp": "a date and time, such as 2024-03-15 08:30 or 15/03/2567 08:30",
    "bool": "true or false",
}
_WHOLE = ("int4", "int8")
_ALIASES = {"int": "int4", "int2": "int4", "integer": "int4", "bigint": "int8", "float4": "float8"}


def check_names(names: list[str], columns: dict[str, str]) -> None:
    """Columns named by `sort` or `fields`: a name the table lacks is a 400 that says so."""
    for name in names:
        if name not in columns:
            raise unknown_column(name)


def typed(filters: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    """`filters` ({column: value | [values] | {op: value}}) with every value in its column's canonical form.

    `columns` maps each column the reader may filter on to its type.
    """
    return {column: _typed_filter(column, condition, columns) for column, condition in filters.items()}


def _typed_filter(column: str, condition: Any, columns: dict[str, str]) -> Any:
    if column not in columns:
        raise unknown_column(column)
    pg_type = _ALIASES.get(columns[column], columns[column])
    if isinstance(condition, dict):
        return {op: _typed_values(column, pg_type, value) for op, value in condition.items()}
    return _typed_values(column, pg_type, condition)


def _typed_values(column: str, pg_type: str, value: Any) -> Any:
    if isinstance(value, list):
        return [_typed_value(column, pg_type, item) for item in value]
    return _typed_value(column, pg_type, value)


def _typed_value(column: str, pg_type: str, value: Any) -> Any:
    if pg_type not in _EXPECTED or not isinstance(value, str):
        return value
    try:
        canonical = values.to_copy(value, pg_type)
    except values.CellError:
        canonical = None
    # The loader stores a fraction in an integer column only by a type override; a filter gets no such leeway.
    if canonical is None or (pg_type in _WHOLE and not canonical.lstrip("-").isdigit()):
        raise bad_value(column, pg_type, value)
    return canonical


def unknown_column(column: str) -> ApiError:
    return bad_request("There is no column %(column)s in this table", column=column)


def bad_value(column: str, pg_type: str, value: str) -> ApiError:
    return bad_request(
        "%(value)s is not a valid value for the column %(column)s: expected %(expected)s",
        value=value[:100],
        column=column,
        expected=Term(_EXPECTED[pg_type]),
    )
