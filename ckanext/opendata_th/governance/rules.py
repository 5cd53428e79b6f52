"""The classification rules, read from the vocabularies.

Pure functions over field values: no CKAN actions, no database.  Values
may arrive as codes, labels, URIs or GD Catalog display strings ("ลับ",
"ข้อมูลส่วนบุคคล"), so every decision normalises them first; a rule that
compared raw strings could be bypassed by spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckan.logic.validators import boolean_validator

from ckanext.opendata_th import vocab
from ckanext.opendata_th.lib.i18n import bilingual

CATEGORY = "data_category"
CLASSIFICATION = "data_classification"
ALLOW_HARVEST = "allow_harvest"

# Dataset types described by the national metadata standard.  Other types
# (e.g. ckanext-harvest's "harvest" sources) carry no classification.
GOVERNED_TYPES = frozenset({"dataset"})


def as_bool(value: Any) -> bool:
    """A flag read exactly as CKAN's `boolean_validator` reads it (None, "" and "on" are false)."""
    return bool(boolean_validator(value, {}))


def category_code(value: Any) -> str | None:
    """The data_category code for any accepted spelling; None if empty or unknown."""
    return vocab.get(CATEGORY).code_for(value) if value else None


def classification_code(value: Any) -> str | None:
    """The data_classification code for any accepted spelling; None if empty or unknown."""
    return vocab.get(CLASSIFICATION).code_for(value) if value else None


def allowed_classifications(category: Any) -> tuple[str, ...]:
    """Classification codes the category allows (none for an unknown category)."""
    code = category_code(category)
    if code is None:
        return ()
    return tuple(vocab.get(CATEGORY).term(code).extra.get("classifications", ()))


def is_open(category: Any, classification: Any) -> bool:
    """True only for a category and a classification both marked `public`.

    Missing or unknown values are not open: access fails closed.
    """
    category_c, classification_c = category_code(category), classification_code(classification)
    if category_c is None or classification_c is None:
        return False
    return bool(
        vocab.get(CATEGORY).term(category_c).extra.get("public")
        and vocab.get(CLASSIFICATION).term(classification_c).extra.get("public")
    )


def is_governed(dataset_type: str | None, fields: Mapping[str, Any]) -> bool:
    """Whether the classification rules apply to a dataset of this type with these fields."""
    return (dataset_type or "dataset") in GOVERNED_TYPES or CATEGORY in fields or CLASSIFICATION in fields


def display(vocabulary: str, value: Any) -> str:
    """A value as people read it in either language: "ลับ (Confidential)"."""
    if not value:
        return "-"
    code = vocab.get(vocabulary).code_for(value)
    if code is None:
        return str(value)
    term = vocab.get(vocabulary).term(code)
    return f"{term.label_for('th')} ({term.label_for('en')})"


def classification_error(category: Any, classification: Any) -> str | None:
    """The bilingual error when the classification is not allowed for the category.

    Unknown or missing values give no error here: the schema reports them.
    """
    if category_code(category) is None or classification_code(classification) is None:
        return None
    allowed = allowed_classifications(category)
    if classification_code(classification) in allowed:
        return None
    return bilingual(
        'Data classification "%(classification)s" is not allowed for data category "%(category)s". '
        "Allowed: %(allowed)s.",
        classification=display(CLASSIFICATION, classification),
        category=display(CATEGORY, category),
        allowed=", ".join(display(CLASSIFICATION, code) for code in allowed),
    )


def public_error(category: Any, classification: Any) -> str:
    """The bilingual error for a dataset that is not open but would be public."""
    return bilingual(
        "Only a dataset whose data category is public and whose classification is open may be public; "
        'this dataset is "%(category)s" / "%(classification)s". Make it private.',
        category=display(CATEGORY, category),
        classification=display(CLASSIFICATION, classification),
    )


def agency_required_error() -> str:
    return bilingual(
        "A dataset whose data category is not public or whose classification is not open must belong to an agency"
    )


def bulk_public_error(names: list[str]) -> str:
    return bilingual(
        "These datasets cannot be made public because their data category is not public "
        "or their classification is not open: %(datasets)s",
        datasets=", ".join(names),
    )


def members_only_error() -> str:
    return bilingual(
        "Only members of the dataset's agency may access a dataset "
        "whose data category is not public or whose classification is not open"
    )
