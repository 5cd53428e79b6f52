"""Files the tests read from outside the repository, and where they are found.

Data files from elsewhere are never committed: the official SHACL shapes
(SEMICeu/DCAT-AP releases 3.0.1 and 3.0.0-hvd) and the real records and
files agencies published stay in a folder beside the clone.  Two settings
say where, each defaulting to that folder:

- ``ODTH_CONFORMANCE``: the shapes (default ``<clone>/../shared/conformance``);
- ``ODTH_CORPORA``: the agency records (default ``<clone>/../shared/corpora``).

``bin/stack test`` runs this module before anything else
(``python3 tests/outside.py``): when a file is missing it says which, and
where to get it, and the suite does not start.  It uses the standard
library only, since it runs before the virtualenv exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CLONE = Path(__file__).resolve().parents[1]

# DCAT-AP 3.0.1: the combined shapes plus every modular file (mandatory,
# recommended, ranges, controlled vocabularies, deprecated URIs).
DCAT_AP_SHAPES = (
    "dcat-ap-3.0.1/dcat-ap-SHACL.ttl",
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/shapes_recommended.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-3.0.1/mdr-vocabularies.shape.ttl",
    "dcat-ap-3.0.1/deprecateduris.ttl",
)
# DCAT-AP HVD 3.0.0: the combined shapes and the "full" set (which adds the
# DCAT-AP constraints HVD relies on).
HVD_SHAPES = ("dcat-ap-hvd-3.0.0/hvd-SHACL.ttl", "dcat-ap-hvd-3.0.0/hvd-SHACL-full.ttl")
GDC_RECORDS = "gdc_records/records.jsonl"
# Real agency files the ingest tests load (provenance in real_files/SOURCES.md).
REAL_FILES = ("dlt_new_cars_by_brand_2559.xls",)

_WHERE_FROM = {
    "ODTH_CONFORMANCE": (
        "the official SHACL shapes (CC-BY 4.0) of https://github.com/SEMICeu/DCAT-AP: folder dcat-ap-3.0.1/"
        " from releases/3.0.1/ and folder dcat-ap-hvd-3.0.0/ from releases/3.0.0-hvd/"
    ),
    "ODTH_CORPORA": (
        "real GD Catalog records saved from data.go.th's public API and real agency files"
        " (provenance in each folder's SOURCES.md)"
    ),
}


def _folder(setting: str, default: str) -> Path:
    return Path(os.environ.get(setting) or CLONE.parent / "shared" / default)


def conformance() -> Path:
    return _folder("ODTH_CONFORMANCE", "conformance")


def corpora() -> Path:
    return _folder("ODTH_CORPORA", "corpora")


def gdc_records() -> Path:
    return corpora() / GDC_RECORDS


def real_file(name: str) -> Path:
    return corpora() / "real_files" / name


def missing() -> list[tuple[str, Path]]:
    """(setting, path) of every file the suite needs that is not there."""
    wanted = [("ODTH_CONFORMANCE", conformance() / name) for name in DCAT_AP_SHAPES + HVD_SHAPES]
    wanted.append(("ODTH_CORPORA", gdc_records()))
    wanted += [("ODTH_CORPORA", real_file(name)) for name in REAL_FILES]
    return [(setting, path) for setting, path in wanted if not path.is_file()]


def report(absent: list[tuple[str, Path]]) -> str:
    lines = ["The test suite needs files that are kept outside the repository, and these are missing:"]
    lines += [f"  {path}" for _setting, path in absent]
    for setting in dict.fromkeys(setting for setting, _path in absent):
        lines.append(f"{setting} points at {_WHERE_FROM[setting]}.")
        lines.append(f"  Put them there, or run with {setting}=<folder>.")
    return "\n".join(lines)


def main() -> int:
    absent = missing()
    if absent:
        print(report(absent), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
