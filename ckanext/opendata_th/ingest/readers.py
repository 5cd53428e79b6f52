"""Files as streams of rows: CSV/TSV, XLSX, XLS, ODS and JSON, within limits.

Each sheet can be opened twice (types are inferred over the whole file in a
first pass, rows are loaded in a second), so a `Sheet` holds a function
that opens its rows rather than the rows themselves; no reader holds a
whole file in memory except JSON (bounded by `Limits.max_json_bytes`) and
the legacy .xls format (65,536 rows at most).

Libraries: the csv module; openpyxl in read-only mode for XLSX (streams);
python-calamine (Rust) for XLS and ODS, which openpyxl cannot read.
Formulas are never evaluated: XLSX gives the value Excel cached, and a CSV
cell starting with "=" is text.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from ckanext.opendata_th.ingest import budget, detect

Rows = Iterator[Sequence[Any]]
RowOpener = Callable[[], contextlib.AbstractContextManager[Rows]]

FORMATS = ("csv", "tsv", "xlsx", "xls", "ods", "json")
SAMPLE_CHARS = 256 * 1024
MAX_LINE_CHARS = 4 * 1024 * 1024
ZIP_MAX_RATIO = 200  # uncompressed / compressed size of one workbook part
SHARED_STRINGS = "sharedStrings.xml"


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int = 500 * 1024 * 1024
    max_rows: int = 20_000_000
    max_columns: int = 1000
    max_cell_chars: int = 100_000
    max_unzipped_bytes: int = 2 * 1024 * 1024 * 1024  # all parts of a workbook together
    max_part_bytes: int = 1024 * 1024 * 1024  # one part (a sheet), unpacked
    # openpyxl keeps every shared string of an XLSX in memory (a Python str
    # each, ~60 bytes over its text): the part and the count are bounded.
    max_shared_strings_bytes: int = 100 * 1024 * 1024
    max_shared_strings: int = 2_000_000
    # calamine holds a whole XLS/ODS sheet in memory as a dense rectangle.
    max_sheet_cells: int = 20_000_000
    max_json_bytes: int = 50 * 1024 * 1024


class IngestError(Exception):
    """A problem with the file itself, reported to the data officer.

    `msgid` is an English, translatable message with %(name)s params; row,
    column and value locate the fault when there is one.
    """

    def __init__(
        self, msgid: str, *, row: int | None = None, column: str | None = None, value: Any = None, **params: Any
    ) -> None:
        self.msgid = msgid
        self.params = {**params, "row": row, "column": column, "value": _short(value)}
        self.row, self.column, self.value = row, column, _short(value)
        super().__init__(msgid % self.params)


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str | None  # None for single-table formats
    open_rows: RowOpener
    has_title_rows: bool = True  # JSON has exactly one header row
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


def sniff_format(path: str, declared: str | None) -> str:
    """The file's real format from its first bytes; the declared one only between text formats."""
    with open(path, "rb") as f:
        head = f.read(8)
    declared = (declared or "").lower().strip(".")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and b"spreadsheet" in archive.read("mimetype")[:200]:
                    return "ods"
        except (zipfile.BadZipFile, OSError) as error:
            raise IngestError("The workbook is damaged or truncated") from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise IngestError("The file is a ZIP archive, not a spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if declared == "json" or head.lstrip()[:1] == b"[":
        return "json"
    return "tsv" if declared == "tsv" else "csv"


def open_sheets(path: str, fmt: str, limits: Limits) -> list[Sheet]:
    if fmt in ("csv", "tsv"):
        return [_text_sheet(path, fmt, limits)]
    if fmt == "xlsx":
        _check_zip(path, limits)
        return _xlsx_sheets(path, limits)
    if fmt in ("xls", "ods"):
        if fmt == "ods":
            _check_zip(path, limits)
            _check_ods_cells(path, limits)
        return _calamine_sheets(path)
    if fmt == "json":
        return [_json_sheet(path, limits)]
    raise IngestError("Unsupported format %(format)s", format=fmt)


# --- CSV / TSV -----------------------------------------------------------------


def _text_sheet(path: str, fmt: str, limits: Limits) -> Sheet:
    with open(path, "rb") as f:
        try:
            encoding = detect.detect_encoding(f)
        except detect.EncodingError as error:
            raise IngestError("The text encoding of the file could not be recognised") from error
        head = f.read(4096)
    if b"\x00" in head and not encoding.startswith("utf-16") and not encoding.startswith("utf-32"):
        raise IngestError("The file is binary, not a text table")
    with open(path, "rb") as f:
        try:
            sample = detect.text_stream(f, encoding).read(SAMPLE_CHARS)
        except UnicodeDecodeError as error:
            raise IngestError("The file is binary, not a text table") from error
    if detect.looks_binary(sample):
        raise IngestError("The file is binary, not a text table")
    with open(path, "rb") as f:
        line = detect.nul_line(f, encoding)
    if line is not None:
        raise IngestError(
            "Line %(line)s of the file holds a NUL character (a zero byte): the file is damaged or not a text table",
            line=line,
        )
    delimiter = "\t" if fmt == "tsv" else detect.sniff_delimiter(sample)

    # "path": fastcsv reads the file itself (jobs._read_fast).
    meta: dict[str, Any] = {"encoding": encoding, "delimiter": delimiter, "size": os.path.getsize(path), "path": path}

    @contextlib.contextmanager
    def open_rows() -> Iterator[Rows]:
        csv.field_size_limit(limits.max_cell_chars)
        with open(path, "rb") as f:
            # Bytes read so far (ahead of the rows by the text buffer): with
            # "size", an estimate of the row count while reading (jobs.py).
            meta["bytes_read"] = f.tell
            try:
                lines = _bounded_lines(detect.text_stream(f, encoding))
                yield _csv_rows(csv.reader(lines, delimiter=delimiter))
            finally:
                meta.pop("bytes_read", None)

    return Sheet(None, open_rows, meta=meta)


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    """Lines of at most MAX_LINE_CHARS: a file without line breaks cannot fill memory."""
    while True:
        try:
            line = text.readline(MAX_LINE_CHARS)
        except UnicodeDecodeError as error:
            raise IngestError("The file has bytes that are not valid %(encoding)s", encoding=error.encoding) from error
        if not line:
            return
        budget.check()
        if len(line) == MAX_LINE_CHARS and not line.endswith("\n"):
            raise IngestError("A line is longer than %(limit)s characters", limit=MAX_LINE_CHARS)
        yield line


def _csv_rows(reader: Any) -> Rows:
    try:
        yield from reader
    except csv.Error as error:
        raise IngestError("Malformed CSV: %(error)s", row=reader.line_num, error=str(error)) from error


# --- workbooks ------------------------------------------------------------------


def _check_zip(path: str, limits: Limits) -> None:
    """Refuse zip bombs by the sizes the zip directory declares, before a workbook library inflates them.

    The directory can lie: XLSX parts are also counted as they really
    inflate (`_CountedPart`); calamine (XLS/ODS) reads in Rust, where only
    the declared sizes and the load's memory budget hold.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise IngestError("The workbook is damaged or truncated") from error
    total = sum(part.file_size for part in parts)
    if total > limits.max_unzipped_bytes:
        raise IngestError("The workbook unpacks to more than %(limit)s bytes", limit=limits.max_unzipped_bytes)
    strings = _shared_strings_parts(path, parts)
    for part in parts:
        _check_part_size(part.filename, part.file_size, limits, shared_strings=part.filename in strings)
        if part.file_size > 1024 * 1024 and part.file_size > ZIP_MAX_RATIO * max(part.compress_size, 1):
            raise IngestError("The workbook is compressed suspiciously well (a zip bomb?)")


def _shared_strings_parts(path: str, parts: list[zipfile.ZipInfo]) -> set[str]:
    """Names of the XLSX shared-strings parts: the usual name, and any other [Content_Types].xml gives it."""
    names = {part.filename for part in parts if part.filename.endswith(SHARED_STRINGS)}
    types = next((p for p in parts if p.filename == "[Content_Types].xml"), None)
    if types is None or types.file_size > 1024 * 1024:  # a real one is a few KB
        return names
    with contextlib.suppress(zipfile.BadZipFile, OSError, ValueError):
        with zipfile.ZipFile(path) as archive:
            text = archive.read(types).decode("utf-8", "replace")
        for match in _SHARED_STRINGS_TYPE.finditer(text):
            names.add(match.group(1).lstrip("/"))
    return names


_SHARED_STRINGS_TYPE = re.compile(r'PartName="([^"]+)"[^>]*ContentType="[^"]*sharedStrings[^"]*"')


def _check_part_size(name: str, size: int, limits: Limits, *, shared_strings: bool) -> None:
    if shared_strings and size > limits.max_shared_strings_bytes:
        raise IngestError(
            "The shared text of the workbook (%(part)s) unpacks to more than %(limit)s MB",
            part=name,
            limit=limits.max_shared_strings_bytes // 2**20,
        )
    if size > limits.max_part_bytes:
        raise IngestError(
            "A part of the workbook (%(part)s) unpacks to more than %(limit)s MB",
            part=name,
            limit=limits.max_part_bytes // 2**20,
        )


class _CountedPart(io.RawIOBase):
    """A workbook part as it inflates, counting the bytes really produced and checking the load's budget."""

    def __init__(self, inner: IO[bytes], name: str, limits: Limits, totals: list[int], shared_strings: bool) -> None:
        super().__init__()
        self._inner, self._name, self._limits, self._totals = inner, name, limits, totals
        self._shared_strings = shared_strings
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(min(len(buffer), 1 << 16))
        size = len(data)
        buffer[:size] = data
        self._counted(size)
        return size

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # read all, still counted chunk by chunk
            return b"".join(iter(lambda: self.read(1 << 16), b""))
        data = self._inner.read(size)
        self._counted(len(data))
        return data

    def _counted(self, size: int) -> None:
        self.count += size
        self._totals[0] += size
        _check_part_size(self._name, self.count, self._limits, shared_strings=self._shared_strings)
        if self._totals[0] > self._limits.max_unzipped_bytes:
            raise IngestError(
                "The workbook unpacks to more than %(limit)s bytes", limit=self._limits.max_unzipped_bytes
            )
        budget.check()

    def close(self) -> None:
        self._inner.close()
        super().close()


def _open_xlsx(f: IO[bytes], limits: Limits) -> Any:
    """openpyxl's read-only workbook, with every part counted as it inflates and the shared strings bounded."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS as SHARED_STRINGS_TYPE

    class BudgetedReader(ExcelReader):
        def read_strings(self) -> None:  # openpyxl's, with the count bounded
            part = self.package.find(SHARED_STRINGS_TYPE)
            if part is not None:
                with counted_open(part.PartName[1:], shared_strings=True) as source:
                    self.shared_strings = _shared_strings(source, limits)

    reader = BudgetedReader(f, read_only=True, data_only=True)
    archive = reader.archive
    plain_open = archive.open
    totals = [0]  # bytes inflated from this archive, all parts and every pass

    def counted_open(name: Any, mode: str = "r", *args: Any, shared_strings: bool = False, **kwargs: Any) -> Any:
        inner = plain_open(name, mode, *args, **kwargs)
        if mode != "r":
            return inner
        part_name = name.filename if isinstance(name, zipfile.ZipInfo) else str(name)
        return _CountedPart(inner, part_name, limits, totals, shared_strings)

    archive.open = counted_open  # the workbook keeps it as _archive: sheets read later are counted too
    reader.read()
    return reader.wb


def _shared_strings(source: IO[bytes], limits: Limits) -> list[str]:
    """openpyxl.reader.strings.read_string_table, stopping at `limits.max_shared_strings`."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag = f"{{{SHEET_MAIN_NS}}}si"
    strings: list[str] = []
    for _, node in iterparse(source):
        if node.tag == tag:
            text = Text.from_tree(node).content.replace("x005F_", "")
            node.clear()
            strings.append(text)
            if len(strings) > limits.max_shared_strings:
                raise IngestError(
                    "The workbook has more than %(limit)s distinct texts (shared strings)",
                    limit=limits.max_shared_strings,
                )
            if len(strings) % 4096 == 0:
                budget.check()
    return strings


def _xlsx_sheets(path: str, limits: Limits) -> list[Sheet]:
    # A file object, not the path: openpyxl refuses paths without ".xlsx".
    try:
        with open(path, "rb") as f:
            book = _open_xlsx(f, limits)
            names = [sheet.title for sheet in book.worksheets]  # not chartsheets
            book.close()
    except IngestError:
        raise
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise IngestError("The workbook is damaged or truncated") from error

    def opener(name: str) -> RowOpener:
        @contextlib.contextmanager
        def open_rows() -> Iterator[Rows]:
            with open(path, "rb") as f:
                workbook = _open_xlsx(f, limits)
                try:
                    sheet = workbook[name]
                    # The sheet's <dimension> is the file's word: "A1:XFD1048576" would pad
                    # every row to 16,384 cells and make up a million empty rows.  Without
                    # it each row is as wide as its own last cell and gaps are empty tuples.
                    sheet.reset_dimensions()
                    yield _workbook_rows(sheet.iter_rows(values_only=True))
                finally:
                    workbook.close()

        return open_rows

    return [Sheet(name, opener(name)) for name in names]


def _workbook_rows(rows: Iterator[Sequence[Any]]) -> Rows:
    """Rows of a sheet; a part that breaks while it streams is a damaged workbook, not an internal error."""
    try:
        yield from _checked_rows(rows)
    except IngestError:
        raise
    except Exception as error:  # a bad CRC (a directory entry that lied), truncated XML, ...
        raise IngestError("The workbook is damaged or truncated") from error


def _checked_rows(rows: Iterator[Sequence[Any]]) -> Rows:
    """The rows, with the load's budget checked on each: openpyxl makes up empty rows for gaps without
    reading a byte, and the layout skips blank rows, so no other loop would notice the time pass."""
    for row in rows:
        budget.check()
        yield row


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 value-type"


def _check_ods_cells(path: str, limits: Limits) -> None:
    """Refuse an ODS whose sheets span more cells than `limits.max_sheet_cells` once repeats are expanded.

    A few bytes (`table:number-rows-repeated="1000000"` around a cell
    repeated 1,000 columns) stand for a billion cells, and calamine builds
    every sheet as a dense rectangle when it opens the file.  content.xml is
    read here first with expat (streaming, no tree, no DTD), counted as it
    inflates, and each table's rectangle of non-empty cells is measured.
    """
    import xml.parsers.expat

    sheet = _OdsExtent(limits)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = sheet.start
    parser.EndElementHandler = sheet.end
    parser.StartDoctypeDeclHandler = _no_doctype
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as inner:
            part = _CountedPart(inner, "content.xml", limits, [0], shared_strings=False)
            while chunk := part.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (KeyError, zipfile.BadZipFile, xml.parsers.expat.ExpatError, ValueError) as error:
        raise IngestError("The workbook is damaged or truncated") from error


def _no_doctype(*_: Any) -> None:
    raise ValueError("a DOCTYPE in an ODS part")  # entities are how XML bombs expand


class _OdsExtent:
    """Rows and columns, repeats expanded, up to the last non-empty cell of each table (expat handlers)."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_sheet_cells
        self.row = self.rows = self.columns = 0
        self.row_repeat = self.column = self.row_width = self.cell_repeat = 0
        self.cell_filled = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not name.startswith(_TABLE):
            self.cell_filled = self.cell_filled or self.cell_repeat > 0  # text inside a cell
            return
        local = name[len(_TABLE) + 1 :]
        if local == "table":
            self.row = self.rows = self.columns = 0
        elif local == "table-row":
            self.row_repeat = _repeat(attributes, "number-rows-repeated")
            self.column = self.row_width = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.cell_repeat = _repeat(attributes, "number-columns-repeated")
            self.cell_filled = _OFFICE_VALUE_TYPE in attributes

    def end(self, name: str) -> None:
        if not name.startswith(_TABLE):
            return
        local = name[len(_TABLE) + 1 :]
        if local in ("table-cell", "covered-table-cell"):
            if self.cell_filled:
                self.row_width = self.column + self.cell_repeat
            self.column += self.cell_repeat
            self.cell_repeat, self.cell_filled = 0, False
        elif local == "table-row":
            if self.row_width:
                self.rows = self.row + self.row_repeat
                self.columns = max(self.columns, self.row_width)
            self.row += self.row_repeat
            if self.rows * self.columns > self.limit:
                raise IngestError(
                    "A sheet of the workbook spans more than %(limit)s cells (%(rows)s rows by %(columns)s columns)",
                    limit=self.limit,
                    rows=self.rows,
                    columns=self.columns,
                )
            budget.check()


def _repeat(attributes: dict[str, str], name: str) -> int:
    value = attributes.get(f"{_TABLE} {name}", "1")
    return int(value) if value.isdigit() else 1


def _calamine_sheets(path: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        names = list(CalamineWorkbook.from_path(path).sheet_names)
    except Exception as error:  # calamine's errors have no common base
        raise IngestError("The workbook is damaged or truncated") from error

    def opener(name: str) -> RowOpener:
        @contextlib.contextmanager
        def open_rows() -> Iterator[Rows]:
            workbook = CalamineWorkbook.from_path(path)
            try:
                yield _checked_rows(
                    [None if cell == "" else cell for cell in row]
                    for row in workbook.get_sheet_by_name(name).iter_rows()
                )
            finally:
                workbook.close()

        return open_rows

    return [Sheet(name, opener(name)) for name in names]


# --- JSON -----------------------------------------------------------------------


def _json_sheet(path: str, limits: Limits) -> Sheet:
    import os

    if os.path.getsize(path) > limits.max_json_bytes:
        raise IngestError("JSON files are loaded up to %(limit)s bytes", limit=limits.max_json_bytes)
    with open(path, "rb") as f:
        raw = f.read()
    encoding = detect.detect_encoding(io.BytesIO(raw))
    try:
        records = json.loads(raw.decode(encoding))
    except (ValueError, UnicodeDecodeError) as error:
        raise IngestError("The JSON is not valid: %(error)s", error=str(error)) from error
    except RecursionError as error:  # json.loads recurses once per level of nesting
        raise IngestError("The JSON is nested too deeply; rows must be a flat array of objects") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise IngestError("JSON must be an array of objects")
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)

    @contextlib.contextmanager
    def open_rows() -> Iterator[Rows]:
        def rows() -> Rows:
            yield header
            for record in records:
                budget.check()
                yield [_json_cell(record.get(key)) for key in header]

        yield rows()

    return Sheet(None, open_rows, has_title_rows=False)


def _json_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
