"""schemathesis (a real client) against the running app, from the generated OpenAPI document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.opendata_th.api.rate_limit.enabled", "false"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis"),
]

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def test_stateless_checks_on_every_operation(table, live_server, tmp_path: Path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    spec = f"{live_server}/api/opendata/v1/resources/{table.resource_id}/openapi.json"
    done = subprocess.run(
        [
            str(schemathesis),
            "run",
            spec,
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "40",
            "--workers",
            "1",
            "--seed",
            "20261127",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "Tested: 3" in done.stdout and "No issues found" in done.stdout, done.stdout[-3000:]
