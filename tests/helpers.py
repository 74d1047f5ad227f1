"""What many test files share: the repository root, the hostile strings of the escaping tests, a learner,
and the CI rule for services a test needs.

A plain module, imported as `tests.helpers`: conftest.py is pytest's to import (it holds the fixtures),
so nothing imports from it that could live here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from lessonkit.identity import Learner

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# What a learner (or a survey file) may type where others read it. Every page, board, report and export
# must show these as text: HTML-escaped where the text goes into HTML, never as markup.
HOSTILE = "<img src=x onerror=alert(1)>"   # runs script without a <script> tag, so a tag filter misses it
HOSTILE_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def me(name: str = "teal-wombat-42", *, display: str | None = None, code: str = "LIB3") -> Learner:
    """A learner of class LIB3 (`code`) who came in by a personal link, as the activity tests use."""
    from lessonkit.identity import Learner

    return Learner(code, name, display, "link")


def in_ci() -> bool:
    """True under CI, where browser, PostgreSQL and network tests must run rather than skip."""
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
