"""`ckan opendata-th governance ...`: classification checks for site administrators."""

from __future__ import annotations

import click

from ckanext.opendata_th.governance import audit


@click.group(short_help="Data governance (classification) checks")
def governance() -> None:
    pass


@governance.command("check")
@click.option("--fix", is_flag=True, help="Make every such dataset private.")
def check(fix: bool) -> None:
    """List public datasets whose category is not public or whose classification is not open.

    Exits with status 1 when there are some and --fix was not given.
    """
    packages = list(audit.public_but_not_open())
    for package in packages:
        extras = package.extras or {}
        click.echo(f"{package.name}\t{extras.get('data_category', '-')}\t{extras.get('data_classification', '-')}")
    if not packages:
        click.echo("No public dataset is restricted by its classification.")
        return
    if not fix:
        raise click.ClickException(
            f"{len(packages)} public dataset(s) are not open; run with --fix to make them private."
        )
    audit.make_private(packages)
    click.echo(f"{len(packages)} dataset(s) made private.")
