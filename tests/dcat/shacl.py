"""Validation against the official DCAT-AP 3.0.1 and HVD 3.0.0 SHACL shapes.

The shapes are read from the folder `tests.outside` names (the setting
``ODTH_CONFORMANCE``, default ``<clone>/../shared/conformance``).  Nothing is whitelisted: every result
of severity sh:Violation fails the test.  The vocabulary facts the range
and controlled-vocabulary shapes check (skos:Concept, skos:inScheme, the
classes of licences, frequencies, languages...) are in our own output, so
no ontology graph or inference is needed.
"""

from __future__ import annotations

import functools

import pyshacl
import pytest
from rdflib import Graph, Namespace

from tests import outside

SH = Namespace("http://www.w3.org/ns/shacl#")

CONFORMANCE = outside.conformance()
DCAT_AP = outside.DCAT_AP_SHAPES
HVD = outside.HVD_SHAPES


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
    if absent := outside.missing():
        pytest.fail(outside.report(absent))
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
