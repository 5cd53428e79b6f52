"""Import a GD Catalog workbook: a background job, one action call per row.

Each row is read, converted (Thai display values to codes, B.E. to C.E.)
and saved with its own `package_create`/`package_update` or
`resource_create`/`resource_patch`, as the importing user, so the usual
validation, governance rules and permissions apply row by row.  A row that
fails is rolled back and reported with its reasons; the others go on.

Datasets are matched on their name (URL): a second import of the same
workbook updates the datasets instead of adding copies.  New datasets come
in private with harvesting not consented, as GD Catalog's importer does: the
agency reviews them before publishing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th.gdc import reader, status, template, values
from ckanext.opendata_th.lib.i18n import bilingual
from ckanext.opendata_th.lib.spreadsheet import restore_formula_text

log = logging.getLogger(__name__)

JOB_TIMEOUT = 4 * 3600  # seconds; a large agency workbook takes minutes, not hours


class RowRejected(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclasses.dataclass
class Run:
    """What one import job knows while it goes through the rows."""

    import_id: str
    user: str
    org_id: str
    field_names: set[str]
    datasets: dict[str, str] = dataclasses.field(default_factory=dict)  # link text -> dataset name
    rejected: set[str] = dataclasses.field(default_factory=set)  # link texts of rejected datasets

    def context(self) -> dict[str, Any]:
        return {"user": self.user}


# --- starting -----------------------------------------------------------------


def start(content: bytes, filename: str, org: dict[str, Any], user: str, enqueue: bool = True) -> str:
    """Record an import of `content` for the agency `org` and queue its job; the import id."""
    reader.template_sheets(content)  # a wrong file fails now, not in the worker
    import_id = str(uuid.uuid4())
    info = {"org_id": org["id"], "org_name": org["name"], "user": user, "filename": filename}
    status.create(import_id, info, content)
    if enqueue:
        job = jobs.enqueue(
            run_import,
            [import_id],
            title=f"GD Catalog import {filename} into {org['name']}",
            rq_kwargs={"timeout": JOB_TIMEOUT},
        )
        status.update(import_id, job_id=job.id)
    return import_id


# --- the job ------------------------------------------------------------------


@contextlib.contextmanager
def _request_context() -> Iterator[None]:
    """A Flask request context for translations and URLs when run by a worker.

    CKAN's own helpers do the same outside web requests (`url_for` in the
    CLI): they use the test request context that `make_app` leaves behind.
    """
    from ckan.lib.helpers import _get_auto_flask_context
    from flask import has_request_context

    flask_context = None if has_request_context() else _get_auto_flask_context()
    if flask_context is None:
        yield
        return
    with flask_context:
        yield


def run_import(import_id: str) -> None:
    """The background job.  Safe to run again: rows update what the last run created."""
    with _request_context():
        info = status.get(import_id, with_rows=False)
        content = status.file_content(import_id)
        if info is None or content is None:
            log.warning("GD Catalog import %s has expired or is unknown", import_id)
            return
        status.reset_report(import_id)
        status.update(import_id, state="running", started_at=status.now())
        try:
            sheets = reader.read(content)
        except reader.WorkbookError as error:
            status.update(import_id, state="failed", error=str(error), finished_at=status.now())
            return
        run = Run(import_id, info["user"], info["org_id"], template.field_names())
        status.update(import_id, total=sum(len(sheet.rows) for sheet in sheets), warnings=_warnings(sheets))
        for sheet in sheets:
            for row in sheet.rows:
                _import_row(run, sheet, row)
        status.update(import_id, state="finished", finished_at=status.now())
        status.drop_file(import_id)


def _warnings(sheets: list[reader.Sheet]) -> str:
    warnings = [
        bilingual(
            "Sheet %(sheet)s: columns not in the template were ignored: %(columns)s",
            sheet=sheet.name,
            columns=", ".join(sheet.unknown_headers),
        )
        for sheet in sheets
        if sheet.unknown_headers
    ]
    return json.dumps(warnings, ensure_ascii=False)


def _import_row(run: Run, sheet: reader.Sheet, row: reader.Row) -> None:
    entry: dict[str, Any] = {"sheet": row.sheet, "row": row.number, "kind": sheet.kind}
    try:
        if sheet.kind == "meta":
            outcome = _import_dataset(run, sheet, row, entry)
        else:
            outcome = _import_resource(run, sheet, row, entry)
    except RowRejected as rejected:
        model.Session.rollback()
        outcome, entry["reasons"] = "rejected", rejected.reasons
    except tk.ValidationError as error:
        model.Session.rollback()
        outcome, entry["reasons"] = "rejected", _validation_reasons(error, sheet)
    except tk.NotAuthorized:
        model.Session.rollback()
        outcome, entry["reasons"] = "rejected", [bilingual("You are not allowed to change this dataset")]
    except Exception:  # a bug or an outage must cost one row, not the import
        model.Session.rollback()
        log.exception("GD Catalog import %s: %s row %s failed", run.import_id, row.sheet, row.number)
        outcome, entry["reasons"] = "rejected", [bilingual("Unexpected error; the site's log has the details")]
    if sheet.kind == "meta" and outcome == "rejected":
        run.rejected.update(_link_keys(row, entry.get("name")))
    entry["outcome"] = outcome
    status.add_row(run.import_id, entry, outcome)


# --- datasets -----------------------------------------------------------------


def _fold(text: Any) -> str:
    return " ".join(values.cell_text(text).casefold().split())


def _link_keys(row: reader.Row, name: str | None) -> set[str]:
    """The texts a resource row may use to point at this dataset row."""
    keys = {_fold(row.cells.get("name")), _fold(row.cells.get("title")), _fold(name)}
    return keys - {""}


def slug(text: str) -> str:
    """GD Catalog's name rule: lower case, spaces to hyphens."""
    return re.sub(r"\s+", "-", text.strip().lower())


def _read_cells(row: reader.Row, sheet: reader.Sheet, field_names: set[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    reasons: list[str] = []
    for key, raw in row.cells.items():
        column = sheet.columns[key]
        if column.field is None:
            continue
        cell = restore_formula_text(raw) if isinstance(raw, str) else raw
        try:
            data.update(values.read(column.field, cell, companion=f"{key}_other" in field_names))
        except values.CellError as error:
            reasons.append(str(error))
    if reasons:
        raise RowRejected(reasons)
    return data


def _import_dataset(run: Run, sheet: reader.Sheet, row: reader.Row, entry: dict[str, Any]) -> str:
    name = slug(values.cell_text(row.cells.get("name")))
    entry["name"] = name or values.cell_text(row.cells.get("title"))  # for the report, even if rejected
    data = _read_cells(row, sheet, run.field_names)
    if not name:
        raise RowRejected([bilingual("The dataset has no name (URL); the name identifies it on a re-import")])
    data.update(name=name, data_type=sheet.data_type)
    if sheet.data_type != "other":
        data.pop("data_type_other", None)  # the sheet, not the cell, decides the type
    existing = _existing_dataset(run, name)
    if existing:
        saved = tk.get_action("package_update")(run.context(), _merged(existing, data, sheet.data_type))
        outcome = "updated"
    else:
        data.update(owner_org=run.org_id, private=True)
        if values.cell_text(data.get("allow_harvest")) == "":  # an empty cell is no consent
            data["allow_harvest"] = "false"
        saved = tk.get_action("package_create")(run.context(), data)
        outcome = "created"
    entry["dataset"] = saved["name"]
    for key in _link_keys(row, saved["name"]):
        run.datasets[key] = saved["name"]
    return outcome


def _existing_dataset(run: Run, name: str) -> dict[str, Any] | None:
    """The agency's dataset called `name`, or None; rejects names another agency holds."""
    try:
        existing = tk.get_action("package_show")({**run.context(), "for_update": True}, {"id": name})
    except tk.ObjectNotFound:
        return None
    except tk.NotAuthorized:
        existing = None
    if existing is None or existing.get("owner_org") != run.org_id:
        raise RowRejected([bilingual("The name %(name)s is already used by a dataset of another agency", name=name)])
    return existing


def _merged(existing: dict[str, Any], data: dict[str, Any], data_type: str) -> dict[str, Any]:
    """The existing dataset with the sheet's values, minus fields its (new) type does not have."""
    merged = {**existing, **data}
    for field in template.dataset_fields():
        if not template.belongs_to(field, data_type):
            merged.pop(field["field_name"], None)
            merged.pop(f"{field['field_name']}_other", None)
    if "tag_string" in data:
        merged.pop("tags", None)  # the sheet's tags replace the old ones
    return merged


# --- resources ----------------------------------------------------------------


def _import_resource(run: Run, sheet: reader.Sheet, row: reader.Row, entry: dict[str, Any]) -> str:
    link = _fold(row.cells.get(template.LINK_KEY))
    entry["name"] = values.cell_text(row.cells.get("name") or row.cells.get("url"))
    data = _read_cells(row, sheet, {field["field_name"] for field in template.resource_fields()})
    dataset = _dataset_for_link(run, link)
    entry["dataset"] = dataset["name"]
    match = _matching_resource(dataset, data)
    if match:
        tk.get_action("resource_patch")(run.context(), {**data, "id": match["id"]})
        return "updated"
    tk.get_action("resource_create")(run.context(), {**data, "package_id": dataset["id"]})
    return "created"


def _dataset_for_link(run: Run, link: str) -> dict[str, Any]:
    if not link:
        raise RowRejected([bilingual("The resource does not say which dataset it belongs to")])
    if link in run.rejected and link not in run.datasets:
        raise RowRejected([bilingual("Its dataset (%(dataset)s) was rejected, see above", dataset=link)])
    name = run.datasets.get(link) or slug(link)
    try:
        dataset = tk.get_action("package_show")(run.context(), {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        dataset = None
    if not dataset or dataset.get("owner_org") != run.org_id:
        raise RowRejected([bilingual("No dataset %(dataset)s in this agency", dataset=link)])
    return dataset


def _matching_resource(dataset: dict[str, Any], data: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's resource with the same name (or, unnamed, the same URL)."""
    key = "name" if data.get("name") else "url"
    if not data.get(key):
        return None
    return next((r for r in dataset.get("resources", []) if r.get(key) == data[key]), None)


# --- reasons ------------------------------------------------------------------


def _label_of(key: str, sheet: reader.Sheet) -> str:
    column = sheet.columns.get(key) or sheet.columns.get(key.removesuffix("_other"))
    if column is None:
        return key
    th, en = column.label.get("th", key), column.label.get("en", key)
    return th if th == en else f"{th} / {en}"


def _flatten(errors: Any) -> Iterator[str]:
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _flatten(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _flatten(value)
    elif errors:
        yield str(errors)


def _message(text: str) -> str:
    # Our validators' messages are bilingual already; core CKAN's are English msgids.
    return text if " / " in text else bilingual(text)


def _validation_reasons(error: tk.ValidationError, sheet: reader.Sheet) -> list[str]:
    reasons = []
    for key, messages in (error.error_dict or {}).items():
        if key == "resources":
            key = "url"
        for message in _flatten(messages):
            reasons.append(f"{_label_of(key, sheet)}: {_message(message)}")
    return reasons or [str(error)]
