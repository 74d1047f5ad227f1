"""Versioned store migrations with Alembic: bring a class store to the schema this lessonkit uses.

lessonkit/store/ decides *whether* a store needs this (one small read when a store is opened, without
importing Alembic); this module does the work, on a connection the store already holds inside its write
transaction, so two processes opening one old store upgrade it once.

For developers, after changing the tables in lessonkit/store/tables.py:

    .venv/bin/python -m lessonkit.migrate revision -m "what changed"

writes lessonkit/migrations/versions/NNNN_<what>.py from the difference between the newest revision
and the models (check it, then set store.tables.SCHEMA_REVISION to its id). tests/store/test_migrations.py
fails while the two disagree.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

__all__ = ["VERSION_TABLE", "MIGRATIONS", "LEGACY_REVISION", "head", "revisions", "upgrade", "stamp",
           "differences", "target_metadata"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "lk_schema_version"
# A store made by lessonkit 0.1.0 (before migrations) has this revision's tables and no version table.
LEGACY_REVISION = "0001"


def target_metadata():
    """The tables as lessonkit/store/tables.py defines them (the models migrations must match)."""
    from .store.tables import _metadata

    return _metadata


def _config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("revision_environment", "true")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def revisions() -> list[str]:
    """Every known revision id, oldest first."""
    return [rev.revision for rev in reversed(list(script().walk_revisions()))]


def head() -> str:
    """The newest revision id."""
    heads = script().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"lessonkit/migrations has {len(heads)} heads ({', '.join(heads)}); merge them")
    return heads[0]


def _context(conn: Connection):
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "render_as_batch": True})


def stamp(conn: Connection, revision: str) -> None:
    """Record that the store has `revision`'s schema, changing nothing else."""
    _context(conn).stamp(script(), revision)


def upgrade(conn: Connection, target: str = "head") -> list[str]:
    """Run every migration from the store's revision up to `target` in the caller's transaction; the ids run."""
    from alembic.runtime.environment import EnvironmentContext

    sd = script()
    ran: list[str] = []

    def steps(rev: Any, _context: Any) -> list:
        found = sd._upgrade_revs(target, rev)
        ran.extend(step.revision.revision for step in found)
        return found

    with EnvironmentContext(_config(conn), sd, fn=steps, destination_rev=target) as env:
        env.configure(connection=conn, target_metadata=target_metadata(), version_table=VERSION_TABLE,
                      render_as_batch=True)
        env.run_migrations()   # no begin_transaction(): the store's own transaction holds the lock
    return ran


def differences(conn: Connection) -> list:
    """What Alembic's autogenerate finds between the database and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
    return [d for d in compare_metadata(context, target_metadata())
            if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == VERSION_TABLE)]


def _new_revision(message: str) -> Path:
    """Autogenerate the next revision against a scratch SQLite store at the newest revision."""
    import tempfile

    import sqlalchemy as sa
    from alembic import command

    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    number = f"{len(revisions()) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            upgrade(conn)
        with engine.begin() as conn:
            command.revision(_config(conn), message=message, autogenerate=True, rev_id=number)
        engine.dispose()
    made = next(MIGRATIONS.glob(f"versions/{number}_*.py"))
    wanted = made.with_name(f"{number}_{slug}.py")
    made.rename(wanted)
    return wanted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessonkit.migrate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("revision", help="write the next migration from the change to store/tables.py's tables")
    r.add_argument("-m", "--message", required=True)
    sub.add_parser("heads", help="print the newest revision")
    args = parser.parse_args(argv)
    if args.command == "heads":
        print(head())
        return 0
    path = _new_revision(args.message)
    print(f"wrote {path}\nnext: read it, then set SCHEMA_REVISION in lessonkit/store/tables.py to {path.name[:4]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
