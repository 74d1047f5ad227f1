"""What the store hands back, in a module without SQLAlchemy (a learner's kernel may use the store
through `lessonkit serve`'s store service and never import the database layer)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, NamedTuple

__all__ = ["Answer", "ClassSummary", "LearnerSummary", "NO_PACE", "Pace", "TRAINER", "account_hash", "activity_root",
           "token_hash"]

# The store "learner" the trainer's own records (e.g. discussion moderation) are filed under. Learner
# ids are pseudonyms such as "teal-wombat-42", so it never collides with a learner.
TRAINER = "trainer"


def activity_root(activity: str) -> str:
    """The lesson activity a store activity belongs to: 'legislation.ranking' -> 'legislation'."""
    return activity.split(".", 1)[0]


class ClassSummary(NamedTuple):
    """One class in the store: how many learners and answers, and when it was last active (UTC)."""

    class_code: str
    learners: int
    answers: int
    last_active: datetime


class LearnerSummary(NamedTuple):
    """One learner in a class: id, display name (None if unset), current answers, answers saved in all."""

    learner: str
    display_name: str | None
    current: int
    saved: int


class Answer(NamedTuple):
    """One learner's current answer to one item."""

    learner: str
    item: str
    answer: Any
    updated_at: datetime


class Pace(NamedTuple):
    """Where the trainer has the class: the activity on every page (None: none yet), whether learners may
    move by themselves, and a number that goes up with every change."""

    activity: str | None
    free: bool
    seq: int


NO_PACE = Pace(None, True, 0)   # a class the trainer has not paced: nothing to follow, learners move freely


def token_hash(token: str) -> str:
    """What is kept of a session token outside the learner's browser: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def account_hash(class_code: str, account: str) -> str:
    """What is kept of a hub login: a SHA-256 of the class and the login, never the login itself."""
    return hashlib.sha256(f"{class_code}\0{account.strip()}".encode()).hexdigest()
