"""Fixtures for the store tests: a throwaway SQLite store, and PostgreSQL when LESSONKIT_TEST_PG is set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from lessonkit.store import ResponseStore

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
