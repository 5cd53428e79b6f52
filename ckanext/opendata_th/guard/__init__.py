"""Request guards that run before any view, CKAN's and other extensions' included.

- `csrf`: CSRF protection stays on for cookie sessions (CKAN 2.12 turns it
  off for a whole view, for the whole process, after one token request).
- `datastore`: CKAN's DataStore alias lookup without its race under
  concurrent requests (500 "cursor already closed").
- `views`: other extensions' views (DCAT catalogue, data preview, activity
  changes) answer their refusals and malformed input with a 4xx, not a 500.
- `inputs`: hostile input (NUL bytes, lone surrogates, deeply nested JSON,
  absurd paging numbers, unknown formats) answers a clear 400 before a view,
  the database or Solr sees it.

`install` wires them into the Flask app (plugin.py calls it from IMiddleware).
"""

from __future__ import annotations

from flask import Flask

from ckanext.opendata_th.guard import csrf, datastore, inputs, views


def install(app: Flask) -> None:
    """Append the guards to the app's before_request functions.

    Appended, so they run after CKAN's own `ckan_before_request` (user
    identified, locale set, so an error page renders normally) and after
    Flask-WTF's `csrf_protect`, whose exemptions `csrf.recheck` corrects.
    """
    datastore.install()
    views.install(app)
    app.before_request(inputs.reject_hostile_input)
    app.before_request(csrf.recheck)
