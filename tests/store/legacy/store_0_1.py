# lessonkit 0.1.0's store, as it landed (lessonkit/store.py at commit b8f63c5), kept verbatim but for its two
# imports so the upgrade tests can write a store exactly as that release did. Do not edit: a store made by
# this code is what a trainer or hub upgrading from 0.1.0 has on disk.
"""ResponseStore: learners' answers in one SQL database (SQLite by default, PostgreSQL on hubs).

Every submission is appended to ``lk_history``; the learner's latest answer per item lives in
``lk_current`` (one row per class/activity/learner/item), which boards and restore-on-reload read.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from lessonkit.errors import ActivityLocked, StoreUnavailable
from lessonkit.records import TRAINER, Answer, ClassSummary, activity_root

if TYPE_CHECKING:  # pandas costs ~40 MB per kernel; only the methods that return frames import it
    import pandas

__all__ = ["Answer", "ClassSummary", "ResponseStore", "TRAINER", "activity_root"]

MAX_KEY_CHARS = 64
MAX_ANSWER_CHARS = 20_000
MAX_DISPLAY_NAME_CHARS = 60


# PostgreSQL connections per store, i.e. per kernel. A kernel is single-threaded (boards poll on its
# asyncio loop, between widget callbacks), so it never needs two connections at once: 60 kernels hold
# 60 connections, well under PostgreSQL's default max_connections=100. docs/jupyterhub.md explains.
DEFAULT_POOL_SIZE = 1
DEFAULT_MAX_OVERFLOW = 0
POOL_SIZE_ENV = "LESSONKIT_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "LESSONKIT_DB_MAX_OVERFLOW"

# Namespace for PostgreSQL advisory locks, so ours never collide with another application's.
_PG_LOCK_NS = 0x6C6B  # "lk"

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


def _in_activity(column: sa.Column, root: str) -> Any:
    """SQL: the column names `root` or one of its parts (`root.<part>`)."""
    return sa.or_(column == root, column.startswith(f"{root}.", autoescape=True))


class ResponseStore:
    """Learners' answers for every class and activity, in SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None, *, pool_size: int | None = None,
                 max_overflow: int | None = None) -> None:
        """Open a store at ``url``, else ``$LESSONKIT_DB``, else a SQLite file in the user data dir.

        PostgreSQL connections per store (one store per kernel): ``pool_size`` kept open, plus up to
        ``max_overflow`` more while busy; else ``$LESSONKIT_DB_POOL_SIZE`` / ``$LESSONKIT_DB_MAX_OVERFLOW``,
        else 1 and 0.
        """
        self._pool_size = _pool_setting("pool_size", pool_size, POOL_SIZE_ENV, DEFAULT_POOL_SIZE, 1)
        self._max_overflow = _pool_setting("max_overflow", max_overflow, MAX_OVERFLOW_ENV,
                                           DEFAULT_MAX_OVERFLOW, 0)
        if url is None:
            url = os.environ.get("LESSONKIT_DB") or None
        if url is None:
            # Per-user data dir, never the repo or the notebook folder (Voila could serve it).
            data_dir = platformdirs.user_data_dir("lessonkit", appauthor=False)
            self._url = URL.create("sqlite", database=os.path.join(data_dir, "responses.db"))
        else:
            self._url = _parse_url(url)
        self._engine: Engine | None = None
        self._ready = False
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        return self._url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"ResponseStore({self.url!r})"

    __str__ = __repr__

    # -- writing ---------------------------------------------------------------------------

    def submit(self, class_code: str, activity: str, learner: str, item: str, answer: Any, *,
               force: bool = False) -> datetime:
        """Save one answer (replacing this learner's earlier one) and return its UTC timestamp."""
        _check_key("item", item)  # before it becomes a dict key: a list item would be a TypeError
        return self.submit_many(class_code, activity, learner, {item: answer}, force=force)

    def submit_many(self, class_code: str, activity: str, learner: str,
                    answers: Mapping[str, Any], *, force: bool = False) -> datetime:
        """Save several answers in one transaction and return their shared UTC timestamp.

        Raises ActivityLocked (an AnswerRejected) while the trainer has the activity locked, checked
        in the same transaction as the write; `force=True` is for the trainer's own records.
        """
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        _check_key("learner", learner)
        if not isinstance(answers, Mapping):
            raise ValueError(f"answers must be a mapping of item -> answer, got {type(answers).__name__}")
        if not answers:
            raise ValueError("answers is empty: nothing to save")
        encoded: dict[str, str] = {}
        for item, answer in answers.items():
            _check_key("item", item)
            encoded[item] = _encode(item, answer)
        now = datetime.now(timezone.utc)
        # Sorted, so two transactions touching the same rows lock them in the same order.
        rows = [
            {"class_code": class_code, "activity": activity, "learner": learner, "item": item,
             "answer": text}
            for item, text in sorted(encoded.items())
        ]
        with self._transaction(write=True) as conn:
            if conn.dialect.name == "postgresql":
                # Serialise writers per activity so history ids are committed in order; otherwise
                # a board polling version() could see id n+1 before n commits and miss n for good.
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), hashtext(:key))"),
                    {"ns": _PG_LOCK_NS, "key": f"{class_code}\x1f{activity}"},
                )
            if not force and conn.execute(_lock_query(class_code, activity)).first() is not None:
                raise ActivityLocked(activity_root(activity))
            # Upsert before the history insert: a concurrent writer of the same row waits on the
            # row lock before taking its history id, so current always holds the max-id answer.
            conn.execute(_upsert_current(conn.dialect.name),
                         [{**r, "updated_at": now} for r in rows])
            conn.execute(_history.insert(), [{**r, "submitted_at": now} for r in rows])
        return now

    def set_display_name(self, class_code: str, learner: str, display_name: str | None) -> None:
        """Set a learner's display name for a class; None or a blank name clears it."""
        _check_key("class_code", class_code)
        _check_key("learner", learner)
        if display_name is not None:
            if not isinstance(display_name, str):
                raise ValueError(f"display_name must be a str or None, got {type(display_name).__name__}")
            display_name = display_name.strip() or None
        if display_name is not None:
            _check_text("display_name", display_name)
            if len(display_name) > MAX_DISPLAY_NAME_CHARS:
                raise ValueError(
                    f"display_name is {len(display_name)} characters; "
                    f"the limit is {MAX_DISPLAY_NAME_CHARS}")
        row = {"class_code": class_code, "learner": learner, "display_name": display_name,
               "updated_at": datetime.now(timezone.utc)}
        with self._transaction(write=True) as conn:
            insert = _dialect_insert(conn.dialect.name)(_learners).values(row)
            conn.execute(insert.on_conflict_do_update(
                index_elements=["class_code", "learner"],
                set_={"display_name": insert.excluded.display_name,
                      "updated_at": insert.excluded.updated_at},
            ))

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

    def is_locked(self, class_code: str, activity: str) -> bool:
        """True while the trainer has this activity (or the activity it is a part of) locked."""
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        with self._transaction(write=False) as conn:
            return conn.execute(_lock_query(class_code, activity)).first() is not None

    def locked(self, class_code: str) -> set[str]:
        """The activities (root slugs) locked for a class."""
        _check_key("class_code", class_code)
        with self._transaction(write=False) as conn:
            return set(conn.execute(sa.select(_locks.c.activity)
                                    .where(_locks.c.class_code == class_code)).scalars())

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
            # A class may hold only the trainer's records (a lock, moderation) and still be purged.
            for code, last in conn.execute(
                    sa.select(_locks.c.class_code, sa.func.max(_locks.c.locked_at)).group_by(_locks.c.class_code)):
                if code not in found:
                    found[code] = ClassSummary(code, 0, 0, _as_utc(last))
        return sorted(found.values(), key=lambda c: c.last_active, reverse=True)

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
                for table in (_current, _history, _learners, _locks):
                    conn.execute(table.delete().where(table.c.class_code.in_(codes)))
        return old

    # -- reading ---------------------------------------------------------------------------

    def answers_for(self, class_code: str, activity: str, learner: str) -> dict[str, Any]:
        """This learner's current answers as {item: answer}, to restore widgets on reload."""
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        _check_key("learner", learner)
        query = (sa.select(_current.c.item, _current.c.answer)
                 .where(_current.c.class_code == class_code, _current.c.activity == activity,
                        _current.c.learner == learner)
                 .order_by(_current.c.item))
        with self._transaction(write=False) as conn:
            rows = conn.execute(query).all()
        return {item: json.loads(text) for item, text in rows}

    def current(self, class_code: str, activity: str, items: Iterable[str] | None = None) -> list[Answer]:
        """Every learner's current answers for an activity (only `items`, if given), by learner then item."""
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        query = (sa.select(_current.c.learner, _current.c.item, _current.c.answer,
                           _current.c.updated_at)
                 .where(_current.c.class_code == class_code, _current.c.activity == activity)
                 .order_by(_current.c.learner, _current.c.item))
        if items is not None:  # a board reads only what it shows (e.g. ratings, never private text)
            wanted = list(items)
            for item in wanted:
                _check_key("item", item)
            query = query.where(_current.c.item.in_(wanted))
        with self._transaction(write=False) as conn:
            rows = conn.execute(query).all()
        return [Answer(learner, item, json.loads(text), _as_utc(at))
                for learner, item, text, at in rows]

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

    def version(self, class_code: str, activity: str) -> tuple[int, int]:
        """A cheap change detector: (count of current rows, max history id or 0)."""
        _check_key("class_code", class_code)
        _check_key("activity", activity)
        count = (sa.select(sa.func.count())
                 .select_from(_current)
                 .where(_current.c.class_code == class_code, _current.c.activity == activity)
                 .scalar_subquery())
        last = (sa.select(sa.func.coalesce(sa.func.max(_history.c.id), 0))
                .where(_history.c.class_code == class_code, _history.c.activity == activity)
                .scalar_subquery())
        with self._transaction(write=False) as conn:
            n, top = conn.execute(sa.select(count, last)).one()
        return int(n), int(top)

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

    def learner_activities(self, class_code: str, learner: str) -> set[str]:
        """The store activities (parts included, e.g. 'legislation.ranking') this learner has answered."""
        _check_key("class_code", class_code)
        _check_key("learner", learner)
        query = (sa.select(_current.c.activity).distinct()
                 .where(_current.c.class_code == class_code, _current.c.learner == learner))
        with self._transaction(write=False) as conn:
            return set(conn.execute(query).scalars())

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._url.get_backend_name()

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
                 "display_name": name or "", "answer": json.loads(text), "updated_at": _as_utc(at)}
                for a, item, learner, name, text, at in rows]

    def display_names(self, class_code: str) -> dict[str, str]:
        """Display names set in a class, as {learner: display_name}."""
        _check_key("class_code", class_code)
        query = (sa.select(_learners.c.learner, _learners.c.display_name)
                 .where(_learners.c.class_code == class_code,
                        _learners.c.display_name.is_not(None))
                 .order_by(_learners.c.learner))
        with self._transaction(write=False) as conn:
            return {learner: name for learner, name in conn.execute(query).all()}

    def warm(self) -> bool:
        """Connect and make sure the tables exist now rather than on first use; False if unreachable."""
        try:
            with self._transaction(write=False) as conn:
                conn.execute(sa.text("SELECT 1"))
        except StoreUnavailable:
            return False
        return True

    def close(self) -> None:
        """Close all pooled connections; the store reconnects if used again."""
        with self._lock:
            engine, self._engine = self._engine, None
            self._ready = False  # re-check the schema on reopen: the file may have been replaced
        if engine is not None:
            engine.dispose()

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        """One transaction; database failures become StoreUnavailable."""
        engine = self._ready_engine()
        try:
            with engine.connect() as conn:
                if write:
                    conn.execution_options(lk_write=True)
                with conn.begin():
                    yield conn
        except (DBAPIError, PoolTimeoutError) as exc:
            self._after_failure(exc)
            raise StoreUnavailable(_reason(exc)) from exc

    def _ready_engine(self) -> Engine:
        """The engine, created and the schema ensured on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = self._create_engine()
            engine = self._engine
            if not self._ready:
                try:
                    self._create_schema(engine)
                except (DBAPIError, PoolTimeoutError) as exc:
                    self._after_failure(exc)
                    raise StoreUnavailable(_reason(exc)) from exc
                self._ready = True
        return engine

    def _create_engine(self) -> Engine:
        url = self._url
        if url.get_backend_name() == "sqlite":
            path = url.database
            if path and path != ":memory:" and not path.startswith("file:"):
                try:
                    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                except OSError as exc:
                    raise StoreUnavailable(
                        "the class store file could not be created "
                        f"({exc.strerror or exc.__class__.__name__})") from exc
            engine = sa.create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        connect_args: dict[str, Any] = {}
        # Fail in seconds, not minutes, when the server is unreachable: the learner sees "Not saved".
        if "connect_timeout" not in url.query:
            connect_args["connect_timeout"] = 10
        if "application_name" not in url.query:
            connect_args["application_name"] = "lessonkit"
        # One small pool per kernel (see DEFAULT_POOL_SIZE); pre-ping replaces connections a server
        # restart killed; a checkout that finds the pool in use waits pool_timeout, then "Not saved".
        return sa.create_engine(
            url, pool_pre_ping=True, pool_size=self._pool_size, max_overflow=self._max_overflow,
            pool_timeout=10, pool_recycle=1800, connect_args=connect_args,
        )

    def _create_schema(self, engine: Engine) -> None:
        for attempt in (1, 2):
            try:
                with engine.connect() as conn:
                    conn.execution_options(lk_write=True)  # BEGIN IMMEDIATE on SQLite
                    with conn.begin():
                        if conn.dialect.name == "postgresql":
                            # Serialise concurrent first starts; CREATE TABLE races otherwise.
                            conn.execute(sa.text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), 0)"),
                                         {"ns": _PG_LOCK_NS})
                        _metadata.create_all(conn)
                return
            except DBAPIError as exc:
                # Another process created the tables between our check and our CREATE.
                if attempt == 1 and _is_already_exists(exc):
                    continue
                raise

    def _after_failure(self, exc: Exception) -> None:
        if isinstance(exc, DBAPIError) and _is_missing_table(exc):
            self._ready = False  # tables dropped or file replaced under us: recreate on next call
        # Drop pooled connections after a connection-level failure so the next call reconnects.
        if isinstance(exc, DBAPIError) and (
                exc.connection_invalidated or isinstance(exc, (sa.exc.OperationalError,
                                                               sa.exc.InterfaceError))):
            engine = self._engine
            if engine is not None:
                engine.dispose()


def _pool_setting(name: str, value: int | None, env: str, default: int, minimum: int) -> int:
    """A pool size: the argument, else the environment variable, else the default."""
    source = name
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        source = env
        try:
            value = int(raw)
        except ValueError:
            value = raw  # refused just below, named as it was given
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{source} must be a whole number >= {minimum}, got {value!r}")
    return value


def _lock_query(class_code: str, activity: str) -> Any:
    return (sa.select(_locks.c.activity)
            .where(_locks.c.class_code == class_code, _locks.c.activity == activity_root(activity)))


def _parse_url(url: str) -> URL:
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"store URL must be a non-empty str, got {url!r}")
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {_mask(url)!r} (expected sqlite:///path "
                         "or postgresql+psycopg://user:password@host:port/db)") from exc
    driver = parsed.drivername
    if driver in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif driver not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ValueError(f"unsupported database {driver!r} in {_mask(url)!r}: use sqlite:///path "
                         "or postgresql+psycopg://user:password@host:port/db")
    return parsed


def _mask(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Stop pysqlite from issuing its own (deferred) BEGIN; _sqlite_on_begin emits ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=30000")  # before journal_mode, which may wait for a lock
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A deferred read that upgrades to a write fails at once with "database is locked" (the
    # busy handler is not used), so writers take the write lock up front. Reads stay deferred so
    # polling boards never queue behind each other.
    if conn.get_execution_options().get("lk_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _dialect_insert(dialect_name: str) -> Any:
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _upsert_current(dialect_name: str) -> Any:
    insert = _dialect_insert(dialect_name)(_current)
    return insert.on_conflict_do_update(
        index_elements=["class_code", "activity", "learner", "item"],
        set_={"answer": insert.excluded.answer, "updated_at": insert.excluded.updated_at},
    )


def _is_already_exists(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "already exists" in text or "duplicate key" in text or "unique" in text


def _is_missing_table(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _reason(exc: BaseException) -> str:
    """A short, human reason for a database failure, fit for "Not saved: <reason>"."""
    if isinstance(exc, PoolTimeoutError):
        return "the class store is busy (no free connection); please try again"
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in text or "busy" in text:
        return "the class store is busy; please try again"
    if "disk is full" in text or "no space" in text:
        return "the class store is out of disk space"
    if "readonly" in text or "read-only" in text:
        return "the class store is read-only"
    if "unable to open database file" in text:
        return "the class store file could not be opened"
    if isinstance(exc, DBAPIError) and _is_missing_table(exc):
        return "the class store was reset; please try again"
    if "not a database" in text or "malformed" in text:
        return "the class store file is damaged"
    if "password authentication failed" in text or "authentication" in text:
        return "the class store refused the login"
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return "the class store could not be reached"
    return "the class store could not save or read answers"


def _check_text(name: str, value: str) -> None:
    if "\x00" in value:
        raise ValueError(f"{name} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{name} is not valid Unicode text ({exc.reason})") from None


def _check_key(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > MAX_KEY_CHARS:
        raise ValueError(f"{name} is {len(value)} characters; the limit is {MAX_KEY_CHARS}")
    _check_text(name, value)


def _encode(item: str, answer: Any) -> str:
    try:
        _check_keys_are_str(answer)
        # ensure_ascii=False so the length limit counts characters, not \\uXXXX escapes.
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(
            f"answer for item {item!r} must be JSON data (str, number, bool, None, list, dict): "
            f"{exc}") from None
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(
            f"answer for item {item!r} is {len(text)} characters as JSON; "
            f"the limit is {MAX_ANSWER_CHARS}")
    _check_text(f"answer for item {item!r}", text)
    return text


def _check_keys_are_str(value: Any) -> None:
    # json.dumps turns {1: x} into {"1": x}; the restored answer would not equal the submitted one.
    if isinstance(value, dict):
        for key, inner in value.items():
            if not isinstance(key, str):
                raise TypeError(f"dict keys must be str, got {type(key).__name__} {key!r}")
            _check_keys_are_str(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            _check_keys_are_str(inner)


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; we only ever store UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
