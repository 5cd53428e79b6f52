"""Thai search relevance, ours against CKAN's stock Solr schema, in one run.

The same datasets are indexed into the catalogue's Solr core (Thai word
segmentation) and into a core with CKAN's unmodified schema, and the same
queries are run against both.  The figures are printed (run pytest with
-s, or read the captured output) and ours must reach recall@10 >= 0.95 with
no fragment match in the top 3.
"""

from __future__ import annotations

import pathlib
from typing import Any

import ckan.lib.search as search
import ckan.plugins.toolkit as tk
import pytest
import yaml
from ckan.tests import helpers

from tests.conftest import PLUGINS
from tests.factories import dataset_dict

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

CORPUS = yaml.safe_load((pathlib.Path(__file__).parent / "relevance_corpus.yaml").read_text(encoding="utf-8"))


def _ranked_names(query: str) -> list[str]:
    result = helpers.call_action("package_search", q=query, rows=10)
    return [dataset["name"] for dataset in result["results"]]


def _evaluate() -> dict[str, Any]:
    recalls, reciprocal_ranks, fragments = [], [], []
    for case in CORPUS["queries"]:
        ranked = _ranked_names(case["q"])
        relevant = set(case["relevant"])
        recalls.append(len(relevant & set(ranked)) / len(relevant))
        first = next((rank for rank, name in enumerate(ranked, 1) if name in relevant), None)
        reciprocal_ranks.append(1 / first if first else 0.0)
        fragments += [(case["q"], name) for name in ranked[:3] if name in case.get("not_top3", [])]
    count = len(CORPUS["queries"])
    return {"recall@10": sum(recalls) / count, "mrr": sum(reciprocal_ranks) / count, "fragments": fragments}


def _index_corpus(owner_org: str, user: str) -> None:
    for name, fields in CORPUS["datasets"].items():
        helpers.call_action("package_create", {"user": user}, **dataset_dict(name=name, owner_org=owner_org, **fields))


def test_thai_search_beats_the_stock_schema(sysadmin, organization, monkeypatch, capsys):
    _index_corpus(organization["id"], sysadmin["name"])
    ours = _evaluate()

    monkeypatch.setitem(tk.config, "solr_url", tk.config["solr_url"].replace("/ckan_test", "/ckan_stock_test"))
    search.clear_all()
    search.rebuild()
    stock = _evaluate()
    search.clear_all()

    with capsys.disabled():
        print(f"\nThai search relevance ({len(CORPUS['queries'])} queries, {len(CORPUS['datasets'])} datasets)")
        for label, figures in (("ours", ours), ("stock", stock)):
            print(
                f"  {label:5}: recall@10 {figures['recall@10']:.3f}  MRR {figures['mrr']:.3f}"
                f"  fragments in top 3: {figures['fragments']}"
            )
    assert ours["recall@10"] >= 0.95
    assert ours["fragments"] == []
    assert ours["mrr"] > stock["mrr"]
