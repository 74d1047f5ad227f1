"""ResponseStore on SQLite only: its locking (WAL, BEGIN IMMEDIATE, busy_timeout), its files and its failures.

What both backends share is in test_store.py, run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from lessonkit.errors import StoreUnavailable
from lessonkit.settings import process_settings
from lessonkit.store import ResponseStore
from tests.store._checks import assert_human

REPO = Path(__file__).resolve().parents[2]


def _db_path(store: ResponseStore) -> str:
    return sa.make_url(store.url).database


def _raw(store: ResponseStore) -> sqlite3.Connection:
    """A plain sqlite3 connection to the store's file, to check what really is on disk."""
    return sqlite3.connect(_db_path(store), isolation_level=None, timeout=30)


# -- SQLite configuration ---------------------------------------------------------------------


def test_wal_mode_is_on(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", 1)
    with _raw(sqlite_store) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_queries_use_indexes(sqlite_store):
    sqlite_store.version("c1", "a1")  # creates the schema
    with _raw(sqlite_store) as raw:
        history_plan = " ".join(r[-1] for r in raw.execute(
            "EXPLAIN QUERY PLAN SELECT max(id) FROM lk_history "
            "WHERE class_code = 'c1' AND activity = 'a1'"))
        current_plan = " ".join(r[-1] for r in raw.execute(
            "EXPLAIN QUERY PLAN SELECT learner, item, answer FROM lk_current "
            "WHERE class_code = 'c1' AND activity = 'a1'"))
    assert "ix_lk_history_class_activity" in history_plan
    assert "USING INDEX" in current_plan and "SCAN lk_current" not in current_plan


def _hold_write_lock(store: ResponseStore, seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Another connection takes SQLite's write lock (BEGIN IMMEDIATE) and keeps it for `seconds`."""
    locked = threading.Event()

    def hold() -> None:
        raw = _raw(store)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO lk_learners VALUES ('c1', 'holder', 'H', '2024-01-01 00:00:00')")
        locked.set()
        time.sleep(seconds)
        raw.execute("COMMIT")
        raw.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(10)
    return thread, locked


def test_writer_waits_for_the_write_lock_instead_of_failing(sqlite_store):
    sqlite_store.version("c1", "a1")
    thread, _ = _hold_write_lock(sqlite_store, 1.5)
    start = time.perf_counter()
    sqlite_store.submit("c1", "a1", "ann", "q1", "waited")
    waited = time.perf_counter() - start
    thread.join()
    assert waited >= 1.0  # it really waited for the other writer (busy_timeout) ...
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "waited"}  # ... and then saved
    assert sqlite_store.display_names("c1") == {"holder": "H"}


def test_a_write_held_up_past_its_deadline_is_rolled_back(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", "first")

    def held_up(seconds: float, write) -> float:
        """Run `write` while another connection holds SQLite's write lock for `seconds`; how long it took."""
        raw = sqlite3.connect(_db_path(sqlite_store), isolation_level=None, timeout=30, check_same_thread=False)
        raw.execute("BEGIN IMMEDIATE")
        releaser = threading.Timer(seconds, lambda: raw.execute("COMMIT"))
        releaser.start()
        start = time.monotonic()
        try:
            with pytest.raises(StoreUnavailable, match="did not answer in time"):
                write(start)
            return time.monotonic() - start
        finally:
            releaser.join()
            raw.close()

    took = held_up(1.5, lambda t: sqlite_store.submit_many("c1", "a1", "ann", {"q1": "late", "q2": "late"},
                                                           deadline=t + 0.5))
    assert took >= 1.0     # it waited for the lock, wrote, found itself late and rolled back
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "first"}
    assert list(sqlite_store.history("c1")["answer"]) == ["first"]
    held_up(1.0, lambda t: sqlite_store.set_display_name("c1", "ann", "Ann", deadline=t + 0.3))
    held_up(1.0, lambda t: sqlite_store.join("c1", display_name="Bo", deadline=t + 0.3))
    assert sqlite_store.display_names("c1") == {} and sqlite_store.class_learners("c1") == [("ann", None, 1, 1)]
    sqlite_store.submit("c1", "a1", "ann", "q1", "in time", deadline=time.monotonic() + 5)
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "in time"}
    with pytest.raises(ValueError, match="deadline"):
        sqlite_store.submit("c1", "a1", "ann", "q1", "x", deadline="soon")


def test_readers_do_not_wait_for_a_writer(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", "seen")
    thread, _ = _hold_write_lock(sqlite_store, 3.0)
    try:
        start = time.perf_counter()
        version = sqlite_store.version("c1", "a1")
        current = sqlite_store.current("c1", "a1")
        elapsed = time.perf_counter() - start
    finally:
        thread.join()
    assert elapsed < 1.0
    assert version[0] == 1 and [a.answer for a in current] == ["seen"]


# -- URLs ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is the Linux rule")
def test_default_url_is_in_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSONKIT_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "lessonkit" / "responses.db"

    store = ResponseStore()
    try:
        assert store.url == f"sqlite:///{expected}"
        assert not expected.parent.exists()  # nothing is touched before first use
        store.submit("c1", "a1", "ann", "q1", "saved")
        assert expected.is_file()
        assert not expected.resolve().is_relative_to(REPO)
    finally:
        store.close()
    with sqlite3.connect(expected) as raw:
        assert raw.execute("SELECT answer FROM lk_current").fetchall() == [('"saved"',)]


def test_default_url_asks_platformdirs(tmp_path, monkeypatch):
    import platformdirs

    calls = []

    def fake_user_data_dir(appname=None, *args, **kwargs):
        calls.append(appname)
        return str(tmp_path / "pd")

    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{tmp_path / 'elsewhere.db'}")   # read at the edge, not here
    monkeypatch.setattr(platformdirs, "user_data_dir", fake_user_data_dir)
    store = ResponseStore()
    assert calls == ["lessonkit"]
    assert store.url == f"sqlite:///{tmp_path / 'pd' / 'responses.db'}"


def test_lessonkit_db_env_is_honoured_and_an_argument_beats_it(tmp_path, monkeypatch):
    env_db = tmp_path / "from-env" / "class.db"
    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{env_db}")
    store = ResponseStore.for_settings(process_settings())   # the edge reads it; the store is handed it
    store.submit("c1", "a1", "ann", "q1", 1)
    store.close()
    assert store.url == f"sqlite:///{env_db}" and env_db.is_file()

    arg_db = tmp_path / "arg.db"
    store = ResponseStore.for_settings(process_settings(), f"sqlite:///{arg_db}")
    store.submit("c1", "a1", "ann", "q1", 2)
    store.close()
    assert arg_db.is_file()
    with sqlite3.connect(env_db) as raw:
        assert raw.execute("SELECT answer FROM lk_current").fetchall() == [("1",)]


# -- failures ---------------------------------------------------------------------------------


def test_unreachable_sqlite_directory_raises_store_unavailable_then_recovers(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's directory should be")
    store = ResponseStore(f"sqlite:///{blocker / 'sub' / 'responses.db'}")
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    assert_human(info.value)
    with pytest.raises(StoreUnavailable):
        store.answers_for("c1", "a1", "ann")

    blocker.unlink()  # the "database" comes back: the next call must work
    store.submit("c1", "a1", "ann", "q1", 2)
    assert store.answers_for("c1", "a1", "ann") == {"q1": 2}
    store.close()


def test_unopenable_sqlite_file_raises_store_unavailable(tmp_path):
    target = tmp_path / "is-a-dir.db"
    target.mkdir()
    store = ResponseStore(f"sqlite:///{target}")
    with pytest.raises(StoreUnavailable) as info:
        store.version("c1", "a1")
    assert_human(info.value)
    assert isinstance(info.value.__cause__, sa.exc.DBAPIError)


def test_damaged_sqlite_file_raises_store_unavailable(tmp_path):
    target = tmp_path / "damaged.db"
    target.write_bytes(b"this is not a database " * 200)
    store = ResponseStore(f"sqlite:///{target}")
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    assert_human(info.value)
    assert str(info.value) == "the class store file is damaged"


def test_in_memory_store_works_in_one_thread():
    store = ResponseStore("sqlite://")
    store.submit("c1", "a1", "ann", "q1", [1])
    assert store.answers_for("c1", "a1", "ann") == {"q1": [1]}
    store.close()

