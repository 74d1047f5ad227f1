"""The one store suite: ResponseStore's semantics and validation, each case on SQLite and on PostgreSQL.

The `store` fixture (tests/store/conftest.py) runs every test that takes it on both backends; `raw` reads
and changes the same database behind the store's back. What only one backend has lives in
test_store_sqlite.py (its locking, its files) and test_store_postgres.py (its pool, its server).
Cases that need no database (validation first, URLs, settings) are here too, once.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from lessonkit.errors import StoreUnavailable
from lessonkit.settings import Settings
from lessonkit.store import Answer, ResponseStore
from tests.store._checks import assert_human

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


def _count(raw: sa.Engine, table: str) -> int:
    with raw.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


@contextmanager
def _history_insert_fails_for(raw: sa.Engine, item: str) -> Iterator[None]:
    """A trigger on the database makes inserting `item` into lk_history fail, until the block ends."""
    if raw.dialect.name == "sqlite":
        with raw.begin() as conn:
            conn.exec_driver_sql(f"CREATE TRIGGER boom BEFORE INSERT ON lk_history WHEN NEW.item = '{item}' "
                                 "BEGIN SELECT RAISE(ABORT, 'boom'); END")
        drop = "DROP TRIGGER boom"
    else:
        fn = f"lk_test_boom_{uuid.uuid4().hex[:8]}"
        with raw.begin() as conn:
            conn.execute(sa.text(
                f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.item = '{item}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$"))
            conn.execute(sa.text(
                f"CREATE TRIGGER boom BEFORE INSERT ON lk_history FOR EACH ROW EXECUTE FUNCTION {fn}()"))
        drop = f"DROP FUNCTION {fn}() CASCADE"
    try:
        yield
    finally:
        with raw.begin() as conn:
            conn.execute(sa.text(drop))


# -- round trips ----------------------------------------------------------------------------


def test_round_trip_answers_for_current_and_responses(store):
    before = datetime.now(timezone.utc)
    stamps = {item: store.submit("c1", "a1", "ann", item, answer)
              for item, answer in ANSWERS.items()}
    store.submit("c1", "a1", "bob", "text", "hello")

    assert store.answers_for("c1", "a1", "ann") == ANSWERS
    assert store.answers_for("c1", "a1", "bob") == {"text": "hello"}
    assert store.answers_for("c1", "a1", "nobody") == {}

    current = store.current("c1", "a1")
    assert [(a.learner, a.item) for a in current] == (
        [("ann", item) for item in sorted(ANSWERS)] + [("bob", "text")])
    for answer in current[:-1]:
        assert isinstance(answer, Answer)
        assert answer.answer == ANSWERS[answer.item]
        assert type(answer.answer) is type(ANSWERS[answer.item])
        assert answer.updated_at == stamps[answer.item]
        assert answer.updated_at.utcoffset() == timedelta(0)
        assert answer.updated_at.tzinfo is timezone.utc
        assert before <= answer.updated_at <= datetime.now(timezone.utc)

    frame = store.responses("c1", "a1")
    assert list(frame.columns) == ["learner", "item", "answer", "updated_at"]
    assert len(frame) == len(ANSWERS) + 1
    assert str(frame["updated_at"].dt.tz) == "UTC"
    ann = frame[frame["learner"] == "ann"].set_index("item")
    assert ann.loc["dict", "answer"] == ANSWERS["dict"]
    assert ann.loc["list", "answer"] == ANSWERS["list"]
    assert ann.loc["none", "answer"] is None
    assert ann.loc["text", "answer"] == ANSWERS["text"]
    assert ann.loc["int", "updated_at"].to_pydatetime() == stamps["int"]


def test_answers_are_stored_as_json_text(store, raw):
    store.submit("c1", "a1", "ann", "q", {"b": [1, "é"]})
    with raw.connect() as conn:
        (text,) = conn.execute(sa.text("SELECT answer FROM lk_current")).one()
    assert isinstance(text, str) and json.loads(text) == {"b": [1, "é"]}


def test_resubmission_replaces_current_and_history_keeps_both(store, raw):
    first = store.submit("c1", "a1", "ann", "q1", "first")
    second = store.submit("c1", "a1", "ann", "q1", {"second": 2})
    assert second >= first

    assert store.answers_for("c1", "a1", "ann") == {"q1": {"second": 2}}
    assert store.current("c1", "a1") == [Answer("ann", "q1", {"second": 2}, second)]

    history = store.history("c1", "a1")
    assert list(history.columns) == ["id", "class_code", "activity", "learner", "item", "answer",
                                     "submitted_at"]
    assert history["answer"].tolist() == ["first", {"second": 2}]
    assert history["id"].is_monotonic_increasing and history["id"].is_unique
    assert [t.to_pydatetime() for t in history["submitted_at"]] == [first, second]
    assert set(history["learner"]) == {"ann"} and set(history["item"]) == {"q1"}
    assert (_count(raw, "lk_current"), _count(raw, "lk_history")) == (1, 2)


def test_submit_many_saves_one_row_per_item_with_one_timestamp(store):
    store.submit("c1", "a1", "ann", "q1", "old")
    answers = {"q1": "new", "q2": [1, 2], "q3": {"k": "v"}}
    stamp = store.submit_many("c1", "a1", "ann", answers)

    assert store.answers_for("c1", "a1", "ann") == answers
    current = store.current("c1", "a1")
    assert len(current) == 3
    assert {a.updated_at for a in current} == {stamp}
    history = store.history("c1", "a1")
    assert len(history) == 4
    assert history["answer"].tolist()[1:] == ["new", [1, 2], {"k": "v"}]
    assert {t.to_pydatetime() for t in history["submitted_at"][1:]} == {stamp}


def test_submit_many_with_one_invalid_answer_stores_nothing(store):
    store.submit("c1", "a1", "ann", "q1", "old")
    with pytest.raises(ValueError, match="q2"):
        store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": {1, 2}, "q3": "x"})
    with pytest.raises(ValueError, match="item"):
        store.submit_many("c1", "a1", "ann", {"q1": "new", "i" * 65: "x"})
    assert store.answers_for("c1", "a1", "ann") == {"q1": "old"}
    assert len(store.history("c1")) == 1


def test_submit_many_is_one_transaction(store, raw):
    """A database failure on the second item rolls back the first too (and an invalid one stores nothing)."""
    store.submit("c1", "a1", "ann", "q1", "old")
    with pytest.raises(ValueError):
        store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": {1, 2}})
    assert store.answers_for("c1", "a1", "ann") == {"q1": "old"}
    with _history_insert_fails_for(raw, "q2"):
        with pytest.raises(StoreUnavailable):
            store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": 2, "q3": 3})
        assert store.answers_for("c1", "a1", "ann") == {"q1": "old"}
        assert store.history("c1")["answer"].tolist() == ["old"]

    stamp = store.submit_many("c1", "a1", "ann", {"q1": "new", "q2": 2, "q3": 3})
    assert store.answers_for("c1", "a1", "ann") == {"q1": "new", "q2": 2, "q3": 3}
    assert {a.updated_at for a in store.current("c1", "a1")} == {stamp}


def test_submit_many_rejects_empty_and_non_mapping(store):
    with pytest.raises(ValueError, match="empty"):
        store.submit_many("c1", "a1", "ann", {})
    with pytest.raises(ValueError, match="mapping"):
        store.submit_many("c1", "a1", "ann", [("q1", 1)])


def test_version_changes_with_each_submission_to_that_activity(store):
    assert store.version("c1", "a1") == (0, 0)
    store.submit("c1", "a1", "ann", "q1", 1)
    v1 = store.version("c1", "a1")
    assert v1[0] == 1 and v1[1] > 0
    store.submit("c1", "a1", "ann", "q1", 2)  # a resubmission: same row count
    v2 = store.version("c1", "a1")
    assert v2[0] == 1 and v2[1] > v1[1]
    store.submit("c1", "a1", "bob", "q1", 1)
    v3 = store.version("c1", "a1")
    assert v3[0] == 2 and v3[1] > v2[1]
    store.submit("c1", "a2", "ann", "q1", 1)
    store.submit("c2", "a1", "ann", "q1", 1)
    assert store.version("c1", "a1") == v3
    assert store.version("c1", "a2")[0] == 1
    assert store.version("c9", "a1") == (0, 0)


def test_display_names_set_replace_and_clear(store):
    assert store.display_names("c1") == {}
    store.set_display_name("c1", "ann", "Ann")
    store.set_display_name("c1", "bob", "Bob 🙂")
    store.set_display_name("c2", "ann", "Other class Ann")
    assert store.display_names("c1") == {"ann": "Ann", "bob": "Bob 🙂"}
    store.set_display_name("c1", "ann", "Annie")
    store.set_display_name("c1", "bob", None)
    assert store.display_names("c1") == {"ann": "Annie"}
    store.set_display_name("c1", "ann", "   ")  # a blank join-form field clears too
    assert store.display_names("c1") == {}
    assert store.display_names("c2") == {"ann": "Other class Ann"}

    store.set_display_name("c1", "ann", "n" * 60)
    assert store.display_names("c1") == {"ann": "n" * 60}
    with pytest.raises(ValueError, match="60"):
        store.set_display_name("c1", "ann", "n" * 61)
    with pytest.raises(ValueError, match="display_name"):
        store.set_display_name("c1", "ann", 7)
    assert store.display_names("c1") == {"ann": "n" * 60}


def test_classes_and_activities_are_isolated(store):
    store.submit("c1", "a1", "ann", "q1", "c1a1")
    store.submit("c1", "a2", "ann", "q1", "c1a2")
    store.submit("c2", "a1", "ann", "q1", "c2a1")

    assert store.answers_for("c1", "a1", "ann") == {"q1": "c1a1"}
    assert store.answers_for("c1", "a2", "ann") == {"q1": "c1a2"}
    assert store.answers_for("c2", "a1", "ann") == {"q1": "c2a1"}
    assert [a.answer for a in store.current("c1", "a1")] == ["c1a1"]
    assert [a.answer for a in store.current("c2", "a1")] == ["c2a1"]
    assert store.responses("c2", "a1")["answer"].tolist() == ["c2a1"]
    assert store.history("c1")["answer"].tolist() == ["c1a1", "c1a2"]
    assert store.history("c1", "a2")["answer"].tolist() == ["c1a2"]
    assert store.history("c2")["activity"].tolist() == ["a1"]


def test_empty_results_have_the_documented_columns(store):
    assert store.current("c1", "a1") == []
    assert list(store.responses("c1", "a1").columns) == [
        "learner", "item", "answer", "updated_at"]
    assert list(store.history("c1").columns) == [
        "id", "class_code", "activity", "learner", "item", "answer", "submitted_at"]
    assert len(store.history("c1")) == 0


def test_current_can_read_only_some_items(store):
    store.submit_many("C1", "act", "a", {"q1": 1, "q2": 2, "private": "my plan"})
    store.submit_many("C1", "act", "b", {"q1": 3, "private": "their plan"})
    rows = store.current("C1", "act", items=["q1", "q2"])
    assert sorted((r.learner, r.item, r.answer) for r in rows) == [("a", "q1", 1), ("a", "q2", 2), ("b", "q1", 3)]
    assert store.current("C1", "act", items=[]) == []
    with pytest.raises(ValueError):
        store.current("C1", "act", items=[""])


def test_store_reopens_after_close(store):
    store.submit("c1", "a1", "ann", "q1", 1)
    store.close()
    store.submit("c1", "a1", "ann", "q1", 2)
    assert store.answers_for("c1", "a1", "ann") == {"q1": 2}


def test_store_recreates_tables_dropped_under_it(store, raw):
    store.submit("c1", "a1", "ann", "q1", 1)
    with raw.begin() as conn:
        conn.execute(sa.text("DROP TABLE lk_current"))
    with pytest.raises(StoreUnavailable, match="reset"):  # this call finds the table gone ...
        store.submit("c1", "a1", "ann", "q1", 2)
    store.submit("c1", "a1", "ann", "q1", 3)  # ... the next one recreates it
    assert store.answers_for("c1", "a1", "ann") == {"q1": 3}


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
def test_invalid_submit_raises_value_error_and_stores_nothing(store, args, message):
    with pytest.raises(ValueError, match=message):
        store.submit(*args)
    assert store.version("c1", "a1") == (0, 0)


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


def test_nul_characters_are_a_value_error_not_a_store_failure(store):
    with pytest.raises(ValueError, match="NUL"):
        store.submit("c1", "a1", "a\x00b", "q1", 1)
    store.submit("c1", "a1", "ann", "q1", "a\x00b")  # inside JSON text it is escaped
    assert store.answers_for("c1", "a1", "ann") == {"q1": "a\x00b"}


def test_limits_are_inclusive(store):
    key = "k" * 64
    long_answer = "x" * 19_998  # 20,000 characters once quoted as JSON
    store.submit(key, key, key, key, long_answer)
    assert store.answers_for(key, key, key) == {key: long_answer}
    # the limit counts characters, not UTF-8 bytes or \u escapes
    wide = "你" * 19_998
    store.submit(key, key, key, "wide", wide)
    assert store.answers_for(key, key, key)["wide"] == wide


def test_tuples_come_back_as_lists(store):
    store.submit("c1", "a1", "ann", "rank", ("b", "a"))
    assert store.answers_for("c1", "a1", "ann") == {"rank": ["b", "a"]}


# -- URLs and settings (no database needed) ---------------------------------------------------


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


def test_bad_pool_size_is_rejected():
    with pytest.raises(ValueError, match="pool_size"):
        ResponseStore("sqlite://", pool_size=0)
    with pytest.raises(ValueError, match="max_overflow"):
        ResponseStore("sqlite://", max_overflow=-1)
    with pytest.raises(ValueError, match="LESSONKIT_DB_POOL_SIZE must be a whole number >= 1, got 'two'"):
        ResponseStore.for_settings(Settings.from_env({"LESSONKIT_DB_POOL_SIZE": "two"}), "sqlite://")
    blank_and_negative = {"LESSONKIT_DB_POOL_SIZE": " ", "LESSONKIT_DB_MAX_OVERFLOW": "-1"}  # blank means unset
    with pytest.raises(ValueError, match="LESSONKIT_DB_MAX_OVERFLOW must be a whole number >= 0, got -1"):
        ResponseStore.for_settings(Settings.from_env(blank_and_negative), "sqlite://")


def test_closed_postgres_port_raises_store_unavailable_quickly():
    store = ResponseStore(UNREACHABLE_PG)
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable) as info:
        store.submit("c1", "a1", "ann", "q1", 1)
    assert time.perf_counter() - start < 10
    assert_human(info.value)
    assert str(info.value) == "the class store could not be reached"
    assert isinstance(info.value.__cause__, sa.exc.OperationalError)
    with pytest.raises(StoreUnavailable):
        store.version("c1", "a1")
    store.close()


def test_import_is_light():
    """The kernel memory budget: importing the store must not pull in pandas or a PG driver."""
    code = ("import sys, lessonkit.store; "
            "print(sorted(m for m in ('pandas', 'numpy', 'psycopg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
