"""Validators for the catalogue's schemas, registered with IValidators.

The `opendata_th_*` validators implement the GD Catalog metadata standard
(see schema/dataset.yaml): choice fields backed by vocabularies, dates and
Buddhist-era years, coordinates, and `opendata_th_type_rules`, the one
schema-level validator that applies the per-data-type rules declared in the
schema (schema/rules.py).  Validators marked `_scheming` receive their field
and schema from ckanext-scheming when the schema is loaded.  Every message
is bilingual (Thai / English).

Names that match CKAN core validators replace them site-wide: CKAN's
`tag_name_validator` accepts only `\\w` characters, and Python's `\\w` does
not include the Thai vowel and tone marks (Unicode category Mn), so core
CKAN rejects ordinary Thai tags such as "ผู้สูงอายุ".
"""

from __future__ import annotations

import datetime
import itertools
import json
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib import thai
from ckanext.opendata_th.lib.i18n import bilingual
from ckanext.opendata_th.schema import values
from ckanext.opendata_th.schema.rules import MISSING, TypeRules

__all__ = [
    "opendata_th_be_year",
    "opendata_th_choice",
    "opendata_th_date",
    "opendata_th_latitude",
    "opendata_th_longitude",
    "opendata_th_multiple_choice",
    "opendata_th_positive_int",
    "opendata_th_required",
    "opendata_th_type_rules",
    "tag_name_validator",
    "tag_string_convert",
]

Field = Mapping[str, Any]
Schema = Mapping[str, Any]
FlatValidator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]

SELECT_ONE = "Select at least one value"
UNKNOWN_CHOICE = 'Unknown value "%(value)s"; expected one of: %(choices)s'
NOT_A_DATE = "Not a date: use YYYY-MM-DD or DD/MM/YYYY (Buddhist or Christian era)"
NOT_A_YEAR = "Not a year: use a Buddhist-era year between %(low)s and %(high)s, such as 2567"
NOT_A_NUMBER = "Not a number"
LONGITUDE_RANGE = "Longitude must be a number between -180 and 180"
LATITUDE_RANGE = "Latitude must be a number between -90 and 90"
NOT_POSITIVE = "Must be a whole number greater than zero"

_TAG_PUNCTUATION = frozenset(" -_.")
# Letters, combining marks (Thai vowels and tone marks) and digits (incl. ๐-๙).
_TAG_CATEGORIES = ("L", "M", "N")


def _is_tag_character(char: str) -> bool:
    return char in _TAG_PUNCTUATION or unicodedata.category(char).startswith(_TAG_CATEGORIES)


def tag_name_validator(value: Any, context: Context) -> Any:
    """Allow letters and marks of any script, digits, spaces, `-`, `_` and `.`."""
    if not all(_is_tag_character(char) for char in value):
        raise tk.Invalid(
            tk._(
                'Tag "%s" can only contain letters, digits, spaces (" "), '
                'hyphens ("-"), underscores ("_") or dots (".")'
            )
            % value
        )
    return value


def tag_string_convert(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> Any:
    """Split a comma-separated tag string into `tags`, validating each tag.

    Same contract as CKAN's `tag_string_convert`, but with the Thai-aware
    name validator above (core's calls its own validator directly).
    """
    value = data[key]
    tags = [tag.strip() for tag in value.split(",") if tag.strip()] if isinstance(value, str) else value
    last_index = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1])
    for index, tag in zip(itertools.count(last_index + 1), tags):
        data[("tags", index, "name")] = tag
    length_validator = tk.get_validator("tag_length_validator")
    for tag in tags:
        length_validator(tag, context)
        tag_name_validator(tag, context)


def _scheming(factory: Callable[[Field, Schema], Any]) -> Callable[[Field, Schema], Any]:
    """Mark a validator factory the way ckanext-scheming recognises it."""
    factory.is_a_scheming_validator = True  # type: ignore[attr-defined]
    return factory


def _stop_if_empty(key: FlattenKey, data: FlattenDataDict) -> None:
    """Like ignore_missing, and an empty string or list counts as missing too."""
    if values.is_empty(data.get(key, missing)):
        data.pop(key, None)
        raise StopOnError


@_scheming
def opendata_th_required(field: Field, schema: Schema) -> FlatValidator:
    """`required: true` without `data_types`: not empty; otherwise skip an empty value.

    A field with `data_types` is never required: what this catalogue asks
    for beyond GD Catalog is a recommendation (schema/recommendations.py).
    """
    always = bool(field.get("required")) and not field.get("data_types")

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        if always and values.is_empty(data.get(key, missing)):
            errors[key].append(bilingual(MISSING))
            raise StopOnError
        _stop_if_empty(key, data)

    return validator


def _codes(vocabulary: str) -> list[str]:
    return vocab.get(vocabulary).codes


def _unknown_choice(vocabulary: str, value: Any) -> str:
    return bilingual(UNKNOWN_CHOICE, value=value, choices=", ".join(_codes(vocabulary)))


@_scheming
def opendata_th_choice(field: Field, schema: Schema) -> Callable[[Any, Context], Any]:
    """One choice of the field's `vocabulary`: a code, a Thai or English label,
    a URI or a GD Catalog value; stores the code."""
    vocabulary = field["vocabulary"]

    def validator(value: Any, context: Context) -> Any:
        if values.is_empty(value):
            return value
        code = values.to_code(vocabulary, value)
        if code is None:
            raise tk.Invalid(_unknown_choice(vocabulary, value))
        return code

    return validator


@_scheming
def opendata_th_multiple_choice(field: Field, schema: Schema) -> FlatValidator:
    """Choices of the field's `vocabulary` as a list, a JSON list or a
    comma-separated string; stores a JSON list of codes in vocabulary order."""
    vocabulary = field["vocabulary"]
    required = bool(field.get("required")) and not field.get("data_types")

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key, missing)
        codes, unknown = values.to_codes(vocabulary, [] if value is missing else value)
        for element in unknown:
            errors[key].append(_unknown_choice(vocabulary, element))
        if unknown:
            raise StopOnError
        if required and not codes:
            errors[key].append(bilingual(SELECT_ONE))
            raise StopOnError
        data[key] = json.dumps(codes)

    return validator


def opendata_th_date(value: Any, context: Context) -> Any:
    """An ISO date, or a Thai date such as 15/03/2567 (B.E.); stored as ISO `YYYY-MM-DD` (C.E.)."""
    if values.is_empty(value):
        return value
    date = values.parse_date(value)
    if date is None:
        raise tk.Invalid(bilingual(NOT_A_DATE))
    return date.isoformat()


def opendata_th_be_year(value: Any, context: Context) -> Any:
    """A Buddhist-era year (a Christian-era year is converted); stored as `2567`."""
    if values.is_empty(value):
        return value
    year = values.parse_be_year(value)
    if year is None:
        high = thai.to_be_year(datetime.date.today().year) + 10  # parse_be_year's default bound
        raise tk.Invalid(bilingual(NOT_A_YEAR, low=2400, high=high))
    return str(year)


def _coordinate(limit: float, message: str) -> Callable[[Any, Context], Any]:
    def validator(value: Any, context: Context) -> Any:
        if values.is_empty(value):
            return value
        number = values.parse_number(value)
        if number is None or abs(number) > limit:
            raise tk.Invalid(bilingual(message))
        return str(number)

    return validator


opendata_th_longitude = _coordinate(180.0, LONGITUDE_RANGE)
opendata_th_latitude = _coordinate(90.0, LATITUDE_RANGE)


def opendata_th_positive_int(value: Any, context: Context) -> Any:
    if values.is_empty(value):
        return value
    number = values.parse_number(value)
    if number is None or number <= 0 or number != int(number):
        raise tk.Invalid(bilingual(NOT_POSITIVE))
    return str(int(number))


@_scheming
def opendata_th_type_rules(field: Field | None, schema: Schema) -> FlatValidator:
    """Schema-level (`before_validators`): the per-data-type rules of schema/rules.py."""
    rules = TypeRules.from_schema(schema)

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        rules.check(data, errors)

    return validator
