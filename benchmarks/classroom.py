"""Classroom burst: a whole class opens one activity at the same moment, and every learner answers.

Starts `lessonkit serve` the way the README tells a trainer to, fires N learners (default 30) at
one activity at once and compares with the same burst against plain Voila on a bare one-button
notebook, in the same run:

    .venv/bin/python benchmarks/classroom.py [--learners 30] [--browsers 3]

Learners are simulated on the wire: each fetches the page over HTTP (time to first byte, full page),
then speaks the Jupyter widget protocol over the kernel's websocket as ipywidgets 8's browser manager
does (every widget's state in one request on the "jupyter.widget.control" comm, a colour for every
day, a click on Submit) and waits for "Saved at". Pages and widget state are fetched by the whole
class at once; the answers follow 2-8 s later, spread over the class as people take different times
to pick seven colours.
A few of them are real headless Chromium pages that click the swatches and Submit. Meanwhile a
health probe asks the server for a small page every 0.25 s, and the memory of the server and all
its kernels is sampled.

Scenarios: lessonkit preheated for the activity (the classroom setting), lessonkit cold (no pool),
plain Voila with a bare notebook (cold). Prints a table per scenario and the targets; exits 1 if a
target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_load import ARGS, BARE, BARE_PAGE, CHROMIUM, free_port  # noqa: E402  (one bare notebook, one Chromium setup)
from page_load import kernels as kernel_map  # noqa: E402

NOTEBOOK = "05-colour-days.ipynb"
CONTROL_PROTOCOL = "1.0.0"   # ipywidgets 8's jupyter.widget.control comm, as its browser manager opens it
THINK = (2.0, 8.0)     # s after a learner's widgets arrive before they submit, spread evenly over the class
BURST_TIMEOUT = 120   # s: a stuck learner is reported, never waited for forever
TARGETS = {"p95 page s (pool)": 1.0, "peak GB": 2.5, "health s": 1.0, "cold x bare": 1.2, "kernel x bare": 1.3,
           "page MB": 1.5}


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def kernels(proc: psutil.Process) -> list[psutil.Process]:
    return list(kernel_map(proc).values())


def cpu(procs) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def cpu_split(proc: psutil.Process) -> tuple[float, float]:
    """(median CPU seconds of one kernel, CPU seconds of the server processes)."""
    ks = kernels(proc)
    ids = {k.pid for k in ks}
    server = [p for p in tree(proc) if p.pid not in ids]
    per_kernel = [cpu([k]) for k in ks]
    return (statistics.median(per_kernel) if per_kernel else 0.0), cpu(server)


def rss(procs) -> int:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


# The health probe runs in its own process: timed inside this one, it would also time this process's
# own work (30 learners' messages hold its GIL), not only the server's.
PROBE = r"""
import sys, time, urllib.request
while True:
    asked, t0 = time.monotonic(), time.perf_counter()
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
            r.read()
        took, ok = time.perf_counter() - t0, 1
    except OSError:
        took, ok = 5.0, 0
    print(f"{asked:.3f} {took:.4f} {ok}", flush=True)
    time.sleep(0.25)
"""


class Monitor(threading.Thread):
    """Samples the memory of a process tree every 0.25 s; a probe process asks the server for a small
    file every 0.25 s."""

    def __init__(self, proc: psutil.Process, health_url: str) -> None:
        super().__init__(daemon=True)
        self.proc, self.health_url = proc, health_url
        self.peak = 0
        self.worst = 0.0          # slowest health answer (s); a failed or >5 s request counts as 5 s
        self.failures = 0
        self.checks = 0
        self.worst_at = 0.0       # when the slowest answer was asked (s since the monitor started)
        self.t0 = time.monotonic()
        self.phases: list[tuple[float, str]] = [(0.0, "server start")]
        self._halt = threading.Event()
        self._probe: subprocess.Popen | None = None

    def mark(self, phase: str) -> None:
        """From now on the run is in `phase` (pool fill, burst, answers, ...)."""
        self.phases.append((time.monotonic() - self.t0, phase))

    def phase_at(self, t: float) -> str:
        return [name for start, name in self.phases if start <= t][-1]

    def run(self) -> None:
        self._probe = subprocess.Popen([sys.executable, "-c", PROBE, self.health_url], stdout=subprocess.PIPE,
                                       text=True)
        threading.Thread(target=self._read_probe, args=(self._probe,), daemon=True).start()
        while not self._halt.is_set():
            self.peak = max(self.peak, rss(tree(self.proc)))
            self._halt.wait(0.25)

    def _read_probe(self, probe: subprocess.Popen) -> None:
        for line in probe.stdout:
            asked, took, ok = line.split()
            self.checks += 1
            self.failures += ok == "0"
            if float(took) > self.worst:
                self.worst, self.worst_at = float(took), float(asked) - self.t0

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join(timeout=10)
        if self._probe is not None:
            self._probe.kill()
            self._probe.wait()


@dataclass
class Result:
    name: str
    ttfb: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)     # every learner: until the whole page has arrived
    ready: list[float] = field(default_factory=list)    # Chromium learners: until the swatches are on screen
    who: list[str] = field(default_factory=list)        # "wire" or "Chromium", in the order of `page`
    stage: dict[int, str] = field(default_factory=dict)  # learner -> what it is doing now (for a stuck burst)
    sent: int = 0
    saved: int = 0
    stored: int = 0
    errors: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    health_worst: float = 0.0
    health_failures: int = 0
    health_when: str = "-"
    checks: int = 0
    kernel_mb: float = 0.0
    start_errors: int = 0
    log_errors: list[str] = field(default_factory=list)
    kernels_after_cull: str = "-"
    kernel_cpu: float = 0.0
    server_cpu: float = 0.0
    fill_s: str = "-"
    page_mb: float = 0.0


# The kernel websocket protocol browsers use with Jupyter Server 2 (JupyterLab services): binary frames
# the server relays without parsing each message's JSON.
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"


def _msg(msg_type: str, content: dict, metadata: dict | None = None) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": "bench", "username": "bench",
              "date": "", "version": "5.3"}
    return serialize_msg_to_ws_v1({"header": header, "parent_header": {}, "metadata": metadata or {},
                                   "content": content}, "shell", pack=lambda part: json.dumps(part).encode())


def _parse(frame: bytes) -> dict:
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    _channel, parts = deserialize_msg_from_ws_v1(frame)
    header, _parent, _metadata, content = (json.loads(p) for p in parts[:4])
    return {"header": header, "content": content}


async def wire_learner(client, base: str, path: str, answer: bool, result: Result, n: int, fetched: Barrier) -> None:
    """One learner on the wire: page over HTTP, then the widget protocol over the kernel websocket.

    The answers start once every page of the burst has arrived, so page times measure the burst alone
    (plain Voila's learners answer nothing); a learner answers seconds after the page anyway.
    """
    import websockets

    t0 = time.perf_counter()
    result.stage[n] = "fetching the page"
    try:
        async with client.stream("GET", f"{base}{path}") as response:
            chunks = []
            first = None
            async for chunk in response.aiter_text():
                if first is None:
                    first = time.perf_counter() - t0
                chunks.append(chunk)
        total = time.perf_counter() - t0
        result.ttfb.append(first or total)
        result.page.append(total)
        result.who.append("wire")
        result.stage[n] = "page done, waiting for the others"
        await fetched.arrive()
        result.stage[n] = "answering"
        if response.status_code != 200:
            result.errors.append(f"learner {n}: HTTP {response.status_code}")
            return
        if not answer:
            return
        result.sent += 1
        kernel = re.search(r'"kernelId": *"([^"]+)"', "".join(chunks)).group(1)
        ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        async with websockets.connect(ws_url, max_size=None, open_timeout=60, subprotocols=[WS_PROTOCOL]) as ws:
            # As ipywidgets 8's manager does: every widget's state in one reply on a control comm.
            control = uuid.uuid4().hex
            await ws.send(_msg("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                             "data": {}}, {"version": CONTROL_PROTOCOL}))
            await ws.send(_msg("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
            states: dict[str, dict] | None = None
            while states is None:
                m = _parse(await asyncio.wait_for(ws.recv(), 60))
                data = m["content"].get("data", {}) if m["header"]["msg_type"] == "comm_msg" else {}
                if m["content"].get("comm_id") == control and data.get("method") == "update_states":
                    states = {wid: s["state"] for wid, s in data["states"].items()}
            await ws.send(_msg("comm_close", {"comm_id": control, "data": {}}))
            # A person takes a few seconds to pick seven colours: answers arrive over THINK seconds, as in
            # class, not in one instant (the pages and the widget state above do arrive all at once).
            result.stage[n] = "thinking"
            await asyncio.sleep(THINK[0] + (THINK[1] - THINK[0]) * ((n * 7) % 30) / 29)
            result.stage[n] = "answering"
            days = [cid for cid, s in states.items() if s.get("_model_name") == "ToggleButtonsModel"]
            submit = next(cid for cid, s in states.items()
                          if s.get("_model_name") == "ButtonModel" and s.get("description") == "Submit")
            for i, cid in enumerate(days):
                await ws.send(_msg("comm_msg", {"comm_id": cid, "data": {
                    "method": "update", "state": {"index": (n + i) % 5}, "buffer_paths": []}}))
            await ws.send(_msg("comm_msg", {"comm_id": submit, "data": {"method": "custom",
                                                                         "content": {"event": "click"}}}))
            while True:
                m = _parse(await asyncio.wait_for(ws.recv(), 60))
                value = str(m["content"].get("data", {}).get("state", {}).get("value", "")) \
                    if m["header"]["msg_type"] == "comm_msg" else ""
                if "Saved at" in value:
                    result.saved += 1
                    return
                if "Not saved" in value:
                    result.errors.append(f"learner {n}: {re.sub('<[^>]+>', '', value)[:120]}")
                    return
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure, it does not stop
        result.errors.append(f"learner {n}: {type(exc).__name__}: {exc}"[:160])
    finally:
        result.stage[n] = "done, leaving"
        await fetched.arrive()
        result.stage[n] = "done"


class Barrier:
    """Every wire learner waits here after its page until all pages of the burst (Chromium's too) have arrived."""

    def __init__(self, parties: int, on_release=None) -> None:
        self.parties, self.arrived, self.seen, self.event = parties, 0, set(), asyncio.Event()
        self.on_release = on_release

    async def arrive(self, wait: bool = True) -> None:
        task = id(asyncio.current_task())
        if task not in self.seen:
            self.seen.add(task)
            self.arrived += 1
            if self.arrived >= self.parties and not self.event.is_set():
                self.event.set()
                if self.on_release:
                    self.on_release()
        if wait:
            await self.event.wait()


async def browser_learner(browser, url: str, result: Result, n: int, measure_bytes: bool, fetched: Barrier,
                          answer: bool) -> None:
    """A real Chromium page: pick a colour for every day, Submit, wait for 'Saved at'.

    With answer=False (plain Voila's bare page) it waits for the page's button and stops there.

    Its page counts towards the burst (the wire learners start answering once it has arrived too);
    the page itself goes on loading its scripts and widgets without waiting.
    """
    ctx = await browser.new_context(viewport={"width": 1000, "height": 900})
    page = await ctx.new_page()
    sizes: list[int] = []

    async def count(request):
        if not request.url.endswith((".mp4", ".webm", ".ogg", ".mp3")):
            s = await request.sizes()
            sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    if measure_bytes:
        page.on("requestfinished", lambda r: asyncio.ensure_future(count(r)))
    t0 = time.perf_counter()
    try:
        result.sent += answer
        result.stage[n] = "Chromium: loading the page"
        started = time.time()
        response = await page.goto(url, wait_until="commit", timeout=300_000)
        await response.finished()
        # the whole page (the executed notebook) has arrived: the network's own timing, as on the wire
        # (the time Playwright reports it also counts the renderer, busy running scripts meanwhile)
        timing = response.request.timing
        result.ttfb.append((timing["startTime"] + timing["responseStart"]) / 1000 - started)
        result.page.append((timing["startTime"] + timing["responseEnd"]) / 1000 - started)
        sent = (timing["startTime"] + timing["requestStart"]) / 1000 - started
        result.who.append(f"Chromium: request sent at {sent:.2f} s, first byte {result.ttfb[-1]:.2f} s")
        await fetched.arrive(wait=False)
        result.stage[n] = "Chromium: page arrived, drawing the widgets"
        rows = page.locator(".lk-swatches" if answer else BARE_PAGE[3])
        await rows.first.wait_for(timeout=300_000)
        result.ready.append(time.perf_counter() - t0)
        if not answer:
            return
        for i in range(await rows.count()):
            await rows.nth(i).locator("button").nth((n + i) % 5).click()
        await page.get_by_role("button", name="Submit").click()
        await page.get_by_text("Saved at").wait_for(timeout=120_000)
        result.saved += 1
        if measure_bytes:
            await asyncio.sleep(2)
            result.page_mb = sum(sizes) / 1e6
    except Exception as exc:  # noqa: BLE001
        result.errors.append(f"browser {n}: {type(exc).__name__}: {exc}"[:160])
    finally:
        await fetched.arrive(wait=False)
        result.stage[n] = "Chromium: closing"
        await ctx.close()
        result.stage[n] = "done"


BROWSER_GROUP_NICE = 5   # the browsers' session: see polite_chromium


def polite_chromium() -> str:
    """Chromium at a low CPU priority (nice 10). In class each browser runs on a learner's own device;
    here the browsers share the server's two cores, and at full priority their script parsing (1-2 CPU-s
    per page) would be counted as the server's slowness. Both scenarios use the same browsers.

    Playwright starts the browser in a session of its own, and Linux (autogroup) shares the CPU between
    sessions before it looks at a process's nice value: `nice -n 10` alone would change nothing against
    the server. So the browser's session is lowered too, to nice 5: the weight of three processes at
    nice 10 (3 x 110 ~ 335), one per page, which is what the pages would have as processes of their own."""
    wrapper = Path(tempfile.gettempdir()) / f"lessonkit-bench-chromium-{os.getpid()}"
    wrapper.write_text("#!/bin/sh\n"
                       f"[ -w /proc/self/autogroup ] && echo {BROWSER_GROUP_NICE} 2>/dev/null >/proc/self/autogroup\n"
                       f'exec nice -n 10 {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


async def burst(base: str, paths: list[str], answer: bool, browsers: int, result: Result, monitor: Monitor) -> None:
    import httpx
    from playwright.async_api import async_playwright

    # One client for all wire learners, made before the burst: making 30 (each builds an SSL context)
    # would cost this process ~0.5 CPU-s at the very moment it is timing the server.
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with async_playwright() as p, httpx.AsyncClient(timeout=300, limits=limits) as client:
        browser = await p.chromium.launch(executable_path=polite_chromium(), args=ARGS) if browsers else None
        monitor.mark("burst: pages")
        fetched = Barrier(len(paths), on_release=lambda: monitor.mark("burst: answers"))
        jobs = [wire_learner(client, base, path, answer, result, n, fetched)
                for n, path in enumerate(paths[browsers:], browsers)]
        jobs += [browser_learner(browser, f"{base}{paths[n]}", result, n, n == 0, fetched, answer)
                 for n in range(browsers)]
        pending = {f"learner {n}" for n in range(len(paths))}

        async def tracked(n: int, job) -> None:
            await job
            pending.discard(f"learner {n}")

        browser_jobs = jobs[len(paths) - browsers:]
        ordered = list(zip(range(browsers, len(paths)), jobs)) + list(zip(range(browsers), browser_jobs))
        try:
            await asyncio.wait_for(asyncio.gather(*(tracked(n, job) for n, job in ordered)), BURST_TIMEOUT)
        except asyncio.TimeoutError:
            stuck = sorted(pending, key=lambda w: int(w.split()[1]))
            result.errors.append(f"the burst did not finish within {BURST_TIMEOUT} s (barrier {fetched.arrived}/"
                                 f"{fetched.parties}); still waiting: " + ", ".join(
                                     f"{w} ({result.stage.get(int(w.split()[1]), '?')})" for w in stuck[:8]))
        monitor.mark("after the burst")
        if browser:
            await browser.close()


def stored_answers(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(DISTINCT learner) FROM lk_current WHERE activity = 'colour-days'"
                            ).fetchone()[0]


def wait_for(text_fn, needle: str, proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.monotonic()
    while needle not in text_fn():
        if proc.poll() is not None or time.monotonic() - t0 > timeout:
            sys.exit(f"gave up waiting for {needle!r}:\n{text_fn()[-3000:]}")
        time.sleep(0.2)
    return time.monotonic() - t0


def wait_until_listening(port: int, proc: subprocess.Popen, log: Path, t0: float) -> None:
    """Return once the server accepts connections on `port` (exit if it died or took over 2 min)."""
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() - t0 > 120:
                sys.exit(f"server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def log_errors(text: str) -> list[str]:
    """Each traceback in a server log as its last line (the error), plus kernel start failures."""
    found = []
    for m in re.finditer(r"Traceback \(most recent call last\):\n((?:[ \t].*\n)*)(.*)", text):
        found.append(f"{m.group(2).strip()} (at {m.group(1).strip().splitlines()[-2].strip() if m.group(1) else '?'})")
    found += re.findall(r".*(?:address already in use|Error starting kernel).*", text)
    return found


def scenario_lessonkit(tmp: Path, n: int, browsers: int, preheat: bool, cull: int) -> Result:
    name = "lessonkit, preheated" if preheat else "lessonkit, cold"
    work = tmp / ("pool" if preheat else "cold")
    work.mkdir()
    db = work / "class.db"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS", "LESSONKIT_DB")}
    env["LESSONKIT_EXPORTS"] = str(work / "exports")
    # What the README tells a trainer to run (make serve = lessonkit serve --host 0.0.0.0 --port 8866).
    cmd = [sys.executable, "-m", "lessonkit.cli", "serve", "--host", "0.0.0.0", "--port", str(port),
           "--trainer-port", str(free_port()), "--class-code", "BENCH", "--db", f"sqlite:///{db}"]
    if cull:
        cmd += ["--cull-idle", str(cull)]
    if preheat:
        cmd += ["--preheat", "colour-days", "--class-size", str(n)]
    log = work / "serve.log"
    t0 = time.monotonic()
    proc = start(cmd, env, log)
    base = f"http://127.0.0.1:{port}"
    monitor = Monitor(psutil.Process(proc.pid), f"{base}/voila/static/voila.js")
    result = Result(name)
    try:
        # Health is watched from the first moment the server listens, pool filling included.
        wait_until_listening(port, proc, log, t0)
        monitor.start()
        wait_for(log.read_text, "Stop with Ctrl+C.", proc, 120)
        if preheat:
            monitor.mark("pool fill")
            wait_for(log.read_text, f"Kernel pool of {NOTEBOOK} is filled", proc, 300)
            result.fill_s = f"{time.monotonic() - t0:.0f}"
            monitor.mark("waiting for the class")
            time.sleep(2)
        paths = [f"/voila/render/{NOTEBOOK}?class=BENCH&learner=teal-wombat-{10 + i}" for i in range(n)]
        asyncio.run(burst(base, paths, True, browsers, result, monitor))
        time.sleep(2)
        result.kernel_cpu, result.server_cpu = cpu_split(psutil.Process(proc.pid))
        ks = kernels(psutil.Process(proc.pid))
        result.kernel_mb = statistics.median([rss([k]) for k in ks]) / 1e6 if ks else 0
        result.stored = stored_answers(db)
        if cull:
            # Every learner has left; after the cull interval only the standby pool may remain.
            time.sleep(cull + max(10, min(60, cull // 2)) + 5)
            left = len(kernels(psutil.Process(proc.pid)))
            result.kernels_after_cull = str(left)
    finally:
        monitor.stop()
        stop(proc)
    text = log.read_text()
    found = log_errors(text)
    result.start_errors, result.log_errors = len(found), [f"server log: {line[:200]}" for line in found]
    result.peak_mb, result.health_worst, result.health_failures = monitor.peak / 1e6, monitor.worst, monitor.failures
    result.checks = monitor.checks
    result.health_when = f"+{monitor.worst_at:.0f} s, {monitor.phase_at(monitor.worst_at)}"
    return result


def scenario_plain_voila(tmp: Path, n: int, browsers: int) -> Result:
    work = tmp / "plain"
    work.mkdir()
    (work / "bare.ipynb").write_text(json.dumps(BARE))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS")}
    log = work / "voila.log"
    proc = start([sys.executable, "-m", "voila", str(work), "--no-browser", f"--port={port}"], env, log)
    base = f"http://127.0.0.1:{port}"
    monitor = Monitor(psutil.Process(proc.pid), f"{base}/voila/static/voila.js")
    result = Result("plain Voila, bare notebook")
    try:
        wait_for(log.read_text, "Voilà is running at", proc, 120)
        monitor.start()
        monitor.mark("waiting for the class")
        asyncio.run(burst(base, ["/voila/render/bare.ipynb"] * n, False, browsers, result, monitor))
        time.sleep(2)
        result.kernel_cpu, result.server_cpu = cpu_split(psutil.Process(proc.pid))
        ks = kernels(psutil.Process(proc.pid))
        result.kernel_mb = statistics.median([rss([k]) for k in ks]) / 1e6 if ks else 0
    finally:
        monitor.stop()
        stop(proc)
    found = log_errors(log.read_text())
    result.start_errors, result.log_errors = len(found), [f"server log: {line[:200]}" for line in found]
    result.peak_mb, result.health_worst, result.health_failures = monitor.peak / 1e6, monitor.worst, monitor.failures
    result.checks = monitor.checks
    result.health_when = f"+{monitor.worst_at:.0f} s, {monitor.phase_at(monitor.worst_at)}"
    return result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))] if ordered else float("nan")


def _span(values: list[float]) -> str:
    return f"{min(values):.1f}-{max(values):.1f}" if values else "-"


def table(results: list[Result], n: int) -> str:
    head = (f"{'scenario':<28}{'TTFB med':>9}{'page min':>9}{'med':>7}{'p95':>7}{'max':>7}{'stored':>9}"
            f"{'peak MB':>9}{'health s':>9}{'kernel MB':>10}{'kernel CPU s':>13}{'server CPU s':>13}{'errors':>7}"
            f"{'pool fill s':>12}{'left':>6}{'Chromium ready':>16}")
    lines = [head, "-" * len(head)]
    for r in results:
        answers = f"{r.stored}/{r.sent}" if r.sent else "-"
        lines.append(
            f"{r.name:<28}{statistics.median(r.ttfb) if r.ttfb else float('nan'):>9.2f}"
            f"{min(r.page) if r.page else float('nan'):>9.2f}"
            f"{statistics.median(r.page) if r.page else float('nan'):>7.2f}"
            f"{p95(r.page):>7.2f}{max(r.page) if r.page else float('nan'):>7.2f}{answers:>9}{r.peak_mb:>9.0f}"
            f"{r.health_worst:>9.2f}{r.kernel_mb:>10.0f}{r.kernel_cpu:>13.2f}{r.server_cpu:>13.1f}"
            f"{r.start_errors + len(r.errors):>7}{r.fill_s:>12}"
            f"{r.kernels_after_cull:>6}{_span(r.ready):>16}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=30)
    ap.add_argument("--browsers", type=int, default=3, help="how many of the learners are real Chromium pages")
    ap.add_argument("--cull", type=int, default=30, help="--cull-idle for the preheated run (kernels left is "
                                                         "counted after it)")
    ap.add_argument("--skip-cold", action="store_true", help="only the preheated run and plain Voila")
    args = ap.parse_args()
    n = args.learners
    tmp = Path(tempfile.mkdtemp(prefix="lessonkit-classroom-"))
    try:
        results = [scenario_plain_voila(tmp, n, args.browsers)]
        if not args.skip_cold:
            results.append(scenario_lessonkit(tmp, n, args.browsers, preheat=False, cull=0))
        results.append(scenario_lessonkit(tmp, n, args.browsers, preheat=True, cull=args.cull))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    plain = results[0]
    pool = results[-1]
    cold = results[1] if not args.skip_cold else None
    print(f"\nClassroom burst: {n} learners open {NOTEBOOK} at once ({args.browsers} in Chromium, the rest on "
          f"the wire); {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB\n")
    print(table(results, n))
    print("\ntimes in seconds; page = until the whole page (the executed notebook) has arrived, for every learner "
          "(wire and Chromium);\nChromium ready = until a Chromium learner sees the swatches (scripts and widget "
          "state loaded too); stored = answers in the store / answers sent;\npeak MB = server + all kernels; "
          "health s = slowest answer to a small request during the run; left = kernels after the cull interval")
    checks = [
        (f"p95 page time with the pool <= {TARGETS['p95 page s (pool)']} s", p95(pool.page),
         p95(pool.page) <= TARGETS["p95 page s (pool)"]),
        (f"answers stored {pool.stored}/{pool.sent}", pool.stored, pool.stored == pool.sent == n),
        (f"peak memory <= {TARGETS['peak GB']} GB", pool.peak_mb / 1000, pool.peak_mb / 1000 <= TARGETS["peak GB"]),
        (f"server answered within {TARGETS['health s']} s throughout", pool.health_worst,
         pool.health_worst <= TARGETS["health s"] and pool.health_failures == 0),
        ("no kernel start errors, no learner errors", pool.start_errors + len(pool.errors),
         pool.start_errors + len(pool.errors) == 0),
    ]
    if cold is not None:
        ratio = statistics.median(cold.page) / statistics.median(plain.page)
        checks.append((f"cold burst <= {TARGETS['cold x bare']} x plain Voila's (median page)", ratio,
                       ratio <= TARGETS["cold x bare"]))
        kr = cold.kernel_mb / plain.kernel_mb
        checks.append((f"student kernel <= {TARGETS['kernel x bare']} x bare kernel RSS", kr,
                       kr <= TARGETS["kernel x bare"]))
    checks.append((f"page transfer <= {TARGETS['page MB']} MB (Chromium, video excluded)", pool.page_mb,
                   0 < pool.page_mb <= TARGETS["page MB"]))
    for r in results:
        if r.page:
            slowest = sorted(zip(r.page, r.who), reverse=True)[:5]
            print(f"slowest pages, {r.name}: " + ", ".join(f"{t:.2f} s ({w})" for t, w in slowest))
        print(f"slowest health answer, {r.name}: {r.health_worst:.2f} s ({r.health_when}; "
              f"{r.health_failures} failed of {r.checks} checks)")
    print("\ntargets")
    ok = True
    for label, value, good in checks:
        ok &= good
        print(f"  {'ok    ' if good else 'MISSED'}  {label}: {value:.2f}" if isinstance(value, float)
              else f"  {'ok    ' if good else 'MISSED'}  {label}: {value}")
    for r in results:
        for e in r.errors[:5] + r.log_errors[:5]:
            print(f"  {r.name}: {e}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
