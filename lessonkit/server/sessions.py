"""Learner sessions under `lessonkit serve`: joining, the session cookie, who owns which kernel, limits.

A learner joins once (the join page: class code, optional name, a made-up name). The store makes a
session with a secret token (256 random bits; the store keeps only its hash) and this server hands it
to the browser as an HttpOnly cookie, kept for the class's retention period. Every page of the lesson
then needs that cookie: without it the browser is sent to the join page and no kernel is started.
The pseudonym ("Calm Koala 23") is only a public label: an address naming it grants nothing.

The server tells a page's kernel which session it serves in a request header it sets itself (any
value the browser sent is replaced); the kernel checks the token with the store again before it
shows or saves anything. Each kernel belongs to the session that opened it: only that session may
connect to it or shut it down, a session may hold a few kernels at once (tabs, a phone and a laptop)
and the whole class a bounded number, past which the page says "The class is full: ask your trainer"
instead of the machine running out of memory.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..records import token_hash
from ..settings import Settings

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["SessionSettings", "Sessions", "OWNER", "IN_POOL", "KERNEL_HEADER", "token_hash", "render_page",
           "join_url", "safe_next"]

# The request header the server sets for the kernel (Voila passes it on as HTTP_X_LESSONKIT_SESSION).
KERNEL_HEADER = "X-Lessonkit-Session"
# Set while a learner's page request starts or takes a kernel, so the kernel manager can record its owner.
OWNER: contextvars.ContextVar[str | None] = contextvars.ContextVar("lessonkit_owner", default=None)
# Set while the pool starts a kernel ahead of the class: that kernel belongs to nobody yet.
IN_POOL: contextvars.ContextVar[bool] = contextvars.ContextVar("lessonkit_in_pool", default=False)
_NEXT_RE = re.compile(r"voila/render/[A-Za-z0-9_.-]+\.ipynb")
_CACHE_SECONDS = 10.0     # a session checked with the store is trusted this long (a "forget" takes effect after it)
STALE_SECONDS = 20.0      # a kernel with no page connected this long may be shut down to admit a new page


@dataclass
class SessionSettings:
    """How `lessonkit serve` runs sessions (written to voila.json as the ClassroomVoila section)."""

    class_code: str
    port: int
    session_notebook: str = "lesson.ipynb"
    per_learner: int = 3          # kernels one session may hold: two devices and a reload in flight
    max_kernels: int = 60         # kernels all learners together may hold
    keep_days: int = 30           # the cookie lasts as long as the class's answers are kept

    @property
    def cookie(self) -> str:
        # Cookies ignore the port: two lessons served on one computer must not overwrite each other's.
        return f"lk_session_{self.port}"


@dataclass
class _Kernel:
    owner: str                    # token hash of the session that opened it
    since: float = field(default_factory=time.monotonic)
    seen: float = field(default_factory=time.monotonic)   # last message from the learner's page


class Sessions:
    """The serving process's view of sessions: tokens checked against the store, kernels' owners."""

    def __init__(self, settings: SessionSettings, store: Settings | None = None) -> None:
        """`store`: the serving process's settings, naming the store (LESSONKIT_DB: under `lessonkit serve`,
        its store service); without them, the defaults (lessonkit.settings)."""
        self.settings = settings
        self._store_settings = store if store is not None else Settings()
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lessonkit-sessions")
        self._cache: dict[str, tuple[float, tuple[str, str] | None]] = {}
        self.kernels: dict[str, _Kernel] = {}
        self.closing = ShutdownQueue()

    # ---- the store, off the event loop (every call is a small request to the store service)
    def _store(self) -> LearnerStore:
        store = getattr(self._local, "store", None)
        if store is None:
            from ..service import open_store

            store = self._local.store = open_store(settings=self._store_settings)
        return store

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: getattr(self._store(), method)(*args, **kwargs))

    async def who(self, token: str | None) -> tuple[str, str] | None:
        """(class code, learner id) for a live session token of the served class, else None."""
        if not token or len(token) > 200:
            return None
        key = token_hash(token)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = await self._call("session", token)
        found = tuple(found) if found and found[0] == self.settings.class_code else None
        self._cache[key] = (now + _CACHE_SECONDS, found)
        if len(self._cache) > 5000:   # forget the oldest checks; a real class has a few dozen sessions
            for old in sorted(self._cache, key=lambda k: self._cache[k][0])[:1000]:
                self._cache.pop(old, None)
        return found

    async def join(self, learner: str | None, name: str | None) -> tuple[str, str]:
        """A new session in the served class: (learner id, token)."""
        return tuple(await self._call("join", self.settings.class_code, learner=learner, display_name=name))

    async def leave(self, token: str) -> None:
        self._cache.pop(token_hash(token), None)
        await self._call("end_session", token)

    async def propose_learner(self) -> str:
        """A made-up name nobody in the class has yet, for the join form."""
        return await self._call("free_learner_id", self.settings.class_code)

    # ---- kernels and who owns them
    def own(self, kernel_id: str, token: str) -> None:
        self.kernels[kernel_id] = _Kernel(token_hash(token))

    def forget(self, kernel_id: str) -> None:
        self.kernels.pop(kernel_id, None)

    def owns(self, token: str | None, kernel_id: str) -> bool:
        kernel = self.kernels.get(kernel_id)
        return bool(token and kernel is not None and kernel.owner == token_hash(token))

    def touch(self, kernel_id: str) -> None:
        kernel = self.kernels.get(kernel_id)
        if kernel is not None:
            kernel.seen = time.monotonic()

    def kernels_of(self, token: str) -> list[str]:
        owner = token_hash(token)
        return [kid for kid, k in self.kernels.items() if k.owner == owner]

    async def admit(self, token: str, manager: Any) -> str | None:
        """Make room for one more page of this session; None when admitted, else why not (for the full page).

        Kernels whose page has gone (no connection for STALE_SECONDS: a closed tab whose goodbye never
        arrived, a phone that slept) are shut down first, the learner's own before anyone else's.
        """
        def stale(kids: list[str]) -> list[str]:
            connections = getattr(manager, "_kernel_connections", {})
            now = time.monotonic()
            found = [kid for kid in kids if not connections.get(kid, 0)
                     and now - self.kernels[kid].seen > STALE_SECONDS and now - self.kernels[kid].since > STALE_SECONDS]
            return sorted(found, key=lambda kid: self.kernels[kid].seen)

        mine = self.kernels_of(token)
        for kid in stale(mine)[: max(0, len(mine) - self.settings.per_learner + 1)]:
            await _shutdown(manager, kid, self)
        if len(self.kernels_of(token)) >= self.settings.per_learner:
            return (f"This lesson is already open in {self.settings.per_learner} tabs or devices for you. Close one "
                    "of them, then reload this page.")
        if len(self.kernels) >= self.settings.max_kernels:
            for kid in stale(list(self.kernels))[: len(self.kernels) - self.settings.max_kernels + 1]:
                await _shutdown(manager, kid, self)
        if len(self.kernels) >= self.settings.max_kernels:
            return (f"All {self.settings.max_kernels} places on this computer are taken, so no more pages can be "
                    "opened for now.")
        return None


class ShutdownQueue:
    """Kernels of closed pages are shut down one after another, `spacing` seconds apart.

    A class closing its laptops at the end closes 30 tabs in the same second; 30 kernels exiting at once
    keep a 2-core machine busy for seconds and the server stops answering. Nobody waits for a closed
    page's kernel, so its shutdown can wait its turn.
    """

    def __init__(self, spacing: float = 0.3) -> None:
        self.spacing = spacing
        self._queue: asyncio.Queue | None = None
        self._worker: asyncio.Task | None = None

    def put(self, manager: Any, kernel_id: str) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue()
        self._queue.put_nowait((manager, kernel_id))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._work())

    async def _work(self) -> None:
        while self._queue is not None and not self._queue.empty():
            manager, kernel_id = self._queue.get_nowait()
            try:
                if kernel_id in manager:
                    await manager.shutdown_kernel(kernel_id)
            except (KeyError, RuntimeError):   # already gone
                pass
            await asyncio.sleep(self.spacing)


async def _shutdown(manager: Any, kernel_id: str, sessions: Sessions) -> None:
    sessions.forget(kernel_id)
    try:
        await manager.shutdown_kernel(kernel_id)
    except (KeyError, RuntimeError):   # already gone
        pass


# ---- pages this server draws itself (no kernel): join, leave, full -------------------------------
@lru_cache(maxsize=1)
def _templates():
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("lessonkit.server", "templates"), autoescape=True)


def render_page(template: str, **values: Any) -> str:
    """One of the server's own pages (templates/), every value escaped."""
    return _templates().get_template(template).render(**values)


def join_url(base_url: str, *, next_path: str | None = None, class_code: str | None = None,
             message: str | None = None) -> str:
    """The join page's address, carrying where to go afterwards."""
    query = {k: v for k, v in (("next", next_path), ("class", class_code), ("m", message)) if v}
    return base_url.rstrip("/") + "/join" + (f"?{urlencode(query)}" if query else "")


def safe_next(base_url: str, value: str | None, default: str) -> str:
    """Only a lesson page of this server may follow the join page (no open redirect)."""
    base = base_url.rstrip("/") + "/"
    if value and value.startswith(base) and _NEXT_RE.fullmatch(value[len(base):]):
        return value
    return default
