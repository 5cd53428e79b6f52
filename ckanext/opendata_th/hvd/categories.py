"""HVD categories: the EU list from vocab/hvd_category.yaml plus a site's own.

A site adds national categories in a YAML file named by
`ckanext.opendata_th.hvd.national_categories` (a path, or
`package.module:file`), written like a vocabulary file:

    terms:
      - code: th_agriculture
        label: {th: ข้อมูลเกษตร, en: Agriculture}
        uri: https://data.example.go.th/hvd/agriculture   # optional
        eu: statistics                                     # optional: an EU category code

The national terms are appended to the EU ones (an EU code cannot be
redefined) so that every part of the extension sees one list.  DCAT output
uses only EU concepts as `dcatap:hvdCategory`: a national category is
published through its `eu` mapping, and as a concept of the site's own
scheme (see dcat/profile.py).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import pathlib
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.opendata_th import vocab

VOCABULARY = "hvd_category"
NATIONAL_CONFIG = "ckanext.opendata_th.hvd.national_categories"


@dataclasses.dataclass(frozen=True)
class Category:
    code: str
    label: dict[str, str]
    uri: str | None  # the EU concept, or a national category's own URI
    eu: str | None  # the EU category code it is (EU) or maps to (national)

    @property
    def national(self) -> bool:
        return self.eu != self.code

    def label_for(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.code


def _read(source: str) -> dict[str, Any]:
    """A YAML file given as a path or as `package.module:file`."""
    if ":" in source and not pathlib.Path(source).exists():
        package, _, name = source.partition(":")
        text = (importlib.resources.files(package) / name).read_text(encoding="utf-8")
    else:
        text = pathlib.Path(source).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _national(source: str, eu_codes: set[str]) -> list[Category]:
    categories = []
    for raw in _read(source).get("terms", []):
        code, eu = str(raw["code"]), raw.get("eu")
        if code in eu_codes:
            raise ValueError(f"{NATIONAL_CONFIG}: {code!r} is an EU category code")
        if eu is not None and eu not in eu_codes:
            raise ValueError(f"{NATIONAL_CONFIG}: {code!r} maps to unknown EU category {eu!r}")
        categories.append(Category(code=code, label=dict(raw["label"]), uri=raw.get("uri"), eu=eu))
    return categories


@functools.cache
def _load(source: str) -> tuple[Category, ...]:
    eu = [Category(term.code, dict(term.label), term.uri, term.code) for term in vocab.get(VOCABULARY)]
    national = _national(source, {category.code for category in eu}) if source else []
    return (*eu, *national)


def all_categories() -> tuple[Category, ...]:
    """EU categories, then the site's national ones."""
    return _load(tk.config.get(NATIONAL_CONFIG) or "")


def by_code() -> dict[str, Category]:
    return {category.code: category for category in all_categories()}


def code_for(value: Any) -> str | None:
    """The code of a category given as a code, a label in either language or a URI."""
    wanted = " ".join(str(value).casefold().split())
    for category in all_categories():
        spellings = (category.code, category.uri, *category.label.values())
        if any(spelling and " ".join(spelling.casefold().split()) == wanted for spelling in spellings):
            return category.code
    return None


def choices() -> list[dict[str, Any]]:
    """Choices in ckanext-scheming's format."""
    return [{"value": category.code, "label": dict(category.label)} for category in all_categories()]


def eu_categories(codes: list[str]) -> list[Category]:
    """The EU categories that `codes` are or map to, once each, in list order."""
    known = by_code()
    wanted = {known[code].eu for code in codes if code in known and known[code].eu}
    return [category for category in all_categories() if not category.national and category.code in wanted]


def scheme_uri() -> str | None:
    return vocab.get(VOCABULARY).uri
