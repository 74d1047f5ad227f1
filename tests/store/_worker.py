"""Worker processes for the concurrency tests, each with its own ResponseStore like a kernel."""

from __future__ import annotations

import time

CLASS = "conc"
ACTIVITY = "burst"
SHARED_LEARNER = "shared"
SHARED_ITEM = "s"
ITEMS = 25  # per learner: the first 25 submits are new items, the rest resubmissions

KERNEL_CLASS = "KERNELS"
KERNEL_ACTIVITY = "colour-days"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc} (cause: {exc.__cause__!r})"


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
                errors.append(_describe(exc))
        elapsed = time.perf_counter() - start
        store.close()
    except Exception as exc:
        errors.append(f"worker setup {type(exc).__name__}: {exc!r}")
    results.put((worker, errors, elapsed))


def kernel_answers(worker: int, rnd: int) -> dict[str, str]:
    """What kernel `worker` submits in round `rnd`: a colour for every day."""
    return {day: f"c{worker}-{rnd}" for day in DAYS}


def class_kernel(url: str, worker: int, rounds: int, start, hold, results) -> None:
    """One learner's page: submit and poll like a board, `rounds` times, all kernels at once.

    Waits at `start` with every other kernel (and the test), then at `hold` twice: in between the test
    counts connections while every kernel still has its pool. Reports (worker, errors, (pool size,
    max overflow)).
    """
    errors: list[str] = []
    pool = None
    try:
        from lessonkit.store import ResponseStore

        store = ResponseStore(url)
        start.wait(timeout=120)
        for rnd in range(rounds):
            try:
                store.submit_many(KERNEL_CLASS, KERNEL_ACTIVITY, f"k{worker}", kernel_answers(worker, rnd))
                store.version(KERNEL_CLASS, KERNEL_ACTIVITY)  # what a board polls every 2 s
                store.current(KERNEL_CLASS, KERNEL_ACTIVITY)  # and reads when the version changed
            except Exception as exc:  # collected, not raised: the test asserts there are none
                errors.append(_describe(exc))
        engine = store._ready_engine()
        pool = (engine.pool.size(), engine.pool._max_overflow)
        hold.wait(timeout=120)
        hold.wait(timeout=120)
        store.close()
    except Exception as exc:
        errors.append(f"kernel {worker}: {_describe(exc)}")
        start.abort()  # let everyone waiting fail now rather than at the timeout
        hold.abort()
    results.put((worker, errors, pool))
