"""A real `lessonkit serve` (Voila) and real headless Chromium driven by Playwright.

Playwright cannot download browsers here: it drives Debian's /usr/bin/chromium. Without Chromium
or Playwright the tests skip locally with the reason; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, ROOT, skip_or_fail

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "tests" / "browser" / "screenshots"
PAGE_TIMEOUT_MS = 90_000  # a cold kernel on a busy 2-core CI machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db_url: str
    class_code: str
    notebooks: Path
    output: Path
    trainer_url: str = ""      # the dashboard's base address (127.0.0.1 only)
    trainer_key: str = ""

    def dashboard_url(self, key: str | None = None) -> str:
        key = self.trainer_key if key is None else key
        return f"{self.trainer_url}/voila/render/11-trainer-dashboard.ipynb?key={key}"

    def present_url(self, key: str | None = None) -> str:
        key = self.trainer_key if key is None else key
        return f"{self.trainer_url}/voila/render/12-present.ipynb?key={key}"

    def page_url(self, notebook: str, **query: str) -> str:
        from urllib.parse import urlencode

        q = urlencode(query)
        return f"{self.url}/voila/render/{notebook}" + (f"?{q}" if q else "")

    @property
    def cookie(self) -> str:
        return f"lk_session_{self.url.rsplit(':', 1)[1]}"

    def join(self, page, learner: str | None = None, name: str | None = None) -> str:
        """Join the class in this page's browser context, as the join form does (the form's made-up name is
        `learner`, when nobody has it yet); returns the learner id. The context then holds the session cookie."""
        import re

        request = page.context.request
        form_page = request.get(f"{self.url}/join?class={self.class_code}")
        assert form_page.ok, form_page.status
        html = form_page.text()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', html).group(1)
        proposed = learner or re.search(r'name="learner" value="([^"]+)"', html).group(1)
        done = request.post(f"{self.url}/join", form={"_xsrf": xsrf, "class": self.class_code, "name": name or "",
                                                      "learner": proposed}, max_redirects=0)
        assert done.status == 302, (done.status, done.text()[:500])
        got = self.learner_of(page)
        if learner and got != learner:
            # The id was taken by an earlier test's learner: continue as that learner on a new device, as a
            # personal link would (the session is made in the store, the cookie put in this browser).
            from lessonkit.store import ResponseStore

            store = ResponseStore(self.db_url)
            try:
                store.delete_learner(self.class_code, got)
                token = store.new_session(self.class_code, learner)
                if name:
                    store.set_display_name(self.class_code, learner, name)
            finally:
                store.close()
            page.context.add_cookies([{"name": self.cookie, "value": token, "url": self.url, "httpOnly": True}])
            got = self.learner_of(page)
        return got

    def token_of(self, page) -> str | None:
        """The session token in this page's browser (the HttpOnly cookie; tests may read it, page scripts may not)."""
        found = [c["value"] for c in page.context.cookies(self.url) if c["name"] == self.cookie]
        return found[0] if found else None

    def learner_of(self, page) -> str | None:
        from lessonkit.store import ResponseStore

        token = self.token_of(page)
        if token is None:
            return None
        store = ResponseStore(self.db_url)
        try:
            found = store.session(token)
        finally:
            store.close()
        return found[1] if found else None

    def goto(self, page, notebook: str, *, learner: str | None = None, name: str | None = None, **query: str):
        """Open a lesson page as a learner: join first (once per browser context), then go to the page."""
        if self.token_of(page) is None:
            got = self.join(page, learner, name)
            assert learner is None or got == learner, f"{learner} was taken: joined as {got}"
        return page.goto(self.page_url(notebook, **query))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium; .ci/run does this)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


def start_serve(tmp: Path, *extra: str) -> tuple[subprocess.Popen, Server]:
    """`lessonkit serve` exactly as a trainer runs it, on a copy of notebooks/ with a planted database."""
    notebooks = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / "responses.db").write_bytes(b"SQLite format 3\x00 planted to prove it is never served")
    (notebooks / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    db_url = f"sqlite:///{tmp / 'class.db'}"
    port, trainer_port = free_port(), free_port()
    key = "test-key-" + os.urandom(6).hex()
    output = tmp / "serve.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1", LESSONKIT_EXPORTS=str(tmp / "exports"))
    for var in ("LESSONKIT_CLASS", "LESSONKIT_DB", "JUPYTERHUB_USER"):  # set for nbval by the root conftest
        env.pop(var, None)
    with open(output, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lessonkit.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--class-code", "TEST1", "--db", db_url, "--notebooks", str(notebooks),
             "--trainer-port", str(trainer_port), "--trainer-key", key,
             # a small class: two lesson-page kernels ready, not thirty (tests override with their own)
             "--class-size", "2", *extra],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if "Stop with Ctrl+C." in output.read_text():   # the whole banner is out
            break
        if proc.poll() is not None:
            pytest.fail(f"lessonkit serve exited early:\n{output.read_text()}")
        time.sleep(0.3)
    else:
        stop_serve(proc)
        pytest.fail(f"lessonkit serve did not start in 90 s:\n{output.read_text()}")
    return proc, Server(f"http://127.0.0.1:{port}", db_url, "TEST1", notebooks, output,
                        f"http://127.0.0.1:{trainer_port}", key)


def stop_serve(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a server started in a session of its own (lessonkit serve, JupyterLab, JupyterHub) and its children."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path) -> Server:
    proc, srv = start_serve(tmp_path_factory.mktemp("serve"))
    yield srv
    stop_serve(proc)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_report_{report.when}", report)


FAILED = SHOTS / "failed"   # what a failed browser test's pages showed (CI keeps the folder as an artifact)


def save_failure_evidence(name: str, pages: list) -> list[Path]:
    """Each still-open page's screenshot, visible text and console messages, named after the failed test."""
    FAILED.mkdir(parents=True, exist_ok=True)
    saved = []
    for n, page in enumerate(pages):
        stem = FAILED / f"{name}-{n}"
        try:
            page.screenshot(path=str(stem.with_suffix(".png")), full_page=True, timeout=10_000)
            text = page.evaluate("() => document.body ? document.body.innerText : ''")
        except Exception as e:   # a closed or crashed page: say so rather than hide the test's own failure
            text = f"(page could not be read: {e})"
        stem.with_suffix(".txt").write_text(f"URL: {page.url}\n\n{text}\n\nconsole:\n" +
                                            "\n".join(page.console_lines[-200:]), encoding="utf-8")
        saved.append(stem.with_suffix(".txt"))
    return saved


@pytest.fixture
def new_page(browser, request):
    """Open pages in separate contexts (separate learners); collects dialogs and off-site requests. When the
    test fails, each page's screenshot, text and console go to tests/browser/screenshots/failed/."""
    contexts, pages = [], []

    def make(width: int = 1000, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        pages.append(page)
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.dialogs, page.offsite, page.console_lines = [], [], []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: page.offsite.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "ws://127.0.0.1")) else None)
        page.on("console", lambda m: page.console_lines.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.console_lines.append(f"pageerror: {e}"))
        return page

    yield make
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        name = request.node.name.replace("/", "_")[:80]
        for path in save_failure_evidence(name, [p for p in pages if not p.is_closed()]):
            print(f"failed test's page saved: {path.relative_to(ROOT)} (and .png)")
        if "server" in request.fixturenames:   # the shared lessonkit serve: its last words
            log = request.getfixturevalue("server").output
            print(f"--- the end of {log.name} ---\n" + log.read_text(errors="replace")[-4000:])
    for ctx in contexts:
        ctx.close()


def wait_for_jupyter(url: str, token: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Return once a Jupyter server (JupyterLab, Jupyter Server) answers /api/status; fail with its log."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Jupyter server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"   # pinned in package.json; `make test` runs npm ci


def run_axe(page, within: str | None = None) -> list[dict]:
    """Inject axe-core into the page and run its default rules (every impact); returns the violations.

    Each violation is {"id", "impact", "help", "nodes": [{"target", "html", "summary"}]}. Without
    node_modules/axe-core the test skips locally with the reason and fails under CI=true.
    """
    if not AXE_JS.exists():
        skip_or_fail(f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} is missing; run `npm ci`, "
                     "which `make test` does)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    # Voila scrolls its output inside a viewport-high panel, and axe skips the colour contrast of
    # anything outside the viewport: make the viewport as tall as the page while axe runs.
    size = page.viewport_size
    tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('body, #rendered_cells')]"
                         ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), 20_000)})
    try:
        return page.evaluate(_AXE_RUN, within)   # within: a CSS selector (lessonkit's part of a JupyterLab page)
    finally:
        page.set_viewport_size(size)


_AXE_RUN = """async (within) => {
    const r = await axe.run(within || document, {resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                  summary: n.failureSummary}))}));
}"""


def axe_table(results: dict[str, list[dict]]) -> str:
    """A plain-text table of axe violations per page: page, rule, impact, how many elements."""
    lines = [f"{'page':<28} {'rule':<30} {'impact':<9} {'count':>5}", "-" * 75]
    for name, violations in results.items():
        if not violations:
            lines.append(f"{name:<28} {'(no violations)':<30} {'':<9} {0:>5}")
        for v in violations:
            lines.append(f"{name:<28} {v['id']:<30} {v['impact'] or '':<9} {len(v['nodes']):>5}")
    return "\n".join(lines)
