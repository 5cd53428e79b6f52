"""The quality score of each dataset, one row per dataset and day (quality/store.py).

Revision ID: 8f3c2a1d0b7e
Revises:
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "8f3c2a1d0b7e"
down_revision = None
branch_labels = None
depends_on = None

TABLE = "opendata_th_quality_score"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("scored_on", sa.Date, primary_key=True),
        sa.Column("scored_at", sa.DateTime, nullable=False),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("max_points", sa.Integer, nullable=False),
        sa.Column("mqa_points", sa.Float, nullable=False),
        sa.Column("rating", sa.UnicodeText, nullable=False),
        sa.Column("details", postgresql.JSONB, nullable=False),
    )
    # Agency dashboards read an agency's latest scores.
    op.create_index(f"{TABLE}_owner_org_idx", TABLE, ["owner_org", "scored_on"])


def downgrade() -> None:
    op.drop_table(TABLE)
