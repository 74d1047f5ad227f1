"""Helpers the store test modules share."""

from __future__ import annotations

from lessonkit.errors import StoreUnavailable


def assert_human(exc: StoreUnavailable) -> None:
    """A store failure is told in words a learner can read, with the database error kept as its cause."""
    message = str(exc)
    assert message.startswith("the class store ")
    assert len(message) < 80
    for jargon in ("sqlite", "psycopg", "OperationalError", "Traceback", "errno", "127.0.0.1"):
        assert jargon.lower() not in message.lower()
    assert exc.__cause__ is not None
