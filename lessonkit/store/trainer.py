"""What the trainer asks of the store: pacing, locks, resets, deletion, retention, exports and overviews."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from ..records import NO_PACE, TRAINER, ClassSummary, LearnerSummary, Pace, activity_root, token_hash
from .checks import _as_utc, _check_key, _shown_name
from .learner import LearnerOps
from .tables import _accounts, _current, _history, _in_activity, _learners, _locks, _pace, _sessions

if TYPE_CHECKING:  # pandas costs ~40 MB per kernel; only the methods that return frames import it
    import pandas


class TrainerOps(LearnerOps):
    """The trainer's store methods (lessonkit.protocols.TrainerStore), on top of a learner's."""

    def new_session(self, class_code: str, learner: str) -> str:
        """A new session token for a learner already in the class (the trainer's way to hand a learner who
        lost their device and link a new personal link). Not offered to learners' kernels."""
        import secrets

        _check_key("class_code", class_code)
        _check_key("learner", learner)
        token = secrets.token_urlsafe(32)
        with self._transaction(write=True) as conn:
            conn.execute(_sessions.insert().values(token_hash=token_hash(token), class_code=class_code,
                                                   learner=learner, created_at=datetime.now(timezone.utc)))
        return token

    # -- the trainer's pacing ----------------------------------------------------------------

    def set_pace(self, class_code: str, *, activity: str | None | object = ..., free: bool | None = None) -> Pace:
        """Move the class to `activity` (None: the overview) and/or let learners move freely; the new pace.

        A class's first move turns free movement off unless `free` says otherwise: the trainer is leading.
        """
        _check_key("class_code", class_code)
        if activity is not ... and activity is not None:
            _check_key("activity", activity)
        if free is not None and not isinstance(free, bool):
            raise ValueError(f"free must be True or False, got {free!r}")
        with self._transaction(write=True) as conn:
            row = conn.execute(sa.select(_pace.c.activity, _pace.c.free, _pace.c.seq)
                               .where(_pace.c.class_code == class_code)).first()
            old = NO_PACE if row is None else Pace(row[0], bool(row[1]), int(row[2]))
            new = Pace(old.activity if activity is ... else cast("str | None", activity),   # checked above
                       free if free is not None else (old.free if row is not None else False), old.seq + 1)
            values = {"activity": new.activity, "free": new.free, "seq": new.seq,
                      "updated_at": datetime.now(timezone.utc)}
            if row is None:
                conn.execute(_pace.insert().values(class_code=class_code, **values))
            else:
                conn.execute(_pace.update().where(_pace.c.class_code == class_code).values(**values))
        return new

    # -- the trainer's controls --------------------------------------------------------------

    def lock(self, class_code: str, activity: str, locked: bool = True) -> None:
        """Lock (or with locked=False unlock) an activity and all its parts for a class."""
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        root = activity_root(activity)
        with self._transaction(write=True) as conn:
            conn.execute(_locks.delete().where(_locks.c.class_code == class_code, _locks.c.activity == root))
            if locked:
                conn.execute(_locks.insert().values(class_code=class_code, activity=root,
                                                    locked_at=datetime.now(timezone.utc)))

    def unlock(self, class_code: str, activity: str) -> None:
        """Open a locked activity again."""
        self.lock(class_code, activity, locked=False)

    def reset(self, class_code: str, activity: str) -> int:
        """Delete every answer (current and history) to an activity and its parts; returns rows deleted.

        Export first (lessonkit.export keeps a copy): this cannot be undone. A lock stays as it was.
        """
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        root = activity_root(activity)
        with self._transaction(write=True) as conn:
            n = conn.execute(_current.delete().where(_current.c.class_code == class_code,
                                                     _in_activity(_current.c.activity, root))).rowcount
            conn.execute(_history.delete().where(_history.c.class_code == class_code,
                                                 _in_activity(_history.c.activity, root)))
        return int(n or 0)

    def delete_learner(self, class_code: str, learner: str) -> int:
        """Delete everything stored about one learner in a class; returns their answers deleted."""
        _check_key("class_code", class_code)
        _check_key("learner", learner)
        with self._transaction(write=True) as conn:
            n = conn.execute(_current.delete().where(_current.c.class_code == class_code,
                                                     _current.c.learner == learner)).rowcount
            conn.execute(_history.delete().where(_history.c.class_code == class_code,
                                                 _history.c.learner == learner))
            # The trainer's records about their posts (moderation items are "<learner>/post-N").
            for table in (_current, _history):
                conn.execute(table.delete().where(
                    table.c.class_code == class_code, table.c.learner == TRAINER,
                    table.c.item.startswith(f"{learner}/", autoescape=True)))
            conn.execute(_learners.delete().where(_learners.c.class_code == class_code,
                                                  _learners.c.learner == learner))
            for table in (_sessions, _accounts):
                conn.execute(table.delete().where(table.c.class_code == class_code, table.c.learner == learner))
        return int(n or 0)

    def classes(self) -> list[ClassSummary]:
        """Every class in the store, most recently active first."""
        learners = (sa.select(_history.c.class_code, sa.func.count(sa.distinct(_history.c.learner)).label("n"),
                              sa.func.count().label("answers"), sa.func.max(_history.c.submitted_at).label("last"))
                    .where(_history.c.learner != TRAINER)
                    .group_by(_history.c.class_code))
        names = (sa.select(_learners.c.class_code, sa.func.max(_learners.c.updated_at).label("last"))
                 .group_by(_learners.c.class_code))
        with self._transaction(write=False) as conn:
            found: dict[str, ClassSummary] = {}
            for code, n, answers, last in conn.execute(learners).all():
                found[code] = ClassSummary(code, int(n), int(answers), _as_utc(last))
            for code, last in conn.execute(names).all():
                last = _as_utc(last)
                old = found.get(code)
                if old is None:
                    found[code] = ClassSummary(code, 0, 0, last)
                elif last > old.last_active:
                    found[code] = old._replace(last_active=last)
            # A class may hold only the trainer's records (a lock, moderation, a pace) or joined learners who
            # have not answered yet, and still be purged.
            for table, when in ((_locks, _locks.c.locked_at), (_pace, _pace.c.updated_at),
                                (_sessions, _sessions.c.created_at), (_accounts, _accounts.c.created_at)):
                for code, last in conn.execute(sa.select(table.c.class_code, sa.func.max(when))
                                               .group_by(table.c.class_code)):
                    if code not in found:
                        found[code] = ClassSummary(code, 0, 0, _as_utc(last))
        return sorted(found.values(), key=lambda c: c.last_active, reverse=True)

    def current_counts(self) -> dict[str, int]:
        """Learners' current answers per class, {class code: n}: each learner's latest answer to each question
        (what an export holds, the trainer's own records left out). classes() counts every answer saved."""
        query = (sa.select(_current.c.class_code, sa.func.count()).where(_current.c.learner != TRAINER)
                 .group_by(_current.c.class_code))
        with self._transaction(write=False) as conn:
            return {code: int(n) for code, n in conn.execute(query).all()}

    def class_learners(self, class_code: str) -> list[LearnerSummary]:
        """Everyone the store knows in a class (joined, named or answered; the trainer left out), by id, with
        their display name and how many current and saved answers they have: whom a deletion request names."""
        _check_key("class_code", class_code)

        def per_learner(table: sa.Table) -> Any:
            return (sa.select(table.c.learner, sa.func.count()).where(table.c.class_code == class_code)
                    .group_by(table.c.learner))

        with self._transaction(write=False) as conn:
            ids: set[str] = set()
            for table in (_learners, _sessions, _accounts, _current, _history):
                ids.update(conn.execute(sa.select(table.c.learner).distinct()
                                        .where(table.c.class_code == class_code)).scalars())
            names = dict(conn.execute(sa.select(_learners.c.learner, _learners.c.display_name)
                                      .where(_learners.c.class_code == class_code)).all())
            current = dict(conn.execute(per_learner(_current)).all())
            saved = dict(conn.execute(per_learner(_history)).all())
        ids.discard(TRAINER)
        return [LearnerSummary(learner, _shown_name(names.get(learner)), int(current.get(learner, 0)),
                               int(saved.get(learner, 0))) for learner in sorted(ids)]

    def purge(self, older_than_days: float, *, now: datetime | None = None) -> list[ClassSummary]:
        """Delete every class whose last activity is more than `older_than_days` ago; returns them."""
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, (int, float)) \
                or older_than_days < 0:
            raise ValueError(f"older_than_days must be a number of days >= 0, got {older_than_days!r}")
        from datetime import timedelta

        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=older_than_days)
        old = [c for c in self.classes() if c.last_active < cutoff]
        if old:
            codes = [c.class_code for c in old]
            with self._transaction(write=True) as conn:
                for table in (_current, _history, _learners, _locks, _sessions, _accounts, _pace):
                    conn.execute(table.delete().where(table.c.class_code.in_(codes)))
        return old

    # -- reading, for the trainer -------------------------------------------------------------

    def responses(self, class_code: str, activity: str) -> pandas.DataFrame:
        """Current answers as a DataFrame (learner, item, answer, updated_at), one row per learner+item."""
        import pandas as pd

        frame = pd.DataFrame.from_records(
            self.current(class_code, activity),
            columns=["learner", "item", "answer", "updated_at"],
        )
        frame["answer"] = frame["answer"].astype(object)  # keep decoded values as Python objects
        frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True)
        return frame

    def history(self, class_code: str, activity: str | None = None) -> pandas.DataFrame:
        """Every submission for a class (optionally one activity), oldest first, for export."""
        import pandas as pd

        _check_key("class_code", class_code)
        query = sa.select(_history).where(_history.c.class_code == class_code)
        if activity is not None:
            _check_key("activity", activity)
            query = query.where(_history.c.activity == activity)
        with self._transaction(write=False) as conn:
            rows = conn.execute(query.order_by(_history.c.id)).all()
        frame = pd.DataFrame.from_records(
            [(r.id, r.class_code, r.activity, r.learner, r.item, json.loads(r.answer),
              _as_utc(r.submitted_at)) for r in rows],
            columns=["id", "class_code", "activity", "learner", "item", "answer", "submitted_at"],
        )
        frame["id"] = frame["id"].astype("int64")
        frame["answer"] = frame["answer"].astype(object)
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
        return frame

    def activity_learners(self, class_code: str) -> dict[str, set[str]]:
        """Who has answered what: {activity root: learners with a current answer}, trainer excluded."""
        _check_key("class_code", class_code)
        query = (sa.select(_current.c.activity, _current.c.learner).distinct()
                 .where(_current.c.class_code == class_code, _current.c.learner != TRAINER))
        found: dict[str, set[str]] = {}
        with self._transaction(write=False) as conn:
            for activity, learner in conn.execute(query).all():
                found.setdefault(activity_root(activity), set()).add(learner)
        return found

    def class_version(self, class_code: str) -> tuple[int, int, tuple[str, ...]]:
        """A cheap change detector for a whole class: (current rows, max history id, locked activities)."""
        _check_key("class_code", class_code)
        count = (sa.select(sa.func.count()).select_from(_current)
                 .where(_current.c.class_code == class_code).scalar_subquery())
        last = (sa.select(sa.func.coalesce(sa.func.max(_history.c.id), 0))
                .where(_history.c.class_code == class_code).scalar_subquery())
        with self._transaction(write=False) as conn:
            n, top = conn.execute(sa.select(count, last)).one()
            locks = tuple(sorted(conn.execute(sa.select(_locks.c.activity)
                                              .where(_locks.c.class_code == class_code)).scalars()))
        return int(n), int(top), locks

    def export_rows(self, class_code: str, activity: str | None = None) -> list[dict[str, Any]]:
        """Every current answer in a class (or one activity and its parts) with display names, for export."""
        _check_key("class_code", class_code)
        query = (sa.select(_current.c.activity, _current.c.item, _current.c.learner, _learners.c.display_name,
                           _current.c.answer, _current.c.updated_at)
                 .select_from(_current.outerjoin(_learners, sa.and_(
                     _learners.c.class_code == _current.c.class_code,
                     _learners.c.learner == _current.c.learner)))
                 .where(_current.c.class_code == class_code)
                 .order_by(_current.c.activity, _current.c.learner, _current.c.item))
        if activity is not None:
            _check_key("activity", activity)
            query = query.where(_in_activity(_current.c.activity, activity_root(activity)))
        with self._transaction(write=False) as conn:
            rows = conn.execute(query).all()
        return [{"class_code": class_code, "activity": a, "item": item, "learner": learner,
                 "display_name": _shown_name(name) or "", "answer": json.loads(text), "updated_at": _as_utc(at)}
                for a, item, learner, name, text, at in rows]
