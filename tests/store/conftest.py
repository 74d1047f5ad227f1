"""Fixtures for the store tests: a throwaway SQLite store, and PostgreSQL when LESSONKIT_TEST_PG is set."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from lessonkit.store import ResponseStore

from tests.conftest import skip_or_fail

PG_HINT = ("PostgreSQL tests need LESSONKIT_TEST_PG=postgresql+psycopg://... "
           "(bash .ci/pg-setup.sh prints one)")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'responses.db'}"


@pytest.fixture
def sqlite_store(sqlite_url) -> Iterator[ResponseStore]:
    store = ResponseStore(sqlite_url)
    yield store
    store.close()


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("LESSONKIT_TEST_PG", "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_HINT}; CI=true, so missing PostgreSQL is a failure, not a skip",
                        pytrace=False)
        pytest.skip(PG_HINT)
    return url


def pg_engine_for(url: str) -> sa.Engine:
    """A plain engine on the test database, for setup and for checking what the store wrote."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, poolclass=sa.pool.NullPool)


@pytest.fixture
def pg_engine(pg_url) -> Iterator[sa.Engine]:
    engine = pg_engine_for(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_clean(pg_url, pg_engine) -> str:
    """The test database with every lk_ table dropped, so each test starts from an empty schema."""
    metadata = sa.MetaData()
    metadata.reflect(pg_engine, only=lambda name, _: name.startswith("lk_"))
    metadata.drop_all(pg_engine)
    return pg_url


@pytest.fixture
def pg_store(pg_clean) -> Iterator[ResponseStore]:
    store = ResponseStore(pg_clean)
    yield store
    store.close()


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


@pytest.fixture
def pg_cluster(pg_url) -> Iterator[PgCluster]:
    """Root's handle on the test server's cluster; it is always running again after the test."""
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not shutil.which("runuser"):
        skip_or_fail("stopping and starting PostgreSQL needs root and Debian's pg_ctlcluster (as in CI)")
    port = sa.make_url(pg_url).port or 5432
    found = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    clusters = [line.split() for line in found.splitlines()]
    match = [c for c in clusters if len(c) > 2 and c[2] == str(port)]
    if not match:
        skip_or_fail(f"LESSONKIT_TEST_PG's port {port} is not a local Debian cluster ({found.strip()!r})")
    cluster = PgCluster(match[0][0], match[0][1], port)
    try:
        yield cluster
    finally:
        cluster.start()
