"""Auto-generated dataset APIs (the API room).

For every DataStore-backed resource, without per-resource setup:

- `records`/`query`: friendly REST endpoints over `datastore_search`
  (`/api/opendata/v1/resources/<id>/records`, `/records/<_id>`, `/schema`),
  so CKAN's auth, the governance rules and the PDPA guard apply unchanged;
- `openapi`: OpenAPI 3.1 documents per resource, dataset and catalogue,
  typed from the data dictionary and cached until the table changes;
- `examples`: copy-ready curl, Python, JavaScript and R snippets built from
  the table's real columns and values, shown on `/dataset/<id>/api`;
- `ratelimit` and `usage`: per-client quotas and per-resource call counts
  in Redis;
- `views`: the blueprint and the HTTP niceties (CORS, ETag/304, gzip, one
  error format).

The room only reads the DataStore; it never writes it.
"""
