"""Phase 4 of scoring: the measures weighed by indicators.yaml into one score.

The score keeps every indicator's points and reason, so the page can show
the fixes that gain the most and the API the whole account.  It is stored
(store.py) in the JSON form of `as_json`, messages as msgids, and worded
only when shown.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ckanext.opendata_th.hvd import flags
from ckanext.opendata_th.lib.i18n import Message
from ckanext.opendata_th.quality.facts import Facts
from ckanext.opendata_th.quality.indicators import Indicator, catalogue, rating_for
from ckanext.opendata_th.quality.measure import MEASURES

__all__ = ["Item", "Score", "compute"]


@dataclasses.dataclass(frozen=True)
class Item:
    """One indicator's outcome."""

    code: str
    dimension: str
    points: float
    max_points: int
    reason: Message | None = None

    @property
    def lost(self) -> float:
        return self.max_points - self.points

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "dimension": self.dimension,
            "points": self.points,
            "max_points": self.max_points,
            "reason": self.reason.as_json() if self.reason else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        reason = Message.from_json(data["reason"]) if data.get("reason") else None
        return cls(data["code"], data["dimension"], float(data["points"]), int(data["max_points"]), reason)


@dataclasses.dataclass(frozen=True)
class Score:
    items: tuple[Item, ...]
    links_checked: bool

    @property
    def points(self) -> float:
        return round(sum(item.points for item in self.items), 1)

    @property
    def max_points(self) -> int:
        return sum(item.max_points for item in self.items)

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def rating(self) -> str:
        return rating_for(self.share).code

    @property
    def mqa_points(self) -> float:
        """The points of data.europa.eu's five MQA dimensions (of 405 when every link is checked)."""
        mqa = {dimension.code for dimension in catalogue().dimensions if dimension.mqa}
        return round(sum(item.points for item in self.items if item.dimension in mqa), 1)

    def fixes(self) -> list[Item]:
        """Indicators that lost points, those that gain the most first."""
        lost = [item for item in self.items if item.lost > 0]
        return sorted(lost, key=lambda item: -item.lost)

    def as_json(self) -> dict[str, Any]:
        return {"items": [item.as_json() for item in self.items], "links_checked": self.links_checked}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Score:
        return cls(tuple(Item.from_json(item) for item in data["items"]), bool(data.get("links_checked")))


def compute(facts: Facts) -> Score:
    """Every indicator that applies to the dataset, measured and weighed."""
    hvd = flags.is_hvd(facts.dataset)
    items = []
    for indicator in catalogue().indicators:
        if indicator.applies == "hvd" and not hvd:
            continue
        measure = MEASURES[indicator.code](facts)
        if measure.measured:
            items.append(_item(indicator, measure.kept, measure.reason))
    return Score(tuple(items), links_checked=facts.links is not None)


def _item(indicator: Indicator, kept: float, reason: Message | None) -> Item:
    points = round(indicator.points * max(0.0, min(1.0, kept)), 1)
    return Item(
        indicator.code, indicator.dimension, points, indicator.points, reason if points < indicator.points else None
    )
