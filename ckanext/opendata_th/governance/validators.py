"""Validators the schema may put on its fields (registered with IValidators).

The actions enforce the rules whatever the schema says; these let the
schema show the same error next to the field together with its other
errors (add `opendata_th_classification_for_category` to the validators of
`data_classification`, after the value is normalised).
"""

from __future__ import annotations

from typing import Any

from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.opendata_th.governance import rules

__all__ = ["opendata_th_classification_for_category"]


def opendata_th_classification_for_category(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> Any:
    """Reject a classification the dataset's data_category does not allow."""
    category = data.get((*key[:-1], rules.CATEGORY))
    message = rules.classification_error(category, data.get(key))
    if message and message not in errors[key]:
        errors[key].append(message)
