"""Bulk loading: PostgreSQL does the per-cell work, Python only what is distinct.

The first version parsed every cell in Python twice (type inference, then
conversion for COPY): ~6 000 rows/s.  Here:

1. `copy_raw` streams the data rows (already decoded and split by
   readers/detect, cells stripped and null markers made NULL by `clean`:
   Python does that faster than btrim() with Unicode spaces) into an
   UNLOGGED all-text table with COPY, at close to raw-COPY speed.  Each row carries its number in the file (`_row`, for
   error messages) and its position among the data rows (`_n`, the `_id`).
2. Columns made only of numbers (the columns with millions of distinct
   values) are recognised while the rows stream (`NumberScan`, the grammar
   of `values.parse` in one regular expression; a column leaves the scan
   at its first text cell).  `profile` types every other column with
   `values.parse` itself, run once per DISTINCT value (Thai government
   tables repeat their dates, provinces and categories) collected by one
   GROUP BY, weighted by how often the value occurs.  Every row counts.
3. `create_typed` builds the typed table with one CREATE TABLE AS,
   whose SELECT PostgreSQL runs in parallel workers.  Number columns are
   cast in SQL; every other column is joined to a map of its distinct
   values -> COPY text (`values.to_copy`, masking) and Thai words (nlpO3,
   once per distinct value), built in batches (`build_map`).
   tests/ingest/test_bulk.py checks that this path and `values` agree on
   tricky cells.

Memory stays bounded whatever the file size: rows are streamed, distinct
values are read through a server-side cursor in batches.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg2.extensions
from psycopg2 import sql

from ckanext.opendata_th.ingest import detect, fulltext, pdpa, status
from ckanext.opendata_th.ingest.infer import ColumnProfile
from ckanext.opendata_th.ingest.values import NULL_MARKERS, CellError, Kind, to_copy

SCHEMA = status.SCHEMA
BATCH = 10_000
PROGRESS_EVERY = 20_000
THAI = "๐๑๒๓๔๕๖๗๘๙"
ASCII = "0123456789"
NUMBER_TYPES = ("int4", "int8", "numeric", "float8")


@functools.cache
def whitespace() -> str:
    """The characters Python's str.strip() removes (deleted from numbers by the SQL cast, as values.py strips them)."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _raw_ident(raw: str) -> sql.Composable:
    return sql.Identifier(SCHEMA, raw)


def _cell(index: int) -> sql.Composable:
    return sql.Identifier(f"c{index}")


def _case_variants(word: str) -> set[str]:
    variants = {""}
    for char in word:
        variants = {v + c for v in variants for c in {char, char.upper()}}
    return variants


# Every spelling s with s.lower() in NULL_MARKERS ("N/A", "Null", ...): a set
# lookup per cell instead of lower() + lookup.
_NULLS = frozenset(variant for marker in NULL_MARKERS for variant in _case_variants(marker))


def clean(cells: Sequence[str | None]) -> list[str | None]:
    """Cells stripped like values.parse does, NULL markers as None (the hot loop: C-level map)."""
    try:
        return [None if s in _NULLS else s for s in map(str.strip, cells)]  # type: ignore[arg-type]
    except TypeError:  # None cells (short rows)
        return [None if c is None or (s := c.strip()) in _NULLS else s for c in cells]


class _CsvSource:
    """A file-like object psycopg2's copy_expert reads COPY CSV from."""

    def __init__(self, rows: Iterator[Sequence[Any]]) -> None:
        self._rows = rows
        self._text = io.StringIO()
        # Every line starts with the row's position, so no line can be the
        # end-of-data marker "\." (a "\." after a quoted newline is inside
        # quotes).  None is written as an unquoted empty field: NULL.
        self._writer = csv.writer(self._text, lineterminator="\n")
        self._buffer = b""
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            return self._read(size)
        except BaseException as error:
            # psycopg2 turns an exception raised here into QueryCanceled;
            # it is kept so the caller can raise the real one.
            self.error = error
            raise

    def _read(self, size: int) -> bytes:
        size = size if size and size > 0 else 1 << 16
        while len(self._buffer) < size:
            batch = [row for _, row in zip(range(2000), self._rows, strict=False)]
            if not batch:
                break
            self._text.seek(0)
            self._text.truncate()
            self._writer.writerows(batch)
            self._buffer += self._text.getvalue().encode("utf-8")
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    readline = read


def copy_raw(
    connection: psycopg2.extensions.connection,
    raw: str,
    width: int,
    rows: Iterable[Sequence[Any]],
) -> int:
    """Create `raw` (UNLOGGED, all text) and COPY `rows` ([_n, _row, *clean(cells)]) into it; returns the row count."""
    table = _raw_ident(raw)
    count = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    copy_into_new_raw(connection, table, width, _CsvSource(counted()))
    return count


def copy_into_new_raw(
    connection: psycopg2.extensions.connection, table: sql.Composable, width: int, source: Any
) -> None:
    """(Re)create `table` (UNLOGGED: _n, _row, `width` text cells) and COPY CSV from `source`, in one transaction.

    `source` is a file-like object with an `error` attribute: an error raised
    while it produced rows (a bad cell, a limit) is re-raised instead of the
    COPY error psycopg2 reports for it.
    """
    cells = sql.SQL(", ").join(sql.SQL("{} text").format(_cell(i)) for i in range(width))
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute(sql.SQL("CREATE UNLOGGED TABLE {} (_n int4, _row int4, {})").format(table, cells))
        copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv)").format(table)
        try:
            cursor.copy_expert(copy.as_string(connection), source, size=1 << 16)
        except psycopg2.Error:
            if source.error is not None:
                raise source.error from None
            raise


def drop_total_rows(connection: psycopg2.extensions.connection, raw: str, width: int) -> list[int]:
    """Take the total rows ("รวม") off the end of `raw`; their row numbers in the file, first to last.

    A total is not a record: left in, it makes a row-number column text and
    doubles every sum.  Only rows at the end are taken, where both readers
    (fastcsv and row by row) leave them, so both paths agree.
    """
    table = _raw_ident(raw)
    labels = sql.SQL(", ").join(_cell(i) for i in range(min(width, detect.TOTAL_LABEL_COLUMNS)))
    taken: list[int] = []
    with connection, connection.cursor() as cursor:
        while True:
            cursor.execute(sql.SQL("SELECT _n, _row, {} FROM {} ORDER BY _n DESC LIMIT 1").format(labels, table))
            last = cursor.fetchone()
            if last is None or not detect.is_total_row(last[2:]):
                break
            cursor.execute(sql.SQL("DELETE FROM {} WHERE _n = %s").format(table), (last[0],))
            taken.insert(0, int(last[1]))
    return taken


def counting_columns(connection: psycopg2.extensions.connection, raw: str, indexes: Sequence[int]) -> set[int]:
    """The columns among `indexes` that count rows: plain whole numbers 0 or 1 to n, each once.

    A row-number column headed "id" or "รหัส" reads like a code, but its
    numbers are a sequence, not identifiers with a meaning in each digit.
    """
    table = _raw_ident(raw)
    counting: set[int] = set()
    with connection, connection.cursor() as cursor:
        for index in indexes:
            cell = _cell(index)
            cursor.execute(
                sql.SQL(
                    "SELECT count({0}), count(DISTINCT {0}), bool_and({0} ~ '^[0-9]{{1,18}}$'),"
                    " min(CASE WHEN {0} ~ '^[0-9]{{1,18}}$' THEN {0}::int8 END),"
                    " max(CASE WHEN {0} ~ '^[0-9]{{1,18}}$' THEN {0}::int8 END) FROM {1}"
                ).format(cell, table)
            )
            filled, distinct, plain, low, high = cursor.fetchone()
            if filled and plain and filled == distinct and low in (0, 1) and high - low + 1 == filled:
                counting.add(index)
    return counting


def _map_name(raw: str, index: int) -> str:
    return f"m{index}_{raw}"


def drop(connection: psycopg2.extensions.connection, *raw: str) -> None:
    """Drop raw tables and the maps of their columns (`build_map`)."""
    with connection, connection.cursor() as cursor:
        for name in raw:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'"
                " AND relname ~ '^m[0-9]+_' AND substr(relname, strpos(relname, '_') + 1) = %s",
                (SCHEMA, name),
            )
            for (table,) in [(name,), *cursor.fetchall()]:
                cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(_raw_ident(table)))


# --- 2. profile: the type of every column over all rows ---------------------------------


# values._parse_number's grammar on a stripped cell, with Thai digits in the
# classes instead of a translate() first: an optional sign, digits with or
# without thousands separators, a fraction, a percent sign; or the same
# without sign in accounting parentheses.  Only ASCII and Thai digits: other
# Unicode digits go the exact way (values.parse on distinct values).
_D = "[0-9๐-๙]"
_WHOLE = rf"({_D}{{1,3}}(?:,{_D}{{3}})+|{_D}+)(\.{_D}+)?"
_SIGNED = re.compile(rf"[+\-−]?{_WHOLE}(\s*%)?")
_BRACKETED = re.compile(rf"\(\s*{_WHOLE}(\s*%)?\s*\)")
_THAI_DIGITS = str.maketrans(THAI, ASCII)


@dataclasses.dataclass
class NumberStats:
    """One column seen cell by cell while it holds only numbers."""

    numbers: int = 0
    fractions: int = 0
    max_abs_int: int = 0
    percent: bool = False
    commas: bool = False
    plain: bool = True  # every number is ASCII digits, "," and ".": cast without translate()
    only_numbers: bool = True  # False from the first cell that is not a number (or is a code)

    def add(self, cell: str) -> None:
        if cell.isascii() and cell.isdigit():  # the common case, without a regular expression
            if (len(cell) > 1 and cell[0] == "0") or len(cell) >= 13:
                self.only_numbers = False  # a code
                return
            self.numbers += 1
            if len(cell) >= 10:
                self.max_abs_int = max(self.max_abs_int, int(cell))
            return
        whole, dot, fraction = cell.partition(".")
        if dot and cell.isascii() and whole.isdigit() and fraction.isdigit():  # 123.45
            self.numbers += 1
            self.fractions += 1
            return
        match = _SIGNED.fullmatch(cell)
        if match is None and cell[0] == "(":
            match = _BRACKETED.fullmatch(cell)
        if match is None:
            self.only_numbers = False
            return
        whole, fraction, percent = match.groups()
        if fraction is None and "," not in whole and ((len(whole) > 1 and whole[0] in "0๐") or len(whole) >= 13):
            self.only_numbers = False  # a code: values keeps it as text
            return
        self.numbers += 1
        if "," in whole:
            self.commas = True
        if percent is not None or not cell.isascii() or not ("0" <= cell[0] <= "9"):
            self.plain = False
            # values: "12%" sets the column's percent note, "(12%)" does not
            self.percent = self.percent or (percent is not None and cell[0] != "(")
        if fraction is not None:
            self.fractions += 1
        elif len(whole) >= 10:  # shorter ones always fit int4
            self.max_abs_int = max(self.max_abs_int, int(whole.translate(_THAI_DIGITS).replace(",", "")))


class NumberScan:
    """Which columns hold only numbers, learnt while the rows stream into COPY.

    PostgreSQL's regular expressions cost ~2 µs a cell, Python's ~0.3 µs,
    and a column leaves the scan at its first text cell, so text columns
    cost nothing after their first row.
    """

    def __init__(self, width: int) -> None:
        self.stats = [NumberStats() for _ in range(width)]
        self._open = list(range(width))

    def open_columns(self) -> list[int]:
        """The columns still in the scan (fastcsv.scan_columns works on these only)."""
        return list(self._open)

    def close_text_columns(self) -> None:
        self._open = [i for i in self._open if self.stats[i].only_numbers]

    def add(self, cells: Sequence[str | None]) -> None:
        closed = False
        for index in self._open:
            cell = cells[index]
            if cell is not None:
                stats = self.stats[index]
                stats.add(cell)
                closed = closed or not stats.only_numbers
        if closed:
            self._open = [i for i in self._open if self.stats[i].only_numbers]


def _digits_only(column: sql.Composable) -> sql.Composable:
    """A number cell as ASCII digits and its fraction: Thai digits mapped, signs, separators, % and spaces deleted."""
    deleted = ",+-−()%" + whitespace()
    return sql.SQL("translate({}, {}, {})").format(column, sql.Literal(THAI + deleted), sql.Literal(ASCII))


def _distinct_name(raw: str, index: int) -> str:
    return f"d{index}_{raw}"  # temporary: one per column of each sheet's raw table


def _distinct_table(raw: str, index: int) -> sql.Composable:
    return sql.Identifier(_distinct_name(raw, index))


def collect_distinct(connection: psycopg2.extensions.connection, raw: str, index: int) -> None:
    """A temporary table of the column's distinct values, their count and first row (one pass over the rows)."""
    table = _distinct_table(raw, index)
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            sql.SQL(
                "CREATE TEMP TABLE {} AS SELECT {c} AS raw, count(*) AS n, min(_row) AS first_row "
                "FROM {} WHERE {c} IS NOT NULL GROUP BY {c}"
            ).format(table, _raw_ident(raw), c=_cell(index))
        )


def distinct_values(connection: psycopg2.extensions.connection, raw: str, index: int) -> Iterator[tuple[str, int, int]]:
    """(value, occurrences, first row) of every distinct value of a column, in batches."""
    # A server-side cursor: the caller holds the transaction (`with connection`).
    with connection.cursor(name=f"odth_distinct_{index}") as cursor:
        cursor.itersize = BATCH
        cursor.execute(sql.SQL("SELECT raw, n, first_row FROM {}").format(_distinct_table(raw, index)))
        yield from cursor


def profile(
    connection: psycopg2.extensions.connection, raw: str, profiles: list[ColumnProfile], scan: NumberScan
) -> None:
    """Fill each column's ColumnProfile as if every cell had been added to it."""
    for index, (column, found) in enumerate(zip(profiles, scan.stats, strict=True)):
        if found.only_numbers:
            _number_profile(column, found)
            continue
        collect_distinct(connection, raw, index)
        with connection:
            for value, occurrences, first_row in distinct_values(connection, raw, index):
                column.add(value, first_row, occurrences)


def _number_profile(column: ColumnProfile, found: NumberStats) -> None:
    whole = found.numbers - found.fractions
    if whole:
        column.kinds[Kind.INT] = whole
        column.max_abs_int = found.max_abs_int
    if found.fractions:
        column.kinds[Kind.NUMERIC] = found.fractions
    column.percent = found.percent


# --- 3. the typed table ----------------------------------------------------------------


@dataclasses.dataclass
class Target:
    """One column of the typed table and where its values come from."""

    index: int  # column of the raw table
    id: str
    pg_type: str
    number: NumberStats | None  # numbers cast in SQL; None: through a map of distinct values
    masked: bool = False
    indexed: bool = False  # its words go into _full_text


class _MapWriter:
    """Rows (raw, COPY text, tsvector) written to a map table in batches."""

    _ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, cursor: psycopg2.extensions.cursor, table: sql.Composable) -> None:
        self._cursor = cursor
        self._copy = sql.SQL("COPY {} (raw, v, tsv) FROM STDIN").format(table).as_string(cursor.connection)
        self._lines: list[str] = []

    def add(self, raw: str, value: str | None, tsv: str | None) -> None:
        cells = [raw, value, tsv or None]
        self._lines.append("\t".join("\\N" if c is None else c.translate(self._ESCAPES) for c in cells) + "\n")
        if len(self._lines) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._lines:
            self._cursor.copy_expert(self._copy, io.StringIO("".join(self._lines)))
            self._lines.clear()


def build_map(
    connection: psycopg2.extensions.connection, raw: str, target: Target, on_error: Callable[[int, str], None]
) -> str:
    """A table of the column's distinct values -> COPY text and words; returns its name (in SCHEMA).

    UNLOGGED in the staging schema, like the raw table, not TEMP: the
    parallel workers of `create_typed` cannot read a session's temporary
    tables.  `drop` removes it with its raw table.

    `on_error(row, value)` is called for the first row whose value does not
    fit the column's type (a type override); the map is complete anyway.
    """
    name = _map_name(raw, target.index)
    table = _raw_ident(name)
    text_column = target.pg_type == "text"
    if not distinct_collected(connection, raw, target.index):
        collect_distinct(connection, raw, target.index)  # a number column typed otherwise (code header, override)
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute(sql.SQL("CREATE UNLOGGED TABLE {} (raw text, v text, tsv tsvector)").format(table))
        writer = _MapWriter(cursor, table)
        first_bad: tuple[int, str] | None = None
        for value, _occurrences, first_row in distinct_values(connection, raw, target.index):
            try:
                converted = to_copy(value, target.pg_type)
            except CellError:
                if first_bad is None or first_row < first_bad[0]:
                    first_bad = (first_row, value)
                continue
            if converted is None:
                continue
            if target.masked:
                converted = pdpa.mask(converted)
            words = fulltext.tsvector_literal([converted], cache=False) if target.indexed and text_column else None
            writer.add(value, converted, words)
        writer.flush()
        cursor.execute(sql.SQL("ANALYZE {}").format(table))
    if first_bad is not None:
        on_error(*first_bad)
    return name


def distinct_collected(connection: psycopg2.extensions.connection, raw: str, index: int) -> bool:
    name = sql.Identifier("pg_temp", _distinct_name(raw, index)).as_string(connection)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return bool(cursor.fetchone()[0])


def _number_cast(index: int, pg_type: str, stats: NumberStats) -> sql.Composable:
    """A cell of a number column cast to the column type: plain digits as they are, others rebuilt."""
    c = sql.SQL("r.") + _cell(index)
    if stats.plain:
        text = sql.SQL("replace({}, ',', '')").format(c) if stats.commas else c
        return sql.SQL("({})::{}").format(text, sql.SQL(pg_type))
    # Sign (or accounting brackets) + digits and fraction.
    return sql.SQL("((CASE WHEN ascii({c}) IN (40, 45, 8722) THEN '-' ELSE '' END) || {digits})::{t}").format(
        c=c, digits=_digits_only(c), t=sql.SQL(pg_type)
    )


def typed_select(raw: str, targets: list[Target], maps: dict[int, str]) -> sql.Composable:
    """SELECT of the typed rows from the raw table: `_id`, `_full_text`, then every target column."""
    columns: list[sql.Composable] = []
    joins: list[sql.Composable] = []
    words: list[sql.Composable] = []
    for target in targets:
        if target.number is not None:
            value = _number_cast(target.index, target.pg_type, target.number)
        else:
            alias = sql.Identifier(f"m{target.index}")
            joins.append(
                sql.SQL("LEFT JOIN {} {} ON {}.raw = r.{}").format(
                    _raw_ident(maps[target.index]), alias, alias, _cell(target.index)
                )
            )
            value = sql.SQL("{}.v::{}").format(alias, sql.SQL(target.pg_type))
            if target.indexed:
                words.append(sql.SQL("coalesce({}.tsv, '')").format(alias))
        columns.append(sql.SQL("{} AS {}").format(value, sql.Identifier(target.id)))
    full_text = sql.SQL("NULLIF({}, ''::tsvector)").format(sql.SQL(" || ").join(words)) if words else sql.SQL("NULL")
    return sql.SQL("SELECT r._n AS _id, {}::tsvector AS _full_text, {} FROM {} r {}").format(
        full_text, sql.SQL(", ").join(columns), _raw_ident(raw), sql.SQL(" ").join(joins)
    )


def create_typed(
    cursor: psycopg2.extensions.cursor,
    table: sql.Composable,
    sequence: sql.Composable,
    raw: str,
    targets: list[Target],
    maps: dict[int, str],
) -> int:
    """Create `table` with the typed rows (for load.stage); returns the row count.

    CREATE TABLE AS, not CREATE TABLE then INSERT ... SELECT: PostgreSQL
    runs its SELECT (the casts, the map joins, the words) in parallel
    workers, which it never does for an INSERT, and writes the rows with
    its bulk-insert path.  The DataStore's `_id` default (a serial's
    sequence, owned by the column) is added after; the rows are in no
    particular physical order, as `datastore_search` sorts by `_id` anyway.
    """
    cursor.execute("SET LOCAL work_mem = '64MB'")
    # The planner's default cost of handing a row from a worker to the
    # leader (0.1) keeps a CREATE TABLE AS, which hands over every row,
    # serial; here the workers' share (casts, joins, words) is most of the
    # work, and the parallel plan took half the time at 1M rows.
    cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
    cursor.execute("SET LOCAL parallel_setup_cost = 10")
    cursor.execute(sql.SQL("CREATE TABLE {} AS {}").format(table, typed_select(raw, targets, maps)))
    count = cursor.rowcount
    cursor.execute(sql.SQL("CREATE SEQUENCE {} AS int4 OWNED BY {}._id").format(sequence, table))
    cursor.execute(
        sql.SQL(
            "ALTER TABLE {} ALTER COLUMN _id SET NOT NULL, ALTER COLUMN _id SET DEFAULT nextval(%s::regclass)"
        ).format(table),
        (sequence.as_string(cursor),),
    )
    # _id was given explicitly: the sequence continues after it for later upserts.
    cursor.execute("SELECT setval(%s::regclass, %s, %s)", (sequence.as_string(cursor), max(count, 1), count > 0))
    return count
