"""Thai words for the DataStore's full-text column.

PostgreSQL's text-search parser takes a run of Thai letters as one word
(Thai has no spaces), so `q=ผู้สูงอายุ` never matches "จำนวนผู้สูงอายุจำแนกตามจังหวัด".
Cells are cut into words with nlpO3 (PyThaiNLP's "newmm" dictionary
segmenter compiled in Rust, ~6 µs a cell, with PyThaiNLP's word list) and
written to `_full_text` as a ready tsvector; queries on our tables are cut
the same way (see `search_query`).  Lexemes are lower-cased words without
stemming, so queries on our tables use the 'simple' configuration.

The loader (bulk.py) segments each distinct value of a column once and
joins the result back to the rows; queries go through a small LRU cache.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading

FTS_CONFIG = "simple"
_DICT_NAME = "opendata_th"
_lock = threading.Lock()
_loaded = False
_WORD = re.compile(r"[\w\u0e00-\u0e7f]+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
MAX_CELL_CHARS = 2000  # longer cells are indexed by their beginning


def _ensure_dictionary() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            import nlpo3

            words = importlib.resources.files("pythainlp.corpus") / "words_th.txt"
            nlpo3.load_dict(str(words), _DICT_NAME)
            _loaded = True


@functools.lru_cache(maxsize=20_000)
def words(text: str) -> tuple[str, ...]:
    """The words of one cell, lower-cased, in order, without punctuation."""
    return segment(text)


def segment(text: str) -> tuple[str, ...]:
    """`words` without the cache: the loader segments each distinct value once anyway."""
    text = text[:MAX_CELL_CHARS]
    if not _THAI.search(text):
        return tuple(word.lower() for word in _WORD.findall(text))
    _ensure_dictionary()
    import nlpo3

    found: list[str] = []
    for token in nlpo3.segment(text, _DICT_NAME):
        found.extend(word.lower() for word in _WORD.findall(token))
    return tuple(found)


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(cells: list[str], cache: bool = True) -> str:
    """A tsvector in PostgreSQL's input syntax holding the words of `cells`."""
    seen: dict[str, None] = {}
    cut = words if cache else segment
    for cell in cells:
        for word in cut(cell):
            if len(word) < 1024:  # PostgreSQL's limit on a lexeme is 2 KB
                seen[word] = None
    return " ".join(_lexeme(word) for word in seen)


def search_query(q: str) -> str:
    """A query cut into words like the indexed text, for plainto_tsquery('simple', ...)."""
    return " ".join(words(q))


def prefix_query(text: str) -> str:
    """A to_tsquery text: every word of `text` begins a word of the row (as a search box means it)."""
    return " & ".join(f"{_lexeme(word)}:*" for word in words(text) if len(word) < 1024)


def has_thai(text: str) -> bool:
    return bool(_THAI.search(text))
