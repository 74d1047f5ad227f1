"""The store as lessonkit 0.1.0 created it: answers (current and history), display names, locks.

Revision ID: 0001
Revises:
Created: 2026-12-01

A store made by lessonkit 0.1.0 has exactly these tables and no version table; lessonkit
recognises it as this revision and stamps it, rewriting nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lk_current",
        sa.Column("class_code", sa.String(64), primary_key=True),
        sa.Column("activity", sa.String(64), primary_key=True),
        sa.Column("learner", sa.String(64), primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "lk_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("class_code", sa.String(64), nullable=False),
        sa.Column("activity", sa.String(64), nullable=False),
        sa.Column("learner", sa.String(64), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_lk_history_class_activity", "lk_history", ["class_code", "activity", "id"])
    op.create_table(
        "lk_learners",
        sa.Column("class_code", sa.String(64), primary_key=True),
        sa.Column("learner", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(60), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "lk_locks",
        sa.Column("class_code", sa.String(64), primary_key=True),
        sa.Column("activity", sa.String(64), primary_key=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("lk_locks", "lk_learners", "lk_history", "lk_current"):
        op.drop_table(table)
