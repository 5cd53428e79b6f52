"""The quality score's vocabulary: dimensions, indicators and ratings (indicators.yaml, read once)."""

from __future__ import annotations

import dataclasses
import functools
import pathlib
from typing import Any

import yaml

__all__ = ["Dimension", "Indicator", "Rating", "catalogue", "rating_for"]

FILE = pathlib.Path(__file__).with_name("indicators.yaml")


@dataclasses.dataclass(frozen=True)
class Dimension:
    code: str
    label: str  # English msgid
    mqa: bool = False


@dataclasses.dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    points: int
    fix: str  # English msgid
    applies: str | None = None  # "hvd": high-value datasets only


@dataclasses.dataclass(frozen=True)
class Rating:
    code: str
    label: str  # English msgid
    share: float  # the rating holds from this share of the points measured


@dataclasses.dataclass(frozen=True)
class Catalogue:
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    ratings: tuple[Rating, ...]
    non_proprietary_formats: frozenset[str]
    known_formats: frozenset[str]

    def dimension(self, code: str) -> Dimension:
        return next(dimension for dimension in self.dimensions if dimension.code == code)


@functools.cache
def catalogue() -> Catalogue:
    with FILE.open(encoding="utf-8") as stream:
        document: dict[str, Any] = yaml.safe_load(stream)
    dimensions = tuple(Dimension(**entry) for entry in document["dimensions"])
    indicators = tuple(Indicator(**entry) for entry in document["indicators"])
    known = {dimension.code for dimension in dimensions}
    for indicator in indicators:
        if indicator.dimension not in known:
            raise ValueError(f"indicator {indicator.code!r}: unknown dimension {indicator.dimension!r}")
    ratings = tuple(Rating(entry["code"], entry["label"], float(entry["from"])) for entry in document["ratings"])
    return Catalogue(
        dimensions=dimensions,
        indicators=indicators,
        ratings=tuple(sorted(ratings, key=lambda rating: -rating.share)),
        non_proprietary_formats=frozenset(document["non_proprietary_formats"]),
        known_formats=frozenset(document["known_formats"]),
    )


def rating_for(share: float) -> Rating:
    """MQA's band for a share of the points measured (0..1)."""
    return next(rating for rating in catalogue().ratings if share >= rating.share)
