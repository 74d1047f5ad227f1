"""What each side may ask of the class store, as typing protocols (no SQLAlchemy, nothing imported but typing).

`LearnerStore` is what a learner's page may call: under `lessonkit serve` a learner's kernel holds a
`service.RemoteStore`, which has these methods and no others, and the store service answers only these
(`service.METHODS` is derived from this protocol; a method with a `deadline` is a write, `service.WRITES`).
`TrainerStore` adds what the trainer's dashboard and the `lessonkit` commands may call on the database itself:
pacing, locks, resets, deletion, retention, exports and `force` past a lock. `store.ResponseStore` is both.

A JupyterHub or Binder kernel opens the database itself, so its `ResponseStore` also has the trainer's
methods; a learner's page must use only LearnerStore's (a hub login's learner comes from
`TrainerStore.join_account`, which identity.resolve asks only of a store that has it). RemoteStore adds
`wait_pace_async` (the pace, held open by the service); a page asks for it with getattr and otherwise
polls `pace`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    import pandas

    from .records import Answer, ClassSummary, LearnerSummary, Pace

__all__ = ["LearnerStore", "TrainerStore", "LOCAL"]

# LearnerStore's members a RemoteStore answers itself, never sent to the store service: `close` closes the
# kernel's own connection; `kind` and `url` come from the service's one "describe" answer.
LOCAL = frozenset({"close", "kind", "url"})


class LearnerStore(Protocol):
    """The class store as a learner's page may use it: answers, names, sessions, locks and the pace."""

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        ...

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        ...

    # -- answers and names (the writes carry a deadline: see lessonkit.service) ------------------------
    def submit(self, class_code: str, activity: str, learner: str, item: str, answer: Any, *,
               deadline: float | None = None) -> datetime:
        """Save one answer (replacing this learner's earlier one); its UTC timestamp."""
        ...

    def submit_many(self, class_code: str, activity: str, learner: str, answers: Mapping[str, Any], *,
                    deadline: float | None = None) -> datetime:
        """Save several answers in one transaction; their shared UTC timestamp. ActivityLocked while locked."""
        ...

    def set_display_name(self, class_code: str, learner: str, display_name: str | None, *,
                         deadline: float | None = None) -> None:
        """Set (None or blank: clear) a learner's display name in a class."""
        ...

    def answers_for(self, class_code: str, activity: str, learner: str) -> dict[str, Any]:
        """This learner's current answers, {item: answer}."""
        ...

    def current(self, class_code: str, activity: str, items: Iterable[str] | None = None) -> list[Answer]:
        """Every learner's current answers for an activity (only `items`, if given)."""
        ...

    def version(self, class_code: str, activity: str) -> tuple[int, int]:
        """A cheap change detector: (current rows, max history id)."""
        ...

    def learner_activities(self, class_code: str, learner: str) -> set[str]:
        """The store activities (parts included) this learner has answered."""
        ...

    def display_names(self, class_code: str) -> dict[str, str]:
        """Display names set in a class, {learner: name}."""
        ...

    # -- locks, as a page sees them ------------------------------------------------------------------
    def is_locked(self, class_code: str, activity: str) -> bool:
        """True while the trainer has this activity (or the one it is a part of) locked."""
        ...

    def locked(self, class_code: str) -> set[str]:
        """The activities (root slugs) locked for a class."""
        ...

    # -- sessions and the pace to follow -------------------------------------------------------------
    def join(self, class_code: str, *, learner: str | None = None, display_name: str | None = None,
             deadline: float | None = None) -> tuple[str, str]:
        """A new learner in a class with a session: (learner id, secret token)."""
        ...

    def session(self, token: str) -> tuple[str, str] | None:
        """(class code, learner id) of a live session token, else None."""
        ...

    def end_session(self, token: str) -> None:
        """End a session: its token grants nothing any more."""
        ...

    def free_learner_id(self, class_code: str) -> str:
        """A made-up learner id nobody in the class has yet."""
        ...

    def pace(self, class_code: str) -> Pace:
        """Where the trainer has the class."""
        ...

    # -- the connection ------------------------------------------------------------------------------
    def warm(self) -> bool:
        """Connect ahead of first use; False if the store is unreachable."""
        ...

    def close(self) -> None:
        """Close connections; the store reconnects if used again."""
        ...


class TrainerStore(LearnerStore, Protocol):
    """The class store as the trainer's dashboard and commands use it: the database itself."""

    upgraded: tuple[str | None, str] | None    # (from, to) once this store migrated one
    backup_path: str | None                    # the SQLite copy made before that
    recognised_legacy: bool                    # an unstamped 0.1.0 store was stamped 0001

    # `force=True`: the trainer's own records, saved past a lock (never offered to learners' kernels).
    def submit(self, class_code: str, activity: str, learner: str, item: str, answer: Any, *,
               force: bool = False, deadline: float | None = None) -> datetime:
        """Save one answer; its UTC timestamp."""
        ...

    def submit_many(self, class_code: str, activity: str, learner: str, answers: Mapping[str, Any], *,
                    force: bool = False, deadline: float | None = None) -> datetime:
        """Save several answers in one transaction; their shared UTC timestamp."""
        ...

    # -- learners ------------------------------------------------------------------------------------
    def join_account(self, class_code: str, account: str, *, display_name: str | None = None) -> str:
        """The learner a hub login is in a class (the same one every time)."""
        ...

    def new_session(self, class_code: str, learner: str) -> str:
        """A new session token for a learner already in the class."""
        ...

    def delete_learner(self, class_code: str, learner: str) -> int:
        """Delete everything stored about one learner in a class; their answers deleted."""
        ...

    def class_learners(self, class_code: str) -> list[LearnerSummary]:
        """Everyone the store knows in a class, with their name and answer counts."""
        ...

    # -- pacing and controls -------------------------------------------------------------------------
    def set_pace(self, class_code: str, *, activity: str | None | object = ...,
                 free: bool | None = None) -> Pace:
        """Move the class and/or let learners move freely; the new pace."""
        ...

    def lock(self, class_code: str, activity: str, locked: bool = True) -> None:
        """Lock (locked=False: unlock) an activity and all its parts for a class."""
        ...

    def unlock(self, class_code: str, activity: str) -> None:
        """Open a locked activity again."""
        ...

    def reset(self, class_code: str, activity: str) -> int:
        """Delete every answer to an activity and its parts; rows deleted."""
        ...

    def purge(self, older_than_days: float, *, now: datetime | None = None) -> list[ClassSummary]:
        """Delete every class last active more than `older_than_days` ago; those classes."""
        ...

    # -- overviews and exports -----------------------------------------------------------------------
    def classes(self) -> list[ClassSummary]:
        """Every class in the store, most recently active first."""
        ...

    def current_counts(self) -> dict[str, int]:
        """Learners' current answers per class."""
        ...

    def activity_learners(self, class_code: str) -> dict[str, set[str]]:
        """{activity root: learners with a current answer}, the trainer left out."""
        ...

    def class_version(self, class_code: str) -> tuple[int, int, tuple[str, ...]]:
        """A cheap change detector for a whole class."""
        ...

    def export_rows(self, class_code: str, activity: str | None = None) -> list[dict[str, Any]]:
        """Every current answer in a class (or one activity) with display names."""
        ...

    def responses(self, class_code: str, activity: str) -> pandas.DataFrame:
        """Current answers as a DataFrame."""
        ...

    def history(self, class_code: str, activity: str | None = None) -> pandas.DataFrame:
        """Every submission for a class (or one activity), oldest first."""
        ...

    # -- the schema ----------------------------------------------------------------------------------
    def upgrade(self) -> tuple[str | None, str]:
        """Bring the store to this lessonkit's schema now: (revision before, after)."""
        ...

    def schema_revision(self) -> str | None:
        """The schema revision the store records."""
        ...
