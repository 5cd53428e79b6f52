"""Phase 5 of scoring: scores kept over time, one row per dataset and day.

The table lives in CKAN's own database (created by the migration in
migration/opendata_th), so a dataset's score history survives re-indexing
and is deleted with CKAN's test database like any CKAN table.  The latest
row is the dataset's score; the earlier ones are its history.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects import postgresql

from ckanext.opendata_th.quality.score import Score

__all__ = ["Stored", "history", "latest", "save", "table"]

table = sa.Table(
    "opendata_th_quality_score",
    meta.metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("scored_on", sa.Date, primary_key=True),
    sa.Column("scored_at", sa.DateTime, nullable=False),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Integer, nullable=False),
    sa.Column("mqa_points", sa.Float, nullable=False),
    sa.Column("rating", sa.UnicodeText, nullable=False),
    sa.Column("details", postgresql.JSONB, nullable=False),
    sa.Index("opendata_th_quality_score_owner_org_idx", "owner_org", "scored_on"),
)

Stored = dict[str, Any]


def save(package_id: str, owner_org: str | None, score: Score, now: datetime.datetime) -> None:
    """Keep today's score of a dataset (a later score the same day replaces it)."""
    row = {
        "package_id": package_id,
        "scored_on": now.date(),
        "scored_at": now,
        "owner_org": owner_org,
        "points": score.points,
        "max_points": score.max_points,
        "mqa_points": score.mqa_points,
        "rating": score.rating,
        "details": score.as_json(),
    }
    statement = postgresql.insert(table).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.package_id, table.c.scored_on],
        set_={key: statement.excluded[key] for key in row if key not in ("package_id", "scored_on")},
    )
    model.Session.execute(statement)
    model.Session.commit()


def latest(package_id: str) -> Stored | None:
    query = sa.select(table).where(table.c.package_id == package_id).order_by(table.c.scored_on.desc()).limit(1)
    row = model.Session.execute(query).mappings().first()
    return dict(row) if row else None


def history(package_id: str) -> list[Stored]:
    """Every kept score of a dataset, oldest first (without the details)."""
    columns = [table.c.scored_on, table.c.points, table.c.max_points, table.c.mqa_points, table.c.rating]
    query = sa.select(*columns).where(table.c.package_id == package_id).order_by(table.c.scored_on)
    return [dict(row) for row in model.Session.execute(query).mappings()]
