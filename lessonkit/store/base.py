"""The store's plumbing: opening it, one transaction at a time, and bringing its schema up to date."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ..errors import StoreNeedsUpgrade, StoreTooNew, StoreUnavailable
from .engine import (
    _PG_LOCK_NS,
    DEFAULT_MAX_OVERFLOW,
    DEFAULT_POOL_SIZE,
    _is_already_exists,
    _is_missing_table,
    _parse_url,
    _pool_setting,
    _reason,
    create_engine,
)
from .state import _check_legacy, _missing_tables, _schema_state
from .tables import _LEGACY, _LEGACY_REVISION, SCHEMA_REVISION, _metadata


class StoreBase:
    """A store's connection to its database (ResponseStore adds what learners and the trainer ask of it)."""

    def __init__(self, url: str | None = None, *, pool_size: int | None = None,
                 max_overflow: int | None = None, upgrade: bool = False) -> None:
        """Open a store at ``url``, else a SQLite file in the user data dir (ResponseStore.for_settings:
        the store a Settings names, LESSONKIT_DB).

        PostgreSQL connections per store (one store per kernel): ``pool_size`` kept open, plus up to
        ``max_overflow`` more while busy; else 1 and 0 (ResponseStore.for_settings: LESSONKIT_DB_POOL_SIZE and
        LESSONKIT_DB_MAX_OVERFLOW).

        ``upgrade=True`` (``lessonkit serve`` and the trainer's commands): a store made by an earlier
        lessonkit is migrated when first used (SQLite: after a dated backup copy beside the file). Without
        it (learners' kernels) such a store is refused with StoreNeedsUpgrade and left as it is. A new,
        empty store is created either way; a store from a newer lessonkit is always refused (StoreTooNew).
        """
        self._upgrade = upgrade
        self.upgraded: tuple[str | None, str] | None = None   # (from, to) once this store migrated one
        self.backup_path: str | None = None                    # the SQLite copy made before that
        self.recognised_legacy = False                         # an unstamped 0.1.0 store was stamped 0001
        self._pool_size = _pool_setting("pool_size", pool_size, DEFAULT_POOL_SIZE, 1)
        self._max_overflow = _pool_setting("max_overflow", max_overflow, DEFAULT_MAX_OVERFLOW, 0)
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

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._url.get_backend_name()

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the store to this lessonkit's schema now: (revision before, revision after).

        The revision before is None for a new store and "0001" for a lessonkit 0.1.0 store (recognised
        by its tables); the two are equal when there was nothing to do.
        """
        with self._lock:
            self._upgrade = True
            self._ready = False
            self.upgraded = None
        self._ready_engine()
        return self.upgraded or (SCHEMA_REVISION, SCHEMA_REVISION)

    def schema_revision(self) -> str | None:
        """The schema revision the store records ("0001" for an unstamped 0.1.0 store; None if empty)."""
        engine = self._engine or self._create_engine()
        try:
            with engine.connect() as conn, conn.begin():
                state = _schema_state(conn)
        except (DBAPIError, PoolTimeoutError) as exc:
            raise StoreUnavailable(_reason(exc)) from exc
        finally:
            if engine is not self._engine:
                engine.dispose()
        return _LEGACY_REVISION if state == _LEGACY else state

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
        return create_engine(self._url, self._pool_size, self._max_overflow)

    def _create_schema(self, engine: Engine) -> None:
        """Make sure the store has this lessonkit's schema: nothing to do (one read), create, or migrate."""
        with engine.connect() as conn, conn.begin():
            if _schema_state(conn) == SCHEMA_REVISION and not _missing_tables(conn):
                return   # the usual case: no write lock, no Alembic
        for attempt in (1, 2):
            try:
                with engine.connect() as conn:
                    conn.execution_options(lk_write=True)  # BEGIN IMMEDIATE on SQLite: one upgrader at a time
                    with conn.begin():
                        if conn.dialect.name == "postgresql":
                            # Serialise concurrent first starts and upgrades; DDL races otherwise.
                            conn.execute(sa.text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), 0)"),
                                         {"ns": _PG_LOCK_NS})
                        self._migrate(conn, _schema_state(conn))   # read again: another process may have won
                return
            except DBAPIError as exc:
                # Another process created the tables between our check and our CREATE.
                if attempt == 1 and _is_already_exists(exc):
                    continue
                raise

    def _migrate(self, conn: Connection, state: str | None) -> None:
        """Inside the write lock: create an empty store, or upgrade an older one (when allowed)."""
        if state == SCHEMA_REVISION:
            # Up to date, but a table was dropped under us (e.g. by hand): put it back, empty.
            _metadata.create_all(conn, tables=[_metadata.tables[name] for name in _missing_tables(conn)])
            return
        from .. import migrate
        from ..version import __version__

        known = migrate.revisions()
        if state not in (None, _LEGACY) and state not in known:
            raise StoreTooNew(
                f"the class store has schema revision {state}, from a newer lessonkit than this one "
                f"({__version__}, which knows revisions up to {SCHEMA_REVISION}); nothing was read or written. "
                "Install the newer lessonkit to use this store")
        before = _LEGACY_REVISION if state == _LEGACY else state
        if state == _LEGACY and before == SCHEMA_REVISION and not self._upgrade:
            return   # a 0.1.0 store already has this schema; only an upgrading process stamps it
        if state is not None and not self._upgrade:
            raise StoreNeedsUpgrade(
                f"the class store was made by an earlier lessonkit (schema revision {before}; this one needs "
                f"{SCHEMA_REVISION}). The trainer upgrades it by starting lessonkit serve, or with: "
                "lessonkit upgrade --db URL")
        if state == _LEGACY:
            _check_legacy(conn)
            if known.index(_LEGACY_REVISION) < known.index(SCHEMA_REVISION):
                self._backup(conn)
            migrate.stamp(conn, _LEGACY_REVISION)   # recognised, nothing rewritten
            self.recognised_legacy = True
        elif state is not None:
            self._backup(conn)
        migrate.upgrade(conn, SCHEMA_REVISION)
        self.upgraded = (before, SCHEMA_REVISION)

    def _backup(self, conn: Connection) -> None:
        """A dated copy of a SQLite store beside it, before its tables change (PostgreSQL: the transaction)."""
        path = self._url.database if conn.dialect.name == "sqlite" else None
        if not path or path == ":memory:" or path.startswith("file:"):
            return
        import sqlite3

        stem, suffix = os.path.splitext(os.path.abspath(path))
        target = f"{stem}-before-upgrade-{datetime.now():%Y%m%d-%H%M%S}{suffix or '.db'}"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)   # answers are personal data
        os.close(fd)
        # A second connection reads the store as it is: we hold its write lock but have written nothing yet.
        source, copy = sqlite3.connect(os.path.abspath(path), timeout=30), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        self.backup_path = target

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

