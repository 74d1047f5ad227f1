"""The store service of `lessonkit serve`: learners' kernels use the store over a Unix socket.

Every call must give what the store itself gives (values, types, errors), a service that is gone must
mean "Not saved" with the answer kept, and a kernel using it must never import SQLAlchemy.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from datetime import datetime

import pytest

from lessonkit.errors import ActivityLocked, AnswerRejected, StoreUnavailable
from lessonkit.records import Answer, Pace
from lessonkit.server.service import StoreService
from lessonkit.service import RemoteStore, open_store
from lessonkit.settings import Settings
from lessonkit.store import ResponseStore
from tests.helpers import run_async


@pytest.fixture
def served(tmp_path):
    store = ResponseStore(f"sqlite:///{tmp_path / 'class.db'}")
    service = StoreService(store, str(tmp_path / "svc" / "store.sock"), "LIB3").start()
    remote = open_store(service.url, settings=Settings())
    yield store, service, remote
    remote.close()
    service.close()
    store.close()


def test_open_store_picks_the_service_only_for_its_address(served, tmp_path):
    _store, service, remote = served
    assert isinstance(remote, RemoteStore)
    assert isinstance(open_store(f"sqlite:///{tmp_path / 'x.db'}", settings=Settings()), ResponseStore)
    named = open_store(settings=Settings(db=service.url))   # the store the settings name
    assert isinstance(named, RemoteStore) and named.url == remote.url
    named.close()
    assert remote.kind == "sqlite" and remote.url.endswith("class.db")
    with pytest.raises(ValueError, match="not a store service address"):
        RemoteStore("sqlite:///x.db")


def test_every_answer_comes_back_as_the_store_gives_it(served):
    store, _service, remote = served
    at = remote.submit_many("LIB3", "quiz-1", "teal-wombat-42", {"q1": "b", "q2": ["x", "y"], "n": 2})
    assert isinstance(at, datetime) and at.tzinfo is not None
    remote.set_display_name("LIB3", "teal-wombat-42", "Sam <b>")
    remote.submit("LIB3", "quiz-1", "calm-koala-11", "q1", {"$dt": "not a date", "ok": True})
    assert remote.answers_for("LIB3", "quiz-1", "teal-wombat-42") == store.answers_for(
        "LIB3", "quiz-1", "teal-wombat-42") == {"q1": "b", "q2": ["x", "y"], "n": 2}
    assert remote.answers_for("LIB3", "quiz-1", "calm-koala-11") == {"q1": {"$dt": "not a date", "ok": True}}
    rows = remote.current("LIB3", "quiz-1")
    assert rows == store.current("LIB3", "quiz-1") and all(isinstance(r, Answer) for r in rows)
    assert remote.version("LIB3", "quiz-1") == store.version("LIB3", "quiz-1")
    assert isinstance(remote.version("LIB3", "quiz-1"), tuple)
    assert remote.learner_activities("LIB3", "teal-wombat-42") == {"quiz-1"}
    assert remote.display_names("LIB3") == {"teal-wombat-42": "Sam <b>"}
    assert remote.warm() is True


def test_errors_come_back_as_the_same_exceptions(served):
    store, _service, remote = served
    store.lock("LIB3", "quiz-1")                        # the trainer, on the database itself
    assert remote.is_locked("LIB3", "quiz-1") and remote.locked("LIB3") == {"quiz-1"}
    with pytest.raises(ActivityLocked) as locked:
        remote.submit_many("LIB3", "quiz-1", "teal-wombat-42", {"q1": "b"})
    assert locked.value.activity == "quiz-1" and "trainer has closed" in str(locked.value)
    with pytest.raises(ValueError) as direct:
        store.answers_for("LIB3", "q" * 80, "x")
    with pytest.raises(ValueError) as served_error:
        remote.answers_for("LIB3", "q" * 80, "x")
    assert str(served_error.value) == str(direct.value)
    with pytest.raises(AttributeError):
        remote.responses("LIB3", "quiz-1")   # pandas frames are not served


def test_a_learners_kernel_gets_only_what_a_learners_page_needs(served):
    store, service, remote = served
    store.submit_many("LIB3", "quiz-1", "calm-koala-11", {"q1": "a"})
    for method in ("close", "lock", "unlock", "reset", "delete_learner", "purge", "classes", "export_rows",
                   "set_pace"):
        reply = service.answer(json.dumps({"method": method, "args": ["LIB3", "quiz-1"], "kwargs": {}}).encode())
        assert reply["error"] == "ValueError" and f"no method '{method}'" in reply["message"], method
        if method != "close":     # RemoteStore.close() closes its own connection, nothing in the store
            with pytest.raises(AttributeError):
                getattr(remote, method)
    assert not store.is_locked("LIB3", "quiz-1") and store.answers_for("LIB3", "quiz-1", "calm-koala-11")
    # `force` (the trainer's own records, past a lock) is refused too: a locked activity stays locked
    store.lock("LIB3", "quiz-1")
    with pytest.raises(ValueError, match="learners' answers only"):
        remote.submit_many("LIB3", "quiz-1", "teal-wombat-42", {"q1": "b"}, force=True)
    assert store.answers_for("LIB3", "quiz-1", "teal-wombat-42") == {}
    assert service.answer(b"{not json")["error"] == "ValueError"   # JSONDecodeError is a ValueError


def test_socket_is_private(served):
    _store, service, _remote = served
    assert stat.S_IMODE(os.stat(service.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(service.path)).st_mode) == 0o700


def test_a_service_that_is_gone_means_not_saved_and_the_answer_stays(served, colour_days):
    from lessonkit.identity import Learner
    from lessonkit.kinds.colour_days.view import ColourPoll

    store, service, remote = served
    poll = ColourPoll(colour_days, remote, Learner("LIB3", "teal-wombat-42"))
    for day in colour_days.days:
        poll.pick(day, colour_days.colours[1].name)
    service.close()
    poll.submit_button.click()
    assert poll.status.startswith("Not saved: the class store could not be reached")
    assert all(p.value == colour_days.colours[1].name for p in poll.pickers.values())
    # the trainer restarts serve: the same page saves on the next press
    restarted = StoreService(store, service.path, "LIB3").start()
    poll.submit_button.click()
    restarted.close()
    assert poll.status.startswith("Saved at")
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42")[colour_days.item(colour_days.days[0])] \
        == colour_days.colours[1].name


def test_a_silent_service_is_not_waited_for_forever(tmp_path):
    path = str(tmp_path / "mute.sock")
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(path)
    mute.listen(1)
    remote = RemoteStore("lessonkit+unix://" + path, timeout=0.5)
    with pytest.raises(StoreUnavailable, match="did not answer"):
        remote.answers_for("LIB3", "quiz-1", "teal-wombat-42")
    mute.close()


KERNEL = r"""
import os, sys
os.environ.update(HTTP_X_LESSONKIT_SESSION=sys.argv[1], SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
import lessonkit as lk
from lessonkit.content import activities
for a in activities():
    page = lk.activity(a.slug)
    assert page.learner.learner == sys.argv[2]
page.content_widget.poll.submit() if hasattr(page.content_widget, "poll") else None
lesson = lk.session()
assert lesson.learner.learner == sys.argv[2]
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "pandas", "voila", "alembic"}))
      or "none")
"""


def test_a_kernel_on_the_service_never_loads_the_database_layer(served, tmp_path):
    _store, service, remote = served
    learner, token = remote.join("LIB3")
    env = {"LESSONKIT_DB": service.url, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", KERNEL, token, learner], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"


def test_the_service_answers_for_the_class_it_serves_only(served):
    store, _service, remote = served
    for write in (lambda: remote.submit("OTHER1", "quiz-1", "teal-wombat-42", "q1", "b"),
                  lambda: remote.submit_many("OTHER1", "quiz-1", "teal-wombat-42", {"q1": "b"}),
                  lambda: remote.set_display_name("OTHER1", "teal-wombat-42", "Mallory"),
                  lambda: remote.join("OTHER1"), lambda: remote.answers_for("OTHER1", "quiz-1", "x"),
                  lambda: remote.current("OTHER1", "quiz-1")):
        with pytest.raises(AnswerRejected, match="class being taught here"):
            write()
    assert store.classes() == []                       # nothing was written for the other class
    other, token = store.join("OTHER1")                # a session of another class made elsewhere ...
    assert remote.session(token) is None               # ... grants nothing here
    mine, mine_token = remote.join("LIB3", display_name="Nina")
    assert remote.session(mine_token) == ("LIB3", mine) and store.display_names("LIB3") == {mine: "Nina"}
    remote.end_session(mine_token)
    assert remote.session(mine_token) is None


def test_pages_waiting_for_the_trainer_are_woken_when_the_class_moves(served):
    import asyncio
    import threading
    import time

    store, _service, remote = served
    assert remote.pace("LIB3") == Pace(None, True, 0)

    async def wait() -> tuple[Pace, float]:
        t0 = time.perf_counter()
        pace = await remote.wait_pace_async("LIB3", 0, timeout=10)
        return pace, time.perf_counter() - t0

    mover = threading.Timer(0.5, lambda: store.set_pace("LIB3", activity="colour-days"))   # the dashboard
    mover.start()
    pace, took = run_async(wait())
    assert pace == Pace("colour-days", False, 1)
    assert 0.4 < took < 1.5                              # woken by the move, not by the timeout
    quiet = run_async(asyncio.wait_for(remote.wait_pace_async("LIB3", 1, timeout=0.5), 5))
    assert quiet == Pace("colour-days", False, 1)        # nothing moved: the pace as it is, after the timeout


# ---- an answer the learner was told was not saved is never saved later ------------------------------------
def _slow_store(tmp_path):
    """A real store, served for class LIB3 (pace watch and all), whose writes can be held up: `hold()` takes
    SQLite's write lock from another connection, as a long write elsewhere would, until `release()`."""
    import sqlite3

    from sqlalchemy import event

    db = tmp_path / "slow.db"
    store = ResponseStore(f"sqlite:///{db}")
    assert store.warm()
    ended = []          # "commit" or "rollback" of each write transaction the service ran, in order
    finished = threading.Event()

    def note(kind):
        def listener(conn):
            if conn.get_execution_options().get("lk_write"):
                ended.append(kind)
                finished.set()
        return listener

    event.listen(store._engine, "commit", note("commit"))
    event.listen(store._engine, "rollback", note("rollback"))
    blocker = sqlite3.connect(db, isolation_level=None, timeout=30, check_same_thread=False)
    service = StoreService(store, str(tmp_path / "svc" / "store.sock"), "LIB3").start()
    return store, service, blocker, ended, finished


def test_a_submit_that_timed_out_is_never_saved_later(tmp_path, colour_days):
    import time

    from lessonkit.identity import Learner
    from lessonkit.kinds.colour_days.view import ColourPoll

    store, service, blocker, ended, finished = _slow_store(tmp_path)
    remote = RemoteStore(service.url, timeout=2.0)          # the kernel's side gives up after 2 s
    try:
        poll = ColourPoll(colour_days, remote, Learner("LIB3", "teal-wombat-42"))
        first, second = colour_days.colours[1].name, colour_days.colours[2].name
        for day in colour_days.days:
            poll.pick(day, first)
        blocker.execute("BEGIN IMMEDIATE")                  # the store is slow: its write lock is taken
        started = time.monotonic()
        poll.submit_button.click()
        waited = time.monotonic() - started
        assert 1.5 < waited < 4, waited                     # the kernel waited its 2 s, then gave up
        assert poll.status.startswith("Not saved: the class store did not answer in time"), poll.status
        assert "Your answer is still here" in poll.status and poll.saved is False
        assert all(p.value == first for p in poll.pickers.values())   # the answer stays on screen
        assert "lk-error" in poll._status_line.value and "Not saved" in poll._status_line.value

        finished.clear()
        blocker.execute("COMMIT")                           # the store recovers; the service's write goes on ...
        assert finished.wait(30), "the service never finished the held-up write"
        assert ended == ["rollback"]                        # ... finds its deadline past, and rolls back
        assert store.answers_for("LIB3", "colour-days", "teal-wombat-42") == {}
        assert store.version("LIB3", "colour-days") == (0, 0) and store.history("LIB3").empty

        for day in colour_days.days:                         # pressing Submit again saves what is on screen now
            poll.pick(day, second)
        poll.submit_button.click()
        assert poll.status.startswith("Saved at"), poll.status
        saved = store.history("LIB3")
        assert len(saved) == len(colour_days.days) and set(saved["answer"]) == {second}
    finally:
        remote.close()
        service.close()
        blocker.close()
        store.close()


def test_a_slow_store_that_answers_in_time_saves(tmp_path):
    store, service, blocker, ended, _finished = _slow_store(tmp_path)
    remote = RemoteStore(service.url, timeout=4.0)          # writes must be done within 3 s
    try:
        blocker.execute("BEGIN IMMEDIATE")
        threading.Timer(1.0, lambda: blocker.execute("COMMIT")).start()   # held up for a second only
        remote.submit("LIB3", "quiz-1", "teal-wombat-42", "q1", "=SUM(A1) is my answer")
        assert ended == ["commit"]
        assert store.answers_for("LIB3", "quiz-1", "teal-wombat-42") == {"q1": "=SUM(A1) is my answer"}
        remote.set_display_name("LIB3", "teal-wombat-42", "Nina")
        learner, _token = remote.join("LIB3", display_name="Ahmed")
        assert store.display_names("LIB3") == {"teal-wombat-42": "Nina", learner: "Ahmed"}
    finally:
        remote.close()
        service.close()
        blocker.close()
        store.close()


def test_every_write_the_service_runs_has_a_deadline(tmp_path, monkeypatch):
    import time

    import lessonkit.server.service as served_module

    store, service, blocker, ended, finished = _slow_store(tmp_path)

    def ask(method, args, **kwargs):
        return service.answer(json.dumps({"method": method, "args": args, "kwargs": kwargs}).encode())

    try:
        past = time.monotonic() - 0.1                      # e.g. a request that waited behind a slow one
        for method, args, kwargs in (("submit", ["LIB3", "quiz-1", "teal-wombat-42", "q1", "b"], {}),
                                     ("submit_many", ["LIB3", "quiz-1", "teal-wombat-42", {"q1": "b"}], {}),
                                     ("set_display_name", ["LIB3", "teal-wombat-42", "Nina"], {}),
                                     ("join", ["LIB3"], {"display_name": "Ahmed"})):
            reply = ask(method, args, deadline=past, **kwargs)
            assert reply == {"error": "StoreUnavailable", "message": "the class store did not answer in time"}, \
                method
            assert ask(method, args, deadline="soon", **kwargs)["error"] == "ValueError"
        assert store.classes() == [] and store.display_names("LIB3") == {}
        # a request without one (an older kernel) gets the service's own, and is saved as before
        assert "result" in ask("submit", ["LIB3", "quiz-1", "teal-wombat-42", "q1", "b"])
        assert store.answers_for("LIB3", "quiz-1", "teal-wombat-42") == {"q1": "b"}
        # a deadline far ahead (or none) is cut to the service's limit: a write held up past it is rolled back
        monkeypatch.setattr(served_module, "WRITE_BUDGET", 0.5)
        for deadline in ({"deadline": time.monotonic() + 1e6}, {}):
            blocker.execute("BEGIN IMMEDIATE")
            threading.Timer(1.5, lambda: blocker.execute("COMMIT")).start()
            finished.clear()
            reply = ask("submit", ["LIB3", "quiz-1", "teal-wombat-42", "q2", "late"], **deadline)
            assert reply["error"] == "StoreUnavailable" and finished.is_set() and ended[-1] == "rollback"
        assert store.answers_for("LIB3", "quiz-1", "teal-wombat-42") == {"q1": "b"}
    finally:
        service.close()
        blocker.close()
        store.close()


def test_the_service_serves_the_learner_protocol_and_remote_store_declares_it():
    """service.METHODS/WRITES come from protocols.LearnerStore, and RemoteStore declares exactly those methods
    (no __getattr__ proxy): what a type checker sees is what a learner's kernel can call."""
    import inspect

    from lessonkit import service
    from lessonkit.protocols import LOCAL, LearnerStore, TrainerStore

    declared = {name for name in vars(LearnerStore) if not name.startswith("_")}
    assert service.METHODS == (declared - LOCAL) | {"describe", "wait_pace"}
    assert service.WRITES == {"submit", "submit_many", "set_display_name", "join"}   # the ones with a deadline
    assert "__getattr__" not in vars(RemoteStore)
    assert {name for name in dir(RemoteStore) if not name.startswith("_")} == declared | {"wait_pace_async"}
    for name in declared - {"kind", "url"}:
        mine = inspect.signature(getattr(RemoteStore, name)).parameters
        wanted = inspect.signature(getattr(LearnerStore, name)).parameters
        assert [p for p in mine if p != "force"] == list(wanted), name
        assert set(mine) <= set(inspect.signature(getattr(ResponseStore, name)).parameters), name
    trainers = {name for name in vars(TrainerStore) if not name.startswith("_")} - declared
    assert {"lock", "reset", "delete_learner", "purge", "export_rows", "set_pace", "join_account"} <= trainers
    assert not trainers & service.METHODS and all(hasattr(ResponseStore, name) for name in trainers)
