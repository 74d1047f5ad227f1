"""ResponseStore on a real PostgreSQL server only: time zones, the pool, killed connections, logins, commit order.

LESSONKIT_TEST_PG names the server (`bash .ci/pg-setup.sh` prints one). What both backends share is in
test_store.py, run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from lessonkit.errors import StoreUnavailable
from lessonkit.service import open_store
from lessonkit.settings import process_settings
from lessonkit.store import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, ResponseStore

pytestmark = pytest.mark.postgres

def _with_query(url: str, **params: str) -> str:
    return sa.make_url(url).update_query_dict(params).render_as_string(hide_password=False)


def test_timestamps_are_utc_whatever_the_session_time_zone(pg_clean):
    store = ResponseStore(_with_query(pg_clean, options="-c TimeZone=Asia/Tokyo"))
    try:
        stamp = store.submit("c1", "a1", "ann", "q1", 1)
        (answer,) = store.current("c1", "a1")
        assert answer.updated_at == stamp
        assert answer.updated_at.tzinfo is timezone.utc
        assert abs(datetime.now(timezone.utc) - stamp) < timedelta(minutes=1)
    finally:
        store.close()


def test_pool_is_one_connection_per_kernel_and_pre_pinged(pg_store):
    pg_store.version("c1", "a1")
    engine = pg_store._ready_engine()
    assert engine.dialect.driver == "psycopg"
    assert (engine.pool.size(), engine.pool._max_overflow) == (DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW) == (1, 0)
    assert engine.pool._pre_ping is True
    assert engine.pool._recycle == 1800
    assert engine.pool._timeout == 10


def test_pool_size_comes_from_the_argument_else_the_environment(pg_clean, monkeypatch):
    monkeypatch.setenv("LESSONKIT_DB_POOL_SIZE", "3")
    monkeypatch.setenv("LESSONKIT_DB_MAX_OVERFLOW", "2")
    settings = process_settings()   # the edge reads the environment; the store is handed its settings
    for store, expected in ((ResponseStore.for_settings(settings, pg_clean), (3, 2)),
                            (open_store(pg_clean, settings=settings), (3, 2)),
                            (ResponseStore(pg_clean), (1, 0)),   # the store itself reads no variable
                            (ResponseStore(pg_clean, pool_size=2, max_overflow=0), (2, 0))):
        try:
            store.version("c1", "a1")
            pool = store._ready_engine().pool
            assert (pool.size(), pool._max_overflow) == expected
        finally:
            store.close()


def _backends(engine: sa.Engine, app: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
                            {"a": app}).scalar()


def test_a_store_holds_few_connections_and_recovers_when_they_are_killed(pg_clean, pg_engine):
    app = f"lk_test_{uuid.uuid4().hex[:8]}"
    store = ResponseStore(_with_query(pg_clean, application_name=app))
    try:
        for i in range(30):
            store.submit("c1", "a1", f"l{i % 5}", "q1", i)
            store.version("c1", "a1")
        assert 1 <= _backends(pg_engine, app) <= 2

        with pg_engine.connect() as conn:  # what a server restart does to pooled connections
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = :a"), {"a": app})
        store.submit("c1", "a1", "ann", "q1", "after")
        assert store.answers_for("c1", "a1", "ann") == {"q1": "after"}
    finally:
        store.close()
    assert _backends(pg_engine, app) == 0


def test_plain_postgresql_scheme_works(pg_clean):
    url = sa.make_url(pg_clean).set(drivername="postgresql").render_as_string(hide_password=False)
    store = ResponseStore(url)
    try:
        store.submit("c1", "a1", "ann", "q1", 1)
        assert store.answers_for("c1", "a1", "ann") == {"q1": 1}
        assert store.url.startswith("postgresql+psycopg://")
        assert "***" in store.url
    finally:
        store.close()


def test_wrong_password_is_store_unavailable(pg_url):
    store = ResponseStore(sa.make_url(pg_url).set(password="wrong-password")
                          .render_as_string(hide_password=False))
    with pytest.raises(StoreUnavailable) as info:
        store.version("c1", "a1")
    assert str(info.value) == "the class store refused the login"
    assert "wrong-password" not in repr(store)
    store.close()


def test_version_never_hides_a_committed_change(pg_store, pg_engine):
    """A board polling version() must not miss a submission that commits after a later-id one.

    Sequence ids are taken at INSERT time but become visible at COMMIT, so without ordering a slow
    transaction (id n) can commit after a fast one (id n+1): the board has already seen max id n+1
    and the slow change would stay hidden until the next submission.
    """
    import threading
    import time

    pg_store.submit("c1", "a1", "ann", "q1", "before")
    pg_store.submit("c1", "a1", "bob", "q1", "before")
    fn = f"lk_test_slow_{uuid.uuid4().hex[:8]}"
    with pg_engine.begin() as conn:
        conn.execute(sa.text(
            f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.learner = 'ann' THEN PERFORM pg_sleep(1.5); END IF; RETURN NEW; END $$"))
        conn.execute(sa.text(
            f"CREATE TRIGGER slow BEFORE INSERT ON lk_history FOR EACH ROW EXECUTE FUNCTION {fn}()"))
    try:
        slow = threading.Thread(target=pg_store.submit, args=("c1", "a1", "ann", "q1", "slow"))
        slow.start()
        time.sleep(0.4)  # ann's transaction now holds its history id and sleeps before commit
        other = ResponseStore(pg_store._url.render_as_string(hide_password=False))
        try:
            other.submit("c1", "a1", "bob", "q1", "fast")
            seen_version = other.version("c1", "a1")
            seen = {a.learner: a.answer for a in other.current("c1", "a1")}
        finally:
            other.close()
        slow.join()
    finally:
        with pg_engine.begin() as conn:
            conn.execute(sa.text(f"DROP FUNCTION {fn}() CASCADE"))
    final = {a.learner: a.answer for a in pg_store.current("c1", "a1")}
    assert final == {"ann": "slow", "bob": "fast"}
    # either the board already saw everything, or the version it polls next has moved on
    assert seen == final or pg_store.version("c1", "a1") != seen_version

