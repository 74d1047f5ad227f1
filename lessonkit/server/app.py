"""The Voila that `lessonkit serve` runs, made for a class of learners who stay for the whole session.

Voila starts a kernel for every page view, replaces a pooled kernel the moment it is taken (30
learners arriving together start 30 more kernels at once), refuses the shutdown a closing page asks
for (its `_xsrf` cookie is never set, voila#1458), and counts every message a kernel sends as
activity, so a closed tab whose board redraws itself is never culled. Here:

- kernels belong to learner sessions (sessions.py): a page needs the session cookie, its kernel is
  shut down when the page closes, culling counts only what the learner's page sends, and there is a
  limit per learner and for the whole class;
- pooled kernels are started one at a time, `spacing` seconds apart; `class_size` are started before
  the class arrives, and once learners have taken them only `standby` spares are kept;
- page templates are compiled once per server, responses are gzip-compressed (each script once,
  before the class arrives), and scripts whose names carry a version are cached by browsers for a
  year, so a learner's second page downloads almost nothing.

Run as `python -m lessonkit.server.app` with Voila's arguments; `lessonkit serve` writes the settings
to voila.json (the LessonkitKernelManager and ClassroomVoila sections).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

__all__ = ["main", "classroom_factory", "cached_gzip", "share_compiled_templates", "cache_lifetime"]

YEAR = 365 * 24 * 3600
# A file whose name or address carries its version: a content hash in the name (webpack's
# 496.ad7666673ba278088e95.js) or Voila's ?v=<hash>. Such a file never changes under the same address.
_VERSIONED = re.compile(r"(?:[.-][0-9a-f]{16,}\.(?:js|css|woff2?|ttf|svg|png)$)")


HOUR = 3600


def cache_lifetime(path: str, query: str) -> int | None:
    """Seconds a browser may keep a static file without asking again: a year if its name or address
    carries its version, an hour for the other static files (Voila's own chunks, lessonkit's script: they
    change only with an upgrade, and after the hour the browser checks its copy with the ETag); None for
    anything else (pages, the API)."""
    if "/static/" not in path and "/labextensions/" not in path:
        return None
    if _VERSIONED.search(path) or re.search(r"(?:^|&)v=[0-9a-f]{8,}", query or ""):
        return YEAR
    return HOUR


PLOTLY_JS_PATH = "voila/static/lessonkit/plotly.min.js"


def _plotly_folder() -> Path | None:
    """The plotly package's package_data folder (plotly.min.js), found without importing plotly."""
    from importlib.util import find_spec

    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


def plotly_js_address() -> str:
    """plotly.js's address below the base URL, versioned (?v=) so browsers keep it for a year."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("plotly")
    except PackageNotFoundError:
        v = "0"
    return f"{PLOTLY_JS_PATH}?v={hashlib.sha1(v.encode()).hexdigest()[:12]}"


def classroom_factory(base_factory):
    """Wrap voila's kernel-manager factory: learner activity, kernel owners and the classroom pool."""

    def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
        manager = base_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
        from jupyter_server._tz import utcnow
        from tornado.ioloop import IOLoop
        from traitlets import Float, Int

        from .sessions import IN_POOL, OWNER

        # Voila's manager class is made at run time by its factory: mypy cannot check a base chosen at run time.
        class LearnerKernels(manager):  # type: ignore[misc,valid-type]
            """Kernels whose activity is what the learner's page sends, each owned by one session."""

            def track_message_type(self, message_type: str) -> bool:
                # A kernel's own messages (board redraws, polling) are not activity: only the learner's
                # (record_learner_activity, called by the websocket handler for each message it relays).
                return False

            def start_watching_activity(self, kernel_id: str) -> None:
                """Watch a kernel's messages only until it has started.

                jupyter_server subscribes to every message a kernel sends, a second time, to tell when it
                was last active and whether it is busy; neither counts here (the learner's own messages
                are the activity, and a busy page kernel is still culled), yet decoding them was about a
                seventh of this server's work while a class answers. The watch ends at the kernel's
                first status after starting, when its state becomes "idle" as jupyter_server's would."""
                super().start_watching_activity(kernel_id)
                kernel = self._kernels[kernel_id]
                stream = kernel._activity_stream
                parse = kernel.session.unpack

                def until_started(msg_list: list) -> None:
                    _, parts = kernel.session.feed_identities(msg_list)
                    if len(parts) < 5 or parse(parts[1]).get("msg_type") != "status":
                        return
                    if parse(parts[4]).get("execution_state") == "starting":
                        return
                    if kernel.execution_state == "starting":
                        kernel.execution_state = "idle"
                    if kernel._activity_stream is stream:
                        kernel._activity_stream = None
                        stream.on_recv(None)
                        IOLoop.current().add_callback(stream.close)

                stream.on_recv(until_started)

            def record_learner_activity(self, kernel_id: str) -> None:
                kernel = self._kernels.get(kernel_id)
                if kernel is not None:
                    self.last_kernel_activity = kernel.last_activity = utcnow()

            async def cull_kernel_if_idle(self, kernel_id: str):
                kernel = self._kernels.get(kernel_id)
                if kernel is None:
                    return None
                unset = kernel._trait_values.get("last_activity") is None
                if unset and getattr(kernel, "execution_state", None) != "dead":
                    return None   # still starting: jupyter_server would raise on its unset last_activity
                return await super().cull_kernel_if_idle(kernel_id)

            def _lk_sessions(self):
                parent = getattr(self, "parent", None)
                app = getattr(parent, "app", None)
                return app.settings.get("lessonkit_sessions") if app is not None else None

            def _lk_own(self, kernel_id: str) -> None:
                token = OWNER.get()
                sessions = self._lk_sessions()
                if token and sessions is not None and not IN_POOL.get():
                    sessions.own(kernel_id, token)

            async def start_kernel(self, *args: Any, **kwargs: Any):
                kernel_id = await super().start_kernel(*args, **kwargs)
                self._lk_own(kernel_id)   # a learner's page with no pooled kernel left: theirs from the start
                return kernel_id

            async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any):
                sessions = self._lk_sessions()
                if sessions is not None:
                    sessions.forget(kernel_id)
                return await super().shutdown_kernel(kernel_id, *args, **kwargs)

        if not preheat_kernel:
            return LearnerKernels

        class LessonkitKernelManager(LearnerKernels):
            class_size = Int(30, config=True, help="Learners expected; kernels kept ready before they arrive.")
            standby = Int(3, config=True, help="Spare kernels kept once the class has taken its kernels.")
            spacing = Float(1.0, config=True, help="Seconds between two kernel starts for the pool.")
            # Voila's trait, declared for mypy only (no new trait): notebook name (None: Voila's default) -> pool
            kernel_pools_config: dict[str | None, Any]

            def __init__(self, **kwargs: Any) -> None:
                self._lk_taken: dict[str, set[str]] = {}
                self._lk_ever: dict[str, int] = {}    # kernels ever taken, per notebook
                self._lk_gate: asyncio.Lock | None = None
                super().__init__(**kwargs)

            # -- how many to keep ready
            def _lk_target(self, notebook_name: str | None) -> int:
                """class_size ready before the class arrives; as learners take them, fewer; once the class has
                arrived (and after it has gone home), only the standby spares."""
                config = self.kernel_pools_config
                configured = config.get(notebook_name, config.get("default", {})).get("pool_size", 0)
                if configured <= 0:
                    return 0
                name = notebook_name or ""
                taken = max(len(self._lk_taken.get(name, ())), self._lk_ever.get(name, 0))
                return min(configured, max(self.standby, self.class_size - taken))

            def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
                target = self._lk_target(notebook_name)
                config = dict(self.kernel_pools_config)
                entry = dict(config.get(notebook_name, config.get("default", {})))
                if entry.get("pool_size", 0) > 0:
                    # Voila reads the pool size from this dict on every fill: give it today's target.
                    saved, entry["pool_size"] = self.kernel_pools_config, target
                    self.kernel_pools_config = {**config, notebook_name: entry}
                    try:
                        return super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)
                    finally:
                        self.kernel_pools_config = saved
                return super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)

            async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
                # Count the kernel as taken before the refill that Voila triggers inside this call.
                taken = self._lk_taken.setdefault(notebook_name, set())
                pending = f"pending-{len(taken)}-{id(args)}"
                taken.add(pending)
                self._lk_ever[notebook_name] = self._lk_ever.get(notebook_name, 0) + 1
                try:
                    task, cache, kernel_id = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
                finally:
                    taken.discard(pending)
                taken.add(kernel_id)
                self._lk_own(kernel_id)   # the pooled kernel now belongs to the learner who asked
                return task, cache, kernel_id

            async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any):
                for taken in self._lk_taken.values():
                    taken.discard(kernel_id)
                return await super().shutdown_kernel(kernel_id, *args, **kwargs)

            async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any):
                if kernel_id is not None:  # a restart of a kernel already in use: no waiting
                    return await super()._initialize(notebook_path, kernel_id, **kwargs)
                IN_POOL.set(True)   # this task's own context: the kernel belongs to nobody until taken
                if self._lk_gate is None:
                    self._lk_gate = asyncio.Lock()
                async with self._lk_gate:  # one new pooled kernel at a time, `spacing` apart
                    started = await super()._initialize(notebook_path, None, **kwargs)
                    await asyncio.sleep(self.spacing)
                return started

        return LessonkitKernelManager

    return factory


def cached_gzip(base):
    """tornado's gzip transform, but a static file is compressed once and its bytes reused, and a
    versioned one is marked cacheable for a year.

    Every learner's browser fetches the same ~5 MB of scripts; compressing them anew for each
    learner costs the server ~0.4 CPU-s per page, a whole class's worth at the start of an
    activity. A response is reused only for the same URL with the same ETag (a hash of the file),
    so a changed file is compressed afresh.
    """

    # tornado's transform class is passed in at run time: mypy cannot check a base chosen at run time.
    class CachedGzip(base):  # type: ignore[misc,valid-type]
        cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        cache_bytes = 0
        limit = 64 * 2**20

        def __init__(self, request) -> None:
            super().__init__(request)
            self._uri = request.path or ""   # the same file under ?v=...: same ETag, same bytes
            self._lifetime = cache_lifetime(self._uri, request.query)
            self._key: tuple[str, str] | None = None
            self._parts: list[bytes] | None = None
            self._reused = False

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if self._lifetime and status_code in (200, 304):
                headers["Cache-Control"] = (f"public, max-age={self._lifetime}, immutable" if self._lifetime == YEAR
                                            else f"public, max-age={self._lifetime}")
            etag = headers.get("Etag")
            static = "/static/" in self._uri or "/labextensions/" in self._uri
            if self._gzipping and status_code == 200 and etag and static and "Content-Encoding" not in headers:
                self._key = (self._uri, etag)
                found = self.cache.get(self._key)
                if found is not None:
                    headers["Vary"] = "Accept-Encoding"
                    headers["Content-Encoding"] = "gzip"
                    headers["Content-Length"] = str(len(found))
                    self._reused = True
                    return status_code, headers, found
            status_code, headers, out = super().transform_first_chunk(status_code, headers, chunk, finishing)
            if self._key is not None and self._gzipping:
                self._parts = [out]
                if finishing:
                    self._keep()
            return status_code, headers, out

        def transform_chunk(self, chunk, finishing):
            if self._reused:
                return b""   # the cached response already holds the whole file
            out = super().transform_chunk(chunk, finishing)
            if self._parts is not None:
                self._parts.append(out)
                if finishing:
                    self._keep()
            return out

        def _keep(self) -> None:
            body, self._parts = b"".join(self._parts or ()), None
            if self._key is None:   # parts are only collected for a response with a key
                return
            cls = type(self)
            cls.cache[self._key] = body
            cls.cache_bytes += len(body)
            while cls.cache_bytes > cls.limit and cls.cache:
                _, old = cls.cache.popitem(last=False)
                cls.cache_bytes -= len(old)

    return CachedGzip


def share_compiled_templates(exporter_class) -> None:
    """Compile each page template once per server, not once per page.

    Voila renders every page with a fresh Jinja environment, which parses and compiles the page's
    templates again: ~40% of the server's time when a class arrives. Jinja's bytecode cache keys
    by template file and checks the source's checksum, so a changed template is compiled afresh.
    """
    import jinja2

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self._code: dict[str, bytes] = {}

        def load_bytecode(self, bucket) -> None:
            code = self._code.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket) -> None:
            self._code[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    create = exporter_class._create_environment

    def _create_environment(self):
        environment = create(self)
        environment.bytecode_cache = cache
        return environment

    exporter_class._create_environment = _create_environment


def _replace_handlers(handlers: list, swaps: dict) -> list:
    """Voila's route list with some handler classes swapped for ours (same routes, same arguments)."""
    out = []
    for entry in handlers:
        entry = tuple(entry)
        if len(entry) >= 2 and entry[1] in swaps:
            entry = (entry[0], swaps[entry[1]], *entry[2:])
        out.append(entry)
    return out


def main() -> None:
    import voila.app
    from jupyter_server.services.kernels.handlers import KernelHandler
    from traitlets import Bool, Int, Unicode
    from voila.exporter import VoilaExporter
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    from ..settings import process_settings
    from . import handlers as lk
    from .ports import KernelPorts
    from .sessions import Sessions, SessionSettings

    share_compiled_templates(VoilaExporter)

    voila.app.voila_kernel_manager_factory = classroom_factory(voila.app.voila_kernel_manager_factory)

    class ClassroomVoila(voila.app.Voila):
        """Voila for a class: learner sessions, gzip-compressed and cached scripts, see the module doc.

        (Voila's `tornado_settings` are applied after the application is built, too late for
        tornado's compression, so the setting goes in here.)
        """

        lessonkit_class = Unicode("", config=True, help="The class served: learner sessions are on when set.")
        session_notebook = Unicode("lesson.ipynb", config=True, help="The page learners land on after joining.")
        per_learner = Int(3, config=True, help="Kernels one learner may hold at once (tabs and devices).")
        max_kernels = Int(60, config=True, help="Kernels all learners together may hold.")
        keep_days = Int(30, config=True, help="How long a learner's browser keeps their session.")
        show_tree = Bool(False, config=True, help="List the notebooks at /voila/tree.")

        def init_settings(self) -> dict:
            KernelPorts.install(parent=self)   # before the first kernel: see ports.py
            settings = super().init_settings()
            settings["compress_response"] = True
            if self.lessonkit_class:
                # the serving process is an edge: its settings name the class's store (the store service)
                settings["lessonkit_sessions"] = Sessions(SessionSettings(
                    class_code=self.lessonkit_class, port=self.port, session_notebook=self.session_notebook,
                    per_learner=self.per_learner, max_kernels=self.max_kernels, keep_days=self.keep_days),
                    process_settings())
            return settings

        def init_handlers(self) -> list:
            swaps = {TornadoVoilaHandler: lk.SessionRenderHandler,
                     VoilaShutdownKernelHandler: lk.SessionShutdownHandler,
                     VoilaKernelWebsocketHandler: lk.LearnerKernelSocket,
                     KernelHandler: lk.OwnerKernelHandler}
            handlers = _replace_handlers(super().init_handlers(), swaps)
            from jupyter_server.utils import url_path_join
            from tornado.web import StaticFileHandler

            plotly = _plotly_folder()
            if plotly is not None:   # notebook 08's charts: plotly.js from here, not from a CDN (before Voila's own)
                folder = PLOTLY_JS_PATH.rsplit("/", 1)[0]
                handlers = [(url_path_join(self.server_url, f"/{folder}/(plotly\\.min\\.js)"), StaticFileHandler,
                             {"path": str(plotly)}), *handlers]
            if not self.lessonkit_class:
                return handlers

            # The root address is the join page (what students type from the projector), not a file list.
            handlers = [h for h in handlers if not (h[1] is TornadoVoilaTreeHandler and h[0] == self.server_url)]
            if not self.show_tree:
                handlers = [h for h in handlers if h[1] is not TornadoVoilaTreeHandler]
            return [(url_path_join(self.server_url, r"/?"), lk.JoinHandler),
                    (url_path_join(self.server_url, r"/join"), lk.JoinHandler),
                    (url_path_join(self.server_url, r"/leave"), lk.LeaveHandler), *handlers]

        def listen(self) -> None:
            from tornado.ioloop import IOLoop
            from tornado.web import GZipContentEncoding

            gzip = cached_gzip(GZipContentEncoding)
            self.app.transforms = [gzip if t is GZipContentEncoding else t for t in self.app.transforms]
            IOLoop.current().add_callback(self._lk_warm)   # runs once the server is listening
            from tornado.ioloop import PeriodicCallback

            from ..memory import give_back

            # Relaying a class's messages churns memory: hand what is free back every half minute (~ms).
            PeriodicCallback(lambda: give_back(collect=False), 30_000).start()
            super().listen()

        def _lk_static_files(self) -> list[str]:
            """Every script and stylesheet a page may load (URL paths below the base URL)."""
            from pathlib import Path

            from jupyter_core.paths import jupyter_path

            folders = [("voila/static", p) for p in self.static_paths]
            folders += [(f"voila/labextensions/{name}/static", Path(root) / name / "static")
                        for root in self.labextensions_path for name in self.voila_configuration.extension_allowlist]
            template = self.voila_configuration.template
            folders += [(f"voila/templates/{template}/static", p)
                        for p in jupyter_path("voila", "templates", template, "static")]
            found: dict[str, None] = {}
            for prefix, folder in folders:
                folder = Path(folder)
                if folder.is_dir():
                    for f in sorted(folder.iterdir()):
                        if f.suffix in (".js", ".css") and f.is_file():
                            found.setdefault(f"{prefix}/{f.name}")
            if _plotly_folder() is not None:
                found.setdefault(PLOTLY_JS_PATH)   # notebook 08's charts (4.8 MB, 1.4 MB compressed)
            return list(found)

        async def _lk_warm(self) -> None:
            """Compress the page scripts before the class arrives: a class opening pages together
            would otherwise have the same files compressed once per learner."""
            from tornado.httpclient import AsyncHTTPClient, HTTPClientError

            host = "127.0.0.1" if self.ip in ("", "0.0.0.0", "::") else self.ip
            base = f"http://{host}:{self.port}{self.base_url}"
            client, done = AsyncHTTPClient(), 0
            for path in self._lk_static_files():
                try:
                    await client.fetch(base + path, headers={"Accept-Encoding": "gzip"}, decompress_response=False)
                    done += 1
                except (HTTPClientError, OSError):
                    pass
                await asyncio.sleep(0.01)   # a few at a time: the server keeps answering meanwhile
            self.log.info("lessonkit: %d scripts and stylesheets compressed before learners arrive", done)

    from ..quiet import quiet_log

    quiet_log(ClassroomVoila.__name__)   # no per-page trust notices (quiet.py)
    ClassroomVoila.launch_instance()


if __name__ == "__main__":
    main()
