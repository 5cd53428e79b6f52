"""Hostile input answers a clear 400 before any view, database or Solr sees it.

CKAN and the extensions the catalogue runs answer some bad input with a 500
(a raw ``CharacterNotInRepertoire`` from PostgreSQL for a NUL byte, a
``RecursionError`` for JSON nested 100,000 levels, an integer overflow in
Solr or PostgreSQL for ``page=10^12`` or ``offset=10^30``).  Rather than wrap
each view, this guard refuses, for every request:

- NUL bytes and lone UTF-16 surrogates in the path, the query string, form
  fields and JSON bodies (neither PostgreSQL text nor UTF-8 can hold them);
- JSON bodies nested deeper than `MAX_JSON_DEPTH`, measured on the raw text
  before anything parses it;
- paging numbers (`PAGING_ARGS`) that are not whole numbers within range.

API requests get JSON in both languages (CKAN's action shape under
``/api/3``, this catalogue's error shape under ``/api/opendata``); pages get
CKAN's error page in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from flask import Response, request

from ckanext.opendata_th.api import errors

MAX_JSON_DEPTH = 64  # CKAN's deepest real payloads (resources, extras, filters) nest under 10
MAX_PAGE = 100_000  # beyond it a page's Solr offset overflows long before it finds anything
MAX_NUMBER = 2**31 - 1  # Solr's int and PostgreSQL's int4; every limit/offset fits below it
PAGING_ARGS = {"page": (1, MAX_PAGE), "limit": (0, MAX_NUMBER), "offset": (0, MAX_NUMBER),
               "rows": (0, MAX_NUMBER), "start": (0, MAX_NUMBER)}  # fmt: skip

_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON string literal, so brackets inside strings do not count as nesting.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
# \u0000, and surrogate escapes that do not form a high+low pair.
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_JSON_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_INTEGER = re.compile(r"[+-]?\d+")


class HostileInput(Exception):
    """Input the catalogue refuses; `msgid` says why, in words a reader understands."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def reject_hostile_input() -> Response | None:
    """A before_request function: None lets a sound request go on."""
    try:
        check_request()
    except HostileInput as refused:
        return _refusal(refused)
    return None


def check_request() -> None:
    check_text(request.path)
    for name, value in _query_and_form_items():
        check_text(name)
        check_text(value)
        check_paging(name, value)
    if request.is_json:
        check_json_text(request.get_data(as_text=True))


def check_text(text: str) -> None:
    if "\x00" in text:
        raise HostileInput("The request contains a NUL character, which is not allowed")
    if _SURROGATE.search(text):
        raise HostileInput("The request contains text that is not valid Unicode")


def check_paging(name: str, value: str) -> None:
    """`page`, `limit`, `offset`... must be whole numbers in range (an empty value is the default)."""
    bounds = PAGING_ARGS.get(name)
    if bounds is None or not value.strip() or not _INTEGER.fullmatch(value.strip()):
        return  # not a paging argument, or not a number: the view's own validation answers that
    low, high = bounds
    if not low <= int(value) <= high:
        raise HostileInput("%(name)s must be a whole number from %(low)s to %(high)s", name=name, low=low, high=high)


def check_json_text(text: str) -> None:
    """NUL, lone surrogates and nesting depth of a JSON body, read from its text before parsing."""
    if _JSON_NUL.search(text):
        raise HostileInput("The request contains a NUL character, which is not allowed")
    if _JSON_LONE_SURROGATE.search(text):
        raise HostileInput("The request contains text that is not valid Unicode")
    check_text(text)
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH:
                raise HostileInput("The JSON body is nested more than %(depth)s levels deep", depth=MAX_JSON_DEPTH)


def _query_and_form_items() -> Iterable[tuple[str, str]]:
    yield from request.args.items(multi=True)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        yield from request.form.items(multi=True)


def _refusal(refused: HostileInput) -> Response:
    path = request.path
    if path.startswith("/api/opendata/"):
        return errors.response(errors.bad_request(refused.msgid, **refused.params))
    if path.startswith("/api/"):
        return errors.action_response(400, refused.msgid, **refused.params)
    tk.abort(400, tk._(refused.msgid) % refused.params if refused.params else tk._(refused.msgid))
    raise AssertionError("abort raises")  # for the type checker
