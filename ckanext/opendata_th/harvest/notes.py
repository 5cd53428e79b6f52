"""Why a remote record was not imported, or was imported differently from the source.

Nothing is skipped or changed in silence: every such record gets notes on
its harvest object.  A note is a code with its values, kept twice:

- as JSON in the object's `notes` extra, so the status page says it in the
  reader's language (`text`, translated when the page is rendered);
- as a harvest object error in stage `STAGE` with the text in both
  languages, so ckanext-harvest's job report and API list it too.

The messages are ordinary msgids (English) with their Thai in the harvest
i18n part; nothing here is Thai.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from typing import Any

from ckanext.harvest.model import HarvestObject, HarvestObjectError

from ckanext.opendata_th.gdc import compat
from ckanext.opendata_th.governance import rules
from ckanext.opendata_th.governance.harvest import RemoteDecision
from ckanext.opendata_th.harvest import records
from ckanext.opendata_th.lib.i18n import bilingual

NOTES = "notes"  # the harvest object extra holding the notes as JSON
STAGE = "Report"  # the harvest object error stage of a note (not a failure of fetch or import)
REMOTE_NAME = "remote_name"  # the harvest object extra with the record's name at the source


def _(msgid: str) -> str:
    """Marks a msgid for extraction; it is translated when a note is shown."""
    return msgid


# code -> (what happened, why); %(name)s are the note's values.
MESSAGES: dict[str, tuple[str, str]] = {
    "deleted": (
        _("Not imported"),
        _("The record is deleted at the source, or the agency's token can no longer read it."),
    ),
    "not_dataset": (
        _("Not imported"),
        _('The record is of type "%(type)s", not a dataset.'),
    ),
    "classified": (
        _("Not imported"),
        _(
            "Its classification is %(classification)s: classified information, not even its metadata "
            "may be kept outside its agency without the agency's consent (allow_harvest)."
        ),
    ),
    "no_consent": (
        _("Not imported"),
        _(
            "Its data category %(category)s / classification %(classification)s is not open, and its agency "
            "has not allowed the central inventory to list it (allow_harvest)."
        ),
    ),
    "private": (
        _("Not imported"),
        _("The record is private at the source and has no data category that allows harvesting it."),
    ),
    "gone": (
        _("Withdrawn from the catalogue"),
        _("The source no longer lists the record."),
    ),
    "metadata_only": (
        _("Imported as an inventory entry (metadata only, private to the agency)"),
        _(
            "Its data category %(category)s / classification %(classification)s is not open; its agency allows "
            "the central inventory to list its metadata, never its resources or links to the data."
        ),
    ),
    "made_private": (
        _("Public at the source, private here"),
        _("Its data category %(category)s / classification %(classification)s is not open."),
    ),
    "classification_defaulted": (
        _("Classification set to %(classification)s"),
        _(
            "The record has no classification; %(classification)s is the lowest level its data category "
            "%(category)s allows."
        ),
    ),
    "to_other": (
        _("%(field)s set to \u201cother\u201d"),
        _("\u201c%(value)s\u201d is not in the list of %(field)s; it is kept as the \u201cother\u201d text."),
    ),
    "field_dropped": (
        _("%(field)s not kept"),
        _("This catalogue has no field %(field)s."),
    ),
    "upload_kept_remote": (
        _("Resource \u201c%(resource)s\u201d links to the source"),
        _("Its file was uploaded to the source and is not copied here; the resource keeps the address %(url)s."),
    ),
}


@dataclasses.dataclass(frozen=True)
class Note:
    code: str
    values: dict[str, str] = dataclasses.field(default_factory=dict)

    def text(self, translate: Callable[[str], str]) -> tuple[str, str]:
        """(what happened, why) with `translate` (the page's gettext, or one language of `bilingual`)."""
        what, why = MESSAGES[self.code]
        return translate(what) % self.values, translate(why) % self.values

    def bilingual(self) -> tuple[str, str]:
        """(what happened, why) in Thai and English, for the API and the job report."""
        what, why = MESSAGES[self.code]
        return bilingual(what, **self.values), bilingual(why, **self.values)


def decision_notes(decision: RemoteDecision) -> list[Note]:
    """The notes governance's decision on a record calls for (none for an open record taken in full)."""
    levels = {
        "category": rules.display(rules.CATEGORY, decision.category),
        "classification": rules.display(rules.CLASSIFICATION, decision.classification),
    }
    found: list[Note] = []
    if decision.reason is not None:
        found.append(Note(decision.reason, levels if decision.reason in ("classified", "no_consent") else {}))
    if decision.scope == "metadata_only":
        found.append(Note("metadata_only", levels))
        if decision.made_private:
            found.append(Note("made_private", levels))
    return found


def classification_note(decision: RemoteDecision, saved_classification: Any) -> list[Note]:
    """The note for a record saved without its own classification (the level the save gave it)."""
    if not decision.classification_defaulted or not saved_classification:
        return []
    return [
        Note(
            "classification_defaulted",
            {
                "category": rules.display(rules.CATEGORY, decision.category),
                "classification": rules.display(rules.CLASSIFICATION, saved_classification),
            },
        )
    ]


def stored(obj: HarvestObject) -> list[Note]:
    """The notes kept on a harvest object."""
    try:
        loaded = json.loads(records.extra_value(obj, NOTES) or "[]")
    except ValueError:
        return []
    return [
        Note(str(item["code"]), {str(k): str(v) for k, v in (item.get("values") or {}).items()})
        for item in loaded
        if isinstance(item, dict) and item.get("code") in MESSAGES
    ]


def keep(obj: HarvestObject, notes: Iterable[Note], remote_name: str | None = None) -> None:
    """Adds `notes` to the object (extra and job report); the caller saves the object.

    `remote_name` is the record's name at the source, for readers who do not
    know its id; none for a classified record (its name stays with its agency).
    """
    notes = list(notes)
    if not notes:
        return
    if remote_name:
        records.set_extra(obj, REMOTE_NAME, remote_name)
    kept = stored(obj)
    fresh = [note for note in notes if note not in kept]
    records.set_extra(obj, NOTES, json.dumps([dataclasses.asdict(note) for note in kept + fresh], ensure_ascii=False))
    named = remote_name or records.extra_value(obj, REMOTE_NAME)
    for note in fresh:
        what, why = note.bilingual()
        message = f"{named}: {what}: {why}" if named else f"{what}: {why}"
        HarvestObjectError(object=obj, stage=STAGE, message=message).save()


def remote_name(obj: HarvestObject) -> str | None:
    return records.extra_value(obj, REMOTE_NAME)


# What every CKAN record carries about itself, not about the data: never a field this catalogue drops.
_BOOKKEEPING = frozenset(
    {
        "id", "name", "type", "state", "private", "owner_org", "organization", "groups", "tags", "resources",
        "extras", "creator_user_id", "metadata_created", "metadata_modified", "revision_id", "num_resources",
        "num_tags", "relationships_as_object", "relationships_as_subject", "license_title", "license_url",
        "isopen", "tracking_summary",
    }
)  # fmt: skip


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})


def _text(value: Any) -> str:
    return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _dropped_extras(remote: dict[str, Any], mapped: dict[str, Any]) -> list[Note]:
    """Extras with a value that neither became a field nor stayed an extra (1.x keys do one or the other)."""
    kept = set(mapped) | {str(item.get("key")) for item in mapped.get("extras") or [] if isinstance(item, dict)}
    kept |= compat.legacy_keys()
    found: list[Note] = []
    for item in remote.get("extras") or []:
        if not isinstance(item, dict) or not _given(item.get("value")):
            continue
        key = str(item.get("key") or "")
        if key and not key.startswith("harvest_") and key not in kept:
            found.append(Note("field_dropped", {"field": key}))
    return found


def mapping_notes(remote: dict[str, Any], mapped: dict[str, Any], known_fields: Iterable[str]) -> list[Note]:
    """What the mapping changed: values moved to "other", fields not kept, uploads left at the source.

    `known_fields` are the central dataset schema's field names.
    """
    known = set(known_fields)
    found: list[Note] = []
    for key, value in mapped.items():
        base = key[: -len("_other")]
        if key.endswith("_other") and _given(value) and value != remote.get(key) and base in mapped:
            found.append(Note("to_other", {"field": base, "value": _text(value)}))
    for key, value in remote.items():
        if key in known or key in _BOOKKEEPING or key in mapped or key in compat.legacy_keys():
            continue
        if _given(value):
            found.append(Note("field_dropped", {"field": key}))
    found.extend(_dropped_extras(remote, mapped))
    if "resources" in mapped:  # a metadata-only record keeps no resources: its note says so already
        for resource in remote.get("resources") or []:
            if isinstance(resource, dict) and resource.get("url_type") == "upload":
                name = str(resource.get("name") or resource.get("id") or "")
                found.append(Note("upload_kept_remote", {"resource": name, "url": str(resource.get("url") or "")}))
    return found
