"""The CKAN / GD Catalog harvester (ckanext-harvest's gather, fetch and import stages).

gather: one cheap listing of the source (ids and metadata_modified) against
        what earlier runs saw: a record is fetched only when it is new,
        changed or failed last time; a record the source no longer lists is
        queued for withdrawal.  A source that is down or malformed gives a
        gather error and nothing in the catalogue changes.
fetch:  package_show for the record (the token goes in the header only).
import: GD Catalog values -> codes (`mapping`), then governance's
        `remote_decision` decides: full (with resources, public),
        metadata_only (no resources or links, private to the agency) or none
        (withdrawn if it was here).  A record without a classification is
        judged by the level its category defaults to, so a public GD Catalog
        2.1 record stays public.  The central dataset belongs to the source's
        agency.  A record that duplicates a dataset already in the catalogue
        is flagged, not saved.
Every outcome is kept on the harvest object for status and provenance, and
every record not imported or imported differently from the source gets
`notes` saying what happened and why (status page and job report).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ckanext.opendata_th.gdc import template
from ckanext.opendata_th.governance import harvest as governance
from ckanext.opendata_th.governance import rules
from ckanext.opendata_th.harvest import duplicates, mapping, notes, records, sourceconfig, stagecontext, withdrawal
from ckanext.opendata_th.harvest.remote import NotAvailable, Remote, RemoteError
from ckanext.opendata_th.lib.i18n import bilingual

log = logging.getLogger(__name__)

# Set in the context of the harvester's own writes; the read-only auth chain lets these through.
HARVEST_CONTEXT_FLAG = "opendata_th_harvest"


def _errors_text(error: tk.ValidationError) -> str:
    parts: list[str] = []
    for field, messages in (error.error_dict or {}).items():
        if isinstance(messages, list):
            parts.append(f"{field}: " + "; ".join(str(message) for message in messages))
        else:
            parts.append(f"{field}: {messages}")
    return " | ".join(parts) or str(error)


def _storable(remote: dict[str, Any]) -> tuple[dict[str, Any], governance.RemoteDecision]:
    """What a harvest object may keep of the agency's record (no more than governance lets in), and why.

    ckanext-harvest serves stored objects through its API and pages, so a
    record the central catalogue may not take is kept as its id alone, and a metadata-only one without the
    fields governance leaves out (data links).
    """
    mapped = mapping.central_dict(remote)
    decision = governance.remote_decision(mapped, public_at_source=not rules.as_bool(remote.get("private")))
    record = governance.harvest_record(mapped, decision.scope)
    if record is None:
        refused: dict[str, Any] = {"id": remote.get("id"), "state": "deleted"}
        if decision.classification in governance.CLASSIFIED:
            refused["classified"] = True  # the import purges what the catalogue held of it
        return refused, decision
    left_out = set(mapped) - set(record)
    return {key: value for key, value in remote.items() if key not in left_out}, decision


class OpendataThCkanHarvester(HarvesterBase):
    """Harvests CKAN catalogues with this extension and GD Catalog instances through the action API."""

    def info(self) -> dict[str, str]:
        return {
            "name": "opendata_th_ckan",
            "title": "CKAN / GD Catalog (opendata_th)",
            "description": "Harvests agency CKAN and GD Catalog instances under the classification rules",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            sourceconfig.parse(config)
        except sourceconfig.ConfigError as error:
            raise ValueError(str(error)) from error
        return config

    # --- gather ----------------------------------------------------------------

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        with stagecontext.translatable():
            return self._gather(harvest_job)

    def _gather(self, harvest_job: HarvestJob) -> list[str] | None:
        source = harvest_job.source
        try:
            config = sourceconfig.parse(source.config)
            listing = Remote(source.url, config).modified_by_id()
        except (sourceconfig.ConfigError, RemoteError) as error:
            log.warning("Harvest source %s: %s", source.id, error)
            self._save_gather_error(str(error), harvest_job)
            return None
        seen = {} if config.force_all else records.last_seen(source.id)
        object_ids: list[str] = []
        for guid, modified in listing.items():
            state, last_modified = seen.get(guid, (None, None))
            if state == "COMPLETE" and last_modified == modified:
                continue
            object_ids.append(self._new_object(harvest_job, guid, "change", modified))
        for guid, package_id in records.current_guids(source.id).items():
            if guid not in listing:
                object_ids.append(self._new_object(harvest_job, guid, "delete", None, package_id))
        log.info("Harvest source %s: %d of %d records to process", source.id, len(object_ids), len(listing))
        return object_ids

    def _new_object(
        self, job: HarvestJob, guid: str, action: str, modified: str | None, package_id: str | None = None
    ) -> str:
        extras = [HarvestObjectExtra(key=records.ACTION, value=action)]
        if modified is not None:
            extras.append(HarvestObjectExtra(key=records.SOURCE_MODIFIED, value=modified))
        obj = HarvestObject(guid=guid, job=job, extras=extras, package_id=package_id)
        obj.save()
        return str(obj.id)

    # --- fetch -----------------------------------------------------------------

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        with stagecontext.translatable():
            return self._fetch(harvest_object)

    def _fetch(self, harvest_object: HarvestObject) -> bool:
        if records.extra_value(harvest_object, records.ACTION) == "delete":
            return True
        source = harvest_object.source
        try:
            remote = Remote(source.url, sourceconfig.parse(source.config))
            dataset = remote.package_show(harvest_object.guid)
        except NotAvailable:
            # Deleted, or no longer readable with the agency's token: it no longer qualifies.
            dataset = {"id": harvest_object.guid, "state": "deleted"}
        except (sourceconfig.ConfigError, RemoteError) as error:
            self._save_object_error(str(error), harvest_object, "Fetch")
            records.set_extra(harvest_object, records.OUTCOME, "failed")
            harvest_object.save()
            return False
        stored, decision = _storable(dataset)
        if stored.get("state") == "deleted":  # refused: the reason is known only here, from the full record
            # its name only in the notes (who may see the status), and not even that when classified
            name = None if stored.get("classified") else str(dataset.get("name") or "") or None
            notes.keep(harvest_object, notes.decision_notes(decision), name)
        if stored.get("name"):  # a record the catalogue may not hold is not even named
            records.set_extra(harvest_object, records.ORIGINAL_URL, remote.dataset_url(str(stored["name"])))
        harvest_object.content = json.dumps(stored)
        harvest_object.save()
        return True

    # --- import ----------------------------------------------------------------

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        with stagecontext.translatable():
            return self._import_stage(harvest_object)

    def _import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            outcome = self._import(harvest_object)
        except tk.ValidationError as error:
            model.Session.rollback()
            return self._failed(
                harvest_object,
                bilingual("The record does not meet the metadata standard: %(errors)s", errors=_errors_text(error)),
            )
        except Exception as error:  # a record must never stop the run
            model.Session.rollback()
            log.exception("Harvest object %s failed", harvest_object.id)
            return self._failed(harvest_object, bilingual("The record could not be saved: %(error)s", error=str(error)))
        records.set_extra(harvest_object, records.OUTCOME, outcome)
        harvest_object.save()
        if outcome == "duplicate":
            return False
        return "unchanged" if outcome in ("unchanged", "skipped") else True

    def _failed(self, harvest_object: HarvestObject, message: str) -> bool:
        harvest_object = HarvestObject.get(harvest_object.id)  # reloaded after the rollback
        self._save_object_error(message, harvest_object, "Import")
        records.set_extra(harvest_object, records.OUTCOME, "failed")
        harvest_object.save()
        return False

    def _context(self) -> dict[str, Any]:
        return {
            "model": model,
            "session": model.Session,
            "user": self._get_user_name(),
            "ignore_auth": True,
            HARVEST_CONTEXT_FLAG: True,
        }

    def _import(self, harvest_object: HarvestObject) -> str:
        source = harvest_object.source
        existing = records.central_package(source.id, harvest_object.guid)
        if records.extra_value(harvest_object, records.ACTION) == "delete":
            # a purge leaves nothing of the record, not even its name in the report
            purged = withdrawal.mode(classified=False) == "purge"
            notes.keep(harvest_object, [notes.Note("gone")], None if existing is None or purged else existing.name)
            return self._withdraw(harvest_object, existing)
        try:
            remote = json.loads(harvest_object.content or "")
        except ValueError:
            remote = None
        if not isinstance(remote, dict):
            raise tk.ValidationError({"content": [bilingual("The record is not a JSON object")]})
        if remote.get("type") not in (None, "", "dataset"):
            notes.keep(harvest_object, [notes.Note("not_dataset", {"type": str(remote["type"])})], remote.get("name"))
            return self._withdraw(harvest_object, existing)
        data = mapping.central_dict(remote)
        decision = governance.remote_decision(data, public_at_source=not rules.as_bool(remote.get("private")))
        record = governance.harvest_record(data, decision.scope)
        if record is None:
            if not notes.stored(harvest_object):  # the fetch stage kept the reason it saw in the full record
                notes.keep(harvest_object, notes.decision_notes(decision))
            return self._withdraw(harvest_object, existing, classified=bool(remote.get("classified")))
        owner_org = model.Package.get(source.id).owner_org if model.Package.get(source.id) else None
        duplicate = duplicates.find(
            source.id, harvest_object.guid, {**record, "name": remote.get("name")}, owner_org, existing and existing.id
        )
        if duplicate is not None:
            self._save_object_error(duplicate.message(harvest_object.guid), harvest_object, "Import")
            records.set_extra(harvest_object, records.DUPLICATE_OF, duplicate.package_id)
            return "duplicate"
        outcome, saved = self._save(
            harvest_object, existing, record, decision.scope, owner_org, str(remote.get("name") or "")
        )
        known = [field["field_name"] for field in template.dataset_fields()]
        notes.keep(
            harvest_object,
            notes.decision_notes(decision)
            + notes.classification_note(decision, saved.get(rules.CLASSIFICATION))
            + notes.mapping_notes(remote, record, known),
            str(remote.get("name") or "") or None,
        )
        return outcome

    def _save(
        self,
        harvest_object: HarvestObject,
        existing: model.Package | None,
        record: dict[str, Any],
        scope: str,
        owner_org: str | None,
        remote_name: str,
    ) -> tuple[str, dict[str, Any]]:
        data = dict(record, owner_org=owner_org, private=scope != "full")
        # What governance left out of a metadata-only record is cleared, not kept from an earlier full harvest.
        for key, empty in (("resources", []), ("url", "")):
            data.setdefault(key, empty)
        data.pop("state", None)
        if existing is not None:
            was_full = existing.state == "active" and not existing.private
            data.update(id=existing.id, name=existing.name, state="active")
            saved = tk.get_action("package_update")(self._context(), data)
            outcome = "downgraded" if was_full and scope != "full" else "updated"
        else:
            data["name"] = self._gen_new_name(remote_name or str(record.get("title") or ""))
            saved = tk.get_action("package_create")(self._context(), data)
            existing = model.Package.get(saved["id"])
            outcome = "created"
        self._make_current(harvest_object, existing.id, current=True)
        if scope == "metadata_only":
            # Governance labels an inventory entry by its current harvest object, which exists only now.
            search.rebuild(existing.id)
        return outcome, saved

    def _withdraw(self, harvest_object: HarvestObject, existing: model.Package | None, classified: bool = False) -> str:
        """Soft delete or purge (`withdrawal.mode`); a purge also clears what an earlier soft delete left."""
        if existing is None:
            return "skipped"
        if withdrawal.mode(classified) == "purge":
            withdrawal.purge(
                harvest_object.harvest_source_id, harvest_object.guid, existing.id, self._context(), harvest_object.id
            )
            return "withdrawn"
        if existing.state != "active":
            return "skipped"
        tk.get_action("package_delete")(self._context(), {"id": existing.id})
        self._make_current(harvest_object, existing.id, current=False)
        return "withdrawn"

    def _make_current(self, harvest_object: HarvestObject, package_id: str, current: bool) -> None:
        model.Session.query(HarvestObject).filter(
            HarvestObject.package_id == package_id, HarvestObject.id != harvest_object.id
        ).update({"current": False}, synchronize_session=False)
        harvest_object.package_id = package_id
        harvest_object.current = current
        harvest_object.save()
