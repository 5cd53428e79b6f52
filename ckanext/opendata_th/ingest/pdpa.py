"""Personal data under the PDPA: which columns of a table hold it, and who may read it.

Detection (the kinds and their headers are the vocabulary
`vocab/personal_data.yaml`):

- from the cells: a column is personal when at least half of its non-empty
  values are valid Thai citizen ids (checksum verified, so a column of
  13-digit company numbers that fail the checksum is not flagged), Thai
  phone numbers, e-mail addresses or Thai house addresses (a house number
  with a locality word: หมู่, ซอย, ถนน, ตำบล/แขวง, อำเภอ/เขต, จังหวัด);
- from the header: a person's identifier (passport, employee, student or
  patient number) is personal; names (ชื่อ, นามสกุล, ชื่อ-สกุล...) and
  addresses (ที่อยู่) are personal in a table that also identifies people;
  a bank account header (เลขบัญชี, บัญชีธนาคาร) is personal when its cells are
  written like account numbers.

The decision what to do with a personal column belongs to a data officer
(status.py records it; jobs.py applies it).  Until then the table is held
(`held`), and after "mask" or "drop" its original file still holds the
clear values (`original_is_masked`); `may_read_personal_data` says who may
read either: the same people for the table (auth.py), the original file and
every other path (originals.py).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import vocab
from ckanext.opendata_th.ingest import status
from ckanext.opendata_th.ingest.values import THAI_DIGITS

CITIZEN_ID = "citizen_id"
PERSON_ID = "person_id"
NAME = "name"
ADDRESS = "address"
BANK_ACCOUNT = "bank_account"
PHONE = "phone"
EMAIL = "email"
KINDS = (CITIZEN_ID, PERSON_ID, NAME, ADDRESS, BANK_ACCOUNT, PHONE, EMAIL)
# A cell sign that is personal only under a bank account header (digits alone say little).
ACCOUNT_DIGITS = "account_digits"

SHARE = 0.5  # of a column's non-empty values

_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"(?:\+?66|0)[2-9]\d{7,8}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_ACCOUNT = re.compile(r"\d{10,15}")
# A house number: "บ้านเลขที่ 12", "เลขที่ 99/1", or a cell that starts with "12/3 ".
_HOUSE_NUMBER = re.compile(r"(?:บ้าน)?เลขที่\s*\d|^\d+(?:/\d+)?\s")
# A locality word spelt out, or abbreviated ("ต.บางพลี", not "ต.ค.", October): one
# spelt out or two abbreviated ones make an address ("อ.สมชาย" is also a teacher).
_LOCALITY = re.compile(r"หมู่(?:ที่|บ้าน)?\s*\d|ซอย|ถนน|ตำบล|แขวง|อำเภอ|เขต|จังหวัด")
_LOCALITY_SHORT = re.compile(r"ม\.\s*\d|(?:ซ|ถ|ต|อ|จ)\.\s*[ก-ฮ][ก-๛]")
_HEADER_NOISE = re.compile(r"[\s\-_/.()]+")
_MAX_CELL = 254


def is_citizen_id(digits: str) -> bool:
    """13 digits whose last is the checksum of the first 12 (mod 11)."""
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def is_address(text: str) -> bool:
    """A Thai house address: a house number and a locality word."""
    ascii_text = text.translate(THAI_DIGITS)
    if not _HOUSE_NUMBER.search(ascii_text):
        return False
    return bool(_LOCALITY.search(ascii_text)) or len(_LOCALITY_SHORT.findall(ascii_text)) >= 2


def cell_signs(value: Any) -> tuple[str, ...]:
    """Every sign of personal data one cell shows (a kind, or ACCOUNT_DIGITS)."""
    if value is None or isinstance(value, bool):
        return ()
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text or len(text) > _MAX_CELL:
        return ()
    if "@" in text:
        return (EMAIL,) if _EMAIL.fullmatch(text) else ()
    compact = _SEPARATORS.sub("", text.translate(THAI_DIGITS))
    signs: list[str] = []
    if is_citizen_id(compact):
        signs.append(CITIZEN_ID)
    elif _PHONE.fullmatch(compact):
        signs.append(PHONE)
    if _ACCOUNT.fullmatch(compact):
        signs.append(ACCOUNT_DIGITS)
    if not signs and is_address(text):
        signs.append(ADDRESS)
    return tuple(signs)


def kind_of(value: Any) -> str | None:
    """The kind of personal data one cell holds by itself, if any."""
    return next((sign for sign in cell_signs(value) if sign in KINDS), None)


def mask(value: str) -> str:
    """Keep the last 3 characters, hide the rest: "081-234-5678" -> "xxxxxxxxx678"."""
    return "x" * max(len(value) - 3, 0) + value[-3:]


# --- columns ------------------------------------------------------------------------------


@dataclasses.dataclass
class ColumnEvidence:
    """What the loader saw of one column (infer.ColumnProfile.evidence)."""

    label: str
    cells: int  # non-empty cells
    signs: dict[str, int] = dataclasses.field(default_factory=dict)  # cells per sign (cell_signs)
    numbers: int = 0  # cells that are whole numbers (the loader's number path counts no signs)
    number_digits: int = 0  # digits of the largest whole number

    def share(self, sign: str) -> bool:
        return self.cells > 0 and self.signs.get(sign, 0) >= SHARE * self.cells

    def account_like(self) -> bool:
        """At least half of the cells written like account numbers (10 to 15 digits)."""
        if self.share(ACCOUNT_DIGITS):
            return True
        return self.cells > 0 and self.numbers >= SHARE * self.cells and 10 <= self.number_digits <= 15


def normalised_header(label: str) -> str:
    text = unicodedata.normalize("NFC", label or "").casefold()
    return _HEADER_NOISE.sub("", text)


@functools.cache
def _headers() -> dict[str, str]:
    """Normalised header -> kind, from the vocabulary."""
    found: dict[str, str] = {}
    for term in vocab.get("personal_data"):
        for header in term.extra.get("headers") or ():
            found.setdefault(normalised_header(str(header)), term.code)
    return found


@functools.cache
def _needs(attribute: str) -> frozenset[str]:
    return frozenset(term.code for term in vocab.get("personal_data") if term.extra.get(attribute))


def header_kind(label: str) -> str | None:
    """The kind of personal data a column header names, if any."""
    return _headers().get(normalised_header(label))


def _by_cells(column: ColumnEvidence) -> str | None:
    best = max(
        (kind for kind in (CITIZEN_ID, PHONE, EMAIL, ADDRESS) if column.share(kind)),
        key=lambda kind: column.signs.get(kind, 0),
        default=None,
    )
    return best


def _by_header(column: ColumnEvidence) -> str | None:
    kind = header_kind(column.label)
    if kind is None or kind in _needs("needs_person"):
        return None
    if kind in _needs("needs_digits") and not column.account_like():
        return None
    # A citizen id header over cells that fail the checksum: the cells decide (company numbers).
    return None if kind == CITIZEN_ID else kind


def personal_columns(columns: list[ColumnEvidence]) -> list[str | None]:
    """The kind of personal data each column holds (None: not personal), judged on the whole table."""
    kinds = [_by_cells(column) or _by_header(column) for column in columns]
    identifies_people = any(kinds) or any(header_kind(c.label) in (CITIZEN_ID, PERSON_ID) for c in columns)
    if identifies_people:
        for index, column in enumerate(columns):
            header = header_kind(column.label)
            if kinds[index] is None and header in _needs("needs_person"):
                kinds[index] = header
    return kinds


def label_of(kind: str, lang: str = "en") -> str:
    return vocab.get("personal_data").label_of(kind, lang)


# --- the held table and its original file -------------------------------------------------


def held(row: dict[str, Any] | None) -> bool:
    """The officer has not decided on the table's personal columns yet."""
    return bool(row and row.get("pdpa_state") == status.PDPA_PENDING)


def original_is_masked(row: dict[str, Any] | None) -> bool:
    """The officer masked or dropped a personal column: the original file still holds it in clear."""
    if not row:
        return False
    actions = row.get("pdpa_actions") or {}
    personal = {column["id"] for column in row.get("pii_columns") or []}
    return any(actions.get(column) in ("mask", "drop") for column in personal)


def may_read_personal_data(user_name: str | None, resource_id: str) -> bool:
    """Those who may edit the resource (the agency's officers, who review it) and sysadmins.

    The one rule for a held table, the original file of a held or masked
    resource and every path to them.
    """
    try:
        tk.check_access("resource_update", {"user": user_name or ""}, {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True
