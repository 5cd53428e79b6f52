"""Hostile input files fail with a clear message, not a raw internal error."""

from __future__ import annotations

import pytest

from ckanext.opendata_th.ingest import readers
from ckanext.opendata_th.ingest.readers import IngestError, Limits


def test_deeply_nested_json_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(IngestError) as caught:
        readers.open_sheets(str(path), "json", Limits())
    assert caught.value.msgid == "The JSON is nested too deeply; rows must be a flat array of objects"
