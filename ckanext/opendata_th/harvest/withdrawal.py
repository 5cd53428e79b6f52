"""Withdrawing a harvested dataset that vanished or stopped qualifying at its source.

Two ways, chosen by configuration: `delete` (CKAN's soft delete: the
central record stays in the database, hidden, and comes back in place if
the agency shares it again) or `purge` (dataset_purge: nothing remains).
A record that became classified at the source (`governance.is_classified`)
is purged by default, because no trace of classified metadata may remain in
the central catalogue: the dataset, its activity stream, and every copy of
the record the harvest tables kept (each is reduced to its identifier,
which incremental runs need).
"""

from __future__ import annotations

import json
from typing import Literal

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra

from ckanext.opendata_th.harvest import notes, records

WithdrawMode = Literal["delete", "purge"]
MODE_OPTION = "ckanext.opendata_th.harvest.withdraw"
CLASSIFIED_MODE_OPTION = "ckanext.opendata_th.harvest.withdraw_classified"
# A harvest object's extras that name the dataset at its source.
_NAMING_EXTRAS = (records.ORIGINAL_URL, notes.REMOTE_NAME)
# Notes and errors of earlier runs quote the record (its name, values, resource URLs).
_QUOTING_EXTRAS = (notes.NOTES,)


def mode(classified: bool) -> WithdrawMode:
    """The configured way; an unknown setting purges (fails towards leaving nothing behind)."""
    option, default = (CLASSIFIED_MODE_OPTION, "purge") if classified else (MODE_OPTION, "delete")
    return "delete" if str(tk.config.get(option) or default).strip().lower() == "delete" else "purge"


def stub(guid: str) -> str:
    """What a harvest object may keep of a record the catalogue may not hold: its identifier."""
    return json.dumps({"id": guid, "state": "deleted"})


def _scrub_objects(source_id: str, guid: str, package_id: str, current_id: str | None) -> None:
    """Every harvest object of the record (or of the dataset) keeps its identifier only and no dataset.

    The current object (`current_id`, the run that found the record
    classified) keeps its notes: they say why it is gone and quote nothing
    of it but its category and classification.
    """
    objects = (
        model.Session.query(HarvestObject)
        .filter(
            (HarvestObject.package_id == package_id)
            | ((HarvestObject.harvest_source_id == source_id) & (HarvestObject.guid == guid))
        )
        .all()
    )
    for obj in objects:
        if obj.content:
            obj.content = stub(obj.guid)
        obj.package_id = None
        obj.current = False
    object_ids = [obj.id for obj in objects]
    if object_ids:
        model.Session.query(HarvestObjectExtra).filter(
            HarvestObjectExtra.harvest_object_id.in_(object_ids), HarvestObjectExtra.key.in_(_NAMING_EXTRAS)
        ).delete(synchronize_session=False)
    earlier = [object_id for object_id in object_ids if object_id != current_id]
    if earlier:
        model.Session.query(HarvestObjectExtra).filter(
            HarvestObjectExtra.harvest_object_id.in_(earlier), HarvestObjectExtra.key.in_(_QUOTING_EXTRAS)
        ).delete(synchronize_session=False)
        model.Session.query(HarvestObjectError).filter(HarvestObjectError.harvest_object_id.in_(earlier)).delete(
            synchronize_session=False
        )


def _purge_activities(package_id: str) -> None:
    """The activity stream holds full copies of the dataset as it was."""
    if not p.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    model.Session.query(Activity).filter(Activity.object_id == package_id).delete(synchronize_session=False)


def purge(
    source_id: str, guid: str, package_id: str, context: dict[str, object], current_id: str | None = None
) -> None:
    """dataset_purge, after the harvest tables and the activity stream let go of the dataset.

    dataset_purge ends the database session: objects loaded before are
    detached afterwards (CKAN keeps their loaded values).
    """
    _scrub_objects(source_id, guid, package_id, current_id)
    _purge_activities(package_id)
    model.Session.commit()  # the foreign keys to the dataset are gone before it is
    tk.get_action("dataset_purge")(dict(context), {"id": package_id})
