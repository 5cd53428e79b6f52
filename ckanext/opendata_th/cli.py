"""`ckan opendata-th ...` commands, registered by the blanket in plugin.py."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.opendata_th import demo as demo_catalogue
from ckanext.opendata_th.gdc.cli import gdc
from ckanext.opendata_th.governance.cli import governance
from ckanext.opendata_th.ingest import cli as ingest_cli
from ckanext.opendata_th.quality.cli import quality

__all__ = ["opendata_th"]


@click.group(name="opendata-th", short_help="Thai open-data catalogue commands")
def opendata_th() -> None:
    pass


opendata_th.add_command(gdc)
opendata_th.add_command(governance)
opendata_th.add_command(quality)


@opendata_th.group()
def demo() -> None:
    """The demo catalogue."""


@demo.command("load")
@click.option("--user", default="admin", show_default=True, help="Sysadmin who owns the demo data.")
@click.option("--path", default=None, help="Catalogue YAML (default: ckanext.opendata_th.demo.path).")
def demo_load(user: str, path: str | None) -> None:
    """Load the demo catalogue; running it again adds only what is missing."""
    report = demo_catalogue.load_catalogue(path or tk.config["ckanext.opendata_th.demo.path"], user)
    click.echo(f"Demo catalogue: {len(report.created)} created, {len(report.existing)} already present.")


opendata_th.add_command(ingest_cli.ingest)
