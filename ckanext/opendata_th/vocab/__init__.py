"""Controlled vocabularies: one data file per choice list.

Each `<name>.yaml` in this folder holds the codes of one list with Thai and
English labels, an optional URI, the GD Catalog display values that map to
the code, and any attributes the list needs (see README.md here).  Every part
of the extension (schemas, forms, validators, importer, exporter, DCAT,
search facets) reads the lists through this module; no list is written
anywhere else.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import unicodedata
from collections.abc import Iterator
from typing import Any

import yaml

__all__ = ["Term", "Vocabulary", "get", "names"]

OTHER = "other"  # the code of every list's "อื่นๆ" (other) choice, where it has one


def _normalise(value: str) -> str:
    """Compare values ignoring case, surrounding space and Unicode form."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


@dataclasses.dataclass(frozen=True)
class Term:
    code: str
    label: dict[str, str]
    uri: str | None = None
    gdc: tuple[str, ...] = ()  # GD Catalog display values (first is the one it writes)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def label_for(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.code

    @property
    def gdc_value(self) -> str:
        """The value GD Catalog stores for this code (its Thai display string)."""
        return self.gdc[0] if self.gdc else self.label["th"]


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    name: str
    label: dict[str, str]
    terms: tuple[Term, ...]
    uri: str | None = None

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @functools.cached_property
    def _by_code(self) -> dict[str, Term]:
        return {term.code: term for term in self.terms}

    @functools.cached_property
    def _by_alias(self) -> dict[str, str]:
        """Every accepted spelling of a term (code, labels, URI, GD Catalog values) -> code."""
        aliases: dict[str, str] = {}
        for term in self.terms:
            for alias in (term.code, term.uri, *term.label.values(), *term.gdc):
                if alias:
                    aliases.setdefault(_normalise(alias), term.code)
        return aliases

    @property
    def codes(self) -> list[str]:
        return [term.code for term in self.terms]

    def term(self, code: str) -> Term:
        return self._by_code[code]

    def code_for(self, value: str) -> str | None:
        """The code for a code, label, URI or GD Catalog value; None if unknown."""
        return self._by_alias.get(_normalise(str(value)))

    def label_of(self, code: str, lang: str) -> str:
        term = self._by_code.get(code)
        return term.label_for(lang) if term else code

    def choices(self) -> list[dict[str, Any]]:
        """Choices in ckanext-scheming's format, labels in every language."""
        return [{"value": term.code, "label": dict(term.label)} for term in self.terms]


def _term(raw: dict[str, Any]) -> Term:
    known = {"code", "label", "uri", "gdc"}
    gdc = raw.get("gdc", ())
    return Term(
        code=str(raw["code"]),
        label=dict(raw["label"]),
        uri=raw.get("uri"),
        gdc=tuple([gdc] if isinstance(gdc, str) else gdc),
        extra={key: value for key, value in raw.items() if key not in known},
    )


@functools.cache
def get(name: str) -> Vocabulary:
    """The vocabulary `name`, read once from `vocab/<name>.yaml`."""
    resource = importlib.resources.files(__name__) / f"{name}.yaml"
    raw = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return Vocabulary(
        name=name,
        label=dict(raw["label"]),
        uri=raw.get("uri"),
        terms=tuple(_term(term) for term in raw["terms"]),
    )


def names() -> list[str]:
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in importlib.resources.files(__name__).iterdir()
        if entry.name.endswith(".yaml")
    )
