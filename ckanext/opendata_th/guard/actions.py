"""Chained CKAN actions (ACTION_MODULES): writes and collaborator lists on a hidden dataset answer "not found".

Reads already follow governance's existence rule (`governance.existence`):
to anyone who may not see a dataset, its ids answer like unknown ones.  A
refused write answered 403 where an unknown id answers 404, which told an
outsider the id is a real, classified dataset; these chains turn such a
refusal into the not-found error CKAN gives for an unknown id.  Whoever may
see the dataset keeps the refusal and its reason.  (``package_update`` and
the DataStore writes are chained by the governance, api and ingest rooms,
which apply the same wrapper; ``datastore_records_delete`` goes through
``datastore_delete``.)  Where CKAN answers an unknown resource with a
validation error (``resource_view_create``, ``datastore_create``: 409
"Resource not found"), a hidden one gets that error.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.opendata_th.governance import existence

__all__ = [
    "package_collaborator_create",
    "package_collaborator_delete",
    "package_collaborator_list",
    "package_delete",
    "package_patch",
    "resource_create",
    "resource_delete",
    "resource_patch",
    "resource_update",
    "resource_view_create",
    "resource_view_delete",
    "resource_view_update",
]


def _as_is(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return next_action(context, data_dict)


def _hiding(find: existence.Finder, unknown: existence.Unknown, *, read: bool = False) -> Action:
    hidden = existence.hiding(find, unknown)(_as_is)
    return tk.chained_action(tk.side_effect_free(hidden) if read else hidden)


_DATASET = existence.package_named()
_UNKNOWN_DATASET = existence.plain_not_found

package_patch = _hiding(_DATASET, _UNKNOWN_DATASET)
package_delete = _hiding(_DATASET, _UNKNOWN_DATASET)
package_collaborator_create = _hiding(_DATASET, existence.not_found("Dataset not found"))
package_collaborator_delete = _hiding(_DATASET, existence.not_found("Dataset not found"))
package_collaborator_list = _hiding(_DATASET, existence.not_found("Package not found"), read=True)
resource_create = _hiding(existence.package_named("package_id"), _UNKNOWN_DATASET)
resource_update = _hiding(existence.resource_named("id"), existence.plain_not_found)
resource_patch = _hiding(existence.resource_named("id"), existence.plain_not_found)
resource_delete = _hiding(existence.resource_named("id"), existence.plain_not_found)
resource_view_update = _hiding(existence.view_named, existence.plain_not_found)
resource_view_delete = _hiding(existence.view_named, existence.plain_not_found)
resource_view_create = _hiding(existence.resource_named("resource_id"), existence.missing_resource())
