"""Shared fixtures: every test runs against a throwaway store, never the user's real one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lessonkit.deploy import BINDER_ENV

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def in_ci() -> bool:
    """True under CI, where browser and PostgreSQL tests must run rather than skip."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip locally with a reason; under CI=true a missing service is a failure."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def run_async(coro):
    """asyncio.run(coro), in a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def session_env(store, class_code: str = "LIB3", learner: str = "teal-wombat-42", name: str | None = None,
                **extra: str) -> dict:
    """A page's environment for a learner who joined (as `lessonkit serve` hands it to the kernel).

    `store` is a store or its URL; the learner id is the one proposed, when nobody in the class has it.
    """
    from lessonkit.identity import SESSION_ENV
    from lessonkit.store import ResponseStore

    opened = ResponseStore(store) if isinstance(store, str) else store
    got, token = opened.join(class_code, learner=learner, display_name=name)
    if got != learner:   # already in the class (answers from before): another device of the same learner
        opened.delete_learner(class_code, got)
        token = opened.new_session(class_code, learner)
        if name is not None:
            opened.set_display_name(class_code, learner, name)
    if isinstance(store, str):
        opened.close()
    return {SESSION_ENV: token, **extra}


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{tmp_path / 'responses.db'}")
    monkeypatch.setenv("LESSONKIT_EXPORTS", str(tmp_path / "exports"))  # never the user's own exports folder
    monkeypatch.setenv("LESSONKIT_LEARNER_FILE", str(tmp_path / "learner.json"))  # never the user's own
    for var in ("LESSONKIT_CLASS", "JUPYTERHUB_USER", "QUERY_STRING", "VOILA_PREHEAT", "SERVER_SOFTWARE",
                "HTTP_X_LESSONKIT_SESSION",
                "LESSONKIT_DATA", "LESSONKIT_TRAINER_KEY", "LESSONKIT_JOIN_URL", "LESSONKIT_KEEP_DAYS",
                "LESSONKIT_DB_POOL_SIZE", "LESSONKIT_DB_MAX_OVERFLOW", *BINDER_ENV):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def store(tmp_path):
    from lessonkit.store import ResponseStore

    s = ResponseStore(f"sqlite:///{tmp_path / 'unit.db'}")
    yield s
    s.close()


@pytest.fixture
def colour_days():
    from lessonkit.content import load

    return load(ROOT / "data" / "activities" / "colour-days.yaml")
