"""Validators of the HVD fields (VALIDATOR_MODULES), named in schema/dataset.yaml.

- `opendata_th_hvd_category`: categories of the merged EU + national list
  (hvd/categories.py), given as codes, labels or URIs; stores a JSON list
  of codes.
- `opendata_th_hvd_legislation`: one or more http(s) URIs; stores a JSON list.
- `opendata_th_hvd_flag_guard`: a change to an HVD field needs the
  `opendata_th_hvd_flag` permission; an unchanged value (an agency editor
  updating a flagged dataset's other fields) passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.opendata_th import vocab
from ckanext.opendata_th.hvd import categories, flags
from ckanext.opendata_th.lib.i18n import bilingual

__all__ = ["opendata_th_hvd_category", "opendata_th_hvd_flag_guard", "opendata_th_hvd_legislation"]

FlatValidator = Callable[[FlattenKey, FlattenDataDict, FlattenErrorDict, Context], None]
Field = dict[str, Any]
Schema = dict[str, Any]


def _scheming(factory: Callable[[Field, Schema], Any]) -> Callable[[Field, Schema], Any]:
    """Mark a validator factory the way ckanext-scheming recognises it."""
    factory.is_a_scheming_validator = True  # type: ignore[attr-defined]
    return factory


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or value in ("", [], "[]")


@_scheming
def opendata_th_hvd_category(field: Field, schema: Schema) -> FlatValidator:
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key, missing)
        if _is_empty(value):
            data[key] = "[]"
            return
        given = flags.as_list(value)
        if len(given) == 1 and "," in given[0]:  # "Statistics, Mobility" from a spreadsheet cell
            given = [part.strip() for part in given[0].split(",") if part.strip()]
        unknown = [item for item in given if categories.code_for(item) is None]
        if unknown:
            codes = ", ".join(category.code for category in categories.all_categories())
            errors[key].append(
                bilingual("Unknown HVD category: %(value)s. Choose from: %(codes)s", value=unknown[0], codes=codes)
            )
            raise StopOnError
        chosen = {categories.code_for(item) for item in given}
        data[key] = json.dumps([c.code for c in categories.all_categories() if c.code in chosen])

    return validator


def _is_uri(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and not any(c.isspace() for c in value)


@_scheming
def opendata_th_hvd_legislation(field: Field, schema: Schema) -> FlatValidator:
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key, missing)
        if _is_empty(value):
            data[key] = "[]"
            return
        given = [part for item in flags.as_list(value) for part in item.replace(",", " ").split()]
        bad = [item for item in given if not _is_uri(item)]
        if bad:
            errors[key].append(bilingual("Legislation must be given as http(s) URIs (ELI): %(value)s", value=bad[0]))
            raise StopOnError
        data[key] = json.dumps(list(dict.fromkeys(given)))

    return validator


def _normalised(name: str, value: Any) -> Any:
    """A field's value in a form that compares equal however it was spelt."""
    if name == flags.FLAG:  # raw input: a code, a label or a GD Catalog value
        return not _is_empty(value) and vocab.get("yes_no").code_for(str(value)) == "true"
    if name == flags.CATEGORY:
        return sorted({categories.code_for(item) or item for item in flags.as_list(value)})
    return sorted(flags.as_list(value))


def _stored(name: str, context: Context) -> Any:
    package = context.get("package")
    extras = getattr(package, "extras", None) or {}
    return extras.get(name)


@_scheming
def opendata_th_hvd_flag_guard(field: Field, schema: Schema) -> FlatValidator:
    name = field["field_name"]

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key, missing)
        if context.get("ignore_auth") or _normalised(name, value) == _normalised(name, _stored(name, context)):
            return
        owner_org = data.get(("owner_org",))
        try:
            tk.check_access(
                "opendata_th_hvd_flag",
                {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
                {"owner_org": owner_org if owner_org is not missing else None},
            )
        except tk.NotAuthorized as error:
            errors[key].append(str(error) or bilingual("Not authorised to mark datasets as high-value"))
            raise StopOnError from None

    return validator
