"""Which of a dataset's stored values belong to its data type.

GD Catalog's forms hide the fields of other data types but its schema keeps
their values, so this catalogue stores them too (schema/rules.py).  Such a
value is not part of what the dataset says: the page (ui/metadata.py), the
DCAT output (dcat/profile.py) and the quality score leave it out, through
`without_foreign_fields`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ckanext.opendata_th.schema import values

__all__ = ["applies", "dataset_schema", "foreign_fields", "without_foreign_fields"]


def dataset_schema() -> Mapping[str, Any]:
    """The scheming schema of the `dataset` type (read once by ckanext-scheming)."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset")
    if not schema:
        raise RuntimeError("the scheming dataset schema is not loaded (is the scheming_datasets plugin on?)")
    return schema


def applies(field: Mapping[str, Any], data_type: str | None) -> bool:
    """Whether the schema field belongs to `data_type` (no `data_types` key, or no type known: it does)."""
    types = field.get("data_types")
    return types is None or data_type is None or data_type in types


def foreign_fields(fields: Iterable[Mapping[str, Any]], data_type: str | None) -> set[str]:
    """The names among `fields` that do not belong to `data_type`."""
    return {field["field_name"] for field in fields if not applies(field, data_type)}


def without_foreign_fields(dataset: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the dataset (and its resources) without the values of other data types' fields."""
    schema = schema if schema is not None else dataset_schema()
    data_type = values.to_code("data_type", dataset.get("data_type"))
    foreign = foreign_fields(schema.get("dataset_fields", []), data_type)
    foreign_resource = foreign_fields(schema.get("resource_fields", []), data_type)
    copy = {key: value for key, value in dataset.items() if key not in foreign}
    if isinstance(dataset.get("resources"), list):
        copy["resources"] = [
            {key: value for key, value in resource.items() if key not in foreign_resource}
            if isinstance(resource, Mapping)
            else resource
            for resource in dataset["resources"]
        ]
    return copy
