"""`lessonkit serve` itself: idle kernels of closed tabs are culled."""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest

from tests.browser.conftest import start_serve, stop_serve

pytestmark = pytest.mark.browser


def kernel_processes(proc) -> list[psutil.Process]:
    found = []
    for p in psutil.Process(proc.pid).children(recursive=True):
        try:
            if any(k in " ".join(p.cmdline()) for k in ("ipykernel_launcher", "lessonkit.kernel")):
                found.append(p)
        except psutil.Error:
            pass
    return found


def learner_kernels(proc) -> int:
    return len(kernel_processes(proc))


def autogroup_nice(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/autogroup").read_text().split("nice")[1])
    except (OSError, IndexError, ValueError):
        return None   # no autogroups on this machine


def test_a_vanished_page_is_culled_although_its_board_keeps_redrawing(tmp_path, new_page):
    """A browser that crashed (or a phone whose battery died) never says goodbye: its kernel is culled after
    --cull-idle seconds without a message from the learner, even while a classmate's answers keep its board
    redrawing (a redraw is the kernel's own doing, not the learner's)."""
    from lessonkit.store import ResponseStore

    proc, server = start_serve(tmp_path, "--cull-idle", "8", "--pool-size", "0")   # no pool: count only pages
    try:
        page = new_page()
        server.goto(page, "05-colour-days.ipynb", learner="calm-koala-21")
        page.locator(".lk-swatches").first.wait_for()
        assert learner_kernels(proc) == 1
        # The page's kernel yields the CPU to the server that relays every page's messages; the server does not.
        from lessonkit.kernel import NICE

        kernel, server_proc = kernel_processes(proc)[0], psutil.Process(proc.pid)
        assert kernel.nice() == NICE and server_proc.nice() == 0
        assert not [f.path for f in kernel.open_files() if f.path.endswith("history.sqlite")]   # no IPython history
        if autogroup_nice(kernel.pid) is not None:
            assert autogroup_nice(kernel.pid) == NICE and autogroup_nice(server_proc.pid) == 0
        # Its ports come from the learners' range, never from the system's outgoing ones (server/ports.py).
        import json

        from lessonkit.server.ports import LEARNERS

        cmd = kernel.cmdline()
        info = json.loads(Path(cmd[cmd.index("-f") + 1]).read_text())
        assert all(LEARNERS[0] <= info[k] <= LEARNERS[1] for k in info if k.endswith("_port")), info
        page.close()                        # no beforeunload: the page just stops
        store = ResponseStore(server.db_url)
        deadline, n = time.monotonic() + 60, 0
        while learner_kernels(proc) and time.monotonic() < deadline:
            n += 1                          # a classmate answers again and again: the board redraws every time
            store.submit("TEST1", "colour-days", "busy-bee-11", "monday", ["Blue", "Red"][n % 2])
            time.sleep(1)
        store.close()
        assert learner_kernels(proc) == 0, "the vanished page's kernel was not culled"
        assert n >= 8 and "Culling 'idle' kernel" in server.output.read_text()
    finally:
        stop_serve(proc)


def test_preheated_kernel_reads_the_learner_after_the_request(tmp_path, new_page):
    """Voila's kernel pools run the notebook before anyone arrives; identity must wait for the request."""
    import os
    import shutil
    import signal
    import subprocess
    import sys

    from tests.browser.conftest import free_port
    from tests.helpers import ROOT

    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    port = free_port()
    log = tmp_path / "voila.log"
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS")}
    env["LESSONKIT_DB"] = f"sqlite:///{tmp_path / 'pre.db'}"
    from lessonkit.store import ResponseStore

    store = ResponseStore(env["LESSONKIT_DB"])
    _learner, token = store.join("PRE1", learner="sunny-wren-31", display_name="Pat")   # joined earlier
    store.close()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "voila", str(nbs), "--no-browser", f"--port={port}",
                                 "--preheat_kernel=True", "--pool_size=1"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "05-colour-days.ipynb is filled" not in log.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        time.sleep(2)   # the pooled kernel has run the notebook up to wait_for_request()
        page = new_page()
        page.goto(f"http://127.0.0.1:{port}/voila/render/05-colour-days.ipynb?s={token}")   # Pat's personal link
        page.get_by_text("You are Pat in class PRE1").wait_for()
        assert "Using pre-heated kernel" in log.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_serve_preheats_only_the_activity_being_taught(tmp_path, new_page):
    proc, server = start_serve(tmp_path, "--preheat", "colour-days", "--class-size", "2")
    try:
        assert "05-colour-days.ipynb); then 3 spare" in server.output.read_text()
        deadline = time.monotonic() + 120
        filled = ("Kernel pool of 05-colour-days.ipynb is filled with 2 kernel(s)",
                  "Kernel pool of lesson.ipynb is filled with 2 kernel(s)")
        while not all(f in server.output.read_text() for f in filled):
            assert time.monotonic() < deadline, server.output.read_text()
            time.sleep(0.5)
        assert learner_kernels(proc) == 4       # the session page's pool and 05's, nothing for the other pages
        page = new_page()
        server.goto(page, "05-colour-days.ipynb", learner="sunny-wren-31", name="Pat")
        page.get_by_text("You are Pat in class TEST1").wait_for()
        rows = page.locator(".lk-swatches")
        rows.first.wait_for()
        # the page was built before Pat arrived: what Pat submits is stored as Pat, nothing as the placeholder
        for i in range(rows.count()):
            rows.nth(i).locator("button").nth(i % 3).click()
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Saved at").wait_for()
        from lessonkit.components.base import PLACEHOLDER_ID
        from lessonkit.store import ResponseStore

        store = ResponseStore(server.db_url)
        assert len(store.answers_for("TEST1", "colour-days", "sunny-wren-31")) == rows.count()
        assert store.display_names("TEST1").get("sunny-wren-31") == "Pat"
        assert not any(r.learner == PLACEHOLDER_ID for r in store.current("TEST1", "colour-days"))
        store.close()
        log = server.output.read_text()
        assert "Using pre-heated kernel" in log
        assert "Kernel pool of 01-charters.ipynb" not in log and "Kernel pool of 00-overview.ipynb" not in log
    finally:
        stop_serve(proc)


def test_pages_are_compressed_and_carry_only_the_widget_extensions(server):
    """Phones on school wifi: scripts are gzipped, and unused JupyterLab extensions are not sent."""
    import re
    import urllib.request

    def get(url: str, gzip: bool = True):
        req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.headers, r.read()

    from lessonkit.store import ResponseStore

    store = ResponseStore(server.db_url)
    _learner, token = store.join("TEST1")
    store.close()
    req = urllib.request.Request(server.page_url("05-colour-days.ipynb"),
                                 headers={"Cookie": f"{server.cookie}={token}"})
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
    page = body.decode("utf-8")
    assert "jupyterlab-plotly" not in page and "anywidget" not in page
    assert "widgets-manager8" in page                      # Voila's own manager draws the widgets
    script = re.search(r'src="(/voila/static/[^"]+\.js)', page) or re.search(r'"(/voila/static/voila\.js)', page)
    headers, _ = get(f"{server.url}{script.group(1) if script else '/voila/static/voila.js'}")
    assert headers.get("Content-Encoding") == "gzip"
    # Every learner's browser fetches the same big scripts: compressed once, before the class arrives,
    # and the same bytes for everyone.
    deadline = time.monotonic() + 60
    while not (warm := re.search(r"lessonkit: (\d+) scripts and stylesheets compressed before learners arrive",
                                 server.output.read_text())):
        assert time.monotonic() < deadline, server.output.read_text()[-2000:]
        time.sleep(0.5)
    assert int(warm.group(1)) >= 50
    big = re.findall(r'(?:src|href)="([^"]*(?:static|labextensions)[^"]*\.js[^"]*)"', page)
    assert big, page[:2000]
    import gzip as gz

    for url in big[:3]:
        url = url if url.startswith("http") else f"{server.url}{url}"
        first_headers, first = get(url)
        again_headers, again = get(url)
        _plain_headers, plain = get(url, gzip=False)
        assert again_headers.get("Content-Encoding") == "gzip" and again == first
        assert int(again_headers["Content-Length"]) == len(again)
        assert gz.decompress(again) == plain and len(again) < len(plain)
