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
- `auth`, `actions`, `hooks`: read-only harvested datasets, the status
  action, token masking in shown and indexed source configurations.
"""
