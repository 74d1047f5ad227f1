"""ResponseStore on SQLite: semantics, validation, configuration and failures."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from lessonkit.errors import StoreUnavailable
from lessonkit.store import Answer, ResponseStore

REPO = Path(__file__).resolve().parents[2]
UNREACHABLE_PG = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/nowhere?connect_timeout=2"

ANSWERS = {
    "text": "Grüße 👋 — 你好 <b>&</b>",
    "int": 42,
    "float": 3.25,
    "yes": True,
    "none": None,
    "list": ["b", "a", 3, [1, 2]],
    "dict": {"rating": 4, "comment": "ça va", "tags": ["x", "y"], "nested": {"ok": False}},
}


def _db_path(store: ResponseStore) -> str:
    return sa.make_url(store.url).database


def _raw(store: ResponseStore) -> sqlite3.Connection:
    """A plain sqlite3 connection to the store's file, to check what really is on disk."""
    return sqlite3.connect(_db_path(store), isolation_level=None, timeout=30)


# -- round trips ----------------------------------------------------------------------------


def test_round_trip_answers_for_current_and_responses(sqlite_store):
    before = datetime.now(timezone.utc)
    stamps = {item: sqlite_store.submit("c1", "a1", "ann", item, answer)
              for item, answer in ANSWERS.items()}
    sqlite_store.submit("c1", "a1", "bob", "text", "hello")

    assert sqlite_store.answers_for("c1", "a1", "ann") == ANSWERS
    assert sqlite_store.answers_for("c1", "a1", "bob") == {"text": "hello"}
    assert sqlite_store.answers_for("c1", "a1", "nobody") == {}

    current = sqlite_store.current("c1", "a1")
    assert [(a.learner, a.item) for a in current] == (
        [("ann", item) for item in sorted(ANSWERS)] + [("bob", "text")])
    for answer in current[:-1]:
        assert isinstance(answer, Answer)
        assert answer.answer == ANSWERS[answer.item]
        assert type(answer.answer) is type(ANSWERS[answer.item])
        assert answer.updated_at == stamps[answer.item]
        assert answer.updated_at.utcoffset() == timedelta(0)
        assert before <= answer.updated_at <= datetime.now(timezone.utc)

    frame = sqlite_store.responses("c1", "a1")
    assert list(frame.columns) == ["learner", "item", "answer", "updated_at"]
    assert len(frame) == len(ANSWERS) + 1
    assert str(frame["updated_at"].dt.tz) == "UTC"
    ann = frame[frame["learner"] == "ann"].set_index("item")
    assert ann.loc["dict", "answer"] == ANSWERS["dict"]
    assert ann.loc["list", "answer"] == ANSWERS["list"]
    assert ann.loc["none", "answer"] is None
    assert ann.loc["text", "answer"] == ANSWERS["text"]
    assert ann.loc["int", "updated_at"].to_pydatetime() == stamps["int"]


def test_answers_are_stored_as_json_text(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q", {"b": [1, "é"]})
    with _raw(sqlite_store) as raw:
        (text,) = raw.execute("SELECT answer FROM lk_current").fetchone()
    assert json.loads(text) == {"b": [1, "é"]}


def test_resubmission_replaces_current_and_history_keeps_both(sqlite_store):
    first = sqlite_store.submit("c1", "a1", "ann", "q1", "first")
    second = sqlite_store.submit("c1", "a1", "ann", "q1", {"second": 2})
    assert second >= first

    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": {"second": 2}}
    assert sqlite_store.current("c1", "a1") == [Answer("ann", "q1", {"second": 2}, second)]

    history = sqlite_store.history("c1", "a1")
    assert list(history.columns) == ["id", "class_code", "activity", "learner", "item", "answer",
                                     "submitted_at"]
    assert history["answer"].tolist() == ["first", {"second": 2}]
    assert history["id"].is_monotonic_increasing and history["id"].is_unique
    assert [t.to_pydatetime() for t in history["submitted_at"]] == [first, second]
    assert set(history["learner"]) == {"ann"} and set(history["item"]) == {"q1"}


def test_submit_many_saves_one_row_per_item_with_one_timestamp(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", "old")
    answers = {"q1": "new", "q2": [1, 2], "q3": {"k": "v"}}
    stamp = sqlite_store.submit_many("c1", "a1", "ann", answers)

    assert sqlite_store.answers_for("c1", "a1", "ann") == answers
    current = sqlite_store.current("c1", "a1")
    assert len(current) == 3
    assert {a.updated_at for a in current} == {stamp}
    history = sqlite_store.history("c1", "a1")
    assert len(history) == 4
    assert history["answer"].tolist()[1:] == ["new", [1, 2], {"k": "v"}]
    assert {t.to_pydatetime() for t in history["submitted_at"][1:]} == {stamp}


def test_submit_many_with_one_invalid_answer_stores_nothing(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", "old")
    with pytest.raises(ValueError, match="q2"):
        sqlite_store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": {1, 2}, "q3": "x"})
    with pytest.raises(ValueError, match="item"):
        sqlite_store.submit_many("c1", "a1", "ann", {"q1": "new", "i" * 65: "x"})
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "old"}
    assert len(sqlite_store.history("c1")) == 1


def test_submit_many_is_one_transaction(sqlite_store):
    """A database failure on the second item rolls back the first too."""
    sqlite_store.submit("c1", "a1", "ann", "q1", "old")
    with _raw(sqlite_store) as raw:
        raw.execute("CREATE TRIGGER boom BEFORE INSERT ON lk_history WHEN NEW.item = 'q2' "
                    "BEGIN SELECT RAISE(ABORT, 'boom'); END")
    with pytest.raises(StoreUnavailable):
        sqlite_store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": 2, "q3": 3})
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "old"}
    assert sqlite_store.history("c1")["answer"].tolist() == ["old"]

    with _raw(sqlite_store) as raw:
        raw.execute("DROP TRIGGER boom")
    sqlite_store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": 2, "q3": 3})
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "new", "q2": 2, "q3": 3}


def test_submit_many_rejects_empty_and_non_mapping(sqlite_store):
    with pytest.raises(ValueError, match="empty"):
        sqlite_store.submit_many("c1", "a1", "ann", {})
    with pytest.raises(ValueError, match="mapping"):
        sqlite_store.submit_many("c1", "a1", "ann", [("q1", 1)])


def test_version_changes_with_each_submission_to_that_activity(sqlite_store):
    assert sqlite_store.version("c1", "a1") == (0, 0)
    sqlite_store.submit("c1", "a1", "ann", "q1", 1)
    v1 = sqlite_store.version("c1", "a1")
    assert v1[0] == 1 and v1[1] > 0
    sqlite_store.submit("c1", "a1", "ann", "q1", 2)  # a resubmission: same row count
    v2 = sqlite_store.version("c1", "a1")
    assert v2[0] == 1 and v2[1] > v1[1]
    sqlite_store.submit("c1", "a1", "bob", "q1", 1)
    v3 = sqlite_store.version("c1", "a1")
    assert v3[0] == 2 and v3[1] > v2[1]
    sqlite_store.submit("c1", "a2", "ann", "q1", 1)
    sqlite_store.submit("c2", "a1", "ann", "q1", 1)
    assert sqlite_store.version("c1", "a1") == v3
    assert sqlite_store.version("c1", "a2")[0] == 1
    assert sqlite_store.version("c9", "a1") == (0, 0)


def test_display_names_set_replace_and_clear(sqlite_store):
    assert sqlite_store.display_names("c1") == {}
    sqlite_store.set_display_name("c1", "ann", "Ann")
    sqlite_store.set_display_name("c1", "bob", "Bob 🙂")
    sqlite_store.set_display_name("c2", "ann", "Other class Ann")
    assert sqlite_store.display_names("c1") == {"ann": "Ann", "bob": "Bob 🙂"}
    sqlite_store.set_display_name("c1", "ann", "Annie")
    sqlite_store.set_display_name("c1", "bob", None)
    assert sqlite_store.display_names("c1") == {"ann": "Annie"}
    sqlite_store.set_display_name("c1", "ann", "   ")  # a blank join-form field clears too
    assert sqlite_store.display_names("c1") == {}
    assert sqlite_store.display_names("c2") == {"ann": "Other class Ann"}

    sqlite_store.set_display_name("c1", "ann", "n" * 60)
    assert sqlite_store.display_names("c1") == {"ann": "n" * 60}
    with pytest.raises(ValueError, match="60"):
        sqlite_store.set_display_name("c1", "ann", "n" * 61)
    with pytest.raises(ValueError, match="display_name"):
        sqlite_store.set_display_name("c1", "ann", 7)
    assert sqlite_store.display_names("c1") == {"ann": "n" * 60}


def test_classes_and_activities_are_isolated(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", "c1a1")
    sqlite_store.submit("c1", "a2", "ann", "q1", "c1a2")
    sqlite_store.submit("c2", "a1", "ann", "q1", "c2a1")

    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": "c1a1"}
    assert sqlite_store.answers_for("c1", "a2", "ann") == {"q1": "c1a2"}
    assert sqlite_store.answers_for("c2", "a1", "ann") == {"q1": "c2a1"}
    assert [a.answer for a in sqlite_store.current("c1", "a1")] == ["c1a1"]
    assert sqlite_store.responses("c2", "a1")["answer"].tolist() == ["c2a1"]
    assert sqlite_store.history("c1")["answer"].tolist() == ["c1a1", "c1a2"]
    assert sqlite_store.history("c1", "a2")["answer"].tolist() == ["c1a2"]
    assert sqlite_store.history("c2")["activity"].tolist() == ["a1"]


def test_empty_results_have_the_documented_columns(sqlite_store):
    assert sqlite_store.current("c1", "a1") == []
    assert list(sqlite_store.responses("c1", "a1").columns) == [
        "learner", "item", "answer", "updated_at"]
    assert list(sqlite_store.history("c1").columns) == [
        "id", "class_code", "activity", "learner", "item", "answer", "submitted_at"]
    assert len(sqlite_store.history("c1")) == 0


# -- validation -----------------------------------------------------------------------------

BAD_SUBMITS = [
    pytest.param(("c1", "a1", "", "q1", 1), "learner must not be empty", id="empty-learner"),
    pytest.param(("c1", "a1", "ann", "i" * 65, 1), "item is 65 characters", id="long-item"),
    pytest.param(("", "a1", "ann", "q1", 1), "class_code", id="empty-class"),
    pytest.param(("c1", None, "ann", "q1", 1), "activity must be a str", id="none-activity"),
    pytest.param(("c1", "a1", 7, "q1", 1), "learner must be a str", id="int-learner"),
    pytest.param(("c1", "a1", "a\x00b", "q1", 1), "NUL", id="nul-learner"),
    pytest.param(("c1", "a1", "ann", ["q1"], 1), "item must be a str", id="list-item"),
    pytest.param(("c1", "a1", "ann", "q1", {1, 2}), "JSON", id="set-answer"),
    pytest.param(("c1", "a1", "ann", "q1", b"bytes"), "JSON", id="bytes-answer"),
    pytest.param(("c1", "a1", "ann", "q1", math.nan), "JSON", id="nan-answer"),
    pytest.param(("c1", "a1", "ann", "q1", {1: "a"}), "keys must be str", id="int-key-answer"),
    pytest.param(("c1", "a1", "ann", "q1", "\ud800"), "Unicode", id="lone-surrogate"),
    pytest.param(("c1", "a1", "ann", "q1", "x" * 19_999), "20000", id="answer-too-long"),
]


@pytest.mark.parametrize(("args", "message"), BAD_SUBMITS)
def test_invalid_submit_raises_value_error_and_stores_nothing(sqlite_store, args, message):
    with pytest.raises(ValueError, match=message):
        sqlite_store.submit(*args)
    assert sqlite_store.version("c1", "a1") == (0, 0)


@pytest.mark.parametrize(("args", "message"), BAD_SUBMITS)
def test_validation_happens_before_the_database(args, message):
    """Argument problems stay ValueError even when the database is unreachable."""
    store = ResponseStore(UNREACHABLE_PG)
    with pytest.raises(ValueError, match=message):
        store.submit(*args)
    with pytest.raises(ValueError, match="learner"):
        store.answers_for("c1", "a1", "")
    with pytest.raises(ValueError, match="display_name"):
        store.set_display_name("c1", "ann", "n" * 61)


def test_limits_are_inclusive(sqlite_store):
    key = "k" * 64
    long_answer = "x" * 19_998  # 20,000 characters once quoted as JSON
    sqlite_store.submit(key, key, key, key, long_answer)
    assert sqlite_store.answers_for(key, key, key) == {key: long_answer}
    # the limit counts characters, not UTF-8 bytes or \u escapes
    wide = "你" * 19_998
    sqlite_store.submit(key, key, key, "wide", wide)
    assert sqlite_store.answers_for(key, key, key)["wide"] == wide


def test_tuples_come_back_as_lists(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "rank", ("b", "a"))
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"rank": ["b", "a"]}


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

    monkeypatch.delenv("LESSONKIT_DB", raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", fake_user_data_dir)
    store = ResponseStore()
    assert calls == ["lessonkit"]
    assert store.url == f"sqlite:///{tmp_path / 'pd' / 'responses.db'}"


def test_lessonkit_db_env_is_honoured_and_an_argument_beats_it(tmp_path, monkeypatch):
    env_db = tmp_path / "from-env" / "class.db"
    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{env_db}")
    store = ResponseStore()
    store.submit("c1", "a1", "ann", "q1", 1)
    store.close()
    assert store.url == f"sqlite:///{env_db}" and env_db.is_file()

    arg_db = tmp_path / "arg.db"
    store = ResponseStore(f"sqlite:///{arg_db}")
    store.submit("c1", "a1", "ann", "q1", 2)
    store.close()
    assert arg_db.is_file()
    with sqlite3.connect(env_db) as raw:
        assert raw.execute("SELECT answer FROM lk_current").fetchall() == [("1",)]


def test_password_is_masked():
    store = ResponseStore("postgresql+psycopg://trainer:s3cret@db.example:5432/lessons")
    for text in (repr(store), str(store), store.url, f"{store}"):
        assert "s3cret" not in text
        assert "trainer:***@db.example" in text


def test_plain_postgresql_url_uses_psycopg():
    store = ResponseStore("postgresql://u:p@127.0.0.1:5432/db")
    assert store.url == "postgresql+psycopg://u:***@127.0.0.1:5432/db"


@pytest.mark.parametrize("url", ["mysql://u:s3cret@host/db", "not a url", "   "])
def test_unsupported_urls_are_rejected_without_leaking_passwords(url):
    with pytest.raises(ValueError) as info:
        ResponseStore(url)
    assert "s3cret" not in str(info.value)


def test_bad_pool_size_is_rejected(monkeypatch):
    with pytest.raises(ValueError, match="pool_size"):
        ResponseStore("sqlite://", pool_size=0)
    with pytest.raises(ValueError, match="max_overflow"):
        ResponseStore("sqlite://", max_overflow=-1)
    monkeypatch.setenv("LESSONKIT_DB_POOL_SIZE", "two")
    with pytest.raises(ValueError, match="LESSONKIT_DB_POOL_SIZE must be a whole number >= 1, got 'two'"):
        ResponseStore("sqlite://")
    monkeypatch.setenv("LESSONKIT_DB_POOL_SIZE", " ")  # blank means unset
    monkeypatch.setenv("LESSONKIT_DB_MAX_OVERFLOW", "-1")
    with pytest.raises(ValueError, match="LESSONKIT_DB_MAX_OVERFLOW must be a whole number >= 0, got -1"):
        ResponseStore("sqlite://")


# -- failures ---------------------------------------------------------------------------------


def _assert_human(exc: StoreUnavailable) -> None:
    message = str(exc)
    assert message.startswith("the class store ")
    assert len(message) < 80
    for jargon in ("sqlite", "psycopg", "OperationalError", "Traceback", "errno", "127.0.0.1"):
        assert jargon.lower() not in message.lower()
    assert exc.__cause__ is not None


def test_unreachable_sqlite_directory_raises_store_unavailable_then_recovers(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's directory should be")
    store = ResponseStore(f"sqlite:///{blocker / 'sub' / 'responses.db'}")
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    _assert_human(info.value)
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
    _assert_human(info.value)
    assert isinstance(info.value.__cause__, sa.exc.DBAPIError)


def test_damaged_sqlite_file_raises_store_unavailable(tmp_path):
    target = tmp_path / "damaged.db"
    target.write_bytes(b"this is not a database " * 200)
    store = ResponseStore(f"sqlite:///{target}")
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    _assert_human(info.value)
    assert str(info.value) == "the class store file is damaged"


def test_closed_postgres_port_raises_store_unavailable_quickly():
    store = ResponseStore(UNREACHABLE_PG)
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    assert time.perf_counter() - start < 10
    _assert_human(info.value)
    assert str(info.value) == "the class store could not be reached"
    assert isinstance(info.value.__cause__, sa.exc.OperationalError)
    with pytest.raises(StoreUnavailable):
        store.version("c1", "a1")
    store.close()


def test_store_reopens_after_close(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", 1)
    sqlite_store.close()
    sqlite_store.submit("c1", "a1", "ann", "q1", 2)
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": 2}


def test_import_is_light():
    """The kernel memory budget: importing the store must not pull in pandas or a PG driver."""
    code = ("import sys, lessonkit.store; "
            "print(sorted(m for m in ('pandas', 'numpy', 'psycopg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_store_recreates_tables_dropped_under_it(sqlite_store):
    sqlite_store.submit("c1", "a1", "ann", "q1", 1)
    with _raw(sqlite_store) as raw:
        raw.execute("DROP TABLE lk_current")
    with pytest.raises(StoreUnavailable, match="reset"):  # this call finds the table gone ...
        sqlite_store.submit("c1", "a1", "ann", "q1", 2)
    sqlite_store.submit("c1", "a1", "ann", "q1", 3)  # ... the next one recreates it
    assert sqlite_store.answers_for("c1", "a1", "ann") == {"q1": 3}


def test_in_memory_store_works_in_one_thread():
    store = ResponseStore("sqlite://")
    store.submit("c1", "a1", "ann", "q1", [1])
    assert store.answers_for("c1", "a1", "ann") == {"q1": [1]}
    store.close()


def test_current_can_read_only_some_items(sqlite_store):
    sqlite_store.submit_many("C1", "act", "a", {"q1": 1, "q2": 2, "private": "my plan"})
    sqlite_store.submit_many("C1", "act", "b", {"q1": 3, "private": "their plan"})
    rows = sqlite_store.current("C1", "act", items=["q1", "q2"])
    assert sorted((r.learner, r.item, r.answer) for r in rows) == [("a", "q1", 1), ("a", "q2", 2), ("b", "q1", 3)]
    assert sqlite_store.current("C1", "act", items=[]) == []
    with pytest.raises(ValueError):
        sqlite_store.current("C1", "act", items=[""])
