"""Harvesting agency catalogues into the central catalogue.

- `sourceconfig`: a harvest source's JSON configuration; the agency's API
  token is kept there and masked wherever the configuration is shown.
- `remote`: the agency's CKAN action API (listing, package_show), with
  bilingual errors that never carry the token.
- `mapping`: a remote dataset dict -> what the central catalogue saves
  (GD Catalog display values -> codes, no remote ids).
- `harvester`: the CKAN / GD Catalog harvester (gather, fetch, import);
  what may be taken is decided by `governance.harvest` only.
- `provenance`, `duplicates`, `status`: where a harvested dataset came
  from, the same dataset arriving twice, and per-source run reports.
- `rdf`: DCAT-AP sources (ckanext-dcat's RDF harvester): governance's
  scope on every parsed record, then what DCAT-AP cannot carry.
- `withdrawal`: a record that vanished or stopped qualifying is soft
  deleted or purged (configurable; classified records purged by default).
- `auth`, `actions`, `hooks`: read-only harvested datasets, the status
  action, token masking in shown and indexed source configurations.
- `views`: the status page of a source (/harvest/<id>/status).
Inventory entries (metadata only) are shown to government users by
governance (`governance.inventory`), not here.
"""
