"""Fixtures for the store tests: a throwaway SQLite store, and PostgreSQL when LESSONKIT_TEST_PG is set.

`store` is the one store suite's fixture: every test that takes it runs on SQLite and on PostgreSQL. Without
LESSONKIT_TEST_PG the PostgreSQL run skips, saying how to get one; under CI=true it fails (tests/conftest.py).
`raw` is a plain engine on the same database, to check or change what is really stored.
"""

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


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def store(request) -> ResponseStore:
    """A new, empty store on each backend in turn (PostgreSQL: every lk_ table dropped first)."""
    if request.param == "postgresql":
        pg_test_url()   # skips (locally) or fails (CI=true) with PG_HINT when LESSONKIT_TEST_PG is unset
        return request.getfixturevalue("pg_store")
    return request.getfixturevalue("sqlite_store")


@pytest.fixture
def raw(store) -> Iterator[sa.Engine]:
    """A plain engine (no pool) on the store's own database."""
    engine = sa.create_engine(store._url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


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
