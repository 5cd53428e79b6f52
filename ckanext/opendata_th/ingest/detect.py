"""Bytes -> text -> a table: encoding, delimiter and where the table is.

Why not chardet/charset-normalizer (what xloader and DataPusher+ use): on
TIS-620/Windows-874 Thai they answer with low confidence or a Western
codepage (cp1252, Windows-1257), and TIS-620 proper rejects the curly
quotes and dashes Excel writes in Windows-874.  Thai files come in very few
encodings, so the rule here is explicit: a BOM wins; else the whole file is
checked as UTF-8; else Windows-874 (a superset of TIS-620) if the text it
gives reads as Thai; only then a generic detector.
"""

from __future__ import annotations

import codecs
import collections
import csv
import dataclasses
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from ckanext.opendata_th.ingest import values

CHUNK = 1 << 20

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class EncodingError(ValueError):
    pass


def detect_encoding(stream: IO[bytes]) -> str:
    """The Python codec of a text file; reads `stream` to the end, then rewinds it."""
    head = stream.read(CHUNK)
    stream.seek(0)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if _is_utf8(stream):
        return "utf-8"
    stream.seek(0)
    sample = stream.read(8 * CHUNK)
    stream.seek(0)
    if _reads_as_thai(sample):
        return "cp874"
    return _generic_guess(sample)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte of ASCII."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_utf8(stream: IO[bytes]) -> bool:
    """The whole file, not a sample: a Thai byte on line 3,001 must count."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


_THAI_CONSONANTS = range(0x0E01, 0x0E2F)
_THAI_COMBINING = frozenset([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def _reads_as_thai(sample: bytes) -> bool:
    """Windows-874 decodes it and the result is plausible Thai.

    Plausible: most high bytes become Thai letters, and combining vowels and
    tone marks follow a Thai character (in a Latin-1 file read as cp874 they
    would follow ASCII letters).
    """
    text = sample.decode("cp874", errors="replace")
    if "\ufffd" in text[:-1]:
        return False
    thai = [ord(c) for c in text if "\u0e00" <= c <= "\u0e7f"]
    high = sum(1 for b in sample if b >= 0x80)
    if not thai or len(thai) < 0.7 * high:
        return False
    consonants = sum(1 for c in thai if c in _THAI_CONSONANTS)
    orphans = sum(
        1
        for previous, current in itertools.pairwise(text)
        if ord(current) in _THAI_COMBINING and not ("\u0e00" <= previous <= "\u0e7f")
    )
    return consonants >= 0.3 * len(thai) and orphans <= 0.02 * len(thai)


def _generic_guess(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise EncodingError("unknown text encoding")
    return str(best.encoding)


def looks_binary(text: str) -> bool:
    """Decoded text with control or unassigned characters is not a table (e.g. bytes taken for UTF-16)."""
    if not text:
        return False
    odd = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs") and c not in "\t\r\n\f")
    return odd > 0.01 * len(text)


def nul_line(stream: IO[bytes], encoding: str) -> int | None:
    """The 1-based line of the first NUL character of a text file, or None; reads to the end, then rewinds.

    PostgreSQL text cannot hold NUL, so a file with one anywhere (not only
    in the first KB that `looks_binary` samples) is refused before a row is
    loaded.  In 8-bit and UTF-8 text a NUL is a zero byte (a C-speed search);
    in UTF-16/32 zero bytes are normal, so that text is decoded to look.
    """
    try:
        if encoding.startswith(("utf-16", "utf-32")):
            return _nul_line_decoded(stream, encoding)
        lines = 0
        while chunk := stream.read(CHUNK):
            at = chunk.find(b"\x00")
            if at >= 0:
                return lines + chunk.count(b"\n", 0, at) + 1
            lines += chunk.count(b"\n")
        return None
    finally:
        stream.seek(0)


def _nul_line_decoded(stream: IO[bytes], encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    lines = 0
    while chunk := stream.read(CHUNK):
        text = decoder.decode(chunk)
        at = text.find("\x00")
        if at >= 0:
            return lines + text.count("\n", 0, at) + 1
        lines += text.count("\n")
    return None


def text_stream(stream: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """Decoded text; newline='' as the csv module wants (quoted newlines)."""
    return io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")


# --- delimiter -------------------------------------------------------------

DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(sample: str, default: str = ",") -> str:
    """The delimiter that splits the sample into the most rows of one width.

    The sample is parsed with the csv module, so quoted delimiters and
    quoted newlines count correctly; the last, probably cut, row is ignored.
    Title rows have one cell whatever the delimiter, so they do not vote.
    """
    best, best_score = default, 0
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))[:-1] or list(
                csv.reader(io.StringIO(sample), delimiter=delimiter)
            )
        except csv.Error:
            continue
        widths = collections.Counter(len(row) for row in rows if len(row) > 1)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = count * min(width, 50)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- layout ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the table is among the rows of a file or sheet."""

    header_index: int  # 0-based index of the (first) header row among all rows
    width: int  # number of columns
    dense: int  # non-empty cells a data row of this table usually has
    header_rows: int = 1  # 2 when a row of sub-headers sits under grouped (merged) headers

    @property
    def data_index(self) -> int:
        """0-based index of the first row under the header rows."""
        return self.header_index + self.header_rows


def filled(row: Sequence[Any]) -> int:
    # Hot path (every row): text rows are counted by C-level map/count.
    try:
        return len(row) - list(map(str.strip, row)).count("")
    except TypeError:  # None or typed cells of a workbook
        return sum(1 for cell in row if cell is not None and (cell.strip() if isinstance(cell, str) else True))


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _last_filled(row: Sequence[Any]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if not _blank(row[index]):
            return index + 1
    return 0


def find_layout(sample: Sequence[Sequence[Any]]) -> Layout | None:
    """Header row and width, from the first rows of a file.

    Government exports put a title (and sometimes a unit line) above the
    table: rows with one or two cells filled.  The header is the first row
    filled at least half as much as the table's typical row.
    """
    counts = [filled(row) for row in sample]
    typical_counts = [c for c in counts if c > 1] or [c for c in counts if c]
    if not typical_counts:
        return None
    typical = collections.Counter(typical_counts).most_common(1)[0][0]
    threshold = max(1, math.ceil(typical / 2))
    header_index = next(i for i, c in enumerate(counts) if c >= threshold)
    width = max(_last_filled(row) for row in sample[header_index:])
    header_rows = 2 if _has_sub_headers(sample[header_index : header_index + 3], width) else 1
    # Grouped headers fill few cells: the group row may have been taken for a title above the sub-headers.
    above = header_index - 1
    if header_rows == 1 and above >= 0 and counts[above] >= 2 and _has_sub_headers(sample[above : above + 3], width):
        header_index, header_rows = above, 2
    return Layout(header_index=header_index, width=width, dense=typical, header_rows=header_rows)


def _cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


def _is_figure(cell: Any) -> bool:
    kind, _value = values.parse(cell)
    return kind in (values.Kind.INT, values.Kind.NUMERIC)


def _has_sub_headers(rows: Sequence[Sequence[Any]], width: int) -> bool:
    """Whether the row under the header names the parts of grouped headers.

    A merged header cell ("ความจุกระบอกสูบ" over four columns) is read, from
    a workbook as from its CSV export, as the text in its first column and
    blanks after it.  The row under it is a row of sub-headers when it names
    a column left blank above, holds no figures, and the first data row has
    figures under its names.
    """
    if len(rows) < 3:
        return False
    top, sub, data = rows
    columns = range(width)
    spans_blank = any(_blank(_cell(top, i)) and not _blank(_cell(sub, i)) for i in columns)
    starts_group = any(not _blank(_cell(top, i)) for i in range(1, width))
    named = [i for i in columns if not _blank(_cell(sub, i))]
    return (
        spans_blank
        and starts_group
        and not any(_is_figure(_cell(sub, i)) for i in named)
        and any(_is_figure(_cell(data, i)) for i in named)
    )


HEADER_JOINER = " – "


def header_labels(sample: Sequence[Sequence[Any]], layout: Layout) -> list[Any]:
    """One name per column: with sub-headers, "<group> – <sub-header>" ("ความจุกระบอกสูบ – ไม่เกิน 1,300 ซีซี").

    A column blank above takes the group of the nearest named column to its
    left; a column blank below (a header merged down over both rows) keeps
    its name alone.
    """
    top = [_cell(sample[layout.header_index], i) for i in range(layout.width)]
    if layout.header_rows == 1:
        return top
    sub = [_cell(sample[layout.header_index + 1], i) for i in range(layout.width)]
    labels: list[Any] = []
    group: Any = None
    for above, below in zip(top, sub, strict=True):
        if not _blank(above):
            group = above
        elif _blank(below):
            group = None  # an unnamed column ends the group
        if _blank(below):
            labels.append(above)
        elif group is None:
            labels.append(below)
        else:
            labels.append(f"{str(group).strip()}{HEADER_JOINER}{str(below).strip()}")
    return labels


def table_rows(
    rows: Iterable[Sequence[Any]], layout: Layout, skipped: list[int] | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """(1-based row number, cells) of the data rows under the header.

    Blank rows are separators and are skipped.  Sparse rows (one cell filled
    in a table of three or more columns) are held back: if a data row
    follows they were data, if the file ends they were notes or a footer
    ("ที่มา: ...", "หมายเหตุ ...") and are dropped (their numbers go in
    `skipped`).
    """
    held: list[tuple[int, list[Any]]] = []
    sparse_limit = 1 if layout.width >= 3 else 0
    for number, row in enumerate(rows, start=1):
        if number <= layout.data_index:
            continue
        cells = list(row[: layout.width])
        if len(cells) < layout.width:
            cells.extend([None] * (layout.width - len(cells)))
        count = filled(row)
        if count == 0:
            continue
        if len(row) > layout.width and count > filled(cells):
            raise ExtraCellsError(number, layout.width)
        if count <= sparse_limit:
            held.append((number, cells))
            continue
        yield from held
        held.clear()
        yield number, cells
    if skipped is not None:
        skipped.extend(number for number, _ in held)


# The label of a total row, in the first cells of the row: "รวม", "รวมทั้งสิ้น", "ยอดรวม", "Total", "Grand total".
_TOTAL = re.compile(r"(?:ยอด)?รวม(?:ทั้งสิ้น|ทั้งหมด|ทั้งประเทศ)?|(?:grand\s+)?total", re.IGNORECASE)
TOTAL_LABEL_COLUMNS = 2


def is_total_row(cells: Sequence[Any]) -> bool:
    """A row that sums the rows above it: its first filled cell among the first columns is a total's label."""
    for cell in cells[:TOTAL_LABEL_COLUMNS]:
        if not _blank(cell):
            return isinstance(cell, str) and _TOTAL.fullmatch(" ".join(cell.split())) is not None
    return False


class ExtraCellsError(ValueError):
    def __init__(self, row: int, width: int) -> None:
        super().__init__(f"row {row} has values beyond the {width} columns of the header")
        self.row = row
        self.width = width
