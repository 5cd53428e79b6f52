"""Actions: the harvest status, and the agency's API token kept out of every answer.

ckanext-harvest shows a source's configuration in harvest_source_show,
harvest_source_list and package_show of the source; the token in it is
replaced by a mask there (see `hooks` for package_show and the index), and an
update that sends the mask back keeps the stored token.

A source's URL must be an address the catalogue may fetch (lib/fetch.py):
a source on a non-public address is refused when it is created or updated,
unless a sysadmin allow-listed its host.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import auth_audit_exempt
from ckan.types import Action, Context, DataDict
from ckanext.harvest.model import HarvestSource

from ckanext.opendata_th.harvest import auth, remote, sourceconfig, status

__all__ = [
    "harvest_source_list",
    "harvest_source_show",
    "opendata_th_harvest_status",
    "package_create",
    "package_update",
]

HARVEST_TYPE = "harvest"


def _masked(source: Any) -> Any:
    if not isinstance(source, dict):
        return source
    masked = {
        key: (sourceconfig.MASK if key in sourceconfig.TOKEN_KEYS and value else value) for key, value in source.items()
    }
    if "config" in masked:
        masked["config"] = sourceconfig.masked(masked.get("config"))
    return masked


@tk.side_effect_free
def opendata_th_harvest_status(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A harvest source's last run and what it holds in the catalogue.

    :param id: the harvest source's id
    :returns: ``{source_id, title, url, type, last_run: {status, created, finished,
        counts: {created, updated, downgraded, withdrawn, unchanged, skipped, duplicate, failed},
        source_error, gather_errors, record_errors: [{source_identifier, stage, message}]} | None,
        datasets: {full, metadata_only},
        reported: [{source_identifier, remote_name, outcome, job_id,
        notes: [{code, values, what, why}]}]}``: every record whose latest harvest
        did not import it, or imported it differently from the source; ``what``
        and ``why`` are in Thai and English
    """
    tk.check_access("opendata_th_harvest_status", context, data_dict)
    source = HarvestSource.get(str(tk.get_or_bust(data_dict, "id")))
    if source is None:
        raise tk.ObjectNotFound()
    return status.source_status(source)


@tk.chained_action
@tk.side_effect_free
@auth_audit_exempt  # like the action it wraps: package_show checks access
def harvest_source_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _masked(next_action(context, data_dict))


@tk.chained_action
@tk.side_effect_free
@auth_audit_exempt  # like the action it wraps
def harvest_source_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return [_masked(source) for source in next_action(context, data_dict)]


def _refuse_unfetchable_source(data_dict: DataDict) -> None:
    if data_dict.get("type") != HARVEST_TYPE or not data_dict.get("url"):
        return
    refusal = remote.source_url_refusal(str(data_dict["url"]))
    if refusal is not None:
        raise tk.ValidationError({"url": [refusal]})


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A harvest source is created only on an address the catalogue may fetch."""
    _refuse_unfetchable_source(data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A harvest source saved with the masked token keeps its stored token; harvested datasets stay read-only.

    The read-only rule is also checked here because CKAN lets sysadmins
    through the package_update auth chain before it runs (its outermost link,
    governance's, does not bind sysadmins).  Internal writes (`ignore_auth`:
    the harvester, background jobs) are not edits by a person.
    """
    if not context.get("ignore_auth"):
        auth.refuse_central_edit(data_dict)
    _refuse_unfetchable_source(data_dict)
    if data_dict.get("type") == HARVEST_TYPE and "config" in data_dict:
        stored = HarvestSource.get(str(data_dict.get("id") or ""))
        if stored is not None:
            data_dict = dict(data_dict, config=sourceconfig.restored(data_dict.get("config"), stored.config))
    return next_action(context, data_dict)
