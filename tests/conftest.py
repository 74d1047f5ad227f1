"""Shared fixtures: every test runs against a throwaway store, never the user's real one.

Plain helpers (ROOT, the hostile strings, `me()`, `skip_or_fail`, `session_env`, ...) are in tests/helpers.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

import pytest

from lessonkit.settings import VARIABLES, Settings
from tests.helpers import ROOT, in_ci, skip_or_fail

# ---- tests that reach the network (@pytest.mark.network) --------------------------------------------------
NETWORK_OPT_IN = "LESSONKIT_TEST_NETWORK"


def pytest_collection_modifyitems(config, items):
    """Network tests skip locally unless LESSONKIT_TEST_NETWORK=1; under CI=true they run and must pass."""
    if in_ci() or os.environ.get(NETWORK_OPT_IN, "") == "1":
        return
    skip = pytest.mark.skip(reason=f"reaches the network (the public package index): {NETWORK_OPT_IN}=1 runs it "
                                   "here; CI=true always does")
    for item in items:
        if item.get_closest_marker("network"):
            item.add_marker(skip)

# ---- the real PostgreSQL server (.ci/pg-setup.sh) --------------------------------------------------------
PG_HINT = ("PostgreSQL tests need LESSONKIT_TEST_PG=postgresql+psycopg://... "
           "(bash .ci/pg-setup.sh prints one)")


def pg_test_url() -> str:
    """LESSONKIT_TEST_PG; without it the test skips (locally) or fails (CI=true)."""
    url = os.environ.get("LESSONKIT_TEST_PG", "").strip()
    if not url:
        if in_ci():
            pytest.fail(f"{PG_HINT}; CI=true, so missing PostgreSQL is a failure, not a skip", pytrace=False)
        pytest.skip(PG_HINT)
    return url


def pg_engine_for(url: str):
    """A plain engine on the test database, for setup and for checking what the store wrote."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, poolclass=sa.pool.NullPool)


def guide_grants() -> list[str]:
    """docs/jupyterhub.md's GRANT statements for the student role (`lessonkit_student`), one by one."""
    import re

    guide = (ROOT / "docs" / "jupyterhub.md").read_text(encoding="utf-8")
    [grants] = [block for block in re.findall(r"```sql\n(.*?)```", guide, re.S) if "GRANT" in block]
    return [statement.strip() for statement in grants.split(";") if statement.strip()]


class PgCluster:
    """The Debian cluster (pg_lsclusters) serving the test URL, driven as root: stop, start, superuser SQL."""

    def __init__(self, version: str, name: str, port: int) -> None:
        self.version, self.name, self.port = version, name, port

    def _run(self, *cmd: str, input: str | None = None) -> str:
        # Files, not pipes: a postmaster started here must not hold our output open (see .ci/pg-setup.sh).
        with tempfile.TemporaryFile("w+") as out:
            done = subprocess.run(cmd, input=input, stdout=out, stderr=subprocess.STDOUT, text=True,
                                  cwd="/", timeout=120, check=False,
                                  **({} if input is not None else {"stdin": subprocess.DEVNULL}))
            out.seek(0)
            text = out.read()
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {text.strip()}")
        return text

    def online(self) -> bool:
        line = self._run("pg_lsclusters", "-h", self.version, self.name).split()
        return len(line) > 3 and line[3].startswith("online")

    def stop(self) -> None:
        self._run("pg_ctlcluster", self.version, self.name, "stop", "-m", "fast")

    def start(self) -> None:
        """Start the cluster if it is down and wait until it accepts connections."""
        if not self.online():
            self._run("pg_ctlcluster", self.version, self.name, "start")
        deadline = time.monotonic() + 60
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError(f"cluster {self.version}/{self.name} did not come back on port {self.port}")
            time.sleep(0.2)

    def sql(self, statements: str, database: str = "postgres") -> str:
        """Run SQL as the postgres superuser; returns psql's unaligned output."""
        return self._run("runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                         "-p", str(self.port), "-d", database, input=statements)


def pg_cluster_for(url: str) -> PgCluster:
    """Root's handle on the local Debian cluster serving `url` (skips or fails where there is none)."""
    import sqlalchemy as sa

    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not shutil.which("runuser"):
        skip_or_fail("driving PostgreSQL as its superuser needs root and Debian's pg_ctlcluster (as in CI)")
    port = sa.make_url(url).port or 5432
    found = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    match = [c for c in (line.split() for line in found.splitlines()) if len(c) > 2 and c[2] == str(port)]
    if not match:
        skip_or_fail(f"LESSONKIT_TEST_PG's port {port} is not a local Debian cluster ({found.strip()!r})")
    return PgCluster(match[0][0], match[0][1], port)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """A test that runs with this process's settings (an entry point called without settings= or env=) gets
    none of the developer's: every variable lessonkit.settings reads is unset, and the store, the exports
    and the remembered session are temporary. A test that passes its own Settings or env needs none of it."""
    for var in VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LESSONKIT_DB", f"sqlite:///{tmp_path / 'responses.db'}")
    monkeypatch.setenv("LESSONKIT_EXPORTS", str(tmp_path / "exports"))  # never the user's own exports folder
    monkeypatch.setenv("LESSONKIT_LEARNER_FILE", str(tmp_path / "learner.json"))  # never the user's own


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for a test: every default, with the store, the exports and the remembered session in tmp_path."""
    return Settings(db=f"sqlite:///{tmp_path / 'responses.db'}", exports_dir=tmp_path / "exports",
                    learner_file=tmp_path / "learner.json")


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
