"""What a learner's page asks of the store: answers, names, sessions, locks and the pace to follow."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import ActivityLocked, StoreUnavailable
from ..records import NO_PACE, Answer, Pace, account_hash, activity_root, token_hash
from .base import StoreBase
from .checks import _as_utc, _check_deadline, _check_key, _checked_name, _encode, _in_time, _shown_name
from .engine import _PG_LOCK_NS, _dialect_insert, _upsert_current
from .tables import _accounts, _current, _history, _learners, _lock_query, _locks, _pace, _sessions


class LearnerOps(StoreBase):
    """The store's methods a learner's page uses (lessonkit.protocols.LearnerStore)."""

    # -- writing ---------------------------------------------------------------------------

    def submit(self, class_code: str, activity: str, learner: str, item: str, answer: Any, *,
               force: bool = False, deadline: float | None = None) -> datetime:
        """Save one answer (replacing this learner's earlier one) and return its UTC timestamp."""
        _check_key("item", item)  # before it becomes a dict key: a list item would be a TypeError
        return self.submit_many(class_code, activity, learner, {item: answer}, force=force, deadline=deadline)

    def submit_many(self, class_code: str, activity: str, learner: str,
                    answers: Mapping[str, Any], *, force: bool = False, deadline: float | None = None) -> datetime:
        """Save several answers in one transaction and return their shared UTC timestamp.

        Raises ActivityLocked (an AnswerRejected) while the trainer has the activity locked, checked
        in the same transaction as the write; `force=True` is for the trainer's own records.

        `deadline` (a time.monotonic() value; the store service passes the one the learner's kernel set):
        a write not done by then is rolled back and StoreUnavailable(TOO_LATE) raised, so an answer the
        learner was told was not saved never turns up later. It is checked once the write holds its locks,
        as the last step before the commit.
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
        _check_deadline(deadline)
        _in_time(deadline)
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
            _in_time(deadline)   # the last step before the commit: too late means rolled back, never saved
        return now

    def set_display_name(self, class_code: str, learner: str, display_name: str | None, *,
                         deadline: float | None = None) -> None:
        """Set a learner's display name for a class; None or a blank name clears it. Direction and control
        characters are taken out (see identity.showable). `deadline` as for submit_many."""
        _check_key("class_code", class_code)
        _check_key("learner", learner)
        display_name = _checked_name(display_name)
        _check_deadline(deadline)
        _in_time(deadline)
        with self._transaction(write=True) as conn:
            self._put_name(conn, class_code, learner, display_name)
            _in_time(deadline)

    def _put_name(self, conn: Connection, class_code: str, learner: str, display_name: str | None) -> None:
        row = {"class_code": class_code, "learner": learner, "display_name": display_name,
               "updated_at": datetime.now(timezone.utc)}
        insert = _dialect_insert(conn.dialect.name)(_learners).values(row)
        conn.execute(insert.on_conflict_do_update(
            index_elements=["class_code", "learner"],
            set_={"display_name": insert.excluded.display_name, "updated_at": insert.excluded.updated_at},
        ))

    # -- learner sessions ------------------------------------------------------------------

    def join(self, class_code: str, *, learner: str | None = None,
             display_name: str | None = None, deadline: float | None = None) -> tuple[str, str]:
        """A new learner in a class with a session: (learner id, secret token for their browser).

        `learner` is the made-up id the join form offered: it is used if it has the pseudonym shape and
        nobody in the class has it yet, else a fresh one is picked. Only the token's hash is stored.
        `deadline` as for submit_many.
        """
        import secrets

        from ..identity import new_learner_id, valid_learner_id

        _check_key("class_code", class_code)
        display_name = _checked_name(display_name)
        _check_deadline(deadline)
        _in_time(deadline)
        token = secrets.token_urlsafe(32)   # 256 random bits
        with self._transaction(write=True) as conn:
            candidate = learner if learner and valid_learner_id(learner) else new_learner_id()
            for _ in range(200):
                if not self._learner_taken(conn, class_code, candidate):
                    break
                candidate = new_learner_id()
            else:
                raise StoreUnavailable("no made-up name is free in this class; ask your trainer")
            conn.execute(_sessions.insert().values(token_hash=token_hash(token), class_code=class_code,
                                                   learner=candidate, created_at=datetime.now(timezone.utc)))
            self._put_name(conn, class_code, candidate, display_name)
            _in_time(deadline)
        return candidate, token

    def join_account(self, class_code: str, account: str, *, display_name: str | None = None) -> str:
        """The learner a signed-in account (a JupyterHub login) is in a class: the same one every time,
        and never one another account has. The first time, a made-up id nobody in the class has is chosen.

        The account is stored only as a hash; `display_name`, when given, is set for a new learner.
        """
        from ..identity import learner_id_for, new_learner_id

        _check_key("class_code", class_code)
        if not isinstance(account, str) or not account.strip():
            raise ValueError("account must be a non-empty login name")
        display_name = _checked_name(display_name)
        key = account_hash(class_code, account)
        query = sa.select(_accounts.c.learner).where(_accounts.c.class_code == class_code,
                                                     _accounts.c.account_hash == key)
        with self._transaction(write=False) as conn:
            found = conn.execute(query).scalar()
        if found is not None:
            return found
        candidate = learner_id_for(account)   # usually free: then the same login gets the same label anywhere
        for _ in range(50):
            try:
                with self._transaction(write=True) as conn:
                    found = conn.execute(query).scalar()   # the same login in another kernel, just now
                    if found is not None:
                        return found
                    if self._learner_taken(conn, class_code, candidate):
                        candidate = new_learner_id()
                        continue
                    conn.execute(_accounts.insert().values(class_code=class_code, account_hash=key,
                                                           learner=candidate, created_at=datetime.now(timezone.utc)))
                    self._put_name(conn, class_code, candidate, display_name)
                return candidate
            except sa.exc.IntegrityError:   # another login took this id (or this login was added) meanwhile
                candidate = new_learner_id()
        raise StoreUnavailable("no made-up name is free in this class; ask your trainer")

    def session(self, token: str) -> tuple[str, str] | None:
        """(class code, learner id) of a live session token, else None."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        query = (sa.select(_sessions.c.class_code, _sessions.c.learner)
                 .where(_sessions.c.token_hash == token_hash(token)))
        with self._transaction(write=False) as conn:
            row = conn.execute(query).first()
        return (row[0], row[1]) if row is not None else None

    def end_session(self, token: str) -> None:
        """End a session (the learner left on a shared computer): its token grants nothing any more."""
        if not isinstance(token, str) or not token:
            return
        with self._transaction(write=True) as conn:
            conn.execute(_sessions.delete().where(_sessions.c.token_hash == token_hash(token)))

    def free_learner_id(self, class_code: str) -> str:
        """A made-up learner id nobody in the class has yet (what the join form offers)."""
        from ..identity import new_learner_id

        _check_key("class_code", class_code)
        with self._transaction(write=False) as conn:
            for _ in range(200):
                candidate = new_learner_id()
                if not self._learner_taken(conn, class_code, candidate):
                    return candidate
        return new_learner_id()   # join() picks another if this one is taken by then

    @staticmethod
    def _learner_taken(conn: Connection, class_code: str, learner: str) -> bool:
        for table in (_learners, _sessions, _accounts, _current):
            found = conn.execute(sa.select(sa.literal(1)).select_from(table).where(
                table.c.class_code == class_code, table.c.learner == learner).limit(1)).first()
            if found is not None:
                return True
        return False

    # -- following the trainer's pace -------------------------------------------------------

    def pace(self, class_code: str) -> Pace:
        """Where the trainer has the class (NO_PACE until the trainer first moves it)."""
        _check_key("class_code", class_code)
        query = sa.select(_pace.c.activity, _pace.c.free, _pace.c.seq).where(_pace.c.class_code == class_code)
        with self._transaction(write=False) as conn:
            row = conn.execute(query).first()
        return NO_PACE if row is None else Pace(row[0], bool(row[1]), int(row[2]))

    # -- locks, as a page sees them ----------------------------------------------------------

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

    def learner_activities(self, class_code: str, learner: str) -> set[str]:
        """The store activities (parts included, e.g. 'legislation.ranking') this learner has answered."""
        _check_key("class_code", class_code)
        _check_key("learner", learner)
        query = (sa.select(_current.c.activity).distinct()
                 .where(_current.c.class_code == class_code, _current.c.learner == learner))
        with self._transaction(write=False) as conn:
            return set(conn.execute(query).scalars())

    def display_names(self, class_code: str) -> dict[str, str]:
        """Display names set in a class, as {learner: display_name}; a name an earlier lessonkit stored with
        direction or control characters comes back without them."""
        _check_key("class_code", class_code)
        query = (sa.select(_learners.c.learner, _learners.c.display_name)
                 .where(_learners.c.class_code == class_code,
                        _learners.c.display_name.is_not(None))
                 .order_by(_learners.c.learner))
        with self._transaction(write=False) as conn:
            found = {learner: _shown_name(name) for learner, name in conn.execute(query).all()}
        return {learner: name for learner, name in found.items() if name}
