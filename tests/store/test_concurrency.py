"""Many kernels writing at once: 8 processes x 100 submits, each with its own ResponseStore (SQLite and
PostgreSQL, through the `store` fixture)."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

from lessonkit.store import ResponseStore

from ._worker import ACTIVITY, CLASS, ITEMS, SHARED_ITEM, SHARED_LEARNER, planned, submit_burst

WORKERS = 8
SUBMITS = 100


def _run_workers(url: str) -> tuple[dict[int, list[str]], dict[int, float], float]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=submit_burst, args=(url, w, SUBMITS, barrier, results))
             for w in range(WORKERS)]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    errors: dict[int, list[str]] = {}
    elapsed: dict[int, float] = {}
    try:
        for _ in procs:
            worker, errs, secs = results.get(timeout=240)
            errors[worker], elapsed[worker] = errs, secs
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
    return errors, elapsed, time.perf_counter() - start


def _check_everything_stored(store: ResponseStore) -> None:
    history = store.history(CLASS, ACTIVITY)
    assert len(history) == WORKERS * SUBMITS
    assert history["id"].is_unique

    # every planned submission is in history, exactly once
    expected = Counter()
    for w in range(WORKERS):
        for learner, item, answer in planned(w, SUBMITS):
            expected[(learner, item, answer["w"], answer["j"])] += 1
    got = Counter((r.learner, r.item, r.answer["w"], r.answer["j"])
                  for r in history.itertuples(index=False))
    assert got == expected

    # each worker's own rows: the last value it sent per item
    current = {(a.learner, a.item): a.answer for a in store.current(CLASS, ACTIVITY)}
    assert len(current) == WORKERS * ITEMS + 1
    for w in range(WORKERS):
        last = {}
        for learner, item, answer in planned(w, SUBMITS):
            if learner != SHARED_LEARNER:
                last[item] = answer
        assert {item: current[(f"p{w}", item)] for item in last} == last

    # the row all workers fought over holds the answer with the highest history id
    shared = history[(history["learner"] == SHARED_LEARNER) & (history["item"] == SHARED_ITEM)]
    assert current[(SHARED_LEARNER, SHARED_ITEM)] == shared.sort_values("id")["answer"].iloc[-1]
    assert store.version(CLASS, ACTIVITY) == (WORKERS * ITEMS + 1, int(history["id"].max()))


def _report(label: str, elapsed: dict[int, float], wall: float) -> None:
    busiest = max(elapsed.values())
    print(f"\n[{label}] {WORKERS}x{SUBMITS} submits: slowest worker {busiest:.2f} s "
          f"({WORKERS * SUBMITS / busiest:.0f} submits/s overall), wall incl. spawn {wall:.2f} s")


def test_many_processes(store):
    """On each backend (the `store` fixture): every submit of every process saved, none refused as locked."""
    url = store._url.render_as_string(hide_password=False)
    errors, elapsed, wall = _run_workers(url)
    _report(store.kind, elapsed, wall)
    assert sorted(errors) == list(range(WORKERS))
    assert not any("locked" in e for errs in errors.values() for e in errs)
    assert errors == {w: [] for w in range(WORKERS)}
    reader = ResponseStore(url)
    try:
        _check_everything_stored(reader)
    finally:
        reader.close()
