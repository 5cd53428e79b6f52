"""`ckan opendata-th ingest run --resource/--dataset/--org/--all` (added to the group in ../cli.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.opendata_th.ingest import jobs, recovery


@click.group(short_help="Load tabular resources into the DataStore")
def ingest() -> None:
    pass


def _context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def _dataset_resources(dataset: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from dataset.get("resources", [])


def _datasets(fq: str) -> Iterator[dict[str, Any]]:
    start, rows = 0, 100
    while True:
        result = tk.get_action("package_search")(
            _context(), {"fq": fq, "rows": rows, "start": start, "include_private": True}
        )
        yield from result["results"]
        start += rows
        if start >= result["count"]:
            return


@ingest.command("run")
@click.option("--resource", "resources", multiple=True, help="Resource id (repeatable).")
@click.option("--dataset", "datasets", multiple=True, help="Dataset name or id (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Agency (organization) name (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every tabular resource of the catalogue.")
@click.option("--sync", is_flag=True, help="Run here instead of queueing for the worker.")
def run(
    resources: tuple[str, ...], datasets: tuple[str, ...], orgs: tuple[str, ...], everything: bool, sync: bool
) -> None:
    """Queue (or run) a forced load of the chosen resources."""
    if not (resources or datasets or orgs or everything):
        raise click.UsageError("give --resource, --dataset, --org or --all")
    chosen: dict[str, dict[str, Any]] = {}
    for resource_id in resources:
        chosen[resource_id] = tk.get_action("resource_show")(_context(), {"id": resource_id})
    for name in datasets:
        for resource in _dataset_resources(tk.get_action("package_show")(_context(), {"id": name})):
            chosen[resource["id"]] = resource
    queries = [f"organization:{org}" for org in orgs] + (["*:*"] if everything else [])
    for fq in queries:
        for dataset in _datasets(fq):
            for resource in _dataset_resources(dataset):
                chosen[resource["id"]] = resource
    count = 0
    for resource_id, resource in chosen.items():
        if jobs.resource_format(resource) is None:
            continue
        if sync:
            jobs.run_job(resource_id, force=True)
        else:
            jobs.enqueue(resource_id, force=True)
        count += 1
    click.echo(f"{'Loaded' if sync else 'Queued'} {count} resource(s).")


ingest.add_command(recovery.recover)
