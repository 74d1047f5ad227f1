"""The store's tables (SQLAlchemy Core) and the schema revision they are: lessonkit/migrations must build them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..records import activity_root
from .checks import MAX_DISPLAY_NAME_CHARS, MAX_KEY_CHARS

# The newest migration in lessonkit/migrations/versions: the schema the tables below describe. Opening a
# store compares its recorded revision with this (one read, no Alembic import); tests/store/
# test_migrations.py checks it names the newest migration and that the migrations build these tables.
SCHEMA_REVISION = "0003"
VERSION_TABLE = "lk_schema_version"   # Alembic's version table, under our prefix
_LEGACY = "legacy"                    # lessonkit 0.1.0's tables, no version table yet
_LEGACY_REVISION = "0001"   # the revision a 0.1.0 store's tables are (lessonkit.migrate.LEGACY_REVISION)
_LEGACY_TABLES = ("lk_current", "lk_history", "lk_learners", "lk_locks")

_metadata = sa.MetaData()

_current = sa.Table(
    "lk_current",
    _metadata,
    # The primary key doubles as the index for every read: (class, activity) for boards and
    # version(), (class, activity, learner) for restore-on-reload.
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("activity", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("learner", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("item", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

_history = sa.Table(
    "lk_history",
    _metadata,
    # INTEGER on SQLite so the column is the rowid; AUTOINCREMENT so ids are never reused after a
    # reset, which keeps version() from repeating an earlier value.
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("activity", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("learner", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("item", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_lk_history_class_activity", "class_code", "activity", "id"),
    sqlite_autoincrement=True,
)

_learners = sa.Table(
    "lk_learners",
    _metadata,
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("learner", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("display_name", sa.String(MAX_DISPLAY_NAME_CHARS), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


_locks = sa.Table(
    "lk_locks",
    _metadata,
    # One row per locked activity (its root slug: locking "legislation" covers "legislation.ranking").
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("activity", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
)


_sessions = sa.Table(
    "lk_sessions",
    _metadata,
    # A learner's session: the browser holds the token (a cookie or a personal link), the store only its
    # SHA-256, so a copy of the database lets nobody be anyone.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("learner", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_lk_sessions_class_learner", "class_code", "learner"),
)

_accounts = sa.Table(
    "lk_accounts",
    _metadata,
    # Which learner a hub login is in a class. The login is kept only as a SHA-256 of class and login; the
    # learner id is unique in the class, so two logins never share a learner (and their answers never merge).
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("account_hash", sa.String(64), primary_key=True),
    sa.Column("learner", sa.String(MAX_KEY_CHARS), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("class_code", "learner", name="uq_lk_accounts_class_learner"),
)

_pace = sa.Table(
    "lk_pace",
    _metadata,
    # Where the trainer has the class: the activity on every learner's page, and whether learners may move
    # on their own. seq goes up by one with every change, so pages notice a change by comparing numbers.
    sa.Column("class_code", sa.String(MAX_KEY_CHARS), primary_key=True),
    sa.Column("activity", sa.String(MAX_KEY_CHARS), nullable=True),
    sa.Column("free", sa.Boolean, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _in_activity(column: sa.Column, root: str) -> Any:
    """SQL: the column names `root` or one of its parts (`root.<part>`)."""
    return sa.or_(column == root, column.startswith(f"{root}.", autoescape=True))


def _lock_query(class_code: str, activity: str) -> Any:
    return (sa.select(_locks.c.activity)
            .where(_locks.c.class_code == class_code, _locks.c.activity == activity_root(activity)))
