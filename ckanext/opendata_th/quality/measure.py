"""Phase 3 of scoring: one measure per indicator of indicators.yaml, each a pure function of the facts.

A measure returns the share of the indicator's points the dataset keeps
(0 to 1) and, when it keeps less than all, the reason in words the officer
can act on.  `NOT_MEASURED` leaves an indicator out of the score and its
maximum (links not yet checked).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from typing import Any

from ckanext.opendata_th import vocab
from ckanext.opendata_th.hvd import compliance, flags
from ckanext.opendata_th.lib.i18n import LANGUAGES, Message
from ckanext.opendata_th.quality.facts import Facts
from ckanext.opendata_th.quality.indicators import catalogue
from ckanext.opendata_th.quality.links import Link
from ckanext.opendata_th.schema import recommendations, values

__all__ = ["MEASURES", "NOT_MEASURED", "Measure"]


@dataclasses.dataclass(frozen=True)
class Measure:
    kept: float
    reason: Message | None = None
    measured: bool = True


NOT_MEASURED = Measure(0.0, measured=False)
FULL = Measure(1.0)
MEASURES: dict[str, Callable[[Facts], Measure]] = {}
# Each unmet recommendation costs this share of the completeness points.
RECOMMENDATION_COST = 0.25
# Names listed in a reason before "and N more".
NAMED = 3


def measures(code: str) -> Callable[[Callable[[Facts], Measure]], Callable[[Facts], Measure]]:
    def register(function: Callable[[Facts], Measure]) -> Callable[[Facts], Measure]:
        MEASURES[code] = function
        return function

    return register


def _given(value: Any) -> bool:
    return not values.is_empty(value)


def _present(found: bool, missing: str) -> Measure:
    return FULL if found else Measure(0.0, Message(missing))


def _share(good: int, total: int, reason: Message) -> Measure:
    if total == 0 or good == total:
        return FULL
    return Measure(good / total, reason)


def _names(items: Sequence[str]) -> str:
    shown = ", ".join(items[:NAMED])
    return shown if len(items) <= NAMED else f"{shown} (+{len(items) - NAMED})"


def _resources(facts: Facts) -> list[dict[str, Any]]:
    return compliance.active_resources(facts.dataset)


def _format(resource: dict[str, Any]) -> str:
    return str(resource.get("format") or "").strip().upper().lstrip(".")


def _missing_among(facts: Facts, test: Callable[[dict[str, Any]], bool], msgid: str) -> Measure:
    """The share of resources that pass `test`; the reason names those that do not."""
    resources = _resources(facts)
    if not resources:
        return Measure(0.0, Message("The dataset has no resources"))
    lacking = [str(resource.get("name") or resource.get("id")) for resource in resources if not test(resource)]
    return _share(len(resources) - len(lacking), len(resources), Message(msgid, {"names": _names(lacking)}))


# --- findability -------------------------------------------------------------------


@measures("keywords")
def keywords(facts: Facts) -> Measure:
    return _present(bool(facts.dataset.get("tags")), "The dataset has no keywords")


@measures("categories")
def categories(facts: Facts) -> Measure:
    return _present(bool(facts.dataset.get("groups")), "The dataset is in no group")


@measures("spatial")
def spatial(facts: Facts) -> Measure:
    found = _given(facts.dataset.get("geo_coverage")) or _given(facts.dataset.get("spatial"))
    return _present(found, "The geographic coverage is not given")


@measures("temporal")
def temporal(facts: Facts) -> Measure:
    dataset = facts.dataset
    found = (_given(dataset.get("first_year_of_data")) and _given(dataset.get("last_year_of_data"))) or _given(
        dataset.get("reference_period")
    )
    return _present(found, "The years the data covers are not given")


# --- accessibility -----------------------------------------------------------------


def _links_answering(links: tuple[Link, ...] | None, kinds: frozenset[str]) -> Measure:
    if links is None:
        return NOT_MEASURED
    chosen = [link for link in links if link.kind in kinds]
    broken = [link for link in chosen if not link.ok]
    if not broken:
        return FULL
    first = broken[0]
    reason = Message(
        "%(count)s of %(total)s links do not answer: %(names)s (%(problem)s)",
        {
            "count": len(broken),
            "total": len(chosen),
            "names": _names([link.name for link in broken]),
            # a message of its own, with its own parameters: worded in full in each language
            "problem": first.problem.both() if first.problem else "",
        },
    )
    return Measure((len(chosen) - len(broken)) / len(chosen), reason)


@measures("access_url_status")
def access_url_status(facts: Facts) -> Measure:
    return _links_answering(facts.links, frozenset({"upload", "site", "external"}))


@measures("download_url")
def download_url(facts: Facts) -> Measure:
    found = any(_is_download(resource) for resource in _resources(facts))
    return _present(found, "No resource is a file to download")


def _is_download(resource: dict[str, Any]) -> bool:
    if resource.get("url_type") == "upload" or flags.as_bool(resource.get("datastore_active")):
        return True
    return bool(resource.get("url")) and _format(resource) not in ("", "HTML", "API", "WMS", "WFS")


@measures("download_url_status")
def download_url_status(facts: Facts) -> Measure:
    return _links_answering(facts.links, frozenset({"upload"})) if facts.links is not None else NOT_MEASURED


# --- interoperability --------------------------------------------------------------


@measures("format")
def format_given(facts: Facts) -> Measure:
    return _missing_among(facts, lambda resource: bool(_format(resource)), "No format is given for: %(names)s")


@measures("media_type")
def media_type(facts: Facts) -> Measure:
    answered = {link.resource_id for link in facts.links or () if link.content_type}
    return _missing_among(
        facts,
        lambda resource: bool(resource.get("mimetype")) or resource.get("id") in answered,
        "No media type is known for: %(names)s",
    )


def _known_format(resource: dict[str, Any]) -> bool:
    formats = catalogue()
    name = _format(resource)
    return (
        name in formats.non_proprietary_formats
        or name in formats.known_formats
        or compliance.is_machine_readable(resource)
    )


@measures("format_vocabulary")
def format_vocabulary(facts: Facts) -> Measure:
    return _missing_among(facts, _known_format, "The format is not a standard format name for: %(names)s")


@measures("non_proprietary")
def non_proprietary(facts: Facts) -> Measure:
    open_formats = catalogue().non_proprietary_formats
    return _missing_among(facts, lambda resource: _format(resource) in open_formats, "Not in an open format: %(names)s")


@measures("machine_readable")
def machine_readable(facts: Facts) -> Measure:
    return _missing_among(facts, compliance.is_machine_readable, "Not machine-readable: %(names)s")


@measures("dcat_ap")
def dcat_ap(facts: Facts) -> Measure:
    # Every dataset's DCAT comes from the catalogue's profile, which the
    # conformance tests hold to zero violations of the DCAT-AP 3 shapes.
    return FULL


# --- reusability -------------------------------------------------------------------


@measures("access_rights")
def access_rights(facts: Facts) -> Measure:
    return _present(_given(facts.dataset.get("data_classification")), "The data classification is not given")


@measures("access_rights_vocabulary")
def access_rights_vocabulary(facts: Facts) -> Measure:
    found = vocab.get("data_classification").code_for(str(facts.dataset.get("data_classification") or ""))
    return _present(found is not None, "The data classification is not one of the list")


@measures("licence")
def licence(facts: Facts) -> Measure:
    return _present(_given(facts.dataset.get("license_id")), "No licence is given")


@measures("licence_vocabulary")
def licence_vocabulary(facts: Facts) -> Measure:
    code = vocab.get("license").code_for(str(facts.dataset.get("license_id") or ""))
    return _present(code is not None and code != vocab.OTHER, "The licence is not one of the list")


@measures("contact_point")
def contact_point(facts: Facts) -> Measure:
    passed = compliance.check_contact_point(facts.dataset, facts.now).passed
    return _present(passed, "A contact person and e-mail address are required")


@measures("publisher")
def publisher(facts: Facts) -> Measure:
    return _present(bool(facts.dataset.get("owner_org")), "The dataset belongs to no agency")


# --- contextuality -----------------------------------------------------------------


@measures("rights")
def rights(facts: Facts) -> Measure:
    return _present(_given(facts.dataset.get("accessible_condition")), "The conditions of access are not stated")


@measures("byte_size")
def byte_size(facts: Facts) -> Measure:
    sized = {link.resource_id for link in facts.links or () if link.size is not None}
    return _missing_among(
        facts,
        lambda resource: bool(resource.get("size")) or resource.get("id") in sized,
        "The file size is not known for: %(names)s",
    )


@measures("issued")
def issued(facts: Facts) -> Measure:
    found = _given(facts.dataset.get("created_date")) or _given(facts.dataset.get("metadata_created"))
    return _present(found, "The creation date is not given")


@measures("modified")
def modified(facts: Facts) -> Measure:
    found = _given(facts.dataset.get("last_updated_date")) or _given(facts.dataset.get("metadata_modified"))
    return _present(found, "The date of the last update is not given")


# --- completeness ------------------------------------------------------------------


@measures("recommendations")
def completeness(facts: Facts) -> Measure:
    unmet = recommendations.unmet_recommendations(facts.dataset)
    if not unmet:
        return FULL
    items = {lang: "; ".join(item.message[lang] for item in unmet) for lang in LANGUAGES}
    return Measure(
        max(0.0, 1 - RECOMMENDATION_COST * len(unmet)), Message("Not yet given: %(items)s", {"items": items})
    )


# --- freshness ---------------------------------------------------------------------


def _latest(moments: Sequence[datetime.datetime | None]) -> datetime.datetime | None:
    found = [moment for moment in moments if moment]
    return max(found) if found else None


def _freshness(facts: Facts, updated: datetime.datetime | None, unknown: str) -> Measure:
    unit, allowed = compliance.declared_period(facts.dataset)
    if unit is None:
        return Measure(0.0, Message("The update frequency is not declared"))
    if allowed is None:  # never, other: no period to be late by
        return FULL
    if updated is None:
        return Measure(0.0, Message(unknown))
    due = updated + allowed
    if facts.now > due:
        return Measure(
            0.0,
            Message(
                "Overdue: last updated %(updated)s, due by %(due)s", {"updated": updated.date(), "due": due.date()}
            ),
        )
    return FULL


@measures("data_fresh")
def data_fresh(facts: Facts) -> Measure:
    """The data itself: its resources' dates of update, else the officer's declared one."""
    resources = _resources(facts)
    updated = _latest(
        [compliance.parse_time(resource.get("resource_last_updated_date")) for resource in resources]
        + [compliance.parse_time(resource.get("last_modified")) for resource in resources]
    ) or compliance.parse_time(facts.dataset.get("last_updated_date"))
    return _freshness(facts, updated, "The date of the last update is unknown")


@measures("declared_fresh")
def declared_fresh(facts: Facts) -> Measure:
    """The officer's declared date of the last update, whatever the catalogue's own dates say."""
    updated = compliance.parse_time(facts.dataset.get("last_updated_date"))
    return _freshness(facts, updated, "The date of the last update is not given")


# --- machine readability -----------------------------------------------------------


def _no_tables(facts: Facts) -> Measure | None:
    if not facts.tables:
        return Measure(0.0, Message("No resource is a table the catalogue can load"))
    return None


@measures("datastore_loaded")
def datastore_loaded(facts: Facts) -> Measure:
    if (none := _no_tables(facts)) is not None:
        return none
    unloaded = [table.name for table in facts.tables if not table.loaded]
    reason = Message("Not loaded into the DataStore: %(names)s", {"names": _names(unloaded)})
    return _share(len(facts.tables) - len(unloaded), len(facts.tables), reason)


@measures("typed_columns")
def typed_columns(facts: Facts) -> Measure:
    if (none := _no_tables(facts)) is not None:
        return none
    loaded = [table for table in facts.tables if table.loaded]
    if not loaded:
        return Measure(0.0, Message("No table is loaded yet"))
    untyped = [table.name for table in loaded if not table.typed]
    reason = Message("Every column is text in: %(names)s", {"names": _names(untyped)})
    return _share(len(loaded) - len(untyped), len(loaded), reason)


@measures("dictionary")
def dictionary(facts: Facts) -> Measure:
    if (none := _no_tables(facts)) is not None:
        return none
    columns = sum(len(table.column_types) for table in facts.tables if table.loaded)
    described = sum(table.described for table in facts.tables if table.loaded)
    if columns == 0:
        return Measure(0.0, Message("No table is loaded yet"))
    reason = Message(
        "%(missing)s of %(total)s columns have no description", {"missing": columns - described, "total": columns}
    )
    return _share(described, columns, reason)


# --- high-value dataset rules ------------------------------------------------------


@measures("hvd_rules")
def hvd_rules(facts: Facts) -> Measure:
    results = compliance.check(facts.dataset, facts.now)
    failed = [result.rule for result in results if not result.passed]
    if not failed:
        return FULL
    titles = {lang: ", ".join(Message(compliance.RULES[rule]).text(lang) for rule in failed) for lang in LANGUAGES}
    reason = Message("Rules not met: %(rules)s", {"rules": titles})
    return Measure((len(results) - len(failed)) / len(results), reason)
