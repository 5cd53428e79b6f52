"""Whether a high-value dataset meets the HVD requirements, rule by rule.

Pure functions over a package_show dict and the current time: no actions,
no database, so the action, the dataset page, the /hvd report and the tests
all compute the same answer.  Each rule returns whether it passed and a
bilingual reason that says what was found, so an agency knows what to fix.

Rules (the requirements of EU Implementing Regulation 2023/138, Art. 3-4,
as the catalogue can observe them):

- `public`: the dataset is public and classified open (governance decides);
- `open_licence`: its licence is an open licence (Open Definition conformant);
- `machine_readable`: at least one distribution in a machine-readable format;
- `api`: at least one resource served by the DataStore API;
- `bulk_download`: the data can be downloaded in bulk (a file, or a
  DataStore table's full dump);
- `update_frequency`: a declared update frequency, and the data not overdue by it;
- `contact_point`: a contact person and e-mail address;
- `category`: at least one HVD category of the EU list (or a national one mapped to it).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import vocab
from ckanext.opendata_th.governance import rules as governance_rules
from ckanext.opendata_th.hvd import categories, flags
from ckanext.opendata_th.lib.i18n import bilingual

FORMATS_CONFIG = "ckanext.opendata_th.hvd.machine_readable_formats"
GRACE_CONFIG = "ckanext.opendata_th.hvd.overdue_grace_days"
DEFAULT_MACHINE_READABLE = (
    "CSV TSV JSON GEOJSON JSON-LD XML RDF TTL N3 XLSX XLS ODS SHP GML KML KMZ GEOTIFF GPKG PARQUET NETCDF API"
)


@dataclasses.dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# Rule titles (English msgids, Thai in i18n/th/.../parts/hvd.po), in check order.
RULES: dict[str, str] = {
    "public": "Public and open",
    "open_licence": "Open licence",
    "machine_readable": "Machine-readable distribution",
    "api": "API",
    "bulk_download": "Bulk download",
    "update_frequency": "Update frequency",
    "contact_point": "Contact point",
    "category": "HVD category",
}


def _machine_readable_formats() -> set[str]:
    configured = tk.config.get(FORMATS_CONFIG) or DEFAULT_MACHINE_READABLE
    return {item.strip().upper().lstrip(".") for item in configured.split()}


def active_resources(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    return [resource for resource in dataset.get("resources") or [] if resource.get("state", "active") == "active"]


def is_machine_readable(resource: dict[str, Any]) -> bool:
    return (resource.get("format") or "").strip().upper().lstrip(".") in _machine_readable_formats()


def _is_datastore(resource: dict[str, Any]) -> bool:
    return flags.as_bool(resource.get("datastore_active"))


def check_public(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    # Governance is the one place that decides what is open.
    is_open = governance_rules.is_open(
        dataset.get(governance_rules.CATEGORY), dataset.get(governance_rules.CLASSIFICATION)
    )
    if is_open and not flags.as_bool(dataset.get("private")):
        return RuleResult("public", True, bilingual("The dataset is public and its classification is open"))
    return RuleResult("public", False, bilingual("A high-value dataset must be public and classified open"))


def check_open_licence(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    licence_id = dataset.get("license_id") or ""
    licences = vocab.get("license")
    code = licences.code_for(licence_id) if licence_id else None
    if code and licences.term(code).extra.get("od_conformance") == "approved":
        return RuleResult("open_licence", True, bilingual("Open licence: %(licence)s", licence=code))
    return RuleResult(
        "open_licence",
        False,
        bilingual('The licence "%(licence)s" is not an open licence', licence=licence_id or "-"),
    )


def check_machine_readable(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    found = [resource for resource in active_resources(dataset) if is_machine_readable(resource)]
    if found:
        formats = ", ".join(sorted({(resource.get("format") or "").upper() for resource in found}))
        return RuleResult("machine_readable", True, bilingual("Machine-readable formats: %(formats)s", formats=formats))
    return RuleResult(
        "machine_readable", False, bilingual("No resource is in a machine-readable format (such as CSV or JSON)")
    )


def check_api(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    count = sum(1 for resource in active_resources(dataset) if _is_datastore(resource))
    if count:
        return RuleResult("api", True, bilingual("%(count)s resource(s) served by the DataStore API", count=count))
    return RuleResult("api", False, bilingual("No resource is loaded into the DataStore, so there is no API"))


def check_bulk_download(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    # A DataStore table can always be dumped whole (/datastore/dump/<id>); a
    # file resource is a bulk download when it is in a machine-readable format.
    for resource in active_resources(dataset):
        if _is_datastore(resource) or (resource.get("url") and is_machine_readable(resource)):
            return RuleResult("bulk_download", True, bilingual("The whole dataset can be downloaded as a file"))
    return RuleResult("bulk_download", False, bilingual("No resource lets users download the whole data as a file"))


def parse_time(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def last_updated(dataset: dict[str, Any]) -> datetime.datetime | None:
    """When the data was last updated: the declared date, else its resources', else the record's."""
    candidates = [parse_time(dataset.get("last_updated_date"))]
    for resource in active_resources(dataset):
        candidates += [
            parse_time(resource.get("resource_last_updated_date")),
            parse_time(resource.get("last_modified")),
        ]
    found = [moment for moment in candidates if moment]
    if found:
        return max(found)
    return parse_time(dataset.get("metadata_modified"))


def declared_period(dataset: dict[str, Any]) -> tuple[str | None, datetime.timedelta | None]:
    """The declared update frequency as (unit code, allowed time between updates).

    The unit is None when no frequency is declared (or "unknown"); the time is
    None for a unit without a regular period (never, other).  The grace days
    of GRACE_CONFIG are included.  The one rule of lateness: the HVD check and
    the quality score's freshness both read it.
    """
    unit = vocab.get("update_frequency").code_for(dataset.get("update_frequency_unit") or "")
    if unit is None or unit == "unknown":
        return None, None
    days = vocab.get("update_frequency").term(unit).extra.get("days")
    if days is None:
        return unit, None
    try:
        interval = max(1, int(dataset.get("update_frequency_interval") or 1))
    except (TypeError, ValueError):
        interval = 1
    return unit, datetime.timedelta(days=float(days) * interval + float(tk.config.get(GRACE_CONFIG) or 0))


def check_update_frequency(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    unit, allowed = declared_period(dataset)
    if unit is None:
        return RuleResult("update_frequency", False, bilingual("The update frequency is not declared"))
    if allowed is None:  # never, other: declared, but there is no period to be late by
        return RuleResult("update_frequency", True, bilingual("The update frequency is declared"))
    updated = last_updated(dataset)
    if updated is None:
        return RuleResult("update_frequency", False, bilingual("The date of the last update is unknown"))
    due = updated + allowed
    if now > due:
        return RuleResult(
            "update_frequency",
            False,
            bilingual("Overdue: last updated %(updated)s, due by %(due)s", updated=updated.date(), due=due.date()),
        )
    return RuleResult(
        "update_frequency",
        True,
        bilingual("Up to date: last updated %(updated)s, next due by %(due)s", updated=updated.date(), due=due.date()),
    )


def check_contact_point(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    name, email = dataset.get("maintainer"), dataset.get("maintainer_email")
    if name and email and "@" in email:
        return RuleResult("contact_point", True, bilingual("Contact: %(name)s <%(email)s>", name=name, email=email))
    return RuleResult("contact_point", False, bilingual("A contact person and e-mail address are required"))


def check_category(dataset: dict[str, Any], now: datetime.datetime) -> RuleResult:
    codes = flags.category_codes(dataset)
    eu = categories.eu_categories(codes)
    if eu:
        return RuleResult(
            "category", True, bilingual("Categories: %(categories)s", categories=", ".join(c.code for c in eu))
        )
    if codes:
        return RuleResult("category", False, bilingual("The national categories chosen map to no EU HVD category"))
    return RuleResult("category", False, bilingual("No HVD category is set"))


CHECKS: dict[str, Callable[[dict[str, Any], datetime.datetime], RuleResult]] = {
    "public": check_public,
    "open_licence": check_open_licence,
    "machine_readable": check_machine_readable,
    "api": check_api,
    "bulk_download": check_bulk_download,
    "update_frequency": check_update_frequency,
    "contact_point": check_contact_point,
    "category": check_category,
}


def check(dataset: dict[str, Any], now: datetime.datetime | None = None) -> list[RuleResult]:
    """Every rule's result for a dataset (HVD or not), in RULES order."""
    moment = now or datetime.datetime.utcnow()
    return [CHECKS[rule](dataset, moment) for rule in RULES]


def report(dataset: dict[str, Any], now: datetime.datetime | None = None) -> dict[str, Any]:
    """The compliance of one dataset as the action returns it."""
    results = check(dataset, now)
    return {
        "id": dataset.get("id"),
        "name": dataset.get("name"),
        "high_value_dataset": flags.is_hvd(dataset),
        "compliant": all(result.passed for result in results),
        "rules": [{**result.as_dict(), "title": RULES[result.rule]} for result in results],
    }
