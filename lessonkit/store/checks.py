"""Checking and encoding what goes into the store: keys, answers as JSON text, display names, deadlines."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any

from ..errors import StoreUnavailable
from ..identity import showable

__all__ = ["MAX_KEY_CHARS", "MAX_ANSWER_CHARS", "MAX_DISPLAY_NAME_CHARS", "TOO_LATE"]

MAX_KEY_CHARS = 64
MAX_ANSWER_CHARS = 20_000
MAX_DISPLAY_NAME_CHARS = 60
# Why a write that could not be made before its deadline was given up (rolled back, never saved).
TOO_LATE = "the class store did not answer in time"


def _check_deadline(deadline: Any) -> None:
    if deadline is not None and (isinstance(deadline, bool) or not isinstance(deadline, (int, float))):
        raise ValueError(f"deadline must be a time.monotonic() value or None, got {deadline!r}")


def _in_time(deadline: float | None) -> None:
    """Refuse (inside a transaction: roll back) a write whose deadline has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise StoreUnavailable(TOO_LATE)


def _shown_name(name: str | None) -> str | None:
    """A stored display name as it may be shown: without direction or control characters; None when blank."""
    return (showable(name) or None) if name else None


def _checked_name(display_name: str | None) -> str | None:
    """A display name as stored: on one line without direction or control characters (identity.showable),
    None when blank; refused when too long or not text."""
    if display_name is None:
        return None
    if not isinstance(display_name, str):
        raise ValueError(f"display_name must be a str or None, got {type(display_name).__name__}")
    display_name = showable(display_name) or None
    if display_name is not None:
        _check_text("display_name", display_name)
        if len(display_name) > MAX_DISPLAY_NAME_CHARS:
            raise ValueError(f"display_name is {len(display_name)} characters; the limit is {MAX_DISPLAY_NAME_CHARS}")
    return display_name


def _check_text(name: str, value: str) -> None:
    if "\x00" in value:
        raise ValueError(f"{name} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{name} is not valid Unicode text ({exc.reason})") from None


def _check_key(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > MAX_KEY_CHARS:
        raise ValueError(f"{name} is {len(value)} characters; the limit is {MAX_KEY_CHARS}")
    _check_text(name, value)


def _encode(item: str, answer: Any) -> str:
    try:
        _check_keys_are_str(answer)
        # ensure_ascii=False so the length limit counts characters, not \\uXXXX escapes.
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(
            f"answer for item {item!r} must be JSON data (str, number, bool, None, list, dict): "
            f"{exc}") from None
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(
            f"answer for item {item!r} is {len(text)} characters as JSON; "
            f"the limit is {MAX_ANSWER_CHARS}")
    _check_text(f"answer for item {item!r}", text)
    return text


def _check_keys_are_str(value: Any) -> None:
    # json.dumps turns {1: x} into {"1": x}; the restored answer would not equal the submitted one.
    if isinstance(value, dict):
        for key, inner in value.items():
            if not isinstance(key, str):
                raise TypeError(f"dict keys must be str, got {type(key).__name__} {key!r}")
            _check_keys_are_str(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            _check_keys_are_str(inner)


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; we only ever store UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
