"""Fixtures the security tests share with the rooms they attack."""

from __future__ import annotations

from tests.governance.conftest import agency  # noqa: F401  (an agency with members of every capacity, and outsiders)
