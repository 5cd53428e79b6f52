"""Helpers for tests that call the action API over HTTP, as clients do."""

from __future__ import annotations

from typing import Any


def _checked(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"HTTP {response.status_code}: {response.get_data(as_text=True)[:2000]}"
    return response.json


def api_post(app: Any, action: str, token: str | None = None, status: int = 200, **data: Any) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    return _checked(app.post(f"/api/3/action/{action}", json=data, headers=headers), status)


def api_get(app: Any, action: str, token: str | None = None, status: int = 200, **params: Any) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    return _checked(app.get(f"/api/3/action/{action}", query_string=params, headers=headers), status)
