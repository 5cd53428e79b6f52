"""High-value datasets (ชุดข้อมูลที่มีคุณค่าสูง, HVD).

- `categories`: the EU HVD categories (vocab/hvd_category.yaml) plus a site's
  national ones from config.
- `flags`: reading `high_value_dataset`, `hvd_category` and
  `applicable_legislation` (with the site-level default) from a dataset dict.
- `auth`, `validators`: who may flag a dataset as HVD, enforced on save.
- `compliance`: the HVD rules, each with a reason; `actions` exposes them.
- `report`, `views`: the /hvd page and its CSV / XLSX report.
- `search`: index fields, facets; `helpers`: badge and checklist.

DCAT output of the HVD fields lives in dcat/.
"""
