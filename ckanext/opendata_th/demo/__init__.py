"""The demo catalogue that `make up` loads: agencies, datasets, CSV files.

Loading is idempotent so `make up` can run it every time: agencies,
datasets and resources are matched by name and only what is missing is
created.  The CSV files are uploaded like a data officer's, and the ingest
room's background job loads them into the DataStore (the job worker that
`make up` starts runs it).
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import io
import os
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan.types import Context
from werkzeug.datastructures import FileStorage

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@dataclasses.dataclass
class LoadReport:
    created: list[str] = dataclasses.field(default_factory=list)
    existing: list[str] = dataclasses.field(default_factory=list)


def resolve_path(spec: str) -> str:
    """`package.module:file.yaml` or a plain path."""
    if ":" in spec and not os.path.isabs(spec):
        module, filename = spec.split(":", 1)
        return str(importlib.resources.files(module) / filename)
    return spec


def load_catalogue(path: str, user: str) -> LoadReport:
    with open(resolve_path(path), encoding="utf-8") as f:
        catalogue = yaml.safe_load(f)
    report = LoadReport()
    for agency in catalogue["agencies"]:
        _ensure_agency(agency, user, report)
    for dataset in catalogue["datasets"]:
        _ensure_dataset(dataset, user, report)
    return report


def _context(user: str) -> Context:
    return {"user": user, "ignore_auth": False}


def _exists(action: str, id_: str, user: str) -> bool:
    try:
        tk.get_action(action)(_context(user), {"id": id_})
    except tk.ObjectNotFound:
        return False
    return True


def _ensure_agency(agency: dict[str, Any], user: str, report: LoadReport) -> None:
    if _exists("organization_show", agency["name"], user):
        report.existing.append(f"agency {agency['name']}")
        return
    tk.get_action("organization_create")(_context(user), dict(agency))
    report.created.append(f"agency {agency['name']}")


def _ensure_dataset(spec: dict[str, Any], user: str, report: LoadReport) -> None:
    try:
        dataset = tk.get_action("package_show")(_context(user), {"id": spec["name"]})
        report.existing.append(f"dataset {spec['name']}")
    except tk.ObjectNotFound:
        dataset = tk.get_action("package_create")(_context(user), _dataset_dict(spec))
        report.created.append(f"dataset {spec['name']}")
    # Resources are ensured one by one, so a run that stopped half-way is
    # completed by the next one.
    existing = {resource["name"]: resource for resource in dataset.get("resources", [])}
    for resource in spec.get("resources", []):
        _ensure_csv_resource(dataset["id"], resource, existing.get(resource["name"]), user)


# Metadata every demo dataset shares unless its entry says otherwise; each
# entry adds its data type's fields under `metadata:` (GD Catalog standard,
# schema/dataset.yaml).
_DEFAULT_METADATA: dict[str, Any] = {
    "license_id": "cc-by",
    "data_category": "public",
    "data_classification": "open",
    "allow_harvest": True,
    "objective": ["agency_mission"],
    "update_frequency_unit": "year",
    "update_frequency_interval": 1,
    "geo_coverage": "province",
    "data_format": ["csv"],
    "data_language": ["th"],
}


def _dataset_dict(spec: dict[str, Any]) -> dict[str, Any]:
    data_type = spec.get("data_type", "statistical")
    return {
        **_DEFAULT_METADATA,
        "name": spec["name"],
        "title": spec["title"],
        "notes": spec.get("notes", ""),
        "owner_org": spec["agency"],
        "data_type": data_type,
        "maintainer": spec.get("maintainer", "ศูนย์เทคโนโลยีสารสนเทศ"),
        "maintainer_email": spec.get("maintainer_email", f"opendata@{spec['agency']}.example.go.th"),
        "data_source": spec.get("data_source", spec["agency"]),
        "tags": [{"name": tag} for tag in spec.get("tags", [])],
        **spec.get("metadata", {}),
    }


def _ensure_csv_resource(dataset_id: str, spec: dict[str, str], resource: dict[str, Any] | None, user: str) -> None:
    if resource is not None:
        return
    filename = spec["csv"]
    with open(os.path.join(DATA_DIR, filename), "rb") as f:
        content = f.read()
    tk.get_action("resource_create")(
        _context(user),
        {
            "package_id": dataset_id,
            "name": spec["name"],
            "format": "CSV",
            "url": filename,
            "url_type": "upload",
            "upload": FileStorage(io.BytesIO(content), filename, content_type="text/csv"),
        },
    )
