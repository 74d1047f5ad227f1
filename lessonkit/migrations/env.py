"""Alembic's environment, for `python -m lessonkit.migrate revision ...` (lessonkit itself runs migrations
through lessonkit.migrate, on a connection it already holds)."""

from __future__ import annotations

from alembic import context

from lessonkit.migrate import VERSION_TABLE, target_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("lessonkit's migrations run through lessonkit.migrate (see its module docstring), "
                     "not the alembic command")
context.configure(connection=connection, target_metadata=target_metadata(), version_table=VERSION_TABLE,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
