"""`ckan opendata-th gdc import|export`."""

from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import openpyxl
import pytest
from ckan.cli.cli import ckan

from tests.conftest import PLUGINS
from tests.gdc import workbook

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_redis", "with_extended_cli"),
]


def test_import_then_export_from_the_command_line(cli, agency, tmp_path):
    source = tmp_path / "gdc.xlsx"
    source.write_bytes(workbook.build({"record": [workbook.RECORD_ROW]}))

    result = cli.invoke(
        ckan, ["opendata-th", "gdc", "import", str(source), "--org", "oae", "--user", agency.editor["name"]]
    )

    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 0 rejected" in result.output
    assert tk.get_action("package_show")({"ignore_auth": True}, {"id": "rice-farmers-register"})

    out = tmp_path / "out.xlsx"
    result = cli.invoke(ckan, ["opendata-th", "gdc", "export", "--org", "oae", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book["Temp2_Meta_Record"].cell(row=6, column=1).value == "rice-farmers-register"


def test_a_user_without_rights_is_refused(cli, agency, tmp_path):
    source = tmp_path / "gdc.xlsx"
    source.write_bytes(workbook.build({"record": [workbook.RECORD_ROW]}))

    result = cli.invoke(
        ckan, ["opendata-th", "gdc", "import", str(source), "--org", "oae", "--user", agency.outsider["name"]]
    )

    assert result.exit_code != 0
