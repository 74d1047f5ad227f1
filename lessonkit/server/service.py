"""The store service: `lessonkit serve` opens the class store once and answers learners' kernels (and its
own Voila) over a Unix socket; lessonkit/service.py is the kernels' side (RemoteStore).

The socket sits in a folder only the serving user can open (0700). Requests name a method from the
fixed list of what learners' pages use (no lock, reset, delete or export; no `force`) and carry plain
JSON, never code. Only the class being served is answered: an answer, a name or a session for any other
class code is refused, whatever a page asks for. Every write (lessonkit.service.WRITES) runs with a deadline:
the kernel's, never more than WRITE_BUDGET seconds away; a write the store cannot make by then is rolled back
(the kernel has told the learner "Not saved", or is about to).

The trainer moves the class from the dashboard, whose kernel writes the pace to the database itself;
a watcher here reads it five times a second and wakes every kernel waiting in `wait_pace`, so pages
follow the trainer within a fraction of a second without each polling the database.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from ..errors import ActivityLocked, AnswerRejected, StoreUnavailable
from ..records import Pace
from ..service import GRACE, METHODS, SCHEME, TIMEOUT, WRITES, _decode, _dumps

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["StoreService", "PaceWatch", "UNSCOPED"]

# Methods that take no class code: the session lookups check the class themselves, the others have none.
UNSCOPED = frozenset({"session", "end_session", "warm", "describe"})
WAIT_LIMIT = 30.0     # s: the longest a kernel may hold a wait_pace request open
WRITE_BUDGET = TIMEOUT - GRACE   # s: the latest deadline a write gets (also for a request that brings none)


class PaceWatch:
    """Reads the served class's pace every `interval` seconds and wakes whoever waits for a change."""

    def __init__(self, store: LearnerStore, class_code: str, interval: float = 0.2) -> None:
        self._store, self._class, self._interval = store, class_code, interval
        self._changed = threading.Condition()
        self._pace: Pace | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PaceWatch:
        self._thread = threading.Thread(target=self._run, name="lessonkit-pace", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pace = self._store.pace(self._class)
            except StoreUnavailable:
                pace = None
            if pace is not None and pace != self._pace:
                with self._changed:
                    self._pace = pace
                    self._changed.notify_all()
            self._stop.wait(self._interval)

    def wait(self, seq: int, timeout: float) -> Pace:
        """The pace once its number differs from `seq`, or as it is after `timeout` seconds."""
        deadline = time.monotonic() + min(max(timeout, 0.0), WAIT_LIMIT)
        with self._changed:
            while not self._stop.is_set():
                if self._pace is not None and self._pace.seq != seq:
                    return self._pace
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            if self._pace is not None:
                return self._pace
        return self._store.pace(self._class)


class StoreService:
    """Serves one ResponseStore on a Unix socket, a thread per connected kernel, for one class."""

    def __init__(self, store: LearnerStore, path: str, class_code: str | None = None) -> None:
        self.store = store
        self.path = path
        self.class_code = class_code
        self._server: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._closing = threading.Event()
        self._pace = PaceWatch(store, class_code) if class_code else None

    @property
    def url(self) -> str:
        return SCHEME + self.path

    def start(self) -> StoreService:
        folder = os.path.dirname(self.path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        if os.path.exists(self.path):
            os.unlink(self.path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        os.chmod(self.path, 0o600)
        server.listen(256)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), name="lessonkit-store", daemon=True).start()
        if self._pace is not None:
            self._pace.start()
        return self

    def close(self) -> None:
        self._closing.set()
        if self._pace is not None:
            self._pace.stop()
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

    def _accept(self, server: socket.socket) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = server.accept()
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
        import json

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
            self._check_class(method, args, kwargs)
            if method in WRITES:
                kwargs["deadline"] = _deadline(kwargs.get("deadline"))
            if method == "wait_pace":
                return {"result": self._wait_pace(*args, **kwargs)}
            result = getattr(self.store, method)(*args, **kwargs)
            if method == "session" and result is not None and self.class_code and result[0] != self.class_code:
                result = None   # a session of another class grants nothing here
            return {"result": result}
        except ActivityLocked as exc:
            return {"error": "ActivityLocked", "message": str(exc), "activity": exc.activity}
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the kernel that asked
            name = next((cls.__name__ for cls in (StoreUnavailable, AnswerRejected, KeyError, TypeError, ValueError)
                         if isinstance(exc, cls)), type(exc).__name__)
            return {"error": name, "message": str(exc)}

    def _check_class(self, method: str, args: list, kwargs: dict) -> None:
        if self.class_code is None or method in UNSCOPED:
            return
        code = args[0] if args else kwargs.get("class_code")
        if code != self.class_code:
            raise AnswerRejected("this lesson takes answers for the class being taught here only "
                                 f"(class {self.class_code})")

    def _wait_pace(self, class_code: str, seq: int, timeout: float = 25.0) -> Pace:
        if self._pace is None:
            return self.store.pace(class_code)
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(timeout, (int, float)):
            raise ValueError("wait_pace takes a whole-number seq and a timeout in seconds")
        return self._pace.wait(seq, float(timeout))


def _deadline(asked: Any) -> float:
    """A write's deadline: the kernel's (a time.monotonic() value), never later than WRITE_BUDGET from now."""
    latest = time.monotonic() + WRITE_BUDGET
    if asked is None:
        return latest
    if isinstance(asked, bool) or not isinstance(asked, (int, float)):
        raise ValueError(f"a write's deadline must be a time.monotonic() value, got {asked!r}")
    return min(float(asked), latest)
