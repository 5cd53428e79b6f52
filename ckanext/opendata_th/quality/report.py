"""A dataset's score as readers get it: every message worded in their language, or in both for the API."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from ckanext.opendata_th.lib.i18n import Message
from ckanext.opendata_th.quality import facts, store
from ckanext.opendata_th.quality.indicators import catalogue, rating_for
from ckanext.opendata_th.quality.score import Item, Score, compute

__all__ = ["MQA_MAX", "for_api", "for_page", "latest_or_now"]

MQA_MAX = 405
# Fixes the dataset page lists (the API lists every one).
PAGE_FIXES = 3

Wording = Callable[[Message], Any]


def _both(message: Message) -> dict[str, str]:
    return message.both()


def _in(lang: str) -> Wording:
    return lambda message: message.text(lang)


def latest_or_now(dataset: dict[str, Any]) -> store.Stored:
    """The dataset's latest kept score; one not scored yet is scored now, without link checks, and not kept."""
    stored = store.latest(dataset["id"])
    if stored is not None:
        return stored
    result = compute(facts.gather(dataset, None, datetime.datetime.utcnow()))
    return {"scored_at": None, "details": result.as_json()}


def for_api(stored: store.Stored, history: list[store.Stored]) -> dict[str, Any]:
    """The score with every message in Thai and English."""
    return {**_account(stored, _both), "history": [_history_row(row) for row in history]}


def for_page(stored: store.Stored, lang: str) -> dict[str, Any]:
    """The score with every message in the page's language, and the few fixes that gain the most."""
    account = _account(stored, _in(lang))
    account["top_fixes"] = account["fixes"][:PAGE_FIXES]
    return account


def _account(stored: store.Stored, word: Wording) -> dict[str, Any]:
    score = Score.from_json(stored["details"])
    rating = rating_for(score.share)
    return {
        "scored_at": stored["scored_at"].isoformat() if stored.get("scored_at") else None,
        "points": score.points,
        "max_points": score.max_points,
        "percent": score.percent,
        "rating": {"code": rating.code, "label": word(Message(rating.label))},
        "mqa_points": score.mqa_points,
        "mqa_max_points": MQA_MAX,
        "links_checked": score.links_checked,
        "dimensions": _dimensions(score, word),
        "items": [_item(item, word) for item in score.items],
        "fixes": [_item(item, word) for item in score.fixes()],
    }


def _dimensions(score: Score, word: Wording) -> list[dict[str, Any]]:
    rows = []
    for dimension in catalogue().dimensions:
        items = [item for item in score.items if item.dimension == dimension.code]
        if items:
            rows.append(
                {
                    "code": dimension.code,
                    "label": word(Message(dimension.label)),
                    "mqa": dimension.mqa,
                    "points": round(sum(item.points for item in items), 1),
                    "max_points": sum(item.max_points for item in items),
                }
            )
    return rows


def _item(item: Item, word: Wording) -> dict[str, Any]:
    indicator = next(entry for entry in catalogue().indicators if entry.code == item.code)
    lost = item.lost > 0
    return {
        "code": item.code,
        "dimension": item.dimension,
        "points": item.points,
        "max_points": item.max_points,
        "gain": round(item.lost, 1),
        "reason": word(item.reason) if item.reason else None,
        "fix": word(Message(indicator.fix)) if lost else None,
    }


def _history_row(row: store.Stored) -> dict[str, Any]:
    return {
        "scored_on": row["scored_on"].isoformat(),
        "points": row["points"],
        "max_points": row["max_points"],
        "mqa_points": row["mqa_points"],
        "rating": row["rating"],
    }
