"""Cells that a spreadsheet will show, never run (CSV/formula injection).

Every CSV or XLSX the catalogue writes (GD Catalog export, HVD report, API
downloads) passes user-supplied text through `neutralise_formula`: a leading
`=`, `+`, `-`, `@`, tab or CR makes Excel and LibreOffice evaluate a cell,
and a leading apostrophe is the spreadsheet convention for "this is text"
(not shown).  A plain number such as a southern latitude `-7.2` is data and
stays as it is.
"""

from __future__ import annotations

import re

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
