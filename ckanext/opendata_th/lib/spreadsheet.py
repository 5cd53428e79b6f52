"""Cells that a spreadsheet will show, never run (CSV/formula injection).

Every CSV or XLSX the catalogue writes (GD Catalog export, HVD report, API
downloads, DataStore dumps through `neutralised_csv`, the masked table of a
PDPA-guarded file) passes user-supplied text through `neutralise_formula`: a leading
`=`, `+`, `-`, `@`, tab or CR makes Excel and LibreOffice evaluate a cell,
and a leading apostrophe is the spreadsheet convention for "this is text"
(not shown).  A plain number such as a southern latitude `-7.2` is data and
stays as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def neutralise_formula(text: str) -> str:
    if not text.startswith(FORMULA_START) or _NUMBER.fullmatch(text):
        return text
    return "'" + text


def restore_formula_text(text: str) -> str:
    """Undo `neutralise_formula`, so an exported file re-imports to the same value."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


BOM = "\ufeff"
_BATCH_CHARS = 64 * 1024


def _lines(chunks: Iterable[bytes | str]) -> Iterator[str]:
    """UTF-8 text lines (each with its "\\n") from a stream of chunks (bytes cut anywhere, or text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = ""
    for chunk in chunks:
        pending += chunk if isinstance(chunk, str) else decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def neutralised_csv(chunks: Iterable[bytes | str], delimiter: str = ",") -> Iterator[bytes]:
    """A UTF-8 CSV (or TSV: `delimiter="\\t"`) stream again, with every cell through `neutralise_formula`.

    Streams in batches of about 64 KB, so a dump of any size is rewritten in
    constant memory; a leading byte-order mark is kept, quoted cells may hold
    line breaks.  Rows end in CRLF (RFC 4180).
    """
    lines = _lines(chunks)
    first = next(lines, None)
    if first is None:
        return
    out = io.StringIO()
    if first.startswith(BOM):
        out.write(BOM)
        first = first[len(BOM) :]
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in csv.reader(itertools.chain([first], lines), delimiter=delimiter):
        writer.writerow([neutralise_formula(cell) for cell in row])
        if out.tell() >= _BATCH_CHARS:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue().encode("utf-8")
