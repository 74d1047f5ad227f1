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


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{tmp_path / 'responses.db'}")
    monkeypatch.setenv("LESSONKIT_EXPORTS", str(tmp_path / "exports"))  # never the user's own exports folder
    for var in ("LESSONKIT_CLASS", "JUPYTERHUB_USER", "QUERY_STRING", "VOILA_PREHEAT", "SERVER_SOFTWARE",
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
