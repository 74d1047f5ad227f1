"""Session benchmark: a whole class goes through the lesson, paced by the trainer, on one `lessonkit serve`.

    .venv/bin/python benchmarks/session.py [--learners 30] [--browsers 3]     # about 8 minutes

Starts `lessonkit serve` as the README tells a trainer (`--host 0.0.0.0`, a class of 30) and then:

1. the trainer opens the dashboard and moves the class to the first activity of the run (02);
2. 30 learners join at once through the join page (27 on the wire, 3 in real Chromium at nice 10);
3. the trainer moves the class on with the dashboard's Next button, activity after activity (02 -> 07);
   after each move every learner answers, after a few seconds of thinking, and the trainer moves on
   once the class has answered;
4. everyone closes their tab (as browsers do: the page asks for its kernel to be shut down), and 60 s
   later the kernels still alive are counted;
5. the baseline, in the same run: the per-page flow (each learner opens the next activity's own
   notebook address, one kernel per page, as before the session page), for two activities.

A wire learner speaks what a browser speaks: the join form (with its _xsrf token), the page over HTTP
with the session cookie, then the Jupyter widget protocol over the kernel's websocket (ipywidgets 8's
request for every widget's state, then every comm message as it comes). A switch is done for it when
the page's stage shows the new activity and every widget in it has arrived; for a Chromium learner,
when the activity's title is visible and its first button can be clicked. Answers: every choice set
(toggle buttons, radio buttons, check boxes, a number in each text box), then Submit, then "Saved at".

Meanwhile a separate process asks the server for a small file every 0.25 s, and the memory (RSS and
PSS) of the whole `lessonkit serve` process tree and the number of kernels are sampled every 0.5 s.
Prints a table per phase and a `targets` block; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import html as htmllib
import json
import os
import re
import shutil
import statistics
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
from classroom import (  # noqa: E402
    CONTROL_PROTOCOL,
    PROBE,
    WS_PROTOCOL,
    _msg,
    _parse,
    log_errors,
    p95,
    polite_chromium,
    start,
    stop,
    wait_for,
    wait_until_listening,
)
from page_load import ARGS, free_port  # noqa: E402

CLASS = "BENCH"
KEY = "bench-trainer-key"
SPARES = 3
# The activities the trainer takes the class through (slugs, titles and notebooks come from the content).
PATH = ["self-assessment", "active-listening", "listening-quiz", "colour-days", "policy-procedure", "legislation"]
BASELINE_TIMEOUT = 150   # s: a per-page open that takes longer counts as failed (a baseline error)
BASELINE = ["self-assessment", "listening-quiz"]
THINK = (3.0, 15.0)        # s a learner takes before answering, spread over the class
DWELL = 30.0               # s at least between two moves (the class works; pages build the next activity)
SWITCH_TIMEOUT = 60.0
ANSWER_TIMEOUT = 120.0
TARGETS = {"wire p95": 1.0, "chromium p95": 2.5, "peak GB": 2.5, "health s": 1.0}


# ---- measuring the server ------------------------------------------------------------------------
def _pss(pid: int) -> int:
    """Proportional set size (shared pages counted once across processes), from smaps_rollup: cheap."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Monitor(threading.Thread):
    """Memory (RSS and PSS of the serve tree), kernels alive (learners', trainer's) and the health probe."""

    def __init__(self, proc: psutil.Process, health_url: str, trainer_port: int) -> None:
        super().__init__(daemon=True)
        self.proc, self.health_url, self.trainer_port = proc, health_url, trainer_port
        self.t0 = time.monotonic()
        self.peak_rss = self.peak_pss = self.baseline_rss = self.baseline_pss = 0
        self.peak_parts: dict[str, list[int]] = {}
        self.max_learner_kernels = self.max_trainer_kernels = 0
        self.learner_kernels = self.trainer_kernels = 0
        self.worst, self.worst_at, self.failures, self.checks = 0.0, 0.0, 0, 0
        self.samples: list[tuple[float, float, bool]] = []   # (asked, took, answered) of every health check
        self.phases: list[tuple[float, str]] = [(0.0, "server start")]
        self.phase_max: dict[str, int] = {}
        self.phase_server: dict[str, int] = {}   # the learners' Voila's RSS, most per phase
        self._halt = threading.Event()
        self._probe = None

    def mark(self, phase: str) -> None:
        self.phases.append((time.monotonic() - self.t0, phase))

    def phase(self) -> str:
        return self.phases[-1][1]

    def phase_at(self, t: float) -> str:
        return [name for start_, name in self.phases if start_ <= t][-1]

    def _count(self) -> tuple[int, int, int, int, dict]:
        rss = pss = learners = trainers = 0
        parts: dict[str, list[int]] = {}
        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return 0, 0, 0, 0, {}
        for p in procs:
            try:
                mem = p.memory_info().rss
                rss += mem
                pss += _pss(p.pid)
                line = " ".join(p.cmdline())
                if "lessonkit.kernel" in line or "ipykernel_launcher" in line:
                    if f"--port={self.trainer_port}" in " ".join(p.parent().cmdline()):
                        trainers += 1
                        kind = "trainer's kernels"
                    else:
                        learners += 1
                        kind = "learners' kernels"
                elif f"--port={self.trainer_port}" in line:
                    kind = "trainer's Voila"
                elif "lessonkit.server.app" in line:
                    kind = "learners' Voila"
                else:
                    kind = "lessonkit serve"
                parts.setdefault(kind, []).append(mem)
            except psutil.Error:
                pass
        return rss, pss, learners, trainers, parts

    def run(self) -> None:
        import subprocess

        self._probe = subprocess.Popen([sys.executable, "-c", PROBE, self.health_url], stdout=subprocess.PIPE,
                                       text=True)
        threading.Thread(target=self._read_probe, daemon=True).start()
        while not self._halt.is_set():
            rss, pss, learners, trainers, parts = self._count()
            if not self.phase().startswith("baseline"):   # the session's own peak; the baseline is reported apart
                if rss > self.peak_rss:
                    self.peak_parts = parts
                self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            else:
                self.baseline_rss, self.baseline_pss = max(self.baseline_rss, rss), max(self.baseline_pss, pss)
            self.learner_kernels, self.trainer_kernels = learners, trainers
            self.max_learner_kernels = max(self.max_learner_kernels, learners)
            self.max_trainer_kernels = max(self.max_trainer_kernels, trainers)
            name = self.phase()
            self.phase_max[name] = max(self.phase_max.get(name, 0), learners)
            server = sum(parts.get("learners' Voila", [0]))
            self.phase_server[name] = max(self.phase_server.get(name, 0), server)
            self._halt.wait(0.5)

    def _read_probe(self) -> None:
        for line in self._probe.stdout:
            asked, took, ok = line.split()
            self.samples.append((float(asked) - self.t0, float(took), ok == "1"))

    def health(self, until: float | None = None) -> tuple[float, float, int, int]:
        """(slowest answer s, when, failed, checks) over the run, or up to `until` (s since the start)."""
        chosen = [s for s in self.samples if until is None or s[0] <= until]
        worst = max(chosen, key=lambda s: s[1], default=(0.0, 0.0, True))
        return worst[1], worst[0], sum(not s[2] for s in chosen), len(chosen)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)
        if self._probe is not None:
            self._probe.kill()
            self._probe.wait()


# ---- the widget protocol, as ipywidgets 8's browser manager speaks it ----------------------------
REF = "IPY_MODEL_"
BIG_UPDATE = 20_000   # bytes: comm updates larger than this are boards' HTML (children and values are small)


class WidgetClient:
    """A kernel websocket with every widget's state kept up to date, as a browser's widget manager keeps it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.states: dict[str, dict] = {}
        self.ws = None
        self.changed = asyncio.Event()
        self.errors: list[str] = []
        self._reader: asyncio.Task | None = None
        self.kernel_id = ""
        self.shape = 0   # goes up when widgets come or go or a container's children change

    async def connect(self, base: str, kernel_id: str, cookie: str) -> None:
        import websockets

        self.kernel_id = kernel_id
        url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        self.ws = await websockets.connect(url, max_size=None, open_timeout=60, subprotocols=[WS_PROTOCOL],
                                           additional_headers={"Cookie": cookie})
        control = uuid.uuid4().hex
        await self.ws.send(_msg("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                              "data": {}}, {"version": CONTROL_PROTOCOL}))
        await self.ws.send(_msg("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}))
        while True:
            m = _parse(await asyncio.wait_for(self.ws.recv(), 60))
            self._take(m)
            data = m["content"].get("data", {}) if m["header"]["msg_type"] == "comm_msg" else {}
            if m["content"].get("comm_id") == control and data.get("method") == "update_states":
                for wid, s in data["states"].items():
                    self.states[wid] = dict(s["state"])
                break
        await self.ws.send(_msg("comm_close", {"comm_id": control, "data": {}}))
        self._reader = asyncio.ensure_future(self._read())

    def _take(self, m: dict) -> None:
        kind = m["header"]["msg_type"]
        content = m["content"]
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
            self.shape += 1
        elif kind == "comm_msg":
            data = content.get("data", {})
            if data.get("method") in ("update", "echo_update") and content.get("comm_id") in self.states:
                state = data.get("state", {})
                self.states[content["comm_id"]].update(state)
                self.shape += "children" in state
        elif kind == "comm_close":
            self.states.pop(content.get("comm_id"), None)
            self.shape += 1
        else:
            return
        self.changed.set()

    async def _read(self) -> None:
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        try:
            async for frame in self.ws:
                # A board's redraw is a large "value" update nobody here reads: skip decoding it, or this one
                # process (27 learners' browsers in one) becomes the slow part of the measurement.
                _channel, parts = deserialize_msg_from_ws_v1(frame)
                header = json.loads(parts[0])
                if header["msg_type"] == "comm_msg" and len(parts[3]) > BIG_UPDATE:
                    continue
                self._take({"header": header, "content": json.loads(parts[3])})
        except Exception as exc:  # noqa: BLE001 - a closed socket ends the reader; anything else is reported
            if "1000" not in str(exc) and "1001" not in str(exc):
                self.errors.append(f"{self.name}: websocket: {type(exc).__name__}: {exc}"[:160])

    async def wait(self, test, timeout: float):
        """Wait until test() gives something truthy, re-checking after every message; that value."""
        deadline = time.perf_counter() + timeout
        while True:
            found = test()
            if found:
                return found
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{self.name}: gave up after {timeout:.0f} s")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    def find(self, model: str, **match) -> list[str]:
        return [wid for wid, s in self.states.items() if s.get("_model_name") == model
                and all(s.get(k) == v for k, v in match.items())]

    def subtree(self, root: str) -> list[str] | None:
        """Every model under `root` in document order; None while one of them has not arrived yet."""
        out, todo, seen = [], [root], set()
        while todo:
            wid = todo.pop(0)
            if wid in seen:
                continue
            seen.add(wid)
            state = self.states.get(wid)
            if state is None:
                return None
            out.append(wid)
            kids = [c[len(REF):] for c in state.get("children", []) if isinstance(c, str) and c.startswith(REF)]
            parts = [state[k][len(REF):] for k in ("layout", "style") if isinstance(state.get(k), str)
                     and state[k].startswith(REF)]
            todo[0:0] = kids        # depth first: the page's own order
            todo += parts
        return out

    async def update(self, wid: str, state: dict) -> None:
        self.states[wid].update(state)
        await self.ws.send(_msg("comm_msg", {"comm_id": wid, "data": {"method": "update", "state": state,
                                                                       "buffer_paths": []}}))

    async def click(self, wid: str) -> None:
        await self.ws.send(_msg("comm_msg", {"comm_id": wid, "data": {"method": "custom",
                                                                       "content": {"event": "click"}}}))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()


def _xsrf_and_fields(html: str) -> tuple[str, str]:
    return (re.search(r'name="_xsrf" value="([^"]+)"', html).group(1),
            re.search(r'name="learner" value="([^"]+)"', html).group(1))


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _take_cookies(response, jar: dict[str, str]) -> None:
    for raw in response.headers.get_list("set-cookie"):
        name, _, rest = raw.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


@dataclass
class Switch:
    activity: str
    wire: list[float] = field(default_factory=list)
    chromium: list[float] = field(default_factory=list)
    sent: int = 0
    saved: int = 0
    stored: int = 0
    errors: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)   # wire learners over the target: built ahead or at the move?


class WireLearner:
    """A learner on the wire: joins, keeps one session page (one kernel), follows the trainer, answers."""

    def __init__(self, n: int, base: str, client) -> None:
        self.n, self.base, self.client = n, base, client
        self.jar: dict[str, str] = {}
        self.page: WidgetClient | None = None
        self.stage = ""
        self.root = ""
        self._looked: tuple | None = None

    async def join(self) -> float:
        t0 = time.perf_counter()
        r = await self.client.get(f"{self.base}/join?class={CLASS}")
        _take_cookies(r, self.jar)
        xsrf, proposed = _xsrf_and_fields(r.text)
        r = await self.client.post(f"{self.base}/join", headers={"Cookie": _cookie_header(self.jar)},
                                   data={"_xsrf": xsrf, "class": CLASS, "name": f"Wire {self.n}",
                                         "learner": proposed})
        assert r.status_code == 302, (r.status_code, r.text[:300])
        _take_cookies(r, self.jar)
        await self.open_session()
        return time.perf_counter() - t0

    async def open_session(self, notebook: str = "lesson.ipynb") -> None:
        r = await self.client.get(f"{self.base}/voila/render/{notebook}", headers={"Cookie": _cookie_header(self.jar)})
        assert r.status_code == 200, (r.status_code, r.text[:300])
        _take_cookies(r, self.jar)
        kernel = re.search(r'"kernelId": *"([^"]+)"', r.text).group(1)
        self.page = WidgetClient(f"learner {self.n}")
        await self.page.connect(self.base, kernel, _cookie_header(self.jar))
        if notebook == "lesson.ipynb":
            self.stage = await self.page.wait(lambda: next(iter(self.page.find("VBoxModel", _dom_classes=[
                "lk-session-stage"])), None), 30)

    def _shown(self, title: str) -> str | None:
        """The stage's page when it shows `title` and every widget in it has arrived (looked at again only
        when the widgets changed shape: the benchmark must not be the slow part)."""
        key = (title, self.page.shape)
        if key == self._looked:
            return None
        self._looked = key
        kids = self.page.states.get(self.stage, {}).get("children", [])
        if not kids:
            return None
        root = kids[0][len(REF):]
        tree = self.page.subtree(root)
        if tree is None:
            return None
        want = htmllib.escape(title, quote=True)
        for wid in tree:
            value = self.page.states[wid].get("value")
            if isinstance(value, str) and "lk-title" in value and (want in value or title in value):
                self.root = root
                return root
        return None

    async def follow(self, title: str, t0: float, result: Switch) -> None:
        known = set(self.page.states)   # the widgets this page had before the move
        try:
            await self.page.wait(lambda: self._shown(title), SWITCH_TIMEOUT)
            took = time.perf_counter() - t0
            result.wire.append(took)
            if took > TARGETS["wire p95"]:
                tree = self.page.subtree(self.root) or []
                new = sum(wid not in known for wid in tree)
                how = "built ahead" if not new else f"{new} of {len(tree)} widgets new"
                result.slow.append(f"learner {self.n} {took:.2f} s ({how})")
        except Exception as exc:  # noqa: BLE001
            result.errors.append(f"learner {self.n}: did not see {title!r}: {type(exc).__name__}: {exc}"[:200])

    async def answer(self, result: Switch, delay: float, root: str | None = None) -> None:
        await asyncio.sleep(delay)
        page = self.page
        tree = page.subtree(root or self.root) or []
        result.sent += 1
        try:
            for wid in tree:                               # a clip first, as a learner does ("I have watched it")
                s = page.states[wid]
                if s.get("_model_name") == "ButtonModel" and s.get("button_style") == "success":
                    await page.click(wid)
            await asyncio.sleep(0.2)
            submit = None
            for i, wid in enumerate(tree):
                s = page.states[wid]
                model = s.get("_model_name")
                if model in ("ToggleButtonsModel", "RadioButtonsModel") and s.get("_options_labels"):
                    await page.update(wid, {"index": (self.n + i) % len(s["_options_labels"])})
                elif model == "CheckboxModel":
                    await page.update(wid, {"value": True})
                elif model == "TextModel" and not s.get("disabled"):
                    await page.update(wid, {"value": "4"})
                elif model == "ButtonModel" and s.get("description") == "Submit" and submit is None:
                    submit = wid
            if submit is None:
                raise RuntimeError("no Submit button on the page")
            await page.click(submit)

            def saved():
                values = [str(page.states.get(wid, {}).get("value", "")) for wid in tree]
                if any("Saved at" in v for v in values):
                    return "saved"
                return next((re.sub("<[^>]+>", "", v)[:160] for v in values if "Not saved" in v), None)

            outcome = await page.wait(saved, ANSWER_TIMEOUT)
            if outcome == "saved":
                result.saved += 1
            else:
                result.errors.append(f"learner {self.n}: {outcome}")
        except Exception as exc:  # noqa: BLE001
            result.errors.append(f"learner {self.n}: answering: {type(exc).__name__}: {exc}"[:200])

    async def leave(self) -> None:
        """Close the tab as a browser does: ask for the kernel to be shut down, then drop the websocket."""
        if self.page is None:
            return
        try:
            await self.client.post(f"{self.base}/voila/api/shutdown/{self.page.kernel_id}",
                                   headers={"Cookie": _cookie_header(self.jar)},
                                   data={"_xsrf": self.jar.get("_xsrf", "")})
        finally:
            await self.page.close()
            self.page = None


class BrowserLearner:
    """A learner in real Chromium: joins through the form, follows the trainer, answers with clicks."""

    def __init__(self, n: int, base: str, browser) -> None:
        self.n, self.base, self.browser = n, base, browser
        self.ctx = self.page = None
        self.bytes_second_page = 0

    async def join(self) -> float:
        self.ctx = await self.browser.new_context(viewport={"width": 1000, "height": 900})
        self.page = await self.ctx.new_page()
        self.page.set_default_timeout(120_000)
        t0 = time.perf_counter()
        await self.page.goto(f"{self.base}/join?class={CLASS}")
        await self.page.get_by_label("Your name").fill(f"Browser {self.n}")
        await self.page.get_by_role("button", name="Join").click()
        await self.page.locator(".lk-session-stage .lk-title").first.wait_for()
        return time.perf_counter() - t0

    async def follow(self, title: str, t0: float, result: Switch) -> None:
        try:
            stage = self.page.locator(".lk-session-stage")
            await stage.locator(".lk-title", has_text=title).first.wait_for(state="visible",
                                                                           timeout=SWITCH_TIMEOUT * 1000)
            await stage.locator("button").first.click(trial=True, timeout=SWITCH_TIMEOUT * 1000)   # clickable
            result.chromium.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001
            result.errors.append(f"browser {self.n}: did not see {title!r}: {type(exc).__name__}: {exc}"[:200])

    async def answer(self, result: Switch, delay: float) -> None:
        await asyncio.sleep(delay)
        result.sent += 1
        stage = self.page.locator(".lk-session-stage")
        try:
            gate = stage.locator("button.mod-success")
            if await gate.count():
                await gate.first.click()                   # the clip is done: the questions appear
                await stage.locator(".lk-activity").first.wait_for(state="visible")
            for i, group in enumerate(await stage.locator(".widget-toggle-buttons, .widget-radio-box").all()):
                if await group.is_visible():
                    choices = group.locator("button, input[type=radio]")
                    await choices.nth((self.n + i) % await choices.count()).click()
            for box in await stage.locator("input[type=checkbox]").all():
                if await box.is_visible() and not await box.is_checked():
                    await box.check()
            for text in await stage.locator(".widget-text input[type=text]").all():
                if await text.is_visible() and await text.is_enabled():
                    await text.fill("4")
            await stage.get_by_role("button", name="Submit").first.click()
            status = stage.locator(".lk-status").filter(has_text=re.compile("Saved at|Not saved")).first
            await status.wait_for(timeout=ANSWER_TIMEOUT * 1000)
            text = await status.inner_text()
            if "Saved at" in text:
                result.saved += 1
            else:
                result.errors.append(f"browser {self.n}: {text[:160]}")
        except Exception as exc:  # noqa: BLE001
            result.errors.append(f"browser {self.n}: answering: {type(exc).__name__}: {exc}"[:200])

    async def second_page_bytes(self, notebook: str) -> int:
        """Script and stylesheet bytes the network carries when the learner opens a second page (an activity's
        own page): a file served from the browser's cache counts 0, a revalidated one its headers."""
        sizes: list[int] = []

        async def count(request):
            if request.resource_type in ("script", "stylesheet"):
                s = await request.sizes()
                # Playwright gives a negative body size for a response from the browser's cache: nothing sent
                sizes.append(0 if s["responseBodySize"] < 0 else s["responseBodySize"] + s["responseHeadersSize"])

        second = await self.ctx.new_page()
        second.on("requestfinished", lambda r: asyncio.ensure_future(count(r)))
        await second.goto(f"{self.base}/voila/render/{notebook}")
        await second.locator(".lk-page .lk-title").first.wait_for()
        await asyncio.sleep(2)
        await second.close(run_before_unload=True)
        return sum(sizes)

    async def leave(self) -> None:
        if self.page is not None:
            await self.page.close(run_before_unload=True)   # as a person closing the tab: the page says goodbye
            self.page = None

    async def open_page(self, notebook: str, title: str, t0: float, result: Switch) -> None:
        """The per-page flow: open the activity's own notebook address."""
        try:
            if self.page is not None:
                await self.page.close(run_before_unload=True)
            self.page = await self.ctx.new_page()
            self.page.set_default_timeout(120_000)
            await self.page.goto(f"{self.base}/voila/render/{notebook}")
            await self.page.locator(".lk-header").first.wait_for(state="visible")
            await self.page.locator(".lk-title", has_text=title).first.wait_for(state="visible")
            await self.page.locator(".lk-page button:visible").first.click(trial=True)
            result.chromium.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001
            shown = ""
            try:
                shown = " ".join((await self.page.locator("body").inner_text(timeout=2000)).split())[:120]
            except Exception:  # noqa: BLE001
                pass
            result.errors.append(f"browser {self.n}: per-page {notebook}: {type(exc).__name__} "
                                 f"(the page shows: {shown!r})"[:240])


class Trainer:
    """The trainer's dashboard on the wire: the Next button and the "Move the class to" picker."""

    def __init__(self, base: str, client) -> None:
        self.base, self.client = base, client
        self.page = WidgetClient("trainer")

    async def open(self) -> None:
        r = await self.client.get(f"{self.base}/voila/render/11-trainer-dashboard.ipynb?key={KEY}")
        kernel = re.search(r'"kernelId": *"([^"]+)"', r.text).group(1)
        await self.page.connect(self.base, kernel, "")

    async def move_to(self, title: str) -> None:
        picker = next(wid for wid in self.page.find("DropdownModel")
                      if self.page.states[wid].get("description") == "Move the class to")
        labels = self.page.states[picker]["_options_labels"]
        index = next(i for i, label in enumerate(labels) if label.endswith(title))
        await self.page.update(picker, {"index": index})
        move = next(wid for wid in self.page.find("ButtonModel", description="Move"))
        await self.page.click(move)

    async def next(self) -> float:
        button = next(wid for wid in self.page.find("ButtonModel", description="Next"))
        t0 = time.perf_counter()
        await self.page.click(button)
        return t0


def stored(db: Path, activity: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(DISTINCT learner) FROM lk_current WHERE class_code = ? AND activity = ?",
                            (CLASS, activity)).fetchone()[0]


async def run_session(base: str, trainer_base: str, n: int, browsers: int, monitor: Monitor, db: Path,
                      items: dict) -> dict:
    import httpx
    from playwright.async_api import async_playwright

    report: dict = {"switches": [], "baseline": [], "join": [], "errors": [], "second_page_bytes": 0}
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    # One HTTP client per learner (each keeps its own cookies), made before anything is timed.
    clients = [httpx.AsyncClient(timeout=300, limits=limits, follow_redirects=False) for _ in range(n)]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=polite_chromium(), args=ARGS) if browsers else None
        trainer = Trainer(trainer_base, clients[0])
        await trainer.open()
        first = items[PATH[0]]
        await trainer.move_to(first.title)            # before the class arrives: the pool builds it ahead
        monitor.mark("the pool follows the trainer")
        await asyncio.sleep(12)

        wire = [WireLearner(i, base, clients[i]) for i in range(browsers, n)]
        chromes = [BrowserLearner(i, base, browser) for i in range(browsers)]
        monitor.mark("join")
        joined = await asyncio.gather(*(w.join() for w in wire), *(c.join() for c in chromes), return_exceptions=True)
        for who, value in zip([*wire, *chromes], joined):
            if isinstance(value, BaseException):
                report["errors"].append(f"join {who.n}: {type(value).__name__}: {value}"[:200])
            else:
                report["join"].append(value)

        for step, slug in enumerate(PATH):
            a = items[slug]
            result = Switch(f"{a.number:02d} {slug}")
            if step == 0:   # the class joined into it: the first activity is no switch
                for w in wire:
                    try:
                        await w.page.wait(lambda w=w, title=a.title: w._shown(title), SWITCH_TIMEOUT)
                    except Exception as exc:  # noqa: BLE001
                        result.errors.append(f"learner {w.n}: {exc}"[:160])
            else:
                monitor.mark(f"switch to {slug}")
                t0 = await trainer.next()
                await asyncio.gather(*(w.follow(a.title, t0, result) for w in wire),
                                     *(c.follow(a.title, t0, result) for c in chromes))
            moved = time.perf_counter()
            monitor.mark(f"answering {slug}")
            spread = [THINK[0] + (THINK[1] - THINK[0]) * ((i * 7) % n) / max(1, n - 1) for i in range(n)]
            await asyncio.gather(*(w.answer(result, spread[w.n]) for w in wire),
                                 *(c.answer(result, spread[c.n]) for c in chromes))
            result.stored = stored(db, slug)
            for w in wire:
                result.errors += w.page.errors
                w.page.errors = []
            if step > 0:
                report["switches"].append(result)
            else:
                report["first"] = result
            await asyncio.sleep(max(0.0, DWELL - (time.perf_counter() - moved)))

        monitor.mark("everyone closes the tab")
        await asyncio.gather(*(w.leave() for w in wire), *(c.leave() for c in chromes), return_exceptions=True)
        await asyncio.sleep(60)
        report["left_after_60s"] = monitor.learner_kernels
        report["session_end"] = time.monotonic() - monitor.t0

        if chromes:   # after the session: this second page is a kernel more, and a cold start
            monitor.mark("baseline: a second page")
            report["second_page_bytes"] = await chromes[0].second_page_bytes(items["colour-days"].notebook)
        # The baseline: the per-page flow (one notebook, and one new kernel, per activity and learner).
        for slug in BASELINE:
            a = items[slug]
            result = Switch(f"{a.number:02d} {slug} (per page)")
            monitor.mark(f"baseline: per-page {slug}")
            t0 = time.perf_counter()

            # The closures take this step's activity, start and result as arguments (ruff B023: no late binding).
            async def per_page(w: WireLearner, a=a, t0=t0, result=result) -> None:
                try:
                    if w.page is not None:
                        await w.leave()
                    # A cold start can fail (e.g. a kernel that lost its port to another one starting at the
                    # same moment): Voila's page then never finishes. The baseline records that and goes on.
                    await asyncio.wait_for(w.open_session(a.notebook), BASELINE_TIMEOUT)
                    result.wire.append(time.perf_counter() - t0)
                except Exception as exc:  # noqa: BLE001
                    result.errors.append(f"learner {w.n}: per-page: {type(exc).__name__}: {exc}"[:200])

            async def chrome_per_page(c, a=a, t0=t0, result=result) -> None:
                try:
                    await asyncio.wait_for(c.open_page(a.notebook, a.title, t0, result), BASELINE_TIMEOUT)
                except asyncio.TimeoutError:
                    result.errors.append(f"browser {c.n}: per-page {a.notebook}: no page after {BASELINE_TIMEOUT} s")

            await asyncio.gather(*(per_page(w) for w in wire), *(chrome_per_page(c) for c in chromes))
            report["baseline"].append(result)
            await asyncio.sleep(10)
        await asyncio.gather(*(w.leave() for w in wire), *(c.leave() for c in chromes), return_exceptions=True)
        if browser:
            await browser.close()
    for c in clients:
        await c.aclose()
    return report


def _row(name: str, r: Switch, n_learners: int) -> str:
    def stats(values: list[float]) -> str:
        if not values:
            return f"{'-':>7}{'-':>7}{'-':>7}"
        return f"{statistics.median(values):>7.2f}{p95(values):>7.2f}{max(values):>7.2f}"

    answers = f"{r.stored}/{r.sent}" if r.sent else "-"
    return (f"{name:<30}{stats(r.wire)}{len(r.wire):>5}{stats(r.chromium)}{len(r.chromium):>4}"
            f"{answers:>9}{len(r.errors):>7}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=30)
    ap.add_argument("--browsers", type=int, default=3, help="how many of the learners are real Chromium pages")
    args = ap.parse_args()
    n = args.learners
    from lessonkit.content import activities

    items = {a.slug: a for a in activities()}
    tmp = Path(tempfile.mkdtemp(prefix="lessonkit-session-"))
    db = tmp / "class.db"
    port, trainer_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS", "LESSONKIT_DB")}
    env["LESSONKIT_EXPORTS"] = str(tmp / "exports")
    # What the README tells a trainer to run (make serve = lessonkit serve --host 0.0.0.0), for a class of n.
    cmd = [sys.executable, "-m", "lessonkit.cli", "serve", "--host", "0.0.0.0", "--port", str(port),
           "--trainer-port", str(trainer_port), "--trainer-key", KEY, "--class-code", CLASS,
           "--db", f"sqlite:///{db}", "--class-size", str(n)]
    log = tmp / "serve.log"
    t0 = time.monotonic()
    proc = start(cmd, env, log)
    base, trainer_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{trainer_port}"
    monitor = Monitor(psutil.Process(proc.pid), f"{base}/voila/static/voila.js", trainer_port)
    try:
        wait_until_listening(port, proc, log, t0)
        monitor.start()
        wait_for(log.read_text, "Stop with Ctrl+C.", proc, 120)
        monitor.mark("pool fill")
        wait_for(log.read_text, "Kernel pool of lesson.ipynb is filled", proc, 300)
        fill = time.monotonic() - t0
        report = asyncio.run(run_session(base, trainer_base, n, args.browsers, monitor, db, items))
    finally:
        monitor.stop()
        stop(proc)
    server_errors = [f"server log: {line[:200]}" for line in log_errors(log.read_text())]
    kept = ROOT / "benchmarks" / "results"
    kept.mkdir(exist_ok=True)
    shutil.copy(log, kept / "session-serve.log")   # for a closer look (benchmarks/results is not committed)
    shutil.rmtree(tmp, ignore_errors=True)

    switches: list[Switch] = report["switches"]
    print(f"\nSession: {n} learners ({args.browsers} in Chromium, the rest on the wire) through {len(PATH)} "
          f"activities, paced by the trainer; {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB\n")
    head = (f"{'move (until interactive)':<30}{'wire':>7}{'p95':>7}{'max':>7}{'n':>5}{'Chrom':>7}{'p95':>7}{'max':>7}"
            f"{'n':>4}{'stored':>9}{'errors':>7}")
    print(head + "\n" + "-" * len(head))
    first = report.get("first")
    if first is not None:
        print(_row(f"{first.activity} (joined into)", first, n))
    for r in switches:
        print(_row(r.activity, r, n))
    for r in report["baseline"]:
        print(_row(r.activity, r, n))
    joins = report["join"]
    print("\ntimes in seconds from the trainer's click (median, p95, max); "
          "stored = answers in the store / answers sent")
    print(f"switches run: {len(switches)} (session page), {len(report['baseline'])} (baseline, per-page flow)")
    for r in switches:
        if r.slow:
            print(f"wire learners over {TARGETS['wire p95']} s, {r.activity}: " + "; ".join(r.slow))
    print(f"joining ({len(joins)} learners at once, join form to the session page's widgets): median "
          f"{statistics.median(joins) if joins else float('nan'):.2f} s, p95 {p95(joins):.2f} s, max "
          f"{max(joins) if joins else float('nan'):.2f} s; pool of {n} filled {fill:.0f} s after start")
    print(f"kernels alive at most: {monitor.max_learner_kernels} learners' (limit {n} + {SPARES} spares), "
          f"{monitor.max_trainer_kernels} trainer's; per phase: "
          + ", ".join(f"{k} {v}" for k, v in monitor.phase_max.items()))
    print(f"peak memory during the baseline (per-page flow): {monitor.baseline_rss / 1e9:.2f} GB RSS, "
          f"{monitor.baseline_pss / 1e9:.2f} GB PSS")
    print(f"peak memory of the session, whole serve tree: {monitor.peak_rss / 1e9:.2f} GB RSS "
          f"(shared pages once per process), {monitor.peak_pss / 1e9:.2f} GB PSS (shared pages once); "
          "at the RSS peak: " + ", ".join(
              f"{k} {sum(v) / 1e6:.0f} MB" + (f" ({len(v)}, median {statistics.median(v) / 1e6:.0f} MB)" if len(v) > 1
                                              else "") for k, v in sorted(monitor.peak_parts.items())))
    worst, worst_at, failed, checked = monitor.health(report["session_end"])
    b_worst, b_at, b_failed, b_checked = monitor.health()
    print("learners' Voila, most RSS per phase: " + ", ".join(f"{k} {v / 1e6:.0f} MB"
                                                           for k, v in monitor.phase_server.items()))
    print(f"slowest health answer, session: {worst:.2f} s (+{worst_at:.0f} s, {monitor.phase_at(worst_at)}; "
          f"{failed} failed of {checked} checks); with the baseline: {b_worst:.2f} s ({monitor.phase_at(b_at)})")
    print(f"kernels left 60 s after the tabs closed: {report['left_after_60s']} (spares: {SPARES})")
    print(f"second page (an activity's own page after the session page), scripts and stylesheets over the network: "
          f"{report['second_page_bytes'] / 1e3:.1f} KB")

    session_kernels = max((v for k, v in monitor.phase_max.items() if not k.startswith("baseline")), default=0)
    every = switches + ([first] if first else [])
    errors = report["errors"] + [e for r in every for e in r.errors] + server_errors
    base_errors = [e for r in report["baseline"] for e in r.errors]
    wire_p95 = max((p95(r.wire) for r in switches), default=float("nan"))
    chrome_p95 = max((p95(r.chromium) for r in switches), default=float("nan"))
    complete = all(len(r.wire) == n - args.browsers and len(r.chromium) == args.browsers for r in switches)
    checks = [
        (f"every move: p95 on the wire <= {TARGETS['wire p95']} s (worst move)", wire_p95,
         complete and wire_p95 <= TARGETS["wire p95"]),
        (f"every move: p95 in Chromium <= {TARGETS['chromium p95']} s (worst move)", chrome_p95,
         complete and chrome_p95 <= TARGETS["chromium p95"]),
        (f"learners' kernels never more than {n} + {SPARES} spares (session)", session_kernels,
         session_kernels <= n + SPARES),
        (f"peak memory <= {TARGETS['peak GB']} GB (RSS, whole serve tree)", monitor.peak_rss / 1e9,
         monitor.peak_rss / 1e9 <= TARGETS["peak GB"]),
        (f"60 s after the tabs close only the {SPARES} spares are left", report["left_after_60s"],
         report["left_after_60s"] <= SPARES),
        (f"{n}/{n} answers stored for every activity", min((r.stored for r in every), default=0),
         all(r.stored == r.sent == n for r in every)),
        ("no errors", len(errors), not errors),
        (f"server answered within {TARGETS['health s']} s throughout the session", worst,
         worst <= TARGETS["health s"] and failed == 0),
        ("second page transfers < 100 KB of scripts", report["second_page_bytes"] / 1e3,
         report["second_page_bytes"] < 100_000),
        ("at least 5 moves ran", len(switches), len(switches) >= 5),
    ]
    print("\ntargets")
    ok = True
    for label, value, good in checks:
        ok &= good
        shown = f"{value:.2f}" if isinstance(value, float) else f"{value}"
        print(f"  {'ok    ' if good else 'MISSED'}  {label}: {shown}")
    for e in errors[:12]:
        print(f"  error: {e}")
    for e in base_errors[:5]:
        print(f"  baseline error: {e}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
