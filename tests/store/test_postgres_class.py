"""A class on a real PostgreSQL server: 60 kernels at once, and the server restarting mid-class."""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.identity import Learner
from lessonkit.kinds.colour_days.view import ColourPoll, colour_days_page
from lessonkit.store import ResponseStore

from ._worker import DAYS, KERNEL_ACTIVITY, KERNEL_CLASS, class_kernel, kernel_answers
from .test_store_postgres import _backends, _with_query

pytestmark = pytest.mark.postgres

KERNELS = 60
ROUNDS = 5


def _server_limit(engine: sa.Engine) -> int:
    """Connections the server lets ordinary roles open: max_connections less the superuser reserve."""
    with engine.connect() as conn:
        settings = dict(conn.execute(sa.text(
            "SELECT name, setting::int FROM pg_settings WHERE name IN "
            "('max_connections', 'superuser_reserved_connections', 'reserved_connections')")).all())
    return settings["max_connections"] - settings["superuser_reserved_connections"] \
        - settings.get("reserved_connections", 0)


def test_sixty_kernels_submit_and_poll_at_once_within_the_connection_budget(pg_clean, pg_engine):
    app = f"lk_class_{uuid.uuid4().hex[:8]}"  # counts this test's connections in pg_stat_activity
    url = _with_query(pg_clean, application_name=app)
    # forkserver: the server imports the store once and forks 60 light kernels from it (spawn would
    # re-import everything 60 times on 2 cores).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["lessonkit.store", "tests.store._worker"])
    start, hold = ctx.Barrier(KERNELS + 1), ctx.Barrier(KERNELS + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=class_kernel, args=(url, k, ROUNDS, start, hold, results))
             for k in range(KERNELS)]
    peak, sampling = [0], threading.Event()

    def sample() -> None:  # on one connection of its own (not counted: another application_name)
        query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a")
        with pg_engine.connect() as conn:
            while sampling.is_set():
                peak[0] = max(peak[0], conn.execute(query, {"a": app}).scalar())
                conn.rollback()  # a fresh snapshot of pg_stat_activity each time
                time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    begun = time.perf_counter()
    for proc in procs:
        proc.start()
    try:
        start.wait(timeout=180)
        spawned = time.perf_counter() - begun
        sampling.set()
        sampler.start()
        hold.wait(timeout=180)  # every kernel has done its rounds and still holds its pool
        burst = time.perf_counter() - begun - spawned
        sampling.clear()
        sampler.join()
        held = _backends(pg_engine, app)
        hold.wait(timeout=60)
        reports = [results.get(timeout=60) for _ in procs]
    finally:
        sampling.clear()
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
    wall = time.perf_counter() - begun

    errors = {worker: errs for worker, errs, _pool in reports if errs}
    assert errors == {}
    pools = [pool for _worker, _errs, pool in reports]
    bound = sum(size + overflow for size, overflow in pools)  # the most connections the kernels may open
    limit = _server_limit(pg_engine)
    print(f"\n[postgres class] {KERNELS} kernels x {ROUNDS} rounds (submit + version + current): "
          f"spawn {spawned:.2f} s, burst {burst:.2f} s, wall {wall:.2f} s; connections: peak sampled "
          f"{peak[0]}, held {held}, bound {bound}, server allows {limit}")
    assert held == KERNELS  # one pooled connection per kernel, all open at once
    assert max(peak[0], held) <= bound < limit

    store = ResponseStore(pg_clean)
    try:
        current = {(a.learner, a.item): a.answer for a in store.current(KERNEL_CLASS, KERNEL_ACTIVITY)}
        assert current == {(f"k{k}", day): colour for k in range(KERNELS)
                           for day, colour in kernel_answers(k, ROUNDS - 1).items()}
        assert len(store.history(KERNEL_CLASS, KERNEL_ACTIVITY)) == KERNELS * ROUNDS * len(DAYS)
    finally:
        store.close()
    assert _backends(pg_engine, app) == 0  # every kernel closed its pool


def _choose(poll, colours: list[str]) -> None:
    for day, colour in zip(poll.content.days, colours):
        poll.pickers[day.lower()].value = colour  # what a click on the swatch does


def _on_screen(poll) -> list[str]:
    return [poll.pickers[day.lower()].value for day in poll.content.days]


def test_a_class_carries_on_when_postgres_restarts(pg_clean, pg_cluster, colour_days):
    week = ["Blue", "Yellow", "Green", "Brown", "Red", "Orange", "White"]
    changed = ["Red", "Orange", "White", "Blue", "Yellow", "Green", "Brown"]
    store = ResponseStore(pg_clean)
    learner = Learner("RESTART", "teal-wombat-42", None, "link")
    page = colour_days_page(colour_days, store, learner)
    poll, board = find(page, ColourPoll).assert_single(), find(page, ClassBoard).assert_single()
    _choose(poll, week)
    poll.submit_button.click()
    assert poll.status.startswith("Saved at")

    try:
        pg_cluster.stop()
        _choose(poll, changed)
        began = time.perf_counter()
        poll.submit_button.click()
        outage = time.perf_counter() - began
        assert poll.status == ("Not saved: the class store could not be reached. Your answer is still "
                               "here: press Submit again in a moment.")
        assert 'role="alert"' in poll._status_line.value
        assert _on_screen(poll) == changed
        assert board.refresh() is False  # its next 2-second poll: the board says so and keeps what it drew
        assert "Class results paused: the class store could not be reached" in board._live_line.value
        assert outage < 5, f"the learner waited {outage:.1f} s to hear it was not saved"
    finally:
        pg_cluster.start()

    began = time.perf_counter()
    poll.submit_button.click()  # the same store and page: no reload, no new store
    recovery = time.perf_counter() - began
    print(f"\n[postgres restart] 'Not saved' after {outage:.2f} s; saved again {recovery:.2f} s after the restart")
    try:
        assert poll.status.startswith("Saved at")
        assert store.answers_for("RESTART", "colour-days", "teal-wombat-42") == dict(zip(DAYS, changed))
        assert "Class results paused" not in board._live_line.value
    finally:
        store.close()
