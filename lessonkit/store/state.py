"""What schema a store has: its recorded revision, lessonkit 0.1.0's unstamped tables, or nothing yet."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import StoreUnavailable
from .tables import _LEGACY, _LEGACY_TABLES, VERSION_TABLE, _metadata


def _schema_state(conn: Connection) -> str | None:
    """The store's recorded schema revision, _LEGACY for 0.1.0's unstamped tables, None for an empty store."""
    names = set(sa.inspect(conn).get_table_names())
    if VERSION_TABLE in names:
        found = list(conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
        if len(found) > 1:
            raise StoreUnavailable(f"the class store records several schema revisions ({', '.join(found)}); "
                                   "it was changed by hand: restore its backup")
        if found:
            return found[0]
    return _LEGACY if any(name in names for name in _metadata.tables) else None


def _missing_tables(conn: Connection) -> list[str]:
    names = set(sa.inspect(conn).get_table_names())
    return [name for name in _metadata.tables if name not in names]


def _check_legacy(conn: Connection) -> None:
    """An unstamped store must have every 0.1.0 table to be recognised as revision 0001."""
    names = set(sa.inspect(conn).get_table_names())
    missing = sorted(set(_LEGACY_TABLES) - names)
    if missing:
        raise StoreUnavailable(f"the class store has some lessonkit tables but not {', '.join(missing)}: it is not "
                               "a store lessonkit made; restore its backup or use a new store")
