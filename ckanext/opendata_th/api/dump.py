"""CKAN's DataStore dump (``/datastore/dump/<id>``), counted and made safe to open in a spreadsheet.

The faults are upstream (ckanext-datastore 2.12, ``blueprint.dump``): the
CSV and TSV it streams carry cells such as ``=HYPERLINK(...)``,
``=cmd|...`` or ``@SUM(...)`` exactly as stored, which Excel and
LibreOffice run as formulas when the file the resource page links is
opened; and it reads every row with no quota.  Rather than fork the view,
`install` wraps it:

- the request counts against the client's quota first (quota.py), 429 over it;
- a CSV or TSV answer is rewritten while it streams, every cell (the header
  row included: column names come from uploaded files) through
  `lib.spreadsheet.neutralised_csv`, in constant memory.  JSON and XML are
  data formats that spreadsheets do not evaluate and are left as they are.

CKAN's own checks (access, the PDPA guard on ``datastore_search``, the
existence rule) still run inside the wrapped view.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, request

from ckanext.opendata_th.api import errors, quota, ratelimit
from ckanext.opendata_th.lib.spreadsheet import neutralised_csv

ENDPOINT = "datastore.dump"
DELIMITERS = {"csv": ",", "tsv": "\t"}


def _neutralised(response: Response) -> Response:
    delimiter = DELIMITERS.get(request.args.get("format", "csv"))
    if response.status_code == 200 and delimiter is not None:
        response.response = neutralised_csv(response.response, delimiter)
    return response


def _wrap(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def dump(*args: Any, **kwargs: Any) -> Any:
        verdict = ratelimit.hit()
        g.odth_rate_limit = verdict
        if verdict is not None and quota.refused(verdict):
            return errors.response(errors.rate_limited(verdict.reset))
        answer = view(*args, **kwargs)
        return _neutralised(answer) if isinstance(answer, Response) else answer

    dump.odth_wrapped = True  # type: ignore[attr-defined]
    return dump


def install(app: Flask) -> None:
    view = app.view_functions.get(ENDPOINT)
    if view is not None and not getattr(view, "odth_wrapped", False):
        app.view_functions[ENDPOINT] = _wrap(view)
