"""What the store hands back, in a module without SQLAlchemy (a learner's kernel may use the store
through `lessonkit serve`'s store service and never import the database layer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

__all__ = ["Answer", "ClassSummary", "TRAINER", "activity_root"]

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


class Answer(NamedTuple):
    """One learner's current answer to one item."""

    learner: str
    item: str
    answer: Any
    updated_at: datetime
