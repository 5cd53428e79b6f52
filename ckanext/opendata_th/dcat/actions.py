"""DCAT output shows only what the public may see (ACTION_MODULES).

ckanext-dcat's actions read datasets with the caller's context, so a
signed-in agency member would get private and restricted datasets in
/catalog.ttl.  These chained actions run them as an anonymous user: search
then applies governance's permission labels and excludes private datasets,
and package_show applies governance's read rules.  A dataset is published
only if governance's `harvest_scope` says it may be harvested in full
(public and open).

The catalogue is paged in an order that never changes (ckanext-dcat sorts by
metadata_modified, so a crawler paging while datasets are edited misses some
and sees others twice):

- `page=N` (offset paging, as ckanext-dcat's links) sorts by
  `metadata_created asc, id asc`: both are immutable and a new dataset sorts
  last, so editing or adding datasets never shifts an earlier page;
- `cursor=*` starts keyset paging by `id`: each page asks Solr for the ids
  after the previous page's last one (the cursor), so a page costs the same
  however deep it is, and neither edits, additions nor deletions make a
  crawler miss or repeat a dataset.  CKAN's package_search has no Solr
  cursorMark, and a range on the unique `id` field is the same keyset
  technique.  hydra:next carries the next cursor.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import ckan.plugins.toolkit as tk
import flask
from ckan.types import Action, Context, DataDict
from ckanext.dcat import logic as dcat_logic
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri
from dateutil.parser import parse as dateutil_parse

from ckanext.opendata_th.governance import harvest_scope

__all__ = ["dcat_catalog_search", "dcat_catalog_show", "dcat_dataset_show"]

PAGE_SORT = "metadata_created asc, id asc"  # immutable keys; new datasets sort last
CURSOR_SORT = "id asc"
CURSOR_START = "*"  # as Solr's cursorMark: the first page
CURSOR_PARAM = "cursor"


def public_context(context: Context) -> Context:
    """The context of an anonymous visitor (keeping the session)."""
    return {"user": "", "auth_user_obj": None, "session": context.get("session")}


@tk.chained_action
@tk.side_effect_free
def dcat_dataset_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_dataset_show", context, data_dict)  # the caller's own right, audited
    public = public_context(context)
    try:
        dataset = tk.get_action("package_show")(dict(public), {"id": tk.get_or_bust(data_dict, "id")})
    except tk.NotAuthorized:
        raise tk.ObjectNotFound() from None  # as if it did not exist: its id says nothing
    if harvest_scope(dataset) != "full":
        raise tk.ObjectNotFound()
    return next_action(public, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_catalog_show", context, data_dict)
    return _catalog(public_context(context), data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_catalog_search", context, data_dict)
    return _catalog(public_context(context), data_dict)


# --- the catalogue, in a stable order -----------------------------------------
#
# ckanext-dcat's own catalogue actions fix the sort inside their search, so
# these replace them (next_action is not called) and reuse the rest: its
# search filters, its page links and its serializer.


def _catalog(context: Context, data_dict: DataDict) -> Any:
    cursor = _cursor(data_dict)
    if cursor is None:
        query = _search(context, data_dict, PAGE_SORT, start=_offset(data_dict))
        pagination = dcat_logic._pagination_info(query, data_dict)
    else:
        query = _search(context, data_dict, CURSOR_SORT, after=cursor)
        pagination = _cursor_pagination(context, data_dict, query, cursor)
    serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    return serializer.serialize_catalog(
        {}, query["results"], _format=data_dict.get("format"), pagination_info=pagination
    )


def _cursor(data_dict: DataDict) -> str | None:
    """The `cursor` of an API call or, for /catalog.*, of the request (its view drops it)."""
    value = data_dict.get(CURSOR_PARAM)
    if value is None and flask.has_request_context():
        value = tk.request.args.get(CURSOR_PARAM)
    return str(value) if value is not None else None


def _per_page() -> int:
    return int(tk.config.get("ckanext.dcat.datasets_per_page") or dcat_logic.DATASETS_PER_PAGE)


def _offset(data_dict: DataDict) -> int:
    try:
        page = int(data_dict.get("page") or 1)
    except ValueError:
        raise dcat_logic.wrong_page_exception from None
    if page < 1:
        raise dcat_logic.wrong_page_exception
    return _per_page() * (page - 1)


def _solr_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _search(
    context: Context, data_dict: DataDict, sort: str, start: int = 0, after: str | None = None
) -> dict[str, Any]:
    """ckanext-dcat's catalogue search (same filters), in our order."""
    fq_list = ["-dataset_type:harvest", "-dataset_type:showcase"]
    modified_since = data_dict.get("modified_since")
    if modified_since:
        try:
            since = dateutil_parse(str(modified_since)).isoformat() + "Z"
        except (ValueError, OverflowError):
            raise tk.ValidationError({"modified_since": ["Wrong modified date format. Use ISO-8601 format"]}) from None
        fq_list.append(f"metadata_modified:[{since} TO NOW]")
    if after and after != CURSOR_START:
        fq_list.append(f"id:{{{_solr_string(after)} TO *]")  # strictly after the cursor
    search = {
        "q": data_dict.get("q") or "*:*",
        "fq": data_dict.get("fq"),
        "fq_list": fq_list,
        "rows": _per_page(),
        "start": start,
        "sort": sort,
    }
    return tk.get_action("package_search")(dict(context), search)


def _cursor_pagination(context: Context, data_dict: DataDict, query: dict[str, Any], cursor: str) -> dict[str, Any]:
    """hydra paging for keyset pages: first, current and (while more remain) next."""
    total = _search(context, data_dict, CURSOR_SORT)["count"] if cursor != CURSOR_START else query["count"]
    info: dict[str, Any] = {
        "count": total,
        "items_per_page": _per_page(),
        "current": _cursor_url(cursor),
        "first": _cursor_url(CURSOR_START),
    }
    results = query["results"]
    if results and query["count"] > len(results):  # query["count"]: the datasets after the cursor
        info["next"] = _cursor_url(results[-1]["id"])
    return info


def _cursor_url(cursor: str) -> str:
    """This catalogue URL (same format and filters) at another cursor."""
    path = tk.request.path if flask.has_request_context() else ""
    params: list[tuple[str, str]] = []
    if flask.has_request_context():
        kept = ("modified_since", "profiles", "q", "fq")
        params = [(key, value) for key, value in tk.request.args.items() if key in kept]
    params.append((CURSOR_PARAM, cursor))
    return f"{catalog_uri().rstrip('/')}{path}?{urllib.parse.urlencode(params)}"
