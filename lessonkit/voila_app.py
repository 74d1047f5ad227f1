"""Voila, started by `lessonkit serve`, with a kernel pool that suits a classroom.

Voila's own pool (preheat_kernel) keeps `pool_size` kernels ready per notebook and, each time one
is taken, starts a replacement at once; a class of 30 arriving together therefore starts 30 more
kernels at the same moment (twice the memory, a CPU spike, a server that stops answering). Here:

- kernels are started one at a time, `spacing` seconds apart, so the server keeps answering while
  the pool fills;
- the pool is sized from the class: `class_size` kernels are started before the class arrives,
  and once learners have taken them only `standby` spares are kept (for late joiners and reloads),
  never more than `class_size` kernels in use plus `standby`.

Page templates are compiled once per server (not once per page), and responses are gzip-compressed
(phones on school wifi), each script once, before the class arrives.

Run as `python -m lessonkit.voila_app` with Voila's usual arguments; the pool settings come from
voila.json (`LessonkitKernelManager` section) written by `lessonkit serve`.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

__all__ = ["main", "classroom_factory", "cached_gzip", "share_compiled_templates"]


def classroom_factory(base_factory):
    """Wrap voila's kernel-manager factory so its preheating manager gets the classroom behaviour."""

    def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
        manager = base_factory(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
        from traitlets import Float, Int

        if not preheat_kernel:
            return manager

        class LessonkitKernelManager(manager):
            class_size = Int(30, config=True, help="Learners expected; kernels kept ready before they arrive.")
            standby = Int(2, config=True, help="Spare kernels kept once the class has taken its kernels.")
            spacing = Float(1.0, config=True, help="Seconds between two kernel starts for the pool.")

            def __init__(self, **kwargs: Any) -> None:
                self._lk_taken: dict[str, set[str]] = {}
                self._lk_gate: asyncio.Lock | None = None
                super().__init__(**kwargs)

            # -- how many to keep ready
            def _lk_target(self, notebook_name: str | None) -> int:
                config = self.kernel_pools_config
                configured = config.get(notebook_name, config.get("default", {})).get("pool_size", 0)
                if configured <= 0:
                    return 0
                taken = len(self._lk_taken.get(notebook_name or "", ()))
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
                try:
                    task, cache, kernel_id = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
                finally:
                    taken.discard(pending)
                taken.add(kernel_id)
                return task, cache, kernel_id

            async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any):
                for taken in self._lk_taken.values():
                    taken.discard(kernel_id)
                return await super().shutdown_kernel(kernel_id, *args, **kwargs)

            async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any):
                if kernel_id is not None:  # a restart of a kernel already in use: no waiting
                    return await super()._initialize(notebook_path, kernel_id, **kwargs)
                if self._lk_gate is None:
                    self._lk_gate = asyncio.Lock()
                async with self._lk_gate:  # one new pooled kernel at a time, `spacing` apart
                    started = await super()._initialize(notebook_path, None, **kwargs)
                    await asyncio.sleep(self.spacing)
                return started

        return LessonkitKernelManager

    return factory


def cached_gzip(base):
    """tornado's gzip transform, but a static file is compressed once and its bytes reused.

    Every learner's browser fetches the same ~5 MB of scripts; compressing them anew for each
    learner costs the server ~0.4 CPU-s per page, a whole class's worth at the start of an
    activity. A response is reused only for the same URL with the same ETag (a hash of the file),
    so a changed file is compressed afresh.
    """

    class CachedGzip(base):
        cache: "OrderedDict[tuple[str, str], bytes]" = OrderedDict()
        cache_bytes = 0
        limit = 64 * 2**20

        def __init__(self, request) -> None:
            super().__init__(request)
            self._uri = request.path or ""   # the same file under ?v=...: same ETag, same bytes
            self._key: tuple[str, str] | None = None
            self._parts: list[bytes] | None = None
            self._reused = False

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
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


def main() -> None:
    import voila.app
    from voila.exporter import VoilaExporter

    share_compiled_templates(VoilaExporter)

    voila.app.voila_kernel_manager_factory = classroom_factory(voila.app.voila_kernel_manager_factory)

    class ClassroomVoila(voila.app.Voila):
        """Voila whose responses are gzip-compressed: a page's scripts shrink from ~5 MB to ~1.3 MB.

        (Voila's `tornado_settings` are applied after the application is built, too late for
        tornado's compression, so the setting goes in here.)
        """

        def init_settings(self) -> dict:
            settings = super().init_settings()
            settings["compress_response"] = True
            return settings

        def listen(self) -> None:
            from tornado.ioloop import IOLoop
            from tornado.web import GZipContentEncoding

            gzip = cached_gzip(GZipContentEncoding)
            self.app.transforms = [gzip if t is GZipContentEncoding else t for t in self.app.transforms]
            IOLoop.current().add_callback(self._lk_warm)   # runs once the server is listening
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

    ClassroomVoila.launch_instance()


if __name__ == "__main__":
    main()
