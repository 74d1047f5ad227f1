"""Root pytest setup: nbval runs every notebook with the store on a temporary SQLite file."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    # Kernels started by nbval inherit this environment: a throwaway store, and a hub-style
    # identity so the notebooks render the whole activity rather than the join form.
    tmp = tempfile.mkdtemp(prefix="lessonkit-nbval-")
    os.environ.setdefault("LESSONKIT_DB", f"sqlite:///{os.path.join(tmp, 'responses.db')}")
    os.environ["LESSONKIT_NBVAL_DB"] = os.environ["LESSONKIT_DB"]
    os.environ.setdefault("LESSONKIT_CLASS", "NBVAL")
    os.environ.setdefault("JUPYTERHUB_USER", "nbval-runner")
    # nbval runs the trainer dashboard as a trainer's server on a hub would (tests clear this).
    os.environ.setdefault("LESSONKIT_TRAINER_KEY", "nbval-trainer-key")
