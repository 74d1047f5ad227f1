"""A worker process for the concurrency tests: its own ResponseStore, a burst of submits."""

from __future__ import annotations

import time

CLASS = "conc"
ACTIVITY = "burst"
SHARED_LEARNER = "shared"
SHARED_ITEM = "s"
ITEMS = 25  # per learner: the first 25 submits are new items, the rest resubmissions


def planned(worker: int, n: int) -> list[tuple[str, str, dict]]:
    """The (learner, item, answer) submits worker `worker` makes, in order."""
    plan = []
    for j in range(n):
        answer = {"w": worker, "j": j}
        if j % 10 == 9:  # every 10th submit contends for one row shared by all workers
            plan.append((SHARED_LEARNER, SHARED_ITEM, answer))
        else:
            plan.append((f"p{worker}", f"q{j % ITEMS}", answer))
    return plan


def submit_burst(url: str, worker: int, n: int, barrier, results) -> None:
    """Open a store, wait for every worker, submit the plan; report errors and elapsed seconds."""
    errors: list[str] = []
    elapsed = float("nan")
    try:
        from lessonkit.store import ResponseStore

        store = ResponseStore(url)  # lazy: the schema is created by the first submit, in the race
        barrier.wait(timeout=120)
        start = time.perf_counter()
        for learner, item, answer in planned(worker, n):
            try:
                store.submit(CLASS, ACTIVITY, learner, item, answer)
            except Exception as exc:  # collected, not raised: the test asserts there are none
                errors.append(f"{type(exc).__name__}: {exc} (cause: {exc.__cause__!r})")
        elapsed = time.perf_counter() - start
        store.close()
    except Exception as exc:
        errors.append(f"worker setup {type(exc).__name__}: {exc!r}")
    results.put((worker, errors, elapsed))
