"""`ckan opendata-th quality ...`: score datasets now, or queue them all (the nightly run)."""

from __future__ import annotations

import click

from ckanext.opendata_th.quality import jobs

__all__ = ["quality"]


@click.group()
def quality() -> None:
    """Quality scores of the datasets."""


@quality.command("score")
@click.argument("ids", nargs=-1)
@click.option("--no-links", is_flag=True, help="Do not check the resources' links.")
def score(ids: tuple[str, ...], no_links: bool) -> None:
    """Score the datasets IDS (all active datasets when none is given) here and now."""
    if not ids:
        scored, failed = jobs.score_all(check_links=not no_links)
        click.echo(f"Scored {scored} datasets; {failed} could not be scored (see the log).")
        if failed:
            raise SystemExit(1)
        return
    for package_id in ids:
        result = jobs.score_dataset(package_id, check_links=not no_links)
        click.echo(f"{package_id}: " + (f"{result.percent}% ({result.rating})" if result else "not found"))


@quality.command("enqueue-all")
def enqueue_all() -> None:
    """Queue every active dataset for scoring by the quality worker (run nightly)."""
    click.echo(f"Queued {jobs.enqueue_all()} datasets for scoring.")
