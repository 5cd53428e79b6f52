"""The licence list CKAN loads, generated from vocab/license.yaml.

CKAN reads its licences from `licenses_group_url` (a JSON list, file:// or
http) before any plugin code can supply them, so the list is generated
into schema/licenses.json and committed; tests/schema/test_licenses.py
fails when the two differ.  Regenerate with:

    .venv/bin/python -m ckanext.opendata_th.schema.licenses

Each entry has CKAN's keys (`id`, `title` in English, `url`, conformance)
plus `title_th`, the Thai title.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

from ckanext.opendata_th import vocab

__all__ = ["JSON_PATH", "ckan_licenses", "render"]

JSON_PATH = pathlib.Path(__file__).with_name("licenses.json")


def ckan_licenses() -> list[dict[str, Any]]:
    """The licences in CKAN's licence-list format, in vocabulary order."""
    return [
        {
            "id": term.code,
            "title": term.label["en"],
            "title_th": term.label["th"],
            "url": term.uri or "",
            "family": term.extra.get("family", ""),
            "od_conformance": term.extra.get("od_conformance", "not reviewed"),
            "osd_conformance": term.extra.get("osd_conformance", "not reviewed"),
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "is_generic": term.code in {"notspecified", "other"},
            "status": "active",
            "maintainer": "",
        }
        for term in vocab.get("license")
    ]


def render() -> str:
    return json.dumps(ckan_licenses(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    JSON_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {JSON_PATH}")
