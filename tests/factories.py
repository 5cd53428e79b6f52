"""Valid metadata for tests.

`dataset_dict()` is the one place tests get a dataset that satisfies the
metadata standard; when the schema requires more, only this changes.
"""

from __future__ import annotations

from typing import Any


def dataset_dict(**overrides: Any) -> dict[str, Any]:
    """A public, open, statistical dataset that passes validation."""
    data: dict[str, Any] = {
        "title": "ชุดข้อมูลทดสอบ",
        "data_type": "statistical",
        "data_category": "public",
        "data_classification": "open",
        "private": False,
    }
    data.update(overrides)
    return data
