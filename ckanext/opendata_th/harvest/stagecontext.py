"""An application context for the harvest stages, so that their messages are bilingual.

ckanext-harvest's gather and fetch consumers (`ckan harvester
gather-consumer` / `fetch-consumer`) run the stages outside any Flask
context, where `lib.i18n.bilingual` can only give English; the source and
record errors they store would then lack their Thai half.  The CKAN command
line keeps its Flask app on the root click context; a stage runs in that
app's request context unless one is active already (web requests, tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import click
import flask


def _cli_app() -> Any:
    context = click.get_current_context(silent=True)
    return context.find_root().meta.get("flask_app") if context is not None else None


@contextlib.contextmanager
def translatable() -> Iterator[None]:
    app = None if flask.has_request_context() else _cli_app()
    if app is None:
        yield
        return
    with app.test_request_context():
        yield
