"""Column ids PostgreSQL and the DataStore accept, from headers as written.

Thai headers are kept as they are: no transliteration (xloader's unidecode
turns "อำเภอ" into "`ameph").  PostgreSQL cuts identifiers at 63 *bytes*
and a Thai character takes 3, so a long header is cut on a character
boundary and given a short hash of the full header: the id stays the same
on every load of the same header, and two long headers that share their
first 19 Thai characters still get different ids.  The full header is kept
as the column's label in the data dictionary.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

MAX_BYTES = 63
HASH_CHARS = 6
RESERVED = frozenset({"_id", "_full_text"})

_SPACES = re.compile(r"\s+")


def label(header: Any) -> str:
    """The header as a one-line label (line breaks in Excel headers become spaces)."""
    if header is None:
        return ""
    text = header if isinstance(header, str) else str(header)
    return _SPACES.sub(" ", text).strip()


def _clean(text: str) -> str:
    # The DataStore refuses control characters, double quotes and a leading
    # underscore (its own columns start with one).
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    text = text.replace('"', "'").strip().lstrip("_").strip()
    return text


def _fit(text: str, limit: int, key: str) -> str:
    """`text` within `limit` UTF-8 bytes; cut texts end in "_" + a hash of `key`."""
    if len(text.encode("utf-8")) <= limit:
        return text
    suffix = "_" + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:HASH_CHARS]
    budget = limit - len(suffix)
    cut = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    # Do not end on a combining mark whose base was cut away, nor on a space.
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut.rstrip() + suffix


def column_ids(headers: Sequence[Any]) -> list[str]:
    """One valid, unique id per header, in order."""
    ids: list[str] = []
    taken: set[str] = set()
    for position, header in enumerate(headers, start=1):
        base = _clean(label(header)) or f"column_{position}"
        candidate = _fit(base, MAX_BYTES, base)
        number = 1
        while candidate in taken or candidate in RESERVED:
            number += 1
            tail = f"_{number}"
            candidate = _fit(base, MAX_BYTES - len(tail), base) + tail
        taken.add(candidate)
        ids.append(candidate)
    return ids
