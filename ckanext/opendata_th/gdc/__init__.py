"""GD Catalog metadata spreadsheet: import (background jobs) and export.

template.py  the workbook's sheets and columns, read from the schema
values.py    cell values <-> codes, B.E. <-> C.E. dates, formula guard
reader.py    workbook -> rows keyed by field name (read-only mode)
importer.py  the import job: one action call per row, per-row report
status.py    import state, file and report in Redis (with a TTL)
exporter.py  datasets -> workbook (write-only mode)
actions.py, auth.py, views.py, cli.py  the ways in
"""

from __future__ import annotations

from flask import Blueprint


def get_blueprint() -> Blueprint:
    from ckanext.opendata_th.gdc.views import blueprint

    return blueprint
