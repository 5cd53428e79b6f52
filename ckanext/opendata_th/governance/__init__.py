"""Data governance: the classification rules in one place.

Every decision about what may be public, who may read a dataset that is not
open, and what the central catalogue may harvest is taken here, from the
`data_category` and `data_classification` vocabularies; other rooms call
these functions and never re-decide.

- `rules`: category -> allowed classifications, what counts as open.
- `publishing`: the write side (chained package_create/update).
- `access`: the read side (permission labels, members-only auth).
- `inventory`: harvested metadata-only entries, also shown to signed-in
  government users (`ckanext.opendata_th.inventory.viewer_role`).
- `existence`: to anyone who may not see a dataset it does not exist
  (`may_see`, `is_hidden`; read actions answer "not found" to them), and
  `activity`: activity streams follow the current classification.
- `harvest`: `is_published` (public and open: DCAT, HVD), `harvest_scope` /
  `harvest_record` for harvesters and exporters, `is_classified` (nothing
  of it may remain in another catalogue).
"""

from __future__ import annotations

from ckanext.opendata_th.governance.access import PermissionLabels, is_restricted, may_read
from ckanext.opendata_th.governance.existence import is_hidden, may_see
from ckanext.opendata_th.governance.harvest import harvest_record, harvest_scope, is_classified, is_published
from ckanext.opendata_th.governance.publishing import governance_errors
from ckanext.opendata_th.governance.rules import allowed_classifications, is_open

__all__ = [
    "PermissionLabels",
    "allowed_classifications",
    "governance_errors",
    "harvest_record",
    "harvest_scope",
    "is_classified",
    "is_hidden",
    "is_open",
    "is_published",
    "is_restricted",
    "may_read",
    "may_see",
]
