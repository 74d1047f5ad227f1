"""The class store as a local service: `lessonkit serve` opens the store once and learners' kernels use it
over a Unix socket.

A learner's kernel that opened the store itself would import SQLAlchemy (~12 MB and ~0.13 CPU-s per
kernel, 30 times over for a class). With `LESSONKIT_DB=lessonkit+unix:///path/store.sock` the kernel
gets a `RemoteStore` instead: the same methods as ResponseStore, each one a JSON request to the
serving process, which runs it on its own ResponseStore. Errors come back as the same exceptions
(ActivityLocked, StoreUnavailable, ValueError, ...), and a service that cannot be reached is a
StoreUnavailable, so the learner sees "Not saved" with the answer kept.

The socket sits in a folder only the serving user can open (0700); requests name a method from the
fixed list of what learners' pages use (no lock, reset, delete or export; no `force`) and carry plain
JSON, never code.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from datetime import datetime
from typing import Any, Callable

from .errors import ActivityLocked, AnswerRejected, StoreUnavailable
from .records import Answer, ClassSummary

__all__ = ["SCHEME", "METHODS", "RemoteStore", "StoreService", "open_store", "is_service_url"]

SCHEME = "lessonkit+unix://"
# What a learner's page may ask of the store, and nothing more: the trainer's operations (lock, reset,
# delete, purge, export) and `force` (the trainer's own records, past a lock) need the database itself,
# which only the trainer's kernel and the `lessonkit` commands open.
METHODS = frozenset({
    "submit", "submit_many", "set_display_name", "is_locked", "locked", "answers_for", "current", "version",
    "learner_activities", "display_names", "warm", "describe",
})
TIMEOUT = 20.0          # seconds a kernel waits for one answer before saying the store is unreachable
_ERRORS: dict[str, type[Exception]] = {cls.__name__: cls for cls in (
    StoreUnavailable, AnswerRejected, ValueError, TypeError, KeyError)}


def is_service_url(url: str | None) -> bool:
    return bool(url) and url.startswith(SCHEME)


def open_store(url: str | None = None, *, upgrade: bool = False):
    """The store at `url` (else $LESSONKIT_DB): a RemoteStore for a store service, else a ResponseStore.

    upgrade=True is for the trainer's tools: an older store is migrated on first use (see ResponseStore).
    """
    chosen = url if url is not None else os.environ.get("LESSONKIT_DB")
    if is_service_url(chosen):
        return RemoteStore(chosen)
    from .store import ResponseStore   # SQLAlchemy is only imported when the kernel opens the database itself

    return ResponseStore(url, upgrade=upgrade)


# ---- the wire format: JSON, with tags for what JSON lacks ----------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, Answer):
        return {"$answer": [_encode(v) for v in value]}
    if isinstance(value, ClassSummary):
        return {"$class": [_encode(v) for v in value]}
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
    """ResponseStore's methods, run by the store service of `lessonkit serve` (see the module doc)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT) -> None:
        if not is_service_url(url):
            raise ValueError(f"not a store service address: {url!r} (expected {SCHEME}/path/to/store.sock)")
        self.path = url[len(SCHEME):]
        self._timeout = timeout
        self._sock: socket.socket | None = None
        self._reader = None
        self._lock = threading.Lock()
        self._described: dict[str, str] | None = None

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

    def __getattr__(self, name: str) -> Any:
        if name not in METHODS:
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")
        return lambda *args, **kwargs: self._call(name, args, kwargs)

    def _call(self, method: str, args: tuple, kwargs: dict) -> Any:
        request = _dumps({"method": method, "args": list(args), "kwargs": kwargs})
        with self._lock:
            reply = self._exchange(request)
        if "error" in reply:
            raise _rebuild(reply["error"], reply.get("message", ""), reply.get("activity"))
        return _decode(reply["result"])

    def _exchange(self, request: bytes) -> dict:
        for attempt in (1, 2):
            try:
                if self._sock is None:
                    self._connect()
                self._sock.sendall(request)
            except OSError:
                # not sent (the service restarted, or an old connection broke): safe to try once more
                self._disconnect()
                if attempt == 2:
                    raise StoreUnavailable("the class store could not be reached") from None
                continue
            try:
                line = self._reader.readline()
            except OSError:
                line = b""
            if not line:  # sent but no answer: never re-send, the write may have happened
                self._disconnect()
                raise StoreUnavailable("the class store did not answer in time")
            return json.loads(line)
        raise AssertionError("unreachable")

    def _connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self._timeout)
        try:
            sock.connect(self.path)
        except OSError:
            sock.close()
            raise
        self._sock, self._reader = sock, sock.makefile("rb")

    def _disconnect(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self._sock is not None:
            self._sock.close()
        self._sock = self._reader = None


def _rebuild(name: str, message: str, activity: str | None) -> Exception:
    if name == "ActivityLocked":
        return ActivityLocked(activity or "")
    cls = _ERRORS.get(name)
    if cls is None:
        return StoreUnavailable(f"the class store failed ({name})")
    return cls(message)


# ---- the serving process's side ------------------------------------------------------------------
class StoreService:
    """Serves one ResponseStore on a Unix socket, a thread per connected kernel."""

    def __init__(self, store: Any, path: str) -> None:
        self.store = store
        self.path = path
        self._server: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._closing = threading.Event()

    @property
    def url(self) -> str:
        return SCHEME + self.path

    def start(self) -> "StoreService":
        folder = os.path.dirname(self.path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        if os.path.exists(self.path):
            os.unlink(self.path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        os.chmod(self.path, 0o600)
        server.listen(128)
        self._server = server
        threading.Thread(target=self._accept, name="lessonkit-store", daemon=True).start()
        return self

    def close(self) -> None:
        self._closing.set()
        if self._server is not None:
            try:
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
        for conn in list(self._conns):   # as if the process had ended: every kernel's connection drops
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if os.path.exists(self.path):
            os.unlink(self.path)
        try:
            os.rmdir(os.path.dirname(self.path))
        except OSError:   # not empty or not ours to remove
            pass

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="lessonkit-store-conn", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        self._conns.add(conn)
        try:
            with conn, conn.makefile("rb") as reader:
                for line in reader:
                    if self._closing.is_set():
                        return
                    conn.sendall(_dumps(self.answer(line)))
        except OSError:
            return
        finally:
            self._conns.discard(conn)

    def answer(self, line: bytes) -> dict:
        """One request line -> {"result": ...} or {"error": name, "message": ...}."""
        try:
            request = json.loads(line)
            method = request["method"]
            if method not in METHODS:
                raise ValueError(f"the store service has no method {method!r}")
            args, kwargs = _decode(request.get("args", [])), _decode(request.get("kwargs", {}))
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise ValueError("malformed store request")
            if kwargs.get("force"):
                raise ValueError("the store service takes learners' answers only (force is for the trainer)")
            if method == "describe":
                return {"result": {"kind": self.store.kind, "url": str(self.store.url)}}
            return {"result": getattr(self.store, method)(*args, **kwargs)}
        except ActivityLocked as exc:
            return {"error": "ActivityLocked", "message": str(exc), "activity": exc.activity}
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the kernel that asked
            name = next((cls.__name__ for cls in (StoreUnavailable, AnswerRejected, KeyError, TypeError, ValueError)
                         if isinstance(exc, cls)), type(exc).__name__)
            return {"error": name, "message": str(exc)}
