"""Versioned store migrations: last term's answers survive an upgrade, on SQLite and on real PostgreSQL.

The old store is written by lessonkit 0.1.0's own store code (tests/store/legacy/store_0_1.py, the
landed store.py), with answers in every table; the export (current answers and history) must be the
same before and after the upgrade.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from lessonkit import migrate
from lessonkit.errors import StoreNeedsUpgrade, StoreTooNew
from lessonkit.export import csv_bytes
from lessonkit.store import SCHEMA_REVISION, VERSION_TABLE, ResponseStore
from tests.conftest import ROOT

from .conftest import pg_engine_for
from .legacy.store_0_1 import ResponseStore as Store010

CLASS = "TERM3"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path) -> str:
    """A URL for an empty store on each backend (PostgreSQL: the test database with no lk_ tables)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'responses.db'}"
    return request.getfixturevalue("pg_clean")


def _engine(url: str) -> sa.Engine:
    return pg_engine_for(url) if url.startswith("postgres") else sa.create_engine(url, poolclass=sa.pool.NullPool)


def fill_like_last_term(url: str) -> None:
    """A class store as lessonkit 0.1.0 left it: answers, resubmissions, names, a lock, a moderation record."""
    old = Store010(url)
    old.submit(CLASS, "colour-days", "teal-wombat-42", "monday", "Blue")
    old.submit(CLASS, "colour-days", "teal-wombat-42", "monday", "Green")            # history keeps both
    old.submit_many(CLASS, "listening-quiz", "calm-koala-23", {"q1": 3, "q2": ["a", "c"], "q3": "<b>pie</b>"})
    old.submit(CLASS, "policy-procedure.discussion", "calm-koala-23", "post-1", {"text": "=SUM(A1) ça va 👋"})
    old.submit(CLASS, "policy-procedure.discussion", "trainer", "calm-koala-23/post-1", {"hidden": True},
               force=True)
    old.set_display_name(CLASS, "teal-wombat-42", "Nina")
    old.set_display_name(CLASS, "calm-koala-23", "Ahmed")
    old.lock(CLASS, "listening-quiz")
    old.submit("OLD1", "colour-days", "sunny-wren-31", "friday", "Red")
    old.close()


def export_of(store) -> dict:
    """Everything a trainer exports or reads back about the classes, as comparable values."""
    history = store.history(CLASS)
    return {
        "current": csv_bytes(store.export_rows(CLASS)),
        "history": history.to_csv(index=False),
        "history_old_class": store.history("OLD1").to_csv(index=False),
        "classes": [tuple(c) for c in store.classes()],
        "locked": store.locked(CLASS),
        "names": store.display_names(CLASS),
    }


def tables(url: str) -> dict[str, list]:
    """Every row of every table, to show nothing was written."""
    engine = _engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                    for name, t in meta.tables.items()}
    finally:
        engine.dispose()


def test_store_code_names_the_newest_migration():
    assert migrate.revisions()[0] == migrate.LEGACY_REVISION
    assert SCHEMA_REVISION == migrate.head(), (
        "store.SCHEMA_REVISION must name the newest migration in lessonkit/migrations/versions")


def test_migrations_build_exactly_the_tables_in_store_py(empty_url):
    store = ResponseStore(empty_url)
    assert store.upgrade() == (None, SCHEMA_REVISION)       # a new store is built by the migrations
    engine = _engine(empty_url)
    try:
        with engine.connect() as conn:
            found = migrate.differences(conn)
    finally:
        engine.dispose()
    assert found == [], f"the models in store/tables.py and the newest migration disagree: {found}"
    store.close()


def test_upgrade_keeps_last_terms_answers(empty_url, tmp_path):
    fill_like_last_term(empty_url)
    old = Store010(empty_url)
    before = export_of(old)
    old.close()
    assert ResponseStore(empty_url).schema_revision() == migrate.LEGACY_REVISION   # recognised from its tables
    assert before["current"].count(b"\r\n") == 7 and "Green" in before["history"]

    store = ResponseStore(empty_url, upgrade=True)
    change = store.upgrade()
    assert change == (migrate.LEGACY_REVISION, SCHEMA_REVISION)
    assert store.recognised_legacy
    assert store.schema_revision() == SCHEMA_REVISION
    assert export_of(store) == before
    # and it goes on working: a learner's kernel (no upgrading) reads and writes it
    kernel = ResponseStore(empty_url)
    kernel.submit(CLASS, "colour-days", "calm-koala-23", "monday", "Red")
    assert kernel.answers_for(CLASS, "colour-days", "teal-wombat-42") == {"monday": "Green"}
    assert store.upgrade() == (SCHEMA_REVISION, SCHEMA_REVISION)                   # the second time: nothing
    for s in (store, kernel):
        s.close()
    if empty_url.startswith("sqlite"):
        copies = list(tmp_path.glob("responses-before-upgrade-*.db"))
        if migrate.revisions().index(migrate.LEGACY_REVISION) < migrate.revisions().index(SCHEMA_REVISION):
            assert len(copies) == 1 and store.backup_path == str(copies[0])
            with sqlite3.connect(copies[0]) as copy:   # the copy is the store as it was
                assert copy.execute("SELECT COUNT(*) FROM lk_history").fetchone()[0] == 8
        else:
            assert copies == [] and store.backup_path is None   # stamped only: nothing to copy


def test_a_learners_kernel_never_migrates(empty_url):
    fill_like_last_term(empty_url)
    before = tables(empty_url)
    kernel = ResponseStore(empty_url)                    # what a hub or JupyterLab kernel opens
    if SCHEMA_REVISION == migrate.LEGACY_REVISION:
        assert kernel.answers_for(CLASS, "colour-days", "teal-wombat-42") == {"monday": "Green"}
    else:
        with pytest.raises(StoreNeedsUpgrade, match="lessonkit upgrade"):
            kernel.answers_for(CLASS, "colour-days", "teal-wombat-42")
    kernel.close()
    assert tables(empty_url) == before                   # not even stamped
    assert VERSION_TABLE not in before


def test_a_newer_store_is_refused_and_nothing_is_written(empty_url):
    ResponseStore(empty_url).submit(CLASS, "colour-days", "teal-wombat-42", "monday", "Blue")
    engine = _engine(empty_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9001'"))
    engine.dispose()
    before = tables(empty_url)
    for upgrade in (False, True):
        store = ResponseStore(empty_url, upgrade=upgrade)
        with pytest.raises(StoreTooNew) as caught:
            store.submit(CLASS, "colour-days", "teal-wombat-42", "tuesday", "Red")
        message = str(caught.value)
        assert "9001" in message and SCHEMA_REVISION in message and "newer lessonkit" in message
        with pytest.raises(StoreTooNew):
            store.upgrade()
        store.close()
    assert tables(empty_url) == before


def _open_and_upgrade(url: str, barrier, results) -> None:
    try:
        store = ResponseStore(url, upgrade=True)
        barrier.wait(timeout=60)
        change = store.upgrade()
        results.put(("ok", change, store.recognised_legacy, store.backup_path))
        store.close()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", f"{type(exc).__name__}: {exc}", False, None))


def test_two_simultaneous_upgrades_upgrade_once(empty_url, tmp_path):
    fill_like_last_term(empty_url)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_open_and_upgrade, args=(empty_url, barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [r[0] for r in reports] == ["ok", "ok"], reports
    did = [r for r in reports if r[2]]                    # the one that stamped (and upgraded) the store
    assert len(did) == 1, reports
    other = next(r for r in reports if not r[2])
    assert other[1] == (SCHEMA_REVISION, SCHEMA_REVISION)   # found it done, waited, changed nothing
    engine = _engine(empty_url)
    with engine.connect() as conn:
        assert list(conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()) == [SCHEMA_REVISION]
    engine.dispose()
    if empty_url.startswith("sqlite"):
        assert len(list(tmp_path.glob("responses-before-upgrade-*.db"))) <= 1


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lessonkit.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_lessonkit_upgrade_says_from_which_revision_to_which(tmp_path):
    url = f"sqlite:///{tmp_path / 'responses.db'}"
    fill_like_last_term(url)
    first = _cli("upgrade", "--db", url)
    assert first.returncode == 0, first.stderr
    if SCHEMA_REVISION == migrate.LEGACY_REVISION:
        assert f"recognised a lessonkit 0.1.0 store as schema revision {SCHEMA_REVISION}" in first.stdout
    else:
        assert f"from schema revision {migrate.LEGACY_REVISION} to {SCHEMA_REVISION}" in first.stdout
    again = _cli("upgrade", "--db", url)
    assert f"already at schema revision {SCHEMA_REVISION}: nothing to do" in again.stdout
    fresh = _cli("upgrade", "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert f"created a new class store at schema revision {SCHEMA_REVISION}" in fresh.stdout
    # a trainer command on a newer store refuses, names both revisions, and writes nothing
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9001'"))
    engine.dispose()
    refused = _cli("export", "--class", CLASS, "--db", url, "-o", str(tmp_path / "x.csv"))
    assert refused.returncode == 1 and "9001" in refused.stderr and SCHEMA_REVISION in refused.stderr
    assert not Path(tmp_path / "x.csv").exists()
