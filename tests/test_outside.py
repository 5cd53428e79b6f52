"""A clone with nothing beside it says what is missing before the suite starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import outside


def _check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ODTH_CONFORMANCE": str(tmp_path / "none"), "ODTH_CORPORA": str(tmp_path / "none"), **settings}
    return subprocess.run(
        [sys.executable, str(outside.CLONE / "tests" / "outside.py")], env=env, capture_output=True, text=True
    )


def test_the_files_beside_this_clone_are_all_there():
    assert outside.missing() == []


def test_without_the_shapes_it_names_each_missing_file_the_setting_and_where_to_get_them(tmp_path):
    answer = _check(tmp_path, ODTH_CORPORA=str(outside.corpora()))

    assert answer.returncode == 2
    for name in outside.DCAT_AP_SHAPES + outside.HVD_SHAPES:
        assert str(tmp_path / "none" / name) in answer.stderr
    assert "ODTH_CONFORMANCE" in answer.stderr and "SEMICeu/DCAT-AP" in answer.stderr
    assert "ODTH_CORPORA" not in answer.stderr


def test_the_settings_point_the_suite_at_another_folder(tmp_path):
    shapes = tmp_path / "shapes"
    for name in outside.DCAT_AP_SHAPES + outside.HVD_SHAPES:
        (shapes / name).parent.mkdir(parents=True, exist_ok=True)
        (shapes / name).write_bytes((outside.conformance() / name).read_bytes())

    answer = _check(tmp_path, ODTH_CONFORMANCE=str(shapes), ODTH_CORPORA=str(outside.corpora()))

    assert (answer.returncode, answer.stderr) == (0, "")


def test_bin_stack_test_stops_before_starting_anything(tmp_path):
    env = {**os.environ, "ODTH_CONFORMANCE": str(tmp_path / "none")}
    answer = subprocess.run(
        [str(outside.CLONE / "bin" / "stack"), "test"], env=env, capture_output=True, text=True, timeout=60
    )

    assert answer.returncode == 2
    assert "ODTH_CONFORMANCE" in answer.stderr
    assert "Running the test suite" not in answer.stderr and "Starting" not in answer.stderr
