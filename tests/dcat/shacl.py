"""Validation against the official SHACL shapes in ../shared/conformance.

The shapes are read from `<repo>/../shared/conformance` (CI checks the
shared folder out beside the clone).  Nothing is whitelisted: every result
of severity sh:Violation fails the test.  The vocabulary facts the range
and controlled-vocabulary shapes check (skos:Concept, skos:inScheme, the
classes of licences, frequencies, languages...) are in our own output, so
no ontology graph or inference is needed.
"""

from __future__ import annotations

import functools
import pathlib

import pyshacl
import pytest
from rdflib import Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")

CONFORMANCE = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "conformance"

# DCAT-AP 3.0.1: the combined shapes plus every modular file (mandatory,
# recommended, ranges, controlled vocabularies, deprecated URIs).
DCAT_AP = (
    "dcat-ap-3.0.1/dcat-ap-SHACL.ttl",
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/shapes_recommended.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-3.0.1/mdr-vocabularies.shape.ttl",
    "dcat-ap-3.0.1/deprecateduris.ttl",
)
# DCAT-AP HVD 3.0.0: the combined shapes and the "full" set (which adds the
# DCAT-AP constraints HVD relies on).
HVD = ("dcat-ap-hvd-3.0.0/hvd-SHACL.ttl", "dcat-ap-hvd-3.0.0/hvd-SHACL-full.ttl")


# dcat-ap-SHACL.ttl (3.0.1) lists two property shapes of dcat:DataServiceShape
# that it never defines (no path, no constraint).  pyshacl refuses such a
# graph; dropping the two dangling links removes no constraint at all.
DANGLING = frozenset(
    f"https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/{digest}"
    for digest in ("dc08f4dca4377fade57f89454e3fa06a8389d314", "eb3ac4e4fdde2e2588a9502c5956060a18c5c99f")
)


def _drop_dangling(graph: Graph) -> None:
    dangling = [(s, o) for s, o in graph.subject_objects(SH.property) if (o, None, None) not in graph]
    unexpected = {str(o) for _s, o in dangling} - DANGLING
    assert not unexpected, f"undefined property shapes in the official shapes: {unexpected}"
    for subject, obj in dangling:
        graph.remove((subject, SH.property, obj))


@functools.cache
def shapes(files: tuple[str, ...]) -> Graph:
    if not CONFORMANCE.is_dir():
        pytest.fail(f"The SHACL shapes are missing: expected {CONFORMANCE}")
    graph = Graph()
    for name in files:
        graph.parse(CONFORMANCE / name, format="turtle")
    _drop_dangling(graph)
    return graph


def results(data: Graph, files: tuple[str, ...]) -> dict[str, list[str]]:
    """Validation results by severity name ("Violation", "Warning", "Info"), each as readable text."""
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(files), inference="none", abort_on_first=False, allow_warnings=True
    )
    found: dict[str, list[str]] = {"Violation": [], "Warning": [], "Info": []}
    # Only the report's own results: nested sh:detail results explain a
    # parent result and carry the nested shape's default severity, not the
    # severity the standard gives the constraint.
    for result in report.objects(None, SH.result):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        found.setdefault(severity, []).append(
            " | ".join(
                f"{name}={report.value(result, SH[name])}"
                for name in ("focusNode", "resultPath", "value", "resultMessage", "sourceShape")
            )
        )
    return found


def assert_no_violations(data: Graph, files: tuple[str, ...]) -> dict[str, list[str]]:
    found = results(data, files)
    assert not found["Violation"], f"{len(found['Violation'])} SHACL violations:\n" + "\n".join(
        sorted(set(found["Violation"]))
    )
    return found
