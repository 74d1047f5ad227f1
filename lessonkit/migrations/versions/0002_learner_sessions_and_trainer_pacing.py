"""Learner sessions (a secret token per learner, stored as its hash) and the trainer's pacing of the class.

Revision ID: 0002
Revises: 0001
Created: 2026-12-01

New tables only: every answer, name and lock from 0001 stays as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lk_pace",
        sa.Column("class_code", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=True),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("class_code"),
    )
    op.create_table(
        "lk_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("class_code", sa.String(length=64), nullable=False),
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("lk_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_lk_sessions_class_learner", ["class_code", "learner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lk_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_lk_sessions_class_learner")
    op.drop_table("lk_sessions")
    op.drop_table("lk_pace")
