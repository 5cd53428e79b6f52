"""Personal data under the PDPA: which columns hold citizen ids, phones or e-mails.

A column is personal when at least half of its non-empty values are valid
Thai citizen ids (checksum verified, so a column of 13-digit company
numbers that fail the checksum is not flagged), Thai phone numbers or
e-mail addresses.  The decision what to do with it belongs to a data
officer (status.py records it; jobs.py applies it).
"""

from __future__ import annotations

import re
from typing import Any

from ckanext.opendata_th.ingest.values import THAI_DIGITS

CITIZEN_ID = "citizen_id"
PHONE = "phone"
EMAIL = "email"
KINDS = (CITIZEN_ID, PHONE, EMAIL)

SHARE = 0.5  # of a column's non-empty values

_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"(?:\+?66|0)[2-9]\d{7,8}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def is_citizen_id(digits: str) -> bool:
    """13 digits whose last is the checksum of the first 12 (mod 11)."""
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def kind_of(value: Any) -> str | None:
    """The kind of personal data one cell holds, if any."""
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text or len(text) > 254:
        return None
    if "@" in text:
        return EMAIL if _EMAIL.fullmatch(text) else None
    compact = _SEPARATORS.sub("", text.translate(THAI_DIGITS))
    if is_citizen_id(compact):
        return CITIZEN_ID
    if _PHONE.fullmatch(compact):
        return PHONE
    return None


def mask(value: str) -> str:
    """Keep the last 3 characters, hide the rest: "081-234-5678" -> "xxxxxxxxx678"."""
    return "x" * max(len(value) - 3, 0) + value[-3:]
