"""The class store as a local service, the kernels' side: `lessonkit serve` opens the store once
(lessonkit/server/service.py) and learners' kernels use it over a Unix socket.

A learner's kernel that opened the store itself would import SQLAlchemy (~12 MB and ~0.13 CPU-s per
kernel, 30 times over for a class). With `LESSONKIT_DB=lessonkit+unix:///path/store.sock` the kernel
gets a `RemoteStore` instead: the methods of lessonkit.protocols.LearnerStore, each one a JSON request to
the serving process, which runs it on its own ResponseStore. Errors come back as the same exceptions
(ActivityLocked, StoreUnavailable, ValueError, ...), and a service that cannot be reached is a
StoreUnavailable, so the learner sees "Not saved" with the answer kept.

An answer the learner is told was not saved is never saved later. Each write (an answer, a name, a join)
carries a deadline, GRACE seconds before the kernel stops waiting for the reply; the store checks it once the
write holds its locks, as the last step before the commit, and rolls the write back when it is late (a store
slowed by a lock, a busy disk, a PostgreSQL restart). So a write the kernel gave up on is always one the
store gave up on too. The deadline is a time.monotonic() value: the kernel and the service share a Unix
socket, so they run on one machine and read the same monotonic clock (Linux, macOS).

The socket sits in a folder only the serving user can open (0700); requests name a method from the
fixed list of what learners' pages use (METHODS, read from LearnerStore: no lock, reset, delete or export;
no `force`) and carry plain JSON, never code.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO, TypeGuard

from .errors import ActivityLocked, AnswerRejected, StoreUnavailable
from .protocols import LOCAL, LearnerStore
from .records import Answer, ClassSummary, Pace

if TYPE_CHECKING:
    import asyncio

    from .settings import Settings

__all__ = ["SCHEME", "METHODS", "WRITES", "TIMEOUT", "GRACE", "RemoteStore", "open_store", "is_service_url"]

SCHEME = "lessonkit+unix://"
# The store service's own requests: kind and url in one answer, and the pace held open (wait_pace_async).
SERVICE_ONLY = frozenset({"describe", "wait_pace"})


def _served_methods() -> tuple[frozenset[str], frozenset[str]]:
    """LearnerStore's methods the service answers, and which of them are writes (they take a deadline)."""
    import inspect

    names = {name for name, member in vars(LearnerStore).items()
             if inspect.isfunction(member) and not name.startswith("_")} - LOCAL
    writes = {name for name in names if "deadline" in inspect.signature(getattr(LearnerStore, name)).parameters}
    return frozenset(names | SERVICE_ONLY), frozenset(writes)


# What a learner's page may ask of the store, and nothing more (lessonkit.protocols.LearnerStore): the trainer's
# operations (lock, reset, delete, purge, export) and `force` (the trainer's own records, past a lock) need the
# database itself, which only the trainer's kernel and the `lessonkit` commands open. WRITES carry a deadline
# (see the module doc).
METHODS, WRITES = _served_methods()
TIMEOUT = 20.0          # seconds a kernel waits for one answer before saying the store is unreachable
GRACE = 5.0             # seconds between a write's deadline and the kernel giving up: room for the commit
_ERRORS: dict[str, type[Exception]] = {cls.__name__: cls for cls in (
    StoreUnavailable, AnswerRejected, ValueError, TypeError, KeyError)}


def is_service_url(url: str | None) -> TypeGuard[str]:
    return url is not None and url.startswith(SCHEME)


def open_store(url: str | None = None, *, settings: Settings, upgrade: bool = False) -> LearnerStore:
    """The store at `url`, else the one `settings` name (settings.db, from LESSONKIT_DB; else the SQLite file
    in the user data dir): a RemoteStore for a store service, else a ResponseStore with the pool sizes
    `settings` give. The entry points pass their settings (lessonkit.settings).

    upgrade=True is for the trainer's tools: an older store is migrated on first use (see ResponseStore).
    """
    if url is None:
        url = settings.db
    if is_service_url(url):
        return RemoteStore(url)
    from .store import ResponseStore  # SQLAlchemy is only imported when the kernel opens the database itself

    return ResponseStore.for_settings(settings, url, upgrade=upgrade)


# ---- the wire format: JSON, with tags for what JSON lacks ----------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, Answer):
        return {"$answer": [_encode(v) for v in value]}
    if isinstance(value, ClassSummary):
        return {"$class": [_encode(v) for v in value]}
    if isinstance(value, Pace):
        return {"$pace": [_encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and str(next(iter(value))).startswith("$"):   # a learner's own "$..." key
            return {"$map": [[k, _encode(v)] for k, v in value.items()]}
        return {k: _encode(v) for k, v in value.items()}
    return value


_TAGS: dict[str, Callable[[Any], Any]] = {
    "$dt": datetime.fromisoformat,
    "$answer": lambda v: Answer(*(_decode(x) for x in v)),
    "$class": lambda v: ClassSummary(*(_decode(x) for x in v)),
    "$pace": lambda v: Pace(*(_decode(x) for x in v)),
    "$tuple": lambda v: tuple(_decode(x) for x in v),
    "$set": lambda v: {_decode(x) for x in v},
    "$map": lambda v: {k: _decode(x) for k, x in v},
}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            tag, inner = next(iter(value.items()))
            if tag in _TAGS:
                return _TAGS[tag](inner)
        return {k: _decode(v) for k, v in value.items()}
    return value


def _dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), separators=(",", ":")).encode("utf-8") + b"\n"


# ---- the kernel's side ---------------------------------------------------------------------------
class RemoteStore:
    """LearnerStore's methods (lessonkit.protocols), run by the store service of `lessonkit serve` (see the
    module doc); nothing else: the trainer's methods are not there to call."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT) -> None:
        if not is_service_url(url):
            raise ValueError(f"not a store service address: {url!r} (expected {SCHEME}/path/to/store.sock)")
        self.path = url[len(SCHEME):]
        self._timeout = timeout
        # A write must be done this long after it is sent, well before the kernel stops waiting (GRACE, or a
        # quarter of a short timeout).
        self._write_budget = timeout - min(GRACE, timeout / 4)
        self._sock: socket.socket | None = None
        self._reader: BinaryIO | None = None
        self._lock = threading.Lock()
        self._described: dict[str, str] | None = None
        # (reader, writer, loop) for wait_pace_async, apart from the request connection
        self._pace_stream: tuple[asyncio.StreamReader, asyncio.StreamWriter, asyncio.AbstractEventLoop] | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({SCHEME}{self.path!r})"

    __str__ = __repr__

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql': the serving process's database."""
        return self._describe()["kind"]

    @property
    def url(self) -> str:
        """The serving process's database URL, password masked."""
        return self._describe()["url"]

    def _describe(self) -> dict[str, str]:
        if self._described is None:
            self._described = self._call("describe", (), {})
        return self._described

    def close(self) -> None:
        with self._lock:
            self._disconnect()
        self._drop_pace_stream()

    def _drop_pace_stream(self) -> None:
        stream, self._pace_stream = self._pace_stream, None
        if stream is not None:
            try:
                stream[1].close()
            except RuntimeError:   # its event loop has ended already
                pass

    async def wait_pace_async(self, class_code: str, seq: int, timeout: float = 25.0) -> Pace:
        """The class's pace once it differs from `seq` (the service holds the request until the trainer
        moves the class, or `timeout` seconds), on a connection of its own on the kernel's event loop."""
        import asyncio

        request = _dumps({"method": "wait_pace", "args": [class_code, seq], "kwargs": {"timeout": timeout}})
        loop = asyncio.get_running_loop()
        if self._pace_stream is not None and self._pace_stream[2] is not loop:   # a stream serves one loop
            self._drop_pace_stream()
        for attempt in (1, 2):
            try:
                if self._pace_stream is None:
                    self._pace_stream = (*await asyncio.open_unix_connection(self.path, limit=2**20), loop)
                reader, writer, _loop = self._pace_stream
                writer.write(request)
                await writer.drain()
                line = await asyncio.wait_for(reader.readline(), timeout + self._timeout)
                if not line:
                    raise ConnectionResetError("the store service closed the connection")
                reply = json.loads(line)
                break
            except (OSError, asyncio.TimeoutError, ValueError):
                self._drop_pace_stream()
                if attempt == 2:
                    raise StoreUnavailable("the class store could not be reached") from None
        if "error" in reply:
            raise _rebuild(reply["error"], reply.get("message", ""), reply.get("activity"))
        return _decode(reply["result"])

    # ---- LearnerStore's methods, each one request to the service (the writes get a deadline in _call) ----
    def submit(self, class_code: str, activity: str, learner: str, item: str, answer: Any, *,
               force: bool = False, deadline: float | None = None) -> datetime:
        """Save one answer. `force` is the trainer's and the service refuses it; the deadline is this store's."""
        return self._call("submit", (class_code, activity, learner, item, answer), _forced(force))

    def submit_many(self, class_code: str, activity: str, learner: str, answers: Mapping[str, Any], *,
                    force: bool = False, deadline: float | None = None) -> datetime:
        """Save several answers in one transaction (force and deadline as for submit)."""
        return self._call("submit_many", (class_code, activity, learner, answers), _forced(force))

    def set_display_name(self, class_code: str, learner: str, display_name: str | None, *,
                         deadline: float | None = None) -> None:
        self._call("set_display_name", (class_code, learner, display_name), {})

    def answers_for(self, class_code: str, activity: str, learner: str) -> dict[str, Any]:
        return self._call("answers_for", (class_code, activity, learner), {})

    def current(self, class_code: str, activity: str, items: Iterable[str] | None = None) -> list[Answer]:
        return self._call("current", (class_code, activity), {} if items is None else {"items": items})

    def version(self, class_code: str, activity: str) -> tuple[int, int]:
        return self._call("version", (class_code, activity), {})

    def learner_activities(self, class_code: str, learner: str) -> set[str]:
        return self._call("learner_activities", (class_code, learner), {})

    def display_names(self, class_code: str) -> dict[str, str]:
        return self._call("display_names", (class_code,), {})

    def is_locked(self, class_code: str, activity: str) -> bool:
        return self._call("is_locked", (class_code, activity), {})

    def locked(self, class_code: str) -> set[str]:
        return self._call("locked", (class_code,), {})

    def join(self, class_code: str, *, learner: str | None = None, display_name: str | None = None,
             deadline: float | None = None) -> tuple[str, str]:
        return self._call("join", (class_code,), {"learner": learner, "display_name": display_name})

    def session(self, token: str) -> tuple[str, str] | None:
        return self._call("session", (token,), {})

    def end_session(self, token: str) -> None:
        self._call("end_session", (token,), {})

    def free_learner_id(self, class_code: str) -> str:
        return self._call("free_learner_id", (class_code,), {})

    def pace(self, class_code: str) -> Pace:
        return self._call("pace", (class_code,), {})

    def warm(self) -> bool:
        return self._call("warm", (), {})

    def _call(self, method: str, args: tuple, kwargs: dict) -> Any:
        with self._lock:   # the deadline counts from now, when this request is sent, not from queueing for it
            if method in WRITES:
                kwargs = {**kwargs, "deadline": time.monotonic() + self._write_budget}
            reply = self._exchange(_dumps({"method": method, "args": list(args), "kwargs": kwargs}))
        if "error" in reply:
            raise _rebuild(reply["error"], reply.get("message", ""), reply.get("activity"))
        return _decode(reply["result"])

    def _exchange(self, request: bytes) -> dict:
        for attempt in (1, 2):
            try:
                if self._sock is None or self._reader is None:   # both or neither
                    sock, reader = self._connect()
                else:
                    sock, reader = self._sock, self._reader
                sock.sendall(request)
            except OSError:
                # not sent (the service restarted, or an old connection broke): safe to try once more
                self._disconnect()
                if attempt == 2:
                    raise StoreUnavailable("the class store could not be reached") from None
                continue
            try:
                line = reader.readline()
            except OSError:
                line = b""
            if not line:  # sent but no answer: never re-send; a write's deadline has passed, so it never happens
                self._disconnect()
                raise StoreUnavailable("the class store did not answer in time")
            return json.loads(line)
        raise AssertionError("unreachable")

    def _connect(self) -> tuple[socket.socket, BinaryIO]:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self._timeout)
        try:
            sock.connect(self.path)
        except OSError:
            sock.close()
            raise
        self._sock, self._reader = sock, sock.makefile("rb")
        return self._sock, self._reader

    def _disconnect(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self._sock is not None:
            self._sock.close()
        self._sock = self._reader = None


def _forced(force: bool) -> dict[str, Any]:
    # Sent only when asked for, so the service refuses it by name ("force is for the trainer").
    return {"force": force} if force else {}


def _rebuild(name: str, message: str, activity: str | None) -> Exception:
    if name == "ActivityLocked":
        return ActivityLocked(activity or "")
    cls = _ERRORS.get(name)
    if cls is None:
        return StoreUnavailable(f"the class store failed ({name})")
    return cls(message)


if TYPE_CHECKING:   # a type checker holds RemoteStore to the protocol it stands for
    def _is_a_learner_store(remote: RemoteStore) -> LearnerStore:
        return remote
