"""Rules that span fields, read from keys in the schema YAML.

The schema declares them; nothing here names a field:

- `data_types: [record, multiple, other]` - the field belongs only to those
  data types.  GD Catalog keeps a value given for another type (its forms
  hide the field, its schema stores it), so it is validated and stored
  like any other value; the page, DCAT output and quality report leave it
  out (`schema/applicable.py`).  Resource fields follow their dataset's
  data_type.
- a field with a `vocabulary` whose choice `other` is picked should have its
  `<field>_other` companion: a recommendation for datasets
  (`schema/recommendations.py`: GD Catalog requires none), required for
  agencies (organization schema); when `other` is not picked the companion
  is dropped.
- `year_range: first` / `year_range: last` - first year <= last year.
- `bbox: west|east|south|north` on four coordinate fields and
  `bbox: geojson` on the field that receives the GeoJSON polygon, computed
  when all four are given (fewer is a recommendation, not an error).

What this catalogue asks for beyond GD Catalog's required fields is never
an error here: it is listed by `schema/recommendations.py`.

`check()` runs once per validation, before the field validators, on the
raw (flattened) input, so a dropped field never reaches the extras.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from ckan.lib.navl.dictization_functions import missing
from ckan.types import FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.opendata_th.lib.i18n import bilingual
from ckanext.opendata_th.schema import values
from ckanext.opendata_th.vocab import OTHER

__all__ = ["FieldRule", "TypeRules"]

# English msgids; bilingual() adds the Thai from i18n/th/.../parts/schema.po.
MISSING = "Missing value"
OTHER_REQUIRED = 'Describe the other value: required when "Other" is chosen'
YEARS_REVERSED = "The first year (%(first)s) is after the last year (%(last)s)"
WEST_EAST = "The west bound (%(west)s) must not be east of the east bound (%(east)s)"
SOUTH_NORTH = "The south bound (%(south)s) must not be north of the north bound (%(north)s)"
TAGS_REQUIRED = "Add at least one tag"

_BBOX_SIDES = ("west", "east", "south", "north")
_BBOX_RANGE = {"west": 180.0, "east": 180.0, "south": 90.0, "north": 90.0}


@dataclasses.dataclass(frozen=True)
class FieldRule:
    name: str
    data_types: frozenset[str] | None = None  # None: every data type
    required: bool = False
    vocabulary: str | None = None
    year_range: str | None = None
    bbox: str | None = None

    @classmethod
    def from_field(cls, field: Mapping[str, Any]) -> FieldRule:
        types = field.get("data_types")
        return cls(
            name=field["field_name"],
            data_types=frozenset(types) if types is not None else None,
            required=bool(field.get("required")),
            vocabulary=field.get("vocabulary"),
            year_range=field.get("year_range"),
            bbox=field.get("bbox"),
        )

    def applies_to(self, data_type: str | None) -> bool:
        return self.data_types is None or data_type is None or data_type in self.data_types


@dataclasses.dataclass(frozen=True)
class _Group:
    """The fields of the dataset or of its resources, and where they sit in the data."""

    rules: tuple[FieldRule, ...]
    # Agencies are this catalogue's own records, not GD Catalog's: their "other" needs its text.
    other_required: bool = False

    def by_name(self) -> dict[str, FieldRule]:
        return {rule.name: rule for rule in self.rules}

    def check(self, prefix: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, data_type: str | None) -> None:
        check = _Check(prefix, data, errors, data_type)
        named = self.by_name()
        for rule in self.rules:
            companion = named.get(f"{rule.name}_other")
            if rule.vocabulary and companion and rule.applies_to(data_type):
                check.other_companion(rule, companion, required=self.other_required)
        check.year_range([rule for rule in self.rules if rule.year_range])
        check.bbox([rule for rule in self.rules if rule.bbox])


@dataclasses.dataclass
class _Check:
    prefix: FlattenKey
    data: FlattenDataDict
    errors: FlattenErrorDict
    data_type: str | None

    def key(self, name: str) -> FlattenKey:
        return (*self.prefix, name)

    def value(self, name: str) -> Any:
        return self.data.get(self.key(name), missing)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(self.key(name), []).append(message)

    def other_companion(self, rule: FieldRule, companion: FieldRule, required: bool) -> None:
        """Drop the description of an "other" not chosen; a missing one is an error only if `required`.

        Agencies require it; for datasets it is a recommendation (schema/recommendations.py).
        """
        assert rule.vocabulary
        codes, _unknown = values.to_codes(rule.vocabulary, self.value(rule.name))
        if OTHER in codes:
            if required and values.is_empty(self.value(companion.name)):
                self.error(companion.name, bilingual(OTHER_REQUIRED))
        elif not values.is_empty(self.value(companion.name)):
            self.data[self.key(companion.name)] = missing

    def year_range(self, rules: Iterable[FieldRule]) -> None:
        years = {rule.year_range: (rule, values.parse_be_year(self.value(rule.name))) for rule in rules}
        if {"first", "last"} <= years.keys():
            (first_rule, first), (last_rule, last) = years["first"], years["last"]
            applies = first_rule.applies_to(self.data_type) and last_rule.applies_to(self.data_type)
            if applies and first and last and first > last:
                self.error(last_rule.name, bilingual(YEARS_REVERSED, first=first, last=last))

    def bbox(self, rules: Iterable[FieldRule]) -> None:
        sides = {rule.bbox: rule for rule in rules if rule.bbox in _BBOX_SIDES}
        target = next((rule for rule in rules if rule.bbox == "geojson"), None)
        if len(sides) != len(_BBOX_SIDES) or not all(rule.applies_to(self.data_type) for rule in sides.values()):
            return
        given = {side: self.value(rule.name) for side, rule in sides.items()}
        if all(values.is_empty(value) for value in given.values()):
            return
        if any(values.is_empty(value) for value in given.values()):
            # Fewer than four: a recommendation; a polygon from an older, complete box would be wrong.
            if target is not None:
                self.data[self.key(target.name)] = missing
            return
        numbers = {side: values.parse_number(value) for side, value in given.items()}
        if not all(n is not None and abs(n) <= _BBOX_RANGE[side] for side, n in numbers.items()):
            return  # each field's own validator reports what is wrong with it
        west, east, south, north = (float(numbers[side] or 0.0) for side in _BBOX_SIDES)
        ok = True
        if west > east:
            self.error(sides["east"].name, bilingual(WEST_EAST, west=west, east=east))
            ok = False
        if south > north:
            self.error(sides["north"].name, bilingual(SOUTH_NORTH, south=south, north=north))
            ok = False
        if ok and target is not None:
            self.data[self.key(target.name)] = values.bbox_geojson(west, south, east, north)


@dataclasses.dataclass(frozen=True)
class TypeRules:
    dataset: _Group
    resource: _Group
    tags_required: bool = False

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> TypeRules:
        # `fields` in group and organization schemas
        dataset_fields = schema.get("dataset_fields") or schema.get("fields") or []
        return cls(
            dataset=_Group(
                tuple(FieldRule.from_field(field) for field in dataset_fields),
                other_required="dataset_fields" not in schema,
            ),
            resource=_Group(tuple(FieldRule.from_field(field) for field in schema.get("resource_fields", []))),
            # Tags arrive as `tags` (API) or `tag_string` (form), so "required"
            # on tag_string means "at least one tag either way".
            tags_required=any(f["field_name"] == "tag_string" and f.get("required") for f in dataset_fields),
        )

    def check(self, data: FlattenDataDict, errors: FlattenErrorDict) -> None:
        data_type = values.to_code("data_type", data.get(("data_type",), missing))
        self.dataset.check((), data, errors, data_type)
        for index in sorted({key[1] for key in data if len(key) == 3 and key[0] == "resources"}):
            self.resource.check(("resources", index), data, errors, data_type)
        if self.tags_required and not self._has_tags(data):
            errors.setdefault(("tag_string",), []).append(bilingual(TAGS_REQUIRED))

    @staticmethod
    def _has_tags(data: FlattenDataDict) -> bool:
        if not values.is_empty(data.get(("tag_string",), missing)):
            return True
        return any(
            len(key) == 3 and key[0] == "tags" and key[2] == "name" and not values.is_empty(value)
            for key, value in data.items()
        )
