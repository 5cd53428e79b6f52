"""Actions and auth functions of the ingest room (registered via plugin.py's module lists).

- `opendata_th_ingest_status`: load status and progress of a resource;
- `opendata_th_ingest_run`: queue a (forced) re-load;
- `opendata_th_ingest_pdpa_decide`: a data officer's PDPA decision;
- chained `datastore_search`: Thai word segmentation of `q` on our tables;
- chained `datastore_create`: a changed type override in the data
  dictionary of a table we loaded queues a re-load with the new type;

Auth functions are in auth.py.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context, request

from ckanext.opendata_th.governance import existence
from ckanext.opendata_th.ingest import fulltext, jobs, load, status

__all__ = [
    "datastore_create",
    "datastore_search",
    "opendata_th_ingest_pdpa_decide",
    "opendata_th_ingest_run",
    "opendata_th_ingest_status",
]

DECISIONS = ("confirm", "drop", "mask")


def _resource_id(data_dict: dict[str, Any]) -> str:
    resource_id = data_dict.get("resource_id") or data_dict.get("id")
    if not resource_id:
        raise tk.ValidationError({"resource_id": ["Missing value"]})
    return str(resource_id)


def can_edit(context: dict[str, Any], resource_id: str) -> bool:
    try:
        tk.check_access("resource_update", {"user": context.get("user")}, {"id": resource_id})
    except tk.NotAuthorized:
        return False
    return True


@tk.side_effect_free
def opendata_th_ingest_status(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Load status of a resource: state, phase, rows_done/rows_total, duration, error, PDPA.

    :param resource_id: the resource
    """
    resource_id = _resource_id(data_dict)
    tk.check_access("opendata_th_ingest_status", context, {"resource_id": resource_id})
    view = status.public_view(status.checked(status.get(resource_id)))
    view["resource_id"] = resource_id
    view["phase_label"] = _phase_label(view.get("phase"))
    view["can_edit"] = can_edit(context, resource_id)
    if not view["can_edit"]:
        # Cell values and personal-data columns are for the agency's officers.
        if view.get("error"):
            view["error"] = {k: v for k, v in view["error"].items() if k != "value"}
        view.pop("pdpa_actions", None)
    return view


def _phase_label(phase: str | None) -> str | None:
    """The phase in the request's language (the raw phase name stays in `phase` for scripts)."""
    msgid = status.PHASES.get(phase or "")
    if msgid is None:
        return phase
    try:
        return str(tk._(msgid))
    except RuntimeError:  # no request: called from a script
        return msgid


def opendata_th_ingest_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a load of the resource (forced: even if its file has not changed).

    :param resource_id: the resource
    """
    resource_id = _resource_id(data_dict)
    tk.check_access("opendata_th_ingest_run", context, {"resource_id": resource_id})
    tk.get_action("resource_show")(context, {"id": resource_id})
    job_id = jobs.enqueue(resource_id, force=tk.asbool(data_dict.get("force", True)))
    return {"resource_id": resource_id, "job_id": job_id}


def opendata_th_ingest_pdpa_decide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Record a data officer's decision on personal-data columns.

    :param resource_id: the resource
    :param decision: "confirm" (publish as is), "drop" or "mask" the columns
    :param columns: column ids (default: every personal column found)
    """
    resource_id = _resource_id(data_dict)
    tk.check_access("opendata_th_ingest_pdpa_decide", context, {"resource_id": resource_id})
    decision = data_dict.get("decision")
    if decision not in DECISIONS:
        raise tk.ValidationError({"decision": [f"Must be one of {', '.join(DECISIONS)}"]})
    row = status.get(resource_id) or {}
    personal = [c["id"] for c in (row.get("pii_columns") or [])]
    columns = data_dict.get("columns") or personal
    if isinstance(columns, str):
        columns = [columns]
    if decision == "confirm":
        status.update(resource_id, pdpa_state=status.PDPA_CONFIRMED)
        return status.public_view(status.checked(status.get(resource_id)))
    actions = dict(row.get("pdpa_actions") or {})
    actions.update(dict.fromkeys(columns, decision))
    status.update(resource_id, pdpa_actions=actions)
    jobs.enqueue(resource_id, force=True)
    return status.public_view(status.checked(status.get(resource_id)))


# --- DataStore ------------------------------------------------------------------------


@tk.chained_action
@tk.side_effect_free
@existence.hiding_datastore_search  # a table the caller may not see answers like an unknown one (governance)
def datastore_search(original: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """`q` on a table we loaded: cut into Thai words like `_full_text` was, 'simple' config."""
    q = data_dict.get("q")
    resource_id = data_dict.get("resource_id")
    if isinstance(q, str) and q.strip() and resource_id and _loaded_here(str(resource_id)):
        if not data_dict.get("language"):
            data_dict = {**data_dict, "q": fulltext.search_query(q) or q, "language": fulltext.FTS_CONFIG}
        elif not q.lstrip().startswith("{"):  # a column search of the preview stays as it is
            data_dict = {**data_dict, "q": _previewed_search() or q}
    return original(context, data_dict)


def _loaded_here(resource_id: str) -> bool:
    row = status.get(resource_id)
    return bool(row and row.get("rows_total") is not None)


def _previewed_search() -> str:
    r"""The data preview's search box as its reader typed it, as a prefix query; "" outside the preview.

    CKAN's datatables_view passes the box through `re.sub(r'[^0-9a-zA-Z\-]+', '_', ...)`
    before calling datastore_search, which leaves nothing of Thai text; the
    reader's words are still in the request it answers.
    """
    if not has_request_context() or request.endpoint != "datatablesview.ajax":
        return ""
    return fulltext.prefix_query(str(request.form.get("search[value]") or ""))


def _type_overrides(resource_id: str) -> dict[str, str] | None:
    """{column id: type override} of a table this room loaded; None for any other table."""
    row = status.get(resource_id)
    if not row or row.get("rows_total") is None:
        return None
    connection = status.connect()
    try:
        dictionary = load.existing_dictionary(connection, resource_id)
    finally:
        connection.close()
    return {column: str(info.get("type_override") or "") for column, info in dictionary.items()}


@tk.chained_action
@existence.hiding(existence.resource_named("resource_id"), existence.missing_resource())
def datastore_create(original: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """The data dictionary form saves through here: a new type override re-loads the table in that type."""
    resource_id = data_dict.get("resource_id")
    fields = data_dict.get("fields")
    before = _type_overrides(str(resource_id)) if resource_id and isinstance(fields, list) else None
    result = original(context, data_dict)
    if before is not None and isinstance(fields, list):
        after = {
            str(field["id"]): str((field.get("info") or {}).get("type_override") or "")
            for field in fields
            if isinstance(field, dict) and field.get("id") and isinstance(field.get("info") or {}, dict)
        }
        if any(before.get(column, "") != override for column, override in after.items()):
            jobs.enqueue(str(resource_id), force=True)
    return result
