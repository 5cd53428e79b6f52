"""One error format for every API response: {"error": {"code", "message": {"th", "en"}}}.

Clients get both languages whatever their Accept-Language, so a Thai
developer and an English-speaking one read the same response.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask_babel import force_locale, gettext

from ckanext.opendata_th.lib.i18n import Msgid as Term
from ckanext.opendata_th.lib.i18n import bilingual

JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """An error answered to the client with `status`, a stable `code` and a translatable message."""

    def __init__(self, status: int, code: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid % params if params else msgid)
        self.status = status
        self.code = code
        self.msgid = msgid
        self.params = params
        self.headers: dict[str, str] = {}


def messages(msgid: str, **params: Any) -> dict[str, str]:
    """The message in Thai and English (English when there is no Thai translation)."""
    english = msgid % params if params else msgid
    try:
        with force_locale("th"):
            thai_params = {k: gettext(v) if isinstance(v, Term) else v for k, v in params.items()}
            thai = gettext(msgid, **thai_params)
    except RuntimeError:  # outside a Flask application context
        thai = english
    return {"th": thai, "en": english}


def body(code: str, msgid: str, **params: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": messages(msgid, **params)}}


def response(error: ApiError) -> Response:
    payload = json.dumps(body(error.code, error.msgid, **error.params), ensure_ascii=False)
    return Response(payload, status=error.status, content_type=JSON_TYPE, headers=error.headers)


def action_response(status: int, msgid: str, **params: Any) -> Response:
    """An error in the shape of CKAN's action API (`success: false`), its message in both languages.

    For refusals made before a CKAN action runs, so clients such as ckanapi
    read them as they read CKAN's own validation errors.
    """
    return action_error(status, "Validation Error", msgid, None, **params)


def action_error(status: int, error_type: str, msgid: str, headers: dict[str, str] | None, **params: Any) -> Response:
    """`action_response` with CKAN's error `__type` and response headers of the caller's choice."""
    payload = {
        "success": False,
        "error": {"__type": error_type, "message": bilingual(msgid, **params)},
    }
    return Response(
        json.dumps(payload, ensure_ascii=False), status=status, content_type=JSON_TYPE, headers=headers or {}
    )


def not_found() -> ApiError:
    return ApiError(404, "not_found", "Resource not found or it has no DataStore table")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "You are not allowed to read this data")


def bad_request(msgid: str, **params: Any) -> ApiError:
    return ApiError(400, "bad_request", msgid, **params)


RATE_LIMITED = "Too many requests; try again in %(seconds)s seconds"


def rate_limited(seconds: int) -> ApiError:
    error = ApiError(429, "rate_limited", RATE_LIMITED, seconds=seconds)
    return error
