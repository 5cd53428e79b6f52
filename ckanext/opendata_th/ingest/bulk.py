"""Bulk loading: PostgreSQL does the per-cell work, Python only what is distinct.

The first version parsed every cell in Python twice (type inference, then
conversion for COPY): ~6 000 rows/s.  Here:

1. `copy_raw` streams the data rows (already decoded and split by
   readers/detect) into an UNLOGGED all-text table with COPY, at close to
   raw-COPY speed.  Each row carries its number in the file (`_row`, for
   error messages) and its position among the data rows (`_n`, the `_id`).
2. `profile` types every column over the WHOLE table in one aggregate
   pass.  Columns made only of numbers (the columns with millions of
   distinct values) are typed in SQL, by regular expressions equivalent to
   `values.parse` (tests/ingest/test_bulk.py checks that they agree).  Any
   other column is typed by `values.parse` itself, run once per DISTINCT
   value (Thai government tables repeat their dates, provinces and
   categories), weighted by how often the value occurs.
3. `fill` builds the typed table with one INSERT ... SELECT.  Number
   columns are cast in SQL; every other column is joined to a map of its
   distinct values -> COPY text (`values.to_copy`, masking) and Thai words
   (nlpO3, once per distinct value), built in batches.

Memory stays bounded whatever the file size: rows are streamed, distinct
values are read through a server-side cursor in batches.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import psycopg2.extensions
from psycopg2 import sql

from ckanext.opendata_th.ingest import fulltext, pdpa, status
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
    """The characters Python's str.strip() removes, for btrim(): the SQL strip must be the same."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


@functools.cache
def patterns() -> tuple[str, str]:
    """(number, code) regular expressions over a stripped cell with Thai digits made ASCII.

    The same grammar as `values._parse_number`: an optional sign, digits
    with or without thousands separators, an optional fraction, an optional
    percent sign; or the same without sign in accounting parentheses.  A
    code is a whole number without separators that has a leading zero or
    13+ digits: `values` keeps it as text.
    """
    ws = f"[{whitespace()}]*"
    number = r"([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?"
    code = r"(0[0-9]+|[0-9]{13,})"
    template = r"^([+\-−]?{n}({w}%)?|\({w}{n}({w}%)?{w}\))$"
    return template.format(n=number, w=ws), template.format(n=code, w=ws)


def _raw_ident(raw: str) -> sql.Composable:
    return sql.Identifier(SCHEMA, raw)


def _cell(index: int) -> sql.Composable:
    return sql.Identifier(f"c{index}")


def _stripped(index: int) -> sql.Composable:
    return sql.SQL("btrim({}, {})").format(_cell(index), sql.Literal(whitespace()))


# --- 1. raw rows -> all-text staging table ----------------------------------------


class _CsvSource:
    """A file-like object psycopg2's copy_expert reads COPY CSV from."""

    def __init__(self, rows: Iterator[Sequence[Any]]) -> None:
        self._rows = rows
        self._text = io.StringIO()
        # QUOTE_ALL: a cell "\." alone on a line would otherwise end COPY's input.
        self._writer = csv.writer(self._text, quoting=csv.QUOTE_ALL, lineterminator="\n")
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
    """Create `raw` (UNLOGGED, all text) and COPY `rows` ([_n, _row, cell, ...]) into it; returns the row count."""
    table = _raw_ident(raw)
    count = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    cells = sql.SQL(", ").join(sql.SQL("{} text").format(_cell(i)) for i in range(width))
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute(sql.SQL("CREATE UNLOGGED TABLE {} (_n int4, _row int4, {})").format(table, cells))
        source = _CsvSource(counted())
        copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv)").format(table)
        try:
            cursor.copy_expert(copy.as_string(connection), source, size=1 << 16)
        except psycopg2.Error:
            if source.error is not None:
                raise source.error from None
            raise
    return count


def drop(connection: psycopg2.extensions.connection, *raw: str) -> None:
    with connection, connection.cursor() as cursor:
        for name in raw:
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(_raw_ident(name)))


# --- 2. profile: the type of every column over all rows ---------------------------------


@dataclasses.dataclass
class NumberStats:
    """What the aggregate pass found in one column."""

    non_null: int
    numbers: int
    codes: int
    fractions: int
    max_digits: int | None
    percent: bool

    @property
    def only_numbers(self) -> bool:
        return self.codes == 0 and self.numbers == self.non_null


def _normalised(index: int) -> sql.Composable:
    """The cell stripped, NULL for a null marker, Thai digits made ASCII."""
    stripped = _stripped(index)
    return sql.SQL("CASE WHEN lower({s}) = ANY({markers}) THEN NULL ELSE translate({s}, {thai}, {ascii}) END").format(
        s=stripped, markers=sql.Literal(sorted(NULL_MARKERS)), thai=sql.Literal(THAI), ascii=sql.Literal(ASCII)
    )


def number_stats(connection: psycopg2.extensions.connection, raw: str, width: int) -> list[NumberStats]:
    """One aggregate pass over the whole raw table: which columns are numbers only, and how big."""
    number, code = patterns()
    cells: list[sql.Composable] = []
    flags: list[sql.Composable] = []
    aggregates: list[sql.Composable] = []
    for i in range(width):
        n, isnum, iscode = (sql.Identifier(f"{name}{i}") for name in ("n", "isnum", "iscode"))
        # Each level computed once per row (OFFSET 0 keeps PostgreSQL from
        # inlining the expressions into every aggregate that uses them).
        cells.append(sql.SQL("{} AS {}").format(_normalised(i), n))
        flags.append(
            sql.SQL("{n}, {n} ~ {number} AS {isnum}, {n} ~ {code} AS {iscode}").format(
                n=n, number=sql.Literal(number), code=sql.Literal(code), isnum=isnum, iscode=iscode
            )
        )
        aggregates.append(
            sql.SQL(
                "count({n}), count(*) FILTER (WHERE {isnum}), count(*) FILTER (WHERE {iscode}), "
                "count(*) FILTER (WHERE {isnum} AND strpos({n}, '.') > 0), "
                "max(length(regexp_replace({n}, '[^0-9]', '', 'g'))) FILTER (WHERE {isnum} AND strpos({n}, '.') = 0), "
                "coalesce(bool_or({n} LIKE '%\\%') FILTER (WHERE {isnum}), false)"
            ).format(n=n, isnum=isnum, iscode=iscode)
        )
    query = sql.SQL("SELECT {} FROM (SELECT {} FROM (SELECT {} FROM {} OFFSET 0) a OFFSET 0) b").format(
        sql.SQL(", ").join(aggregates),
        sql.SQL(", ").join(flags),
        sql.SQL(", ").join(cells),
        _raw_ident(raw),
    )
    with connection, connection.cursor() as cursor:
        cursor.execute(query)
        values = cursor.fetchone()
    return [NumberStats(*values[i * 6 : i * 6 + 6]) for i in range(width)]


def _max_abs_int(connection: psycopg2.extensions.connection, raw: str, index: int) -> int:
    digits = sql.SQL("regexp_replace({}, '[^0-9]', '', 'g')").format(_normalised(index))
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT max(({})::numeric) FROM {}").format(digits, _raw_ident(raw)))
        found = cursor.fetchone()[0]
    return int(found or 0)


def distinct_values(connection: psycopg2.extensions.connection, raw: str, index: int) -> Iterator[tuple[str, int, int]]:
    """(stripped value, occurrences, first row) of every distinct non-blank value of a column, in batches."""
    query = sql.SQL(
        "SELECT t, count(*), min(_row) FROM (SELECT {} AS t, _row FROM {} OFFSET 0) s WHERE t <> '' GROUP BY t"
    ).format(_stripped(index), _raw_ident(raw))
    # A server-side cursor: the caller holds the transaction (`with connection`).
    with connection.cursor(name=f"odth_distinct_{index}") as cursor:
        cursor.itersize = BATCH
        cursor.execute(query)
        yield from cursor


def profile(connection: psycopg2.extensions.connection, raw: str, profiles: list[ColumnProfile]) -> list[NumberStats]:
    """Fill each column's ColumnProfile as if every cell had been added to it."""
    stats = number_stats(connection, raw, len(profiles))
    for index, (column, found) in enumerate(zip(profiles, stats, strict=True)):
        if found.only_numbers:
            _number_profile(connection, raw, index, column, found)
            continue
        with connection:
            for value, occurrences, first_row in distinct_values(connection, raw, index):
                column.add(value, first_row, occurrences)
    return stats


def _number_profile(
    connection: psycopg2.extensions.connection, raw: str, index: int, column: ColumnProfile, found: NumberStats
) -> None:
    whole = found.numbers - found.fractions
    if whole:
        column.kinds[Kind.INT] = whole
        digits = found.max_digits or 0
        # Up to 9 digits always fits int4; from 10 on the exact maximum decides.
        column.max_abs_int = 10**digits - 1 if digits < 10 else _max_abs_int(connection, raw, index)
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
    sql_cast: bool  # numbers cast in SQL; otherwise through a map of distinct values
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
    """A temporary table of the column's distinct values -> COPY text and words; returns its name.

    `on_error(row, value)` is called for the first row whose value does not
    fit the column's type (a type override); the map is complete anyway.
    """
    name = f"odth_map_{target.index}"
    table = sql.Identifier(name)
    text_column = target.pg_type == "text"
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute(sql.SQL("CREATE TEMP TABLE {} (raw text, v text, tsv tsvector)").format(table))
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


def _number_cast(index: int, pg_type: str) -> sql.Composable:
    """sign + digits and fraction of a cell the number pattern matched, cast to the column type."""
    n = _normalised(index)
    return sql.SQL(
        "((CASE WHEN {n} ~ '^[(\\-−]' THEN '-' ELSE '' END) || regexp_replace({n}, '[^0-9.]', '', 'g'))::{t}"
    ).format(n=n, t=sql.SQL(pg_type))


def fill(
    cursor: psycopg2.extensions.cursor,
    table: sql.Composable,
    raw: str,
    targets: list[Target],
    maps: dict[int, str],
) -> int:
    """INSERT ... SELECT the typed rows into `table` (created by load.stage); returns the row count."""
    columns: list[sql.Composable] = []
    joins: list[sql.Composable] = []
    words: list[sql.Composable] = []
    for target in targets:
        if target.sql_cast:
            columns.append(_number_cast(target.index, target.pg_type))
            continue
        alias = sql.Identifier(f"m{target.index}")
        joins.append(
            sql.SQL("LEFT JOIN {} {} ON {}.raw = {}").format(
                sql.Identifier(maps[target.index]), alias, alias, _stripped(target.index)
            )
        )
        columns.append(sql.SQL("{}.v::{}").format(alias, sql.SQL(target.pg_type)))
        if target.indexed:
            words.append(sql.SQL("coalesce({}.tsv, '')").format(alias))
    full_text = sql.SQL("NULLIF({}, ''::tsvector)").format(sql.SQL(" || ").join(words)) if words else sql.SQL("NULL")
    names = sql.SQL(", ").join(sql.Identifier(t.id) for t in targets)
    cursor.execute("SET LOCAL work_mem = '64MB'")
    cursor.execute(
        sql.SQL("INSERT INTO {} (_id, _full_text, {}) SELECT r._n, {}, {} FROM {} r {} ORDER BY r._n").format(
            table,
            names,
            full_text,
            sql.SQL(", ").join(columns),
            _raw_ident(raw),
            sql.SQL(" ").join(joins),
        )
    )
    count = cursor.rowcount
    # _id was given explicitly: the sequence continues after it for later upserts.
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, '_id'), %s, %s)", (table.as_string(cursor), max(count, 1), count > 0)
    )
    return count
