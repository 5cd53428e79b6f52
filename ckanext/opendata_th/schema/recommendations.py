"""A dataset's unmet recommendations: what this catalogue asks for beyond GD Catalog.

GD Catalog 2.1 and 2.2.4 require none of a data type's own fields, so a
record without them is accepted (schema/rules.py).  This catalogue still
wants them: the rules in `recommendations.yaml` say which, and
`unmet_recommendations` lists those a dataset does not meet.  It is the one
place that decides; the dataset page, the edit form, the API action
`opendata_th_dataset_recommendations` and (later) the quality score call it.

The function is pure: it reads the dataset dict it is given (package_show
output, or a form's data) and the schema, and changes nothing.  Values of
fields that do not belong to the dataset's data type count for nothing
(schema/applicable.py).
"""

from __future__ import annotations

import dataclasses
import functools
import pathlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml
from flask_babel import force_locale, gettext

from ckanext.opendata_th.schema import applicable, values
from ckanext.opendata_th.vocab import OTHER

__all__ = ["LANGUAGES", "Rule", "Unmet", "rules", "unmet_recommendations"]

RULES_FILE = pathlib.Path(__file__).with_name("recommendations.yaml")
LANGUAGES = ("th", "en")
_OTHER_SUFFIX = "_other"


@dataclasses.dataclass(frozen=True)
class Rule:
    """One recommendation of recommendations.yaml."""

    code: str
    message: str  # English msgid
    data_types: frozenset[str] | None = None  # None: every data type
    given: tuple[str, ...] = ()
    each_other: bool = False

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Rule:
        given = tuple(entry.get("given") or ())
        each_other = bool(entry.get("each_other"))
        if bool(given) == each_other:
            raise ValueError(f"recommendation {entry.get('code')!r}: give exactly one of `given` and `each_other`")
        types = entry.get("data_types")
        return cls(
            code=str(entry["code"]),
            message=str(entry["message"]),
            data_types=frozenset(types) if types is not None else None,
            given=given,
            each_other=each_other,
        )

    def applies_to(self, data_type: str | None) -> bool:
        # A type-specific rule needs a known type: without one nothing is asked of it.
        return self.data_types is None or (data_type is not None and data_type in self.data_types)


@dataclasses.dataclass(frozen=True)
class Unmet:
    """A recommendation the dataset does not meet.

    `fields` are the schema field names concerned (the empty ones);
    `resource_id` is set when they are fields of one of its resources;
    `message` has the text in Thai and English.
    """

    code: str
    fields: tuple[str, ...]
    message: Mapping[str, str]
    resource_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {"code": self.code, "fields": list(self.fields), "message": dict(self.message)}
        if self.resource_id is not None:
            item["resource_id"] = self.resource_id
        return item


@functools.cache
def rules() -> tuple[Rule, ...]:
    """The rules of recommendations.yaml, in file order (read once)."""
    with RULES_FILE.open(encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    return tuple(Rule.from_entry(entry) for entry in document["recommendations"])


def unmet_recommendations(dataset: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> list[Unmet]:
    """The recommendations `dataset` does not meet, in rule order (empty list: all met).

    `dataset` is a package_show dict or a form's data; `schema` defaults to
    the `dataset` scheming schema.
    """
    schema = schema if schema is not None else applicable.dataset_schema()
    data_type = values.to_code("data_type", dataset.get("data_type"))
    unmet: list[Unmet] = []
    for rule in rules():
        if not rule.applies_to(data_type):
            continue
        if rule.each_other:
            unmet.extend(_undescribed_others(rule, dataset, schema, data_type))
            continue
        empty = tuple(name for name in rule.given if values.is_empty(dataset.get(name)))
        if empty:
            unmet.append(Unmet(rule.code, empty, _messages(rule.message)))
    return unmet


def _undescribed_others(
    rule: Rule, dataset: Mapping[str, Any], schema: Mapping[str, Any], data_type: str | None
) -> Iterator[Unmet]:
    """One item per choice field whose "other" is picked and whose `<field>_other` is empty."""
    dataset_fields = schema.get("dataset_fields", [])
    for field, companion in _others_missing(dataset, dataset_fields, data_type):
        yield Unmet(rule.code, (companion["field_name"],), _messages(rule.message, label=field.get("label")))
    resources = dataset.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, Mapping):
            continue
        for field, companion in _others_missing(resource, schema.get("resource_fields", []), data_type):
            messages = _messages(rule.message, label=field.get("label"))
            yield Unmet(rule.code, (companion["field_name"],), messages, resource_id=resource.get("id"))


def _others_missing(
    data: Mapping[str, Any], fields: Sequence[Mapping[str, Any]], data_type: str | None
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(`<field>`, `<field>_other`) of the data type where "other" is picked and its description is empty."""
    by_name = {field["field_name"]: field for field in fields}
    for field in fields:
        companion = by_name.get(f"{field['field_name']}{_OTHER_SUFFIX}")
        vocabulary = field.get("vocabulary")
        if not vocabulary or companion is None or not applicable.applies(field, data_type):
            continue
        codes, _unknown = values.to_codes(vocabulary, data.get(field["field_name"]))
        if OTHER in codes and values.is_empty(data.get(companion["field_name"])):
            yield field, companion


def _messages(msgid: str, label: Any = None) -> dict[str, str]:
    """The message in each of LANGUAGES; `label` (a schema label) fills %(field)s in its own language."""
    return {lang: _translated(msgid, lang, _label_in(label, lang)) for lang in LANGUAGES}


def _label_in(label: Any, lang: str) -> str | None:
    if label is None:
        return None
    if isinstance(label, Mapping):
        return str(label.get(lang) or label.get("en") or next(iter(label.values()), ""))
    return str(label)


def _translated(msgid: str, lang: str, field_label: str | None) -> str:
    text = msgid
    if lang != "en":
        try:
            with force_locale(lang):
                text = gettext(msgid)
        except RuntimeError:  # no Flask application context: English only
            text = msgid
    return text % {"field": field_label} if field_label is not None else text
