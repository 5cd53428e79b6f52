"""The background job that loads a resource, and what queues it.

`run_job(resource_id)` runs in `ckan jobs worker` (RQ, Redis).  It can be
run again at any time: a file that has not changed since the last complete
load is skipped unless forced, and a new load replaces the table only when
it is complete (load.py).  Problems with the file end this job with a
status naming row, column and value; they never reach the worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.ingest import budget, bulk, detect, fastcsv, load, pdpa, readers, status, supervise
from ckanext.opendata_th.ingest import columns as column_ids
from ckanext.opendata_th.ingest.infer import MASKED_NOTE, ColumnProfile
from ckanext.opendata_th.ingest.readers import IngestError, Limits, Sheet
from ckanext.opendata_th.ingest.values import native_text

log = logging.getLogger(__name__)

SAMPLE_ROWS = 200
FORMAT_ALIASES = {
    "csv": "csv",
    "text/csv": "csv",
    "tsv": "tsv",
    "text/tab-separated-values": "tsv",
    "xlsx": "xlsx",
    "excel": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "xls": "xls",
    "application/vnd.ms-excel": "xls",
    "ods": "ods",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "json": "json",
    "application/json": "json",
}
CODE_HEADER = re.compile(r"รหัส|ไปรษณีย์|เลขประจำตัว|เลขทะเบียน|โทรศัพท์|\bcode\b|\bzip\b|postal|\bid\b", re.IGNORECASE)
TYPE_OVERRIDES = {
    "text": "text",
    "int": "int4",
    "int4": "int4",
    "integer": "int4",
    "int8": "int8",
    "bigint": "int8",
    "numeric": "numeric",
    "number": "numeric",
    "float": "float8",
    "float8": "float8",
    "date": "date",
    "timestamp": "timestamp",
    "bool": "bool",
    "boolean": "bool",
}


# --- configuration ----------------------------------------------------------------


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.opendata_th.ingest.enabled", True))


def pdpa_enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.opendata_th.ingest.pdpa_guard", True))


def limits() -> Limits:
    def number(key: str, default: int) -> int:
        return int(tk.config.get(f"ckanext.opendata_th.ingest.{key}") or default)

    base = Limits()
    return Limits(
        max_bytes=number("max_size_mb", base.max_bytes // (1024 * 1024)) * 1024 * 1024,
        max_rows=number("max_rows", base.max_rows),
        max_columns=number("max_columns", base.max_columns),
        max_cell_chars=number("max_cell_chars", base.max_cell_chars),
        max_unzipped_bytes=number("max_unzipped_mb", base.max_unzipped_bytes // 2**20) * 2**20,
        max_part_bytes=number("max_part_mb", base.max_part_bytes // 2**20) * 2**20,
        max_shared_strings_bytes=number("max_shared_strings_mb", base.max_shared_strings_bytes // 2**20) * 2**20,
        max_shared_strings=number("max_shared_strings", base.max_shared_strings),
        max_sheet_cells=number("max_sheet_cells", base.max_sheet_cells),
    )


def load_budget() -> budget.Budget:
    """The time and memory a load may use (ckanext.opendata_th.ingest.max_seconds / max_memory_mb)."""
    seconds = int(tk.config.get("ckanext.opendata_th.ingest.max_seconds") or 1800)
    memory_mb = int(tk.config.get("ckanext.opendata_th.ingest.max_memory_mb") or 2048)
    return budget.Budget(seconds=seconds, memory_bytes=memory_mb * 2**20)


# --- queueing -----------------------------------------------------------------------


def resource_format(resource: dict[str, Any]) -> str | None:
    declared = (resource.get("format") or "").strip().lower()
    if declared in FORMAT_ALIASES:
        return FORMAT_ALIASES[declared]
    url = (resource.get("url") or "").split("?")[0].lower()
    extension = url.rsplit(".", 1)[-1] if "." in url.rsplit("/", 1)[-1] else ""
    return FORMAT_ALIASES.get(extension)


def fingerprint(resource: dict[str, Any]) -> str:
    """What changes when the file or the URL changes (and nothing else)."""
    parts = [resource.get(key) or "" for key in ("url_type", "url", "last_modified", "size")]
    return "|".join(str(part) for part in parts)


def on_resource_changed(resource: dict[str, Any]) -> None:
    """IResourceController hook: queue a load when a tabular file is new or changed."""
    if not enabled() or not resource.get("id") or resource_format(resource) is None:
        return
    row = status.get(resource["id"])
    if row and row.get("sheet_of"):
        return  # a sheet of a workbook is loaded with its workbook
    new_fingerprint = fingerprint(resource)
    if row and row.get("fingerprint") == new_fingerprint:
        return
    enqueue(resource["id"], fingerprint_=new_fingerprint)


def enqueue(resource_id: str, force: bool = False, fingerprint_: str | None = None) -> str:
    row = status.get(resource_id)
    if row and row.get("sheet_of"):
        resource_id = row["sheet_of"]
    job = tk.enqueue_job(
        run_job,
        [resource_id],
        {"force": force},
        title=f"opendata_th ingest {resource_id}",
        queue=tk.config.get("ckanext.opendata_th.ingest.queue") or "default",
        rq_kwargs={"timeout": int(tk.config.get("ckanext.opendata_th.ingest.timeout") or 3600)},
    )
    values: dict[str, Any] = {"state": status.PENDING, "phase": "queued", "job_id": job.id, "queued_at": status.now()}
    if fingerprint_ is not None:
        values["fingerprint"] = fingerprint_
    status.update(resource_id, **values)
    return str(job.id)


# --- the job --------------------------------------------------------------------------


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def run_job(resource_id: str, force: bool = False) -> None:
    """Load the resource's file (every sheet of a workbook) into the DataStore."""
    supervise.die_with_worker()  # a SIGKILLed worker takes its work horse (this load) with it
    started = time.monotonic()
    # Taken before the status says "running": a running load without the
    # lock is one whose worker died (status.checked).
    with status.load_lock(resource_id):
        status.update(
            resource_id,
            state=status.RUNNING,
            phase="fetching",
            started_at=status.now(),
            finished_at=None,
            error=None,
            rows_done=0,
            rows_total=None,
        )
        try:
            with budget.active(load_budget()):
                _run(resource_id, force)
        except IngestError as error:
            _fail(resource_id, error.msgid, error.params)
        except Exception as error:
            log.exception("ingest of %s failed", resource_id)
            _fail(resource_id, "Loading failed: %(error)s", {"error": f"{type(error).__name__}: {error}"})
            raise
        finally:
            log.info("ingest of %s took %.1fs", resource_id, time.monotonic() - started)


def _fail(resource_id: str, msgid: str, params: dict[str, Any]) -> None:
    # The worker has no request, so no language: the msgid and its params
    # are stored and status.public_view renders them for each reader.
    error = status.job_error(msgid, params)
    status.update(resource_id, state=status.ERROR, phase="failed", finished_at=status.now(), error=error)


def _run(resource_id: str, force: bool) -> None:
    context = _site_context()
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    # Recorded now, so the resource_patch that sets datastore_active (an
    # update with the same file) does not queue another load.
    status.update(resource_id, fingerprint=fingerprint(resource))
    config = limits()
    with _fetched(resource, config) as (path, digest):
        row = status.get(resource_id) or {}
        connection = status.connect()
        raw_tables: list[str] = []
        try:
            if not force and row.get("file_hash") == digest and load.table_exists(connection, resource_id):
                status.update(resource_id, state=status.COMPLETE, phase="unchanged", finished_at=status.now())
                return
            fmt = readers.sniff_format(path, resource_format(resource))
            sheets = readers.open_sheets(path, fmt, config)
            status.update(resource_id, phase="reading")
            analysed = []
            for number, sheet in enumerate(sheets):
                raw_tables.append(f"raw_{number}_{resource_id}")
                analysed.append((sheet, _analyse(sheet, config, connection, raw_tables[-1], resource_id)))
            tables = [(sheet, analysis) for sheet, analysis in analysed if analysis is not None]
            if not tables:
                raise IngestError("The file has no table to load")
            targets = _targets(context, resource, tables)
            pdpa_states = {
                target_id: _load_one(connection, target_id, sheet, analysis, progress_of=resource_id)
                for target_id, (sheet, analysis) in targets
            }
            for target_id, _ in targets:
                _publish(context, target_id, pdpa_states[target_id])
        finally:
            _drop_raw(connection, raw_tables)
            connection.close()
    status.update(
        resource_id,
        state=status.COMPLETE,
        phase="complete",
        finished_at=status.now(),
        file_hash=digest,
        sheets=[{"resource_id": t, "sheet": s.name} for t, (s, _) in targets] if len(targets) > 1 else None,
    )


@contextlib.contextmanager
def _fetched(resource: dict[str, Any], config: Limits) -> Iterator[tuple[str, str]]:
    """A local path to the resource's file and its SHA-256, within the size limit."""
    with tempfile.TemporaryDirectory(prefix="odth-ingest-") as directory:
        target = os.path.join(directory, "data")
        if resource.get("url_type") == "upload":
            _copy_upload(resource, target, config)
        else:
            _download(resource.get("url") or "", target, config)
        digest = hashlib.sha256()
        with open(target, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        yield target, digest.hexdigest()


def _stored_upload(resource: dict[str, Any]) -> tuple[str, Any]:
    """Where the uploaded file is kept: its path, and CKAN 2.12's file-keeper storage (None: a local file)."""
    from ckan.lib.uploader import get_resource_uploader

    uploader = get_resource_uploader(resource)
    return uploader.get_path(resource["id"]), getattr(uploader, "storage", None)


def upload_size(resource: dict[str, Any]) -> int | None:
    """The size in bytes of a resource's uploaded file in storage; None when it is missing."""
    from ckan.lib import files

    path, storage = _stored_upload(resource)
    if storage is None:
        return os.path.getsize(path) if os.path.exists(path) else None
    try:
        return int(storage.size(files.Location(path)))
    except files.exc.MissingFileError:
        return None


def _copy_upload(resource: dict[str, Any], target: str, config: Limits) -> None:
    """The uploaded file, from local storage or a file-keeper storage (CKAN 2.12's ckan.files)."""
    from ckan.lib import files

    size = upload_size(resource)
    if size is None:
        raise IngestError("The uploaded file is missing from storage")
    if size > config.max_bytes:
        raise IngestError("The file is larger than %(limit)s MB", limit=config.max_bytes // 2**20)
    path, storage = _stored_upload(resource)
    if storage is None:
        shutil.copyfile(path, target)
        return
    with open(target, "wb") as out:
        for chunk in storage.stream(files.FileData(files.Location(path), size=size)):
            out.write(chunk)


def _download(url: str, target: str, config: Limits) -> None:
    """The file at `url`, fetched under the catalogue's SSRF rule (lib/fetch.py): public addresses only."""
    import requests

    from ckanext.opendata_th.lib import fetch

    if not url.startswith(("http://", "https://")):
        raise IngestError("The resource URL is not an http(s) address: %(url)s", url=url)
    size = 0
    try:
        with fetch.get(url, stream=True, timeout=(10, 120)) as response, open(target, "wb") as out:
            response.raise_for_status()
            for chunk in response.iter_content(1 << 20):
                size += len(chunk)
                if size > config.max_bytes:
                    raise IngestError("The file is larger than %(limit)s MB", limit=config.max_bytes // 2**20)
                out.write(chunk)
    except fetch.FetchRefused as error:  # before RequestException: it is one, with a message of its own
        raise IngestError(error.msgid, **error.params) from error
    except requests.RequestException as error:
        raise IngestError("The file could not be downloaded: %(error)s", error=str(error)) from error


# --- analysis (pass 1) ---------------------------------------------------------------


class Analysis:
    def __init__(self, layout: detect.Layout, headers: list[str], profiles: list[ColumnProfile], raw: str) -> None:
        self.layout = layout
        self.labels = [column_ids.label(h) for h in headers]
        self.ids = column_ids.column_ids(headers)
        self.profiles = profiles
        self.raw = raw  # the all-text staging table of the rows (bulk.py)
        self.scan = bulk.NumberScan(len(headers))
        self.rows = 0
        self.skipped: list[int] = []
        self.totals: list[int] = []  # row numbers of the total rows kept apart from the data
        self.counting: set[int] = set()  # columns under a code header that hold row numbers 1..n


def _analyse(sheet: Sheet, config: Limits, connection: Any, raw: str, progress_of: str) -> Analysis | None:
    """Layout and headers from the first rows; every row into `raw`; the type of every column; None if empty."""
    with sheet.open_rows() as rows:
        sample = list(itertools.islice(rows, SAMPLE_ROWS))
        if sheet.has_title_rows:
            layout = detect.find_layout(sample)
        else:
            layout = detect.Layout(0, len(sample[0]), len(sample[0])) if sample and sample[0] else None
        if layout is None:
            return None
        if layout.width > config.max_columns:
            raise IngestError(
                "The table has %(count)s columns; the limit is %(limit)s", count=layout.width, limit=config.max_columns
            )
        header = detect.header_labels(sample, layout)
        profiles = [ColumnProfile(check_personal=pdpa_enabled()) for _ in header]
        analysis = Analysis(layout, header, profiles, raw)
        if not _read_fast(connection, sheet, sample, analysis, config, progress_of):
            cells = _raw_rows(itertools.chain(sample, rows), analysis, config, sheet.meta, progress_of)
            analysis.rows = bulk.copy_raw(connection, raw, layout.width, cells)
    analysis.totals = bulk.drop_total_rows(connection, raw, layout.width)
    analysis.rows -= len(analysis.totals)
    status.update(progress_of, phase="analysing", rows_done=analysis.rows, rows_total=analysis.rows)
    budget.check()
    bulk.profile(connection, raw, analysis.profiles, analysis.scan)
    coded = [i for i, p in enumerate(analysis.profiles) if p.pg_type() in _WHOLE and _reads_like_code(analysis, i)]
    analysis.counting = bulk.counting_columns(connection, raw, coded)
    return analysis


def _read_fast(
    connection: Any, sheet: Sheet, sample: list[Any], analysis: Analysis, config: Limits, progress_of: str
) -> bool:
    """Rows of a CSV/TSV file into the raw table by pyarrow (fastcsv); False if it must be read row by row."""
    meta = sheet.meta
    if "encoding" not in meta or "path" not in meta:
        return False  # workbooks and JSON: typed cells, read row by row
    layout = analysis.layout
    plan = fastcsv.Plan(
        path=meta["path"],
        encoding=meta["encoding"],
        delimiter=meta["delimiter"],
        data_index=layout.data_index,
        width=layout.width,
        fields=len(sample[layout.header_index]),
        first_rows=sample[layout.data_index :],
        max_rows=config.max_rows,
        max_cell_chars=config.max_cell_chars,
    )
    reported = 0

    def progress(rows: int, bytes_read: Callable[[], int]) -> None:
        nonlocal reported
        budget.check()
        if rows - reported >= bulk.PROGRESS_EVERY:
            reported = rows
            estimate = estimate_rows(rows, {"bytes_read": bytes_read, "size": meta.get("size")})
            status.update(progress_of, rows_done=rows, rows_total=estimate)

    try:
        analysis.rows = fastcsv.copy_raw(connection, analysis.raw, plan, analysis.scan, analysis.skipped, progress)
    except fastcsv.Unsupported as why:
        log.info("%s is read row by row: %s", progress_of, why)
        analysis.scan = bulk.NumberScan(analysis.layout.width)
        analysis.skipped.clear()
        return False
    return True


def _raw_rows(
    rows: Iterator[Any], analysis: Analysis, config: Limits, meta: dict[str, Any], progress_of: str
) -> Iterator[list[Any]]:
    """[position, row number, cells as text...] of every data row, within the limits."""
    text_only = "encoding" in meta
    position = 0
    scan = analysis.scan.add
    check = budget.check
    try:
        for number, cells in detect.table_rows(rows, analysis.layout, analysis.skipped):
            position += 1
            check()
            if position > config.max_rows:
                raise IngestError("The table has more than %(limit)s rows", limit=config.max_rows)
            if position % bulk.PROGRESS_EVERY == 0:
                status.update(progress_of, rows_done=position, rows_total=estimate_rows(position, meta))
            if not text_only:
                # Workbook and JSON cells are typed values; CSV cells are
                # already bounded by csv.field_size_limit.
                cells = [native_text(cell) for cell in cells]
                _check_cells(cells, number, analysis, config)
            cleaned = bulk.clean(cells)
            scan(cleaned)
            yield [position, number, *cleaned]
    except detect.ExtraCellsError as error:
        raise IngestError("Row %(row)s has values beyond the last column of the header", row=error.row) from error


def estimate_rows(rows_read: int, meta: dict[str, Any]) -> int | None:
    """The row count a text file will have, from the share of its bytes read so far (None if unknown).

    Only an estimate (the status says so while reading): rows differ in
    length and the reader's buffer runs ahead of the rows.
    """
    bytes_read = meta.get("bytes_read")
    size = meta.get("size")
    if not callable(bytes_read) or not size:
        return None
    try:
        done = bytes_read()
    except (ValueError, OSError):  # the file is closed once its last line is read
        return None
    if not done:
        return None
    return max(rows_read, round(rows_read * size / min(done, size)))


def _check_cells(cells: list[str | None], number: int, analysis: Analysis, config: Limits) -> None:
    for index, cell in enumerate(cells):
        if cell is not None and len(cell) > config.max_cell_chars:
            raise IngestError(
                "Row %(row)s, column %(column)s: the cell has more than %(limit)s characters",
                row=number,
                column=analysis.labels[index],
                value=cell,
                limit=config.max_cell_chars,
            )


def _drop_raw(connection: Any, raw_tables: list[str]) -> None:
    """The raw tables are scratch space: dropped after a load, failed or not."""
    if not raw_tables or connection.closed:
        return
    try:
        connection.rollback()
        bulk.drop(connection, *raw_tables)
    except Exception:  # the load's own error matters more; the next load drops them too
        log.warning("could not drop the raw staging tables %s", raw_tables, exc_info=True)


def _targets(
    context: dict[str, Any], resource: dict[str, Any], tables: list[tuple[Sheet, Analysis]]
) -> list[tuple[str, tuple[Sheet, Analysis]]]:
    """Which resource each sheet loads into: the first into the resource, the others into sheet resources."""
    targets = [(resource["id"], tables[0])]
    if len(tables) == 1:
        return targets
    existing = {row["sheet"]: row["resource_id"] for row in status.children(resource["id"])}
    for sheet, analysis in tables[1:]:
        child_id = existing.get(sheet.name) or _create_sheet_resource(context, resource, sheet.name or "")
        targets.append((child_id, (sheet, analysis)))
    return targets


def _create_sheet_resource(context: dict[str, Any], parent: dict[str, Any], sheet: str) -> str:
    """A resource for one more sheet, named after the workbook and the sheet, marked as its child."""
    child_id = str(uuid.uuid4())
    # Recorded before the resource exists, so the resource hook knows it is
    # a sheet and does not queue a load of its own.
    status.update(child_id, sheet_of=parent["id"], sheet=sheet, state=status.PENDING, phase="queued")
    name = parent.get("name") or parent["id"]
    tk.get_action("resource_create")(
        tk.fresh_context(context),
        {
            "id": child_id,
            "package_id": parent["package_id"],
            "name": f"{name} – {sheet}",
            "url": parent.get("url") or "",
            "format": parent.get("format") or "",
            "description": f"แผ่นงาน “{sheet}” ของไฟล์ {name} / Sheet “{sheet}” of {name}",
        },
    )
    return child_id


# --- load (pass 2) ----------------------------------------------------------------------


def _load_one(connection: Any, resource_id: str, sheet: Sheet, analysis: Analysis, progress_of: str) -> str:
    """Stage the new table; returns the PDPA state it is to be published with (see _publish)."""
    current = status.get(resource_id) or {}
    dictionary = load.existing_dictionary(connection, resource_id)
    actions: dict[str, str] = current.get("pdpa_actions") or {}
    personal = _personal_columns(analysis)
    keep = [i for i, cid in enumerate(analysis.ids) if actions.get(cid) != "drop"]
    if not keep:  # the held table stays held (the state is raised only below)
        raise IngestError("Every column would be dropped; mask some of them or publish nothing")
    masked = {i for i in keep if actions.get(analysis.ids[i]) == "mask"}
    types = {i: _column_type(analysis, i, dictionary, masked) for i in keep}
    columns = [
        load.Column(analysis.ids[i], types[i], _info(analysis, i, dictionary.get(analysis.ids[i]), masked))
        for i in keep
    ]
    unresolved = [p for p in personal if actions.get(p["id"]) not in ("drop", "mask")]
    pdpa_state = _pdpa_state(current, unresolved, personal)
    # The published table is still the old one until the swap: its guard may
    # only be raised now (new personal columns close it at once), never
    # lowered, or a held table would open before its masked or dropped
    # replacement exists, and stay open if this load fails.
    raised = {"pdpa_state": pdpa_state} if pdpa_state == status.PDPA_PENDING else {}
    status.update(
        resource_id,
        state=status.RUNNING,
        phase="loading",
        started_at=current.get("started_at") if resource_id == progress_of else status.now(),
        finished_at=None,
        error=None,
        rows_total=analysis.rows,
        rows_done=0,
        pii_columns=personal or None,
        **raised,
        notes=_notes(analysis),
    )

    targets = [
        bulk.Target(
            index=i,
            id=analysis.ids[i],
            pg_type=types[i],
            # Number-only columns with their inferred type are cast in SQL;
            # everything else goes through values.to_copy once per distinct value.
            number=analysis.scan.stats[i]
            if analysis.scan.stats[i].only_numbers
            and i not in masked
            and types[i] in bulk.NUMBER_TYPES
            and types[i] == analysis.profiles[i].pg_type()
            else None,
            masked=i in masked,
            indexed=types[i] == "text" and i not in masked,
        )
        for i in keep
    ]
    bad: list[tuple[int, str, bulk.Target]] = []
    maps: dict[int, str] = {}
    status.update(resource_id, phase="typing")
    for target in targets:
        if target.number is None:

            def failed(row: int, value: str, target: bulk.Target = target) -> None:
                bad.append((row, value, target))

            maps[target.index] = bulk.build_map(connection, analysis.raw, target, failed)
    if bad:
        row, value, target = min(bad, key=lambda found: found[0])
        raise IngestError(
            "Row %(row)s, column %(column)s: %(value)s is not a valid %(type)s",
            row=row,
            column=analysis.labels[target.index],
            value=value,
            type=target.pg_type,
        )
    budget.check()
    status.update(resource_id, phase="loading")

    def create(cursor: Any, table: Any, sequence: Any) -> int:
        return bulk.create_typed(cursor, table, sequence, analysis.raw, targets, maps)

    load.stage(connection, resource_id, columns, create)
    status.update(resource_id, phase="swapping")
    return pdpa_state


def _personal_columns(analysis: Analysis) -> list[dict[str, Any]]:
    if not pdpa_enabled():
        return []
    evidence = [profile.evidence(label) for profile, label in zip(analysis.profiles, analysis.labels, strict=True)]
    return [
        {"id": analysis.ids[index], "label": analysis.labels[index], "kind": kind}
        for index, kind in enumerate(pdpa.personal_columns(evidence))
        if kind
    ]


def _pdpa_state(current: dict[str, Any], unresolved: list[dict[str, Any]], personal: list[dict[str, Any]]) -> str:
    if not unresolved:
        return status.PDPA_RESOLVED if personal else status.PDPA_NONE
    confirmed = {c["id"] for c in (current.get("pii_columns") or [])}
    if current.get("pdpa_state") == status.PDPA_CONFIRMED and {c["id"] for c in unresolved} <= confirmed:
        return status.PDPA_CONFIRMED
    return status.PDPA_PENDING


def _notes(analysis: Analysis) -> dict[str, Any] | None:
    """What the page tells the officer about rows left out of the table."""
    notes = {"skipped_rows": analysis.skipped, "total_rows": analysis.totals}
    return {key: rows for key, rows in notes.items() if rows} or None


def _column_type(analysis: Analysis, index: int, dictionary: dict[str, dict[str, Any]], masked: set[int]) -> str:
    if index in masked:
        return "text"
    override = (dictionary.get(analysis.ids[index]) or {}).get("type_override") or ""
    if TYPE_OVERRIDES.get(str(override).strip().lower()):
        return TYPE_OVERRIDES[str(override).strip().lower()]
    inferred = analysis.profiles[index].pg_type()
    # Whole numbers under a code header (postal codes 10110, province codes
    # 10) are identifiers: kept as text so they are never summed or reformatted;
    # unless they only count the rows (an "id" of 1..n).
    if inferred in _WHOLE and _reads_like_code(analysis, index) and index not in analysis.counting:
        return "text"
    return inferred


_WHOLE = ("int4", "int8")


def _reads_like_code(analysis: Analysis, index: int) -> bool:
    return CODE_HEADER.search(str(analysis.labels[index] or "")) is not None


def _info(analysis: Analysis, index: int, previous: dict[str, Any] | None, masked: set[int]) -> dict[str, Any]:
    """Dictionary entry: what a data officer edited survives a re-load."""
    previous = previous or {}
    notes = analysis.profiles[index].notes()
    if index in masked:
        notes = MASKED_NOTE
    return {
        "label": previous.get("label") or analysis.labels[index],
        "notes": previous.get("notes") or notes,
        "type_override": previous.get("type_override") or "",
    }


def _publish(context: dict[str, Any], resource_id: str, pdpa_state: str) -> None:
    """Swap the staged table in; its PDPA state changes in the same transaction, never on a failure."""

    def set_pdpa_state(cursor: Any) -> None:
        status.update_in(cursor, resource_id, pdpa_state=pdpa_state)

    connection = status.connect()
    try:
        load.swap(connection, resource_id, also=set_pdpa_state)
    finally:
        connection.close()
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    if not resource.get("datastore_active"):
        load.mark_active(resource_id)  # a search index that is away does not fail the load
    current = status.get(resource_id) or {}
    status.update(
        resource_id,
        state=status.COMPLETE,
        phase="complete",
        rows_done=current.get("rows_total") or 0,
        finished_at=status.now(),
    )
