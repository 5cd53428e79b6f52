"""`ckan opendata-th gdc import|export`."""

from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import click

from ckanext.opendata_th.gdc import actions, importer, reader, status


@click.group(short_help="GD Catalog metadata spreadsheet import and export")
def gdc() -> None:
    """GD Catalog metadata spreadsheet (Temp2_Meta_*, Temp3_Resource_*)."""


def _check_user(user: str) -> None:
    if model.User.get(user) is None:
        raise click.BadParameter(f"no user {user!r}", param_hint="--user")


@gdc.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--org", required=True, help="Agency (name or id) the datasets belong to.")
@click.option("--user", required=True, help="User the rows are saved as; needs editor rights in the agency.")
@click.option("--background", is_flag=True, help="Queue the job for the workers instead of running it here.")
def import_(path: str, org: str, user: str, background: bool) -> None:
    """Import the workbook PATH; prints the per-row report."""
    _check_user(user)
    context: dict[str, Any] = {"user": user}
    try:
        tk.check_access("opendata_th_gdc_import", context, {"owner_org": org})
        agency = actions.agency(org, "--org")
        with open(path, "rb") as workbook:
            import_id = importer.start(workbook.read(), path, agency, user, enqueue=background)
    except (tk.NotAuthorized, tk.ValidationError, reader.WorkbookError) as error:
        raise click.ClickException(str(error)) from error
    if background:
        click.echo(f"Queued import {import_id}")
        return
    importer.run_import(import_id)
    _echo_report(status.get(import_id) or {})


def _echo_report(info: dict[str, Any]) -> None:
    for row in info.get("rows", []):
        reasons = "; ".join(row.get("reasons", []))
        click.echo(f"{row['sheet']} row {row['row']}: {row['outcome']} {row.get('name', '')} {reasons}".rstrip())
    for warning in info.get("warnings", []):
        click.echo(f"warning: {warning}")
    if info.get("error"):
        raise click.ClickException(info["error"])
    click.echo(
        f"{info.get('created', 0)} created, {info.get('updated', 0)} updated, {info.get('rejected', 0)} rejected"
    )


@gdc.command("export")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--org", default=None, help="Only this agency (name or id); default: the whole catalogue.")
@click.option("--user", default=None, help="Export what this user may see (default: everything, as the site).")
def export(out: str, org: str | None, user: str | None) -> None:
    """Write the catalogue (or one agency) to the GD Catalog workbook OUT."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        result = actions.export_workbook({"user": user or site_user}, org)
    except (tk.NotAuthorized, tk.ValidationError) as error:
        raise click.ClickException(str(error)) from error
    with open(out, "wb") as workbook:
        workbook.write(result["content"])
    click.echo(f"{result['count']} datasets written to {out}")
