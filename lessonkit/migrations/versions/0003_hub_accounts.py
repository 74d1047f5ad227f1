"""Hub logins: which learner a JupyterHub login is in a class, so no two logins ever share a learner.

Revision ID: 0003
Revises: 0002
Created: 2026-12-01

A new table only. The login is stored as a SHA-256 of the class code and the login, never as text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lk_accounts",
        sa.Column("class_code", sa.String(length=64), nullable=False),
        sa.Column("account_hash", sa.String(length=64), nullable=False),
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("class_code", "account_hash"),
        sa.UniqueConstraint("class_code", "learner", name="uq_lk_accounts_class_learner"),
    )


def downgrade() -> None:
    op.drop_table("lk_accounts")
