"""ResponseStore: learners' answers in one SQL database (SQLite by default, PostgreSQL on hubs).

Every submission is appended to ``lk_history``; the learner's latest answer per item lives in
``lk_current`` (one row per class/activity/learner/item), which boards and restore-on-reload read.

The package, by responsibility: ``tables`` (the schema and its revision), ``checks`` (keys, answers and
names checked and encoded before the database), ``engine`` (URL, pool, SQLite's locking, failures in
words), ``state`` (which schema a store has), ``base`` (opening, transactions, upgrading), ``learner``
(what a learner's page asks) and ``trainer`` (what the trainer asks). lessonkit.protocols types the two
sides without importing SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import TRAINER, Answer, ClassSummary, LearnerSummary, Pace, activity_root, token_hash
from .checks import MAX_ANSWER_CHARS, MAX_DISPLAY_NAME_CHARS, MAX_KEY_CHARS, TOO_LATE
from .engine import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, MAX_OVERFLOW_ENV, POOL_SIZE_ENV, pool_sizes
from .tables import SCHEMA_REVISION, VERSION_TABLE
from .tables import _metadata as _metadata  # the tables, for lessonkit.migrate (Alembic's target metadata)
from .trainer import TrainerOps

if TYPE_CHECKING:
    from ..protocols import TrainerStore
    from ..settings import Settings

__all__ = ["Answer", "ClassSummary", "LearnerSummary", "Pace", "ResponseStore", "TRAINER", "activity_root",
           "token_hash", "TOO_LATE", "MAX_KEY_CHARS", "MAX_ANSWER_CHARS", "MAX_DISPLAY_NAME_CHARS",
           "DEFAULT_POOL_SIZE", "DEFAULT_MAX_OVERFLOW", "POOL_SIZE_ENV", "MAX_OVERFLOW_ENV", "SCHEMA_REVISION",
           "VERSION_TABLE", "pool_sizes"]


class ResponseStore(TrainerOps):
    """Learners' answers for every class and activity, in SQLite or PostgreSQL."""

    @classmethod
    def for_settings(cls, settings: Settings, url: str | None = None, *, upgrade: bool = False) -> ResponseStore:
        """The store at ``url``, else the one `settings` name (settings.db, from LESSONKIT_DB), else the SQLite
        file in the user data dir, with the pool sizes `settings` give (lessonkit.store.engine.pool_sizes)."""
        return cls(url if url is not None else settings.db, upgrade=upgrade,
                   **pool_sizes(settings.db_pool_size, settings.db_max_overflow))


if TYPE_CHECKING:   # a type checker holds ResponseStore to both protocols (lessonkit.protocols)
    def _is_a_trainer_store(store: ResponseStore) -> TrainerStore:
        return store
