"""The trainer's controls in the store: lock, reset, delete a learner, retention purge, export rows.

Each test runs on SQLite and on a real PostgreSQL (LESSONKIT_TEST_PG): the `store` fixture of
tests/store/conftest.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from lessonkit.errors import ActivityLocked, AnswerRejected
from lessonkit.store import TRAINER


def test_a_locked_activity_refuses_every_part_and_opens_again(store):
    s = store
    s.submit("C1", "legislation", "teal-wombat-42", "s1", ["privacy"])
    s.lock("C1", "legislation")
    assert s.is_locked("C1", "legislation") and s.is_locked("C1", "legislation.ranking")
    assert not s.is_locked("C2", "legislation") and not s.is_locked("C1", "colour-days")
    for activity in ("legislation", "legislation.ranking", "legislation.discussion"):
        with pytest.raises(ActivityLocked) as info:
            s.submit("C1", activity, "amber-emu-11", "s1", ["whs"])
        assert isinstance(info.value, AnswerRejected)       # shown to the learner as "Not saved: ..."
        assert "the trainer has closed this activity" in str(info.value)
    assert s.answers_for("C1", "legislation", "amber-emu-11") == {}
    assert len(s.history("C1", "legislation")) == 1            # nothing half-written
    s.submit("C2", "legislation", "amber-emu-11", "s1", ["whs"])  # another class is not affected
    s.submit("C1", "legislation.discussion.moderation", TRAINER, "x/post-1", {"hidden": True}, force=True)
    assert s.locked("C1") == {"legislation"}
    assert s.class_version("C1")[2] == ("legislation",)
    s.unlock("C1", "legislation.ranking")                     # a part unlocks its activity
    assert s.locked("C1") == set()
    s.submit("C1", "legislation", "amber-emu-11", "s1", ["whs"])
    assert s.answers_for("C1", "legislation", "amber-emu-11") == {"s1": ["whs"]}


def test_reset_deletes_one_activity_and_its_parts_only(store):
    s = store
    s.submit("C1", "sorter", "teal-wombat-42", "i1", "policy")
    s.submit("C1", "sorter.discussion", "teal-wombat-42", "post-1", "hello")
    s.submit("C1", "sorter_x", "teal-wombat-42", "i1", "policy")      # '_' is not a LIKE wildcard here
    s.submit("C1", "sorterish", "teal-wombat-42", "i1", "policy")
    s.submit("C2", "sorter", "teal-wombat-42", "i1", "policy")
    before = s.version("C1", "sorter")
    assert s.reset("C1", "sorter") == 2
    assert s.current("C1", "sorter") == [] and s.current("C1", "sorter.discussion") == []
    assert len(s.history("C1", "sorter")) == 0
    assert s.version("C1", "sorter") != before                   # boards notice and redraw
    assert len(s.current("C1", "sorter_x")) == 1 and len(s.current("C1", "sorterish")) == 1
    assert len(s.current("C2", "sorter")) == 1
    s.submit("C1", "sorter", "amber-emu-11", "i1", "procedure")  # the class can answer again
    assert s.version("C1", "sorter")[1] > before[1]              # history ids never repeat


def test_delete_learner_removes_answers_name_and_moderation_about_them(store):
    s = store
    for activity in ("quiz", "comments.discussion"):
        s.submit("C1", activity, "teal-wombat-42", "post-1", "mine")
        s.submit("C1", activity, "amber-emu-11", "post-1", "theirs")
    s.set_display_name("C1", "teal-wombat-42", "Zara Quill")
    s.submit("C1", "comments.discussion.moderation", TRAINER, "teal-wombat-42/post-1", {"hidden": True}, force=True)
    s.submit("C1", "comments.discussion.moderation", TRAINER, "amber-emu-11/post-1", {"hidden": True}, force=True)
    s.submit("C2", "quiz", "teal-wombat-42", "post-1", "other class")
    assert s.delete_learner("C1", "teal-wombat-42") == 2
    rows = s.export_rows("C1")
    assert {r["learner"] for r in rows} == {"amber-emu-11", TRAINER}
    assert [r["item"] for r in rows if r["learner"] == TRAINER] == ["amber-emu-11/post-1"]
    assert "Zara Quill" not in {r["display_name"] for r in rows}
    assert s.display_names("C1") == {}
    assert "teal-wombat-42" not in set(s.history("C1")["learner"])
    assert s.answers_for("C2", "quiz", "teal-wombat-42") == {"post-1": "other class"}


def test_purge_deletes_only_classes_older_than_the_limit(store):
    s = store
    s.submit("OLD1", "quiz", "teal-wombat-42", "q1", 1)
    s.set_display_name("OLD1", "teal-wombat-42", "Old Name")
    s.lock("OLD1", "quiz")
    s.submit("NEW1", "quiz", "teal-wombat-42", "q1", 2)
    later = datetime.now(timezone.utc) + timedelta(days=10)
    # Ten days on, with a 30-day limit nothing is old enough...
    assert s.purge(30, now=later) == []
    # ...and with a 5-day limit both are (their last answers were made "now", ten days before).
    assert {c.class_code for c in s.classes()} == {"OLD1", "NEW1"}
    gone = s.purge(5, now=later)
    assert {c.class_code for c in gone} == {"OLD1", "NEW1"}
    assert s.classes() == [] and s.locked("OLD1") == set() and s.display_names("OLD1") == {}
    s.submit("NEW2", "quiz", "teal-wombat-42", "q1", 3)
    assert s.purge(1) == [] and [c.class_code for c in s.classes()] == ["NEW2"]
    with pytest.raises(ValueError, match="days"):
        s.purge(-1)


def test_classes_and_counts_leave_the_trainer_out(store):
    s = store
    s.submit("C1", "comments.discussion", "teal-wombat-42", "post-1", "hi")
    s.submit("C1", "legislation.ranking", "amber-emu-11", "order", ["a"])
    s.submit("C1", "legislation", "amber-emu-11", "s1", ["whs"])
    s.submit("C1", "comments.discussion.moderation", TRAINER, "teal-wombat-42/post-1", {"hidden": False}, force=True)
    assert s.activity_learners("C1") == {"comments": {"teal-wombat-42"}, "legislation": {"amber-emu-11"}}
    [c1] = s.classes()
    assert (c1.class_code, c1.learners, c1.answers) == ("C1", 2, 3)
    assert s.learner_activities("C1", "amber-emu-11") == {"legislation", "legislation.ranking"}


def test_export_rows_are_the_current_answers_with_names(store):
    s = store
    s.submit("C1", "quiz", "teal-wombat-42", "q1", "first")
    s.submit("C1", "quiz", "teal-wombat-42", "q1", {"choice": ["a", "b"]})   # replaces the first
    s.submit("C1", "colour-days", "amber-emu-11", "monday", "=HYPERLINK(\"x\")")
    s.set_display_name("C1", "amber-emu-11", "Émile <b>")
    rows = s.export_rows("C1")
    assert [(r["activity"], r["learner"], r["item"], r["answer"], r["display_name"]) for r in rows] == [
        ("colour-days", "amber-emu-11", "monday", "=HYPERLINK(\"x\")", "Émile <b>"),
        ("quiz", "teal-wombat-42", "q1", {"choice": ["a", "b"]}, ""),
    ]
    assert [r["activity"] for r in s.export_rows("C1", "quiz")] == ["quiz"]


def test_warm_connects_ahead_and_says_when_it_cannot(store, tmp_path):
    from lessonkit.store import ResponseStore

    assert store.warm() is True
    assert store.version("C1", "quiz") == (0, 0)          # the tables exist
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert ResponseStore(f"sqlite:///{blocker}/x.db").warm() is False


def test_a_write_past_its_deadline_is_never_saved(store):
    import time

    from lessonkit.errors import StoreUnavailable

    s = store
    past = time.monotonic() - 0.01
    for late in (lambda: s.submit("C1", "quiz", "teal-wombat-42", "q1", "late", deadline=past),
                 lambda: s.submit_many("C1", "quiz", "teal-wombat-42", {"q1": "late"}, deadline=past),
                 lambda: s.set_display_name("C1", "teal-wombat-42", "Nina", deadline=past),
                 lambda: s.join("C1", display_name="Ahmed", deadline=past)):
        with pytest.raises(StoreUnavailable, match="did not answer in time"):
            late()
    assert s.classes() == [] and s.class_learners("C1") == []
    s.submit("C1", "quiz", "teal-wombat-42", "q1", "in time", deadline=time.monotonic() + 10)
    assert s.answers_for("C1", "quiz", "teal-wombat-42") == {"q1": "in time"}


def test_counts_and_learners_for_the_trainers_commands(store):
    s = store
    s.submit("C1", "quiz", "teal-wombat-42", "q1", "a")
    s.submit("C1", "quiz", "teal-wombat-42", "q1", "b")
    s.submit("C1", "quiz", "amber-emu-11", "q1", "c")
    s.submit("C1", "quiz.moderation", TRAINER, "amber-emu-11/post-1", {"hidden": True}, force=True)
    s.set_display_name("C1", "amber-emu-11", "Bo\u202e")
    joined, _ = s.join("C1", learner="calm-koala-23")      # joined, not answered yet
    s.submit("C2", "quiz", "teal-wombat-42", "q1", "other class")
    assert [c.answers for c in s.classes() if c.class_code == "C1"] == [3]
    assert s.current_counts() == {"C1": 2, "C2": 1}
    assert s.class_learners("C1") == [("amber-emu-11", "Bo", 1, 1), (joined, None, 0, 0),
                                      ("teal-wombat-42", None, 1, 2)]
