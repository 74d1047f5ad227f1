"""Fixtures for the store tests: a throwaway SQLite store, and PostgreSQL when LESSONKIT_TEST_PG is set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from lessonkit.store import ResponseStore
from tests.conftest import PgCluster, pg_cluster_for, pg_engine_for, pg_test_url  # noqa: F401 (fixtures below)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'responses.db'}"


@pytest.fixture
def sqlite_store(sqlite_url) -> Iterator[ResponseStore]:
    store = ResponseStore(sqlite_url)
    yield store
    store.close()


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


@pytest.fixture(scope="session")
def pg_url() -> str:
    return pg_test_url()


@pytest.fixture
def pg_cluster(pg_url) -> Iterator[PgCluster]:
    """Root's handle on the test server's cluster; it is always running again after the test."""
    cluster = pg_cluster_for(pg_url)
    try:
        yield cluster
    finally:
        cluster.start()
