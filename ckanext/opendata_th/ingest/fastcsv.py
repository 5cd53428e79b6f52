"""CSV/TSV rows into the raw staging table without a Python loop per row.

The row-by-row path (readers -> detect.table_rows -> bulk.clean ->
bulk.NumberScan -> csv writer -> COPY) costs ~15 µs a row in Python, most
of a load.  Here pyarrow's multithreaded CSV reader parses the file in
blocks and every per-cell rule runs as one compute kernel over a whole
column of a block:

- decoding: pyarrow reads UTF-8 itself and transcodes other encodings
  (TIS-620/Windows-874, UTF-16) through Python's codecs in blocks;
- trimming: exactly the characters Python's str.strip() removes;
- null markers: `values.NULL_MARKERS` in every letter case;
- blank rows skipped, sparse rows held back until a data row follows and
  dropped as notes/footers at the end (detect.table_rows's rules);
- the number grammar of `bulk.NumberStats.add` as RE2 expressions;
- COPY text written by pyarrow's CSV writer.

The header, title rows and layout still come from the row-by-row reader
(the first SAMPLE_ROWS rows).  Anything this path cannot read exactly the
same way raises `Unsupported` before a row is committed, and the caller
loads the file row by row instead: rows of another width than the header's
(ragged files), cells beyond the header's width, a cell over the size
limit, anything pyarrow rejects, or first rows that differ from what the
csv module read.  tests/ingest/test_fastcsv.py checks that both paths
give the same raw table, row numbers, skipped rows and number statistics.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

import psycopg2.extensions
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from psycopg2 import sql

from ckanext.opendata_th.ingest import bulk

# Bytes of the file per parsed block.  Each thread reads blocks ahead: at 1M rows the reading
# took 235 MB more memory with 4 MB blocks, 95 MB with 1 MB and 57 MB with 512 KB, for
# about the same time on this (busy) machine.
BLOCK_SIZE = 512 << 10
USE_THREADS = True
ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8"}  # pyarrow reads UTF-8 (and skips a BOM) itself

_D = "[0-9๐-๙]"
_WHOLE = rf"{_D}{{1,3}}(?:,{_D}{{3}})+|{_D}+"


class Unsupported(Exception):
    """The file must be read row by row (the caller falls back; nothing was committed)."""


@dataclasses.dataclass
class Plan:
    """What the row-by-row reader learnt from the first rows."""

    path: str
    encoding: str
    delimiter: str
    data_index: int  # 0-based index of the first record under the header rows, among all CSV records
    width: int  # columns of the table
    fields: int  # fields every record of the file has (the header's count)
    first_rows: Sequence[Sequence[str]]  # the records after the header, as the csv module read them
    max_rows: int
    max_cell_chars: int


@functools.cache
def _space_class() -> str:
    """Python's \\s (str.isspace) as an RE2 character class: RE2's \\s is ASCII only."""
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in bulk.whitespace()) + "]"


@functools.cache
def _number_patterns() -> tuple[str, str]:
    """values' number grammar (bulk._SIGNED / bulk._BRACKETED) for RE2, with its groups named."""
    s = _space_class()
    number = rf"(?P<whole>{_WHOLE})(?P<fraction>\.{_D}+)?(?P<percent>{s}*%)?"
    return rf"^[+\-−]?{number}$", rf"^\({s}*{number}{s}*\)$"


@functools.cache
def _nulls() -> pa.Array:
    # bulk._NULLS: every letter case of every marker, so no lower() per cell.
    return pa.array(sorted(bulk._NULLS), pa.string())


def _opened(plan: Plan, source: IO[bytes], block_size: int) -> pacsv.CSVStreamingReader:
    names = [f"f{i}" for i in range(plan.fields)]
    try:
        return pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=plan.data_index,
                block_size=block_size,
                use_threads=USE_THREADS,
                encoding=ENCODINGS.get(plan.encoding, plan.encoding),
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=plan.delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                # An empty line is a record (csv.reader numbers it), blank: skipped.
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, LookupError, UnicodeError) as error:
        raise Unsupported(str(error)) from error


def _batches(reader: pacsv.CSVStreamingReader) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowException, UnicodeError) as error:
            raise Unsupported(str(error)) from error
        yield batch


class _Rows:
    """Blocks of raw records -> blocks of data rows ([_n, _row, cells...]) as detect.table_rows chooses them."""

    def __init__(self, plan: Plan, scan: bulk.NumberScan, skipped: list[int]) -> None:
        self.plan = plan
        self.scan = scan
        self.skipped = skipped
        self.sparse_limit = 1 if plan.width >= 3 else 0
        self.records = 0  # records read after the header
        self.position = 0  # data rows written
        self.held: list[pa.RecordBatch] = []  # sparse rows waiting for a data row after them
        self.checked = False

    def feed(self, batch: pa.RecordBatch) -> list[pa.RecordBatch]:
        plan = self.plan
        if not self.checked:
            self._check_first_rows(batch)
        columns = [pc.utf8_trim(batch.column(i), bulk.whitespace()) for i in range(plan.fields)]
        for column in columns[plan.width :]:
            if pc.any(pc.not_equal(column, "")).as_py():
                raise Unsupported("cells beyond the header's width")
        longest = max((pc.max(pc.utf8_length(c)).as_py() or 0) for c in columns[: plan.width])
        if longest > plan.max_cell_chars:
            raise Unsupported("a cell over the size limit")
        count = _filled(columns[: plan.width])
        numbers = pc.add(_ones(len(batch)), plan.data_index + self.records)  # 1-based record numbers
        self.records += len(batch)
        cells = [
            pc.if_else(pc.is_in(column, value_set=_nulls()), pa.scalar(None, pa.string()), column)
            for column in columns[: plan.width]
        ]
        rows = pa.RecordBatch.from_arrays([numbers, count, *cells], names=["_row", "_count", *_names(plan.width)])
        rows = rows.filter(pc.greater(count, 0))
        dense = pc.greater(rows.column(1), self.sparse_limit)
        dense_at = pc.indices_nonzero(dense)
        if len(dense_at) == 0:
            self.held.append(rows)
            return []
        last = dense_at[-1].as_py()
        ready = [*self.held, rows.slice(0, last + 1)]
        self.held = [rows.slice(last + 1)]
        return [self._numbered(part) for part in ready if len(part)]

    def finish(self) -> None:
        """What is still held at the end of the file: notes and footers, skipped."""
        for part in self.held:
            self.skipped.extend(part.column(0).to_pylist())
        self.held = []

    def _numbered(self, rows: pa.RecordBatch) -> pa.RecordBatch:
        start = self.position
        self.position += len(rows)
        if self.position > self.plan.max_rows:
            from ckanext.opendata_th.ingest.readers import IngestError

            raise IngestError("The table has more than %(limit)s rows", limit=self.plan.max_rows)
        cells = [rows.column(2 + i) for i in range(self.plan.width)]
        scan_columns(self.scan, cells)
        positions = pc.add(_ones(len(rows)), start)
        return pa.RecordBatch.from_arrays(
            [positions, rows.column(0), *cells], names=["_n", "_row", *_names(self.plan.width)]
        )

    def _check_first_rows(self, batch: pa.RecordBatch) -> None:
        """The first records must be what the csv module read (quoting, skipped title rows)."""
        # An empty line is [] to the csv module and a row of empty cells to pyarrow.
        expected = [list(row) or [""] * self.plan.fields for row in self.plan.first_rows[: len(batch)]]
        if any(len(row) != self.plan.fields for row in expected):
            raise Unsupported("rows of another width than the header's")
        got = batch.slice(0, len(expected)).to_pylist()
        if [[record[f"f{i}"] for i in range(self.plan.fields)] for record in got] != expected:
            raise Unsupported("pyarrow reads the first rows differently from the csv module")
        self.checked = True


def _names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def _ones(length: int) -> pa.Array:
    """1, 2, ... length (int64)."""
    return pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), length))


def _filled(columns: list[pa.Array]) -> pa.Array:
    """detect.filled per row: how many cells are not blank."""
    count = pa.repeat(pa.scalar(0, pa.int32()), len(columns[0]) if columns else 0)
    for column in columns:
        count = pc.add(count, pc.cast(pc.not_equal(column, ""), pa.int32()))
    return count


def scan_columns(scan: bulk.NumberScan, cells: Sequence[pa.Array]) -> None:
    """bulk.NumberScan.add over whole columns: the same statistics, by compute kernels."""
    for index in scan.open_columns():
        stats = scan.stats[index]
        _scan_column(stats, cells[index].drop_null())
    scan.close_text_columns()


def _scan_column(stats: bulk.NumberStats, column: pa.Array) -> None:
    if not stats.only_numbers or len(column) == 0:
        return
    length = pc.utf8_length(column)
    digits = pc.ascii_is_decimal(column)  # ASCII 0-9 only: NumberStats.add's first fast path
    # Plain digits: codes (leading zero, 13+ digits) are text.
    code = pc.and_(
        digits,
        pc.or_(pc.and_(pc.greater(length, 1), pc.starts_with(column, "0")), pc.greater_equal(length, 13)),
    )
    if pc.any(code).as_py():
        stats.only_numbers = False
        return
    fraction = pc.and_(pc.invert(digits), pc.match_substring_regex(column, r"^[0-9]+\.[0-9]+$"))
    rest = column.filter(pc.invert(pc.or_(digits, fraction)))
    parts = _parts(rest) if len(rest) else None
    if parts is not None and (not parts["numbers"] or parts["code"]):
        stats.only_numbers = False
        return
    plain_digits = column.filter(digits)
    stats.numbers += len(plain_digits)
    long = plain_digits.filter(pc.greater_equal(pc.utf8_length(plain_digits), 10))
    if len(long):
        stats.max_abs_int = max(stats.max_abs_int, pc.max(pc.cast(long, pa.int64())).as_py())
    fractions = pc.sum(pc.cast(fraction, pa.int64())).as_py() or 0
    stats.numbers += fractions
    stats.fractions += fractions
    if parts is not None:
        stats.numbers += len(rest)
        stats.fractions += parts["fractions"]
        stats.commas = stats.commas or parts["commas"]
        stats.plain = stats.plain and not parts["not_plain"]
        stats.percent = stats.percent or parts["percent"]
        stats.max_abs_int = max(stats.max_abs_int, parts["max_abs_int"])


def _parts(rest: pa.Array) -> dict[str, Any]:
    """The statistics of cells in the full grammar (signs, separators, Thai digits, %, brackets).

    "numbers" is False when a cell is not a number at all.
    """
    signed, bracketed = _number_patterns()
    is_signed = pc.match_substring_regex(rest, signed)
    is_bracketed = pc.match_substring_regex(rest, bracketed)
    if not pc.all(pc.or_(is_signed, is_bracketed)).as_py():
        return {"numbers": False}
    forms = [pc.extract_regex(rest, pattern) for pattern in (signed, bracketed)]

    def group(name: str) -> pa.Array:
        # A form that does not match gives a null struct; an absent optional group gives "".
        found = [pc.fill_null(pc.struct_field(form, name), "") for form in forms]
        return pc.if_else(is_signed, found[0], found[1])

    whole, fraction, percent = group("whole"), group("fraction"), group("percent")
    has_fraction = pc.not_equal(fraction, "")
    has_percent = pc.not_equal(percent, "")
    has_comma = pc.match_substring(whole, ",")
    whole_length = pc.utf8_length(whole)
    leading_zero = pc.or_(pc.starts_with(whole, "0"), pc.starts_with(whole, "๐"))
    code = pc.and_(
        pc.and_(pc.invert(has_fraction), pc.invert(has_comma)),
        pc.or_(pc.and_(pc.greater(whole_length, 1), leading_zero), pc.greater_equal(whole_length, 13)),
    )
    first_digit = pc.match_substring_regex(rest, r"^[0-9]")
    not_plain = pc.or_(pc.or_(has_percent, pc.invert(pc.string_is_ascii(rest))), pc.invert(first_digit))
    big = whole.filter(pc.and_(pc.invert(has_fraction), pc.greater_equal(whole_length, 10)))
    max_abs_int = 0
    for value in big.to_pylist():  # few cells: exact Python ints, whatever their size
        max_abs_int = max(max_abs_int, int(value.translate(bulk._THAI_DIGITS).replace(",", "")))
    return {
        "numbers": True,
        "code": pc.any(code).as_py(),
        "fractions": pc.sum(pc.cast(has_fraction, pa.int64())).as_py() or 0,
        "commas": pc.any(has_comma).as_py(),
        "not_plain": pc.any(not_plain).as_py(),
        "percent": pc.any(pc.and_(has_percent, pc.invert(pc.starts_with(rest, "(")))).as_py(),
        "max_abs_int": max_abs_int,
    }


class _CopySource:
    """A file-like object COPY reads: each read() gives the next block of rows, written as CSV by pyarrow.

    psycopg2 sends whatever read() returns, so a block goes out whole
    (no re-slicing of a byte buffer per 64 KB).
    """

    def __init__(self, blocks: Iterator[pa.RecordBatch]) -> None:
        self._blocks = blocks
        self._options = pacsv.WriteOptions(include_header=False)
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            for block in self._blocks:
                if len(block):
                    sink = pa.BufferOutputStream()
                    pacsv.write_csv(block, sink, self._options)
                    return bytes(sink.getvalue())
            return b""
        except BaseException as error:  # psycopg2 turns it into QueryCanceled; kept for the caller
            self.error = error
            raise

    readline = read


def copy_raw(
    connection: psycopg2.extensions.connection,
    raw: str,
    plan: Plan,
    scan: bulk.NumberScan,
    skipped: list[int],
    progress: Callable[[int, Callable[[], int]], None],
) -> int:
    """bulk.copy_raw for a CSV/TSV file read by pyarrow; returns the row count.

    `progress(rows, bytes_read)` is called after every block.  Raises
    `Unsupported` (the transaction rolled back) when the file must be read
    row by row.
    """
    # glibc's malloc, not the default mimalloc pool: its release_unused() (malloc_trim) gives the
    # blocks back before the rest of the load, which mimalloc kept (peak 303 MB instead of 207).
    previous_pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        return _copy_raw(connection, raw, plan, scan, skipped, progress)
    finally:
        pa.default_memory_pool().release_unused()
        pa.set_memory_pool(previous_pool)


def _copy_raw(
    connection: psycopg2.extensions.connection,
    raw: str,
    plan: Plan,
    scan: bulk.NumberScan,
    skipped: list[int],
    progress: Callable[[int, Callable[[], int]], None],
) -> int:
    table = sql.Identifier(bulk.SCHEMA, raw)
    rows = _Rows(plan, scan, skipped)
    with open(plan.path, "rb") as source:

        def blocks() -> Iterator[pa.RecordBatch]:
            for batch in _batches(_opened(plan, source, BLOCK_SIZE)):
                yield from rows.feed(batch)
                progress(rows.position, source.tell)
            rows.finish()

        bulk.copy_into_new_raw(connection, table, plan.width, _CopySource(blocks()))
    return rows.position
