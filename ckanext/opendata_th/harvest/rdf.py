"""DCAT-AP sources (ckanext-dcat's RDF harvester): classification first, then what DCAT-AP cannot carry.

Governance decides every record, as for CKAN sources; the source is not
trusted to publish public data only.  `scoped_parser` wraps the parsed
file so that each record reaches the harvest tables as
`governance.harvest_scope` allows: in full (public), as a metadata-only
inventory entry without distributions or links (private), or not at all;
a record that is left out is withdrawn by ckanext-dcat like one the file
no longer lists.

DCAT-AP says whether a dataset is public (dct:accessRights PUBLIC, read by
our profile as data category "public" and classification "open") but
carries neither the Thai classification of any other dataset nor the
agency's consent.  So a record without a classification is not harvested,
unless the agency states both once in the source's config:
`"non_public": {"data_category": "internal", "data_classification":
"internal", "allow_harvest": true}`; a statement that would make a record
open is ignored.

Our profile's `parse_dataset` maps DCAT-AP back to the schema, but DCAT-AP
has no data type, objective or geographic coverage, which the metadata
standard requires.  The agency states them once in the source's config
(`"defaults": {"data_type": "statistical", "objective": ["agency_mission"],
"geo_coverage": "country"}`); a value the record itself carries wins, and
defaults never touch the classification.  The dataset's formats are read
from its distributions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ckanext.opendata_th import governance, vocab
from ckanext.opendata_th.governance import rules
from ckanext.opendata_th.harvest import remote
from ckanext.opendata_th.lib import fetch

# Decided by governance from the record and the agency's `non_public` statement, never by `defaults`.
_GOVERNED_KEYS = frozenset({rules.CATEGORY, rules.CLASSIFICATION, rules.ALLOW_HARVEST, "private"})


def _config(config: str | None) -> dict[str, Any]:
    try:
        raw = json.loads(config or "{}")
    except ValueError:
        return {}
    return raw if isinstance(raw, dict) else {}


def _section(config: str | None, key: str) -> dict[str, Any]:
    value = _config(config).get(key)
    return value if isinstance(value, dict) else {}


def _non_public(config: str | None) -> dict[str, Any]:
    """The agency's classification and consent for its records DCAT-AP does not call public.

    Only the three governed fields are read, and only when they describe a
    dataset that is not open: the statement can list a record, never publish it.
    """
    stated = {key: value for key, value in _section(config, "non_public").items() if key in _GOVERNED_KEYS}
    stated.pop("private", None)
    if rules.is_open(stated.get(rules.CATEGORY), stated.get(rules.CLASSIFICATION)):
        return {}
    return stated


def _fill_formats(dataset_dict: dict[str, Any]) -> None:
    if dataset_dict.get("data_format"):
        return
    formats = vocab.get("data_format")
    codes = [formats.code_for(str(r.get("format") or "")) for r in dataset_dict.get("resources") or []]
    found = [code for code in formats.codes if code in codes]
    if found:
        dataset_dict["data_format"] = found


def scoped(dataset_dict: dict[str, Any], config: str | None) -> dict[str, Any] | None:
    """The parsed record as governance lets it in (with `private` set), or None to leave it out."""
    record = dict(dataset_dict)
    if not record.get(rules.CATEGORY) and not record.get(rules.CLASSIFICATION):
        record.update(_non_public(config))
    record.pop("private", None)  # the file's own flag does not count: the classification does
    _fill_formats(record)  # the formats describe the dataset; read before distributions are left out
    scope = governance.harvest_scope(record)
    kept = governance.harvest_record(record)
    if kept is None:
        return None
    if scope != "full":
        # ckanext-dcat iterates `resources`, and an update must clear what an earlier full harvest saved.
        kept = dict(kept, resources=[], url="")
    return dict(kept, private=scope != "full")


class ScopedParser:
    """ckanext-dcat's RDFParser, yielding only what governance lets in (see `scoped`)."""

    def __init__(self, parser: Any, source_config: str | None) -> None:
        self._parser = parser
        self._config = source_config

    def datasets(self) -> Iterator[dict[str, Any]]:
        for dataset_dict in self._parser.datasets():
            record = scoped(dataset_dict, self._config)
            if record is not None:
                yield record

    def __getattr__(self, name: str) -> Any:  # next_page, the graph, ...: the parser's own
        return getattr(self._parser, name)


def scoped_parser(parser: Any, source_config: str | None) -> Any:
    """What the gather stage reads records from (a parser that stops the stage stays as it is)."""
    return ScopedParser(parser, source_config) if parser else parser


def complete(dataset_dict: dict[str, Any], source_config: str | None) -> None:
    """Fills, in place, required fields DCAT-AP left empty (before the record is validated)."""
    for key, value in _section(source_config, "defaults").items():
        if key not in _GOVERNED_KEYS and dataset_dict.get(key) in (None, "", []):
            dataset_dict[key] = value
    _fill_formats(dataset_dict)


def checked_download(url: str) -> tuple[str | None, list[str]]:
    """ckanext-dcat's `before_download`: a page the catalogue may not fetch stops the gather stage.

    The refusal becomes the harvest job's gather error.  This also keeps
    ckanext-dcat from reading a local file, which it does for a source URL
    that does not start with "http".
    """
    refusal = remote.source_url_refusal(url)
    return (None, [refusal]) if refusal is not None else (url, [])


def guarded_session(session: Any) -> Any:
    """ckanext-dcat's `update_session`: its download connects, and follows redirects, under lib/fetch.py's rule."""
    return fetch.guard(session)
