"""Other extensions' views that answer bad input or a refusal with a 500, wrapped to answer a clear 4xx.

The faults are upstream; rather than fork the views, `install` wraps them:

- ckanext-dcat 2.x ``utils.read_catalog_page``/``read_dataset_page``
  (``/catalog.<format>``, ``/dataset/<id>.<format>``): an unknown format
  reaches rdflib (``PluginException``), and a Solr local-parameters ``fq``
  (``{!frange l=0}sum(1,1)``) makes CKAN's search raise ``SearchError``;
  neither is caught.
- CKAN 2.12 ``ckanext/datatablesview/blueprint.py`` (``/datatables/ajax``,
  ``/datatables/filtered-download``): ``resource_view_show`` refusing or not
  finding the view is not caught, and the posted form and its ``params``
  JSON are read unchecked (``int()``, ``json.loads``, ``params['visible']``).
- CKAN 2.12 ``ckanext/datastore/blueprint.py`` ``dump``: a ``format`` that
  is not one of its four fails in its own validator's message
  (``'... one of %s' % a_tuple``, a ``TypeError``), so it is checked first.
- CKAN 2.12 ``ckanext/activity/views.py`` ``package_changes_multiple``: the
  ``activity_show`` calls' refusals and not-founds are not caught.

A refusal stays the refusal the action made: governance's existence rule
(`governance.existence`) has already turned it into "not found" for those
who may not know of the dataset.  Pages answer in the reader's language;
the preview's script reads the JSON ``error`` it gets.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckanext.datastore.blueprint import DUMP_FORMATS
from ckanext.dcat.utils import CONTENT_TYPES
from flask import Flask, Response, request

NOT_FOUND = "The page you asked for does not exist"
NOT_ALLOWED = "You are not allowed to see this page"
BAD_REQUEST = "The request is not valid"
BAD_SEARCH = "The search filter is not valid"
UNKNOWN_FORMAT = "Unknown catalogue format; use one of %(formats)s"
UNKNOWN_DUMP_FORMAT = "Unknown download format; use one of %(formats)s"

View = Callable[..., Any]


def _abort(status: int, msgid: str, **params: Any) -> Any:
    return tk.abort(status, tk._(msgid) % params if params else tk._(msgid))


def _page(view: View) -> View:
    """A page view whose action refusals, unknown ids and invalid input answer 403/404/400."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except tk.ObjectNotFound:
            return _abort(404, NOT_FOUND)
        except tk.NotAuthorized:
            return _abort(403, NOT_ALLOWED)
        except tk.ValidationError:
            return _abort(400, BAD_REQUEST)

    return wrapped


def _catalogue(view: View) -> View:
    """The DCAT views: a known format only, and Solr's refusal of a filter as a 400."""
    page = _page(view)

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        chosen = kwargs.get("_format")
        if chosen is not None and chosen not in CONTENT_TYPES:
            return _abort(404, UNKNOWN_FORMAT, formats=", ".join(sorted(CONTENT_TYPES)))
        try:
            return page(*args, **kwargs)
        except (search.SearchError, search.SearchQueryError):
            return _abort(400, BAD_SEARCH)

    return wrapped


def _dump(view: View) -> View:
    """The DataStore dump: a format it knows, or a 400 saying which ones it does."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        chosen = request.args.get("format")
        if chosen and chosen not in DUMP_FORMATS:
            return _abort(400, UNKNOWN_DUMP_FORMAT, formats=", ".join(DUMP_FORMATS))
        return view(*args, **kwargs)

    return wrapped


def _json_error(status: int, msgid: str) -> Response:
    return Response(json.dumps({"error": tk._(msgid)}, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")  # fmt: skip


def _preview(view: View) -> View:
    """The data preview's endpoints: refusals and malformed posts answer JSON 403/404/400."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except tk.ObjectNotFound:
            return _json_error(404, NOT_FOUND)
        except tk.NotAuthorized:
            return _json_error(403, NOT_ALLOWED)
        except (tk.ValidationError, ValueError, KeyError, TypeError, IndexError):
            # the upstream view parses the posted form and `params` JSON without checking them:
            # any of these there is a malformed request (a missing field, a non-number, a bad index)
            return _json_error(400, BAD_REQUEST)

    return wrapped


WRAPPERS: dict[str, Callable[[View], View]] = {
    "dcat.read_catalog": _catalogue,
    "dcat.read_dataset": _catalogue,
    "dcat.read_dataset_series": _catalogue,
    "datatablesview.ajax": _preview,
    "datatablesview.filtered_download": _preview,
    "activity.package_changes_multiple": _page,
    "datastore.dump": _dump,
}


def install(app: Flask) -> None:
    """Wrap each of `WRAPPERS`' views the app has (once; the plugins loaded decide which exist)."""
    for endpoint, wrap in WRAPPERS.items():
        view = app.view_functions.get(endpoint)
        if view is not None and not getattr(view, "odth_guarded", False):
            guarded = wrap(view)
            guarded.odth_guarded = True  # type: ignore[attr-defined]
            app.view_functions[endpoint] = guarded
