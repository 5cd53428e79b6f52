"""CSRF protection for cookie sessions, whatever API tokens did before.

The upstream fault (CKAN 2.12, ``ckan/config/middleware/flask_app.py``,
``ckan_before_request``): when a request is authenticated by the API token
header (or is anonymous), CKAN calls ``csrf.exempt(view)``.  Flask-WTF's
``exempt`` adds the view to a process-wide set, so from then on that view
(``api.action`` for every action, the ingest form, ``user.login``...) skips
the CSRF check for every later request, cookie sessions included: one token
call to ``package_patch`` lets any other site post to it with a visitor's
session cookie.

CKAN's intent holds for the request itself only: a request that carries an
API token cannot be forged by another site (a browser does not add the
header cross-origin), and an anonymous API call has no session to abuse.
So this guard, run after Flask-WTF's check, validates the CSRF token again
whenever Flask-WTF skipped it for any other request: a cookie session, or an
anonymous visitor posting a page's form (the login form included, so nobody
can sign a visitor in to another account).
"""

from __future__ import annotations

from ckan.common import current_user
from ckan.config.middleware.flask_app import csrf as ckan_csrf
from flask import current_app, g, request

API_BLUEPRINT = "api"


def recheck() -> None:
    """Validate the CSRF token of a request Flask-WTF let through on a stale exemption."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_CHECK_DEFAULT", True):
        return
    if request.method not in config["WTF_CSRF_METHODS"] or g.get("csrf_valid"):
        return
    if _token_authenticated() or _anonymous_api_call():
        return
    ckan_csrf.protect()  # raises CSRFError (400) when the token is missing or wrong


def _token_authenticated() -> bool:
    """True when the API token header, not a session cookie, identified the user."""
    header = current_app.config.get("apitoken_header_name") or "Authorization"
    has_token = bool(request.headers.get(header))
    return has_token and bool(g.get("login_via_auth_header")) and bool(current_user.is_authenticated)


def _anonymous_api_call() -> bool:
    """An action API call with no user: nothing to forge (CKAN's own exemption, for this request)."""
    return request.blueprint == API_BLUEPRINT and not current_user.is_authenticated
