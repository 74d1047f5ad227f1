"""Opening the database: the URL, the pool, SQLite's locking rules, and failures in words a learner can read."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ..errors import StoreUnavailable
from .tables import _current

__all__ = ["DEFAULT_POOL_SIZE", "DEFAULT_MAX_OVERFLOW", "POOL_SIZE_ENV", "MAX_OVERFLOW_ENV", "create_engine",
           "pool_sizes"]

# PostgreSQL connections per store, i.e. per kernel. A kernel is single-threaded (boards poll on its
# asyncio loop, between widget callbacks), so it never needs two connections at once: 60 kernels hold
# 60 connections, well under PostgreSQL's default max_connections=100. docs/jupyterhub.md explains.
DEFAULT_POOL_SIZE = 1
DEFAULT_MAX_OVERFLOW = 0
POOL_SIZE_ENV = "LESSONKIT_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "LESSONKIT_DB_MAX_OVERFLOW"

# Namespace for PostgreSQL advisory locks, so ours never collide with another application's.
_PG_LOCK_NS = 0x6C6B  # "lk"


def _pool_setting(name: str, value: int | None, default: int, minimum: int) -> int:
    """A pool size: the argument, else the default."""
    if value is None:
        return default
    return _checked(name, value, minimum)


def pool_sizes(pool_size: str = "", max_overflow: str = "") -> dict[str, int]:
    """The pool sizes given as text (Settings.db_pool_size and db_max_overflow, read from $LESSONKIT_DB_POOL_SIZE
    and $LESSONKIT_DB_MAX_OVERFLOW), as ResponseStore's keyword arguments: blank means the default, and a
    value that is not a whole number of at least the minimum is refused, named by its variable."""
    return {"pool_size": _pool_text(POOL_SIZE_ENV, pool_size, DEFAULT_POOL_SIZE, 1),
            "max_overflow": _pool_text(MAX_OVERFLOW_ENV, max_overflow, DEFAULT_MAX_OVERFLOW, 0)}


def _pool_text(env: str, text: str, default: int, minimum: int) -> int:
    raw = (text or "").strip()
    if not raw:
        return default
    given: object
    try:
        given = int(raw)
    except ValueError:
        given = raw  # refused just below, named as it was given
    return _checked(env, given, minimum)


def _checked(source: str, given: object, minimum: int) -> int:
    if not isinstance(given, int) or isinstance(given, bool) or given < minimum:
        raise ValueError(f"{source} must be a whole number >= {minimum}, got {given!r}")
    return given


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
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


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


def create_engine(url: URL, pool_size: int, max_overflow: int) -> Engine:
    """An engine for `url`: SQLite with its locking rules, or PostgreSQL with one small pre-pinged pool."""
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
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow,
        pool_timeout=10, pool_recycle=1800, connect_args=connect_args,
    )
