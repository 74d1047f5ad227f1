"""`lessonkit serve` itself: idle kernels of closed tabs are culled."""

from __future__ import annotations

import time

import psutil
import pytest

from tests.browser.conftest import start_serve, stop_serve

pytestmark = pytest.mark.browser


def learner_kernels(proc) -> int:
    count = 0
    for p in psutil.Process(proc.pid).children(recursive=True):
        try:
            count += "ipykernel_launcher" in " ".join(p.cmdline())
        except psutil.Error:
            pass
    return count


def test_closed_tab_kernel_is_culled(tmp_path, new_page):
    proc, server = start_serve(tmp_path, "--cull-idle", "6")
    try:
        page = new_page()
        page.goto(server.page_url("05-colour-days.ipynb", learner="calm-koala-21"))
        page.locator(".lk-swatches").first.wait_for()
        assert learner_kernels(proc) == 1
        page.close()                        # Voila does not shut the kernel down itself (voila#1458)
        deadline = time.monotonic() + 60
        while learner_kernels(proc) and time.monotonic() < deadline:
            time.sleep(1)
        assert learner_kernels(proc) == 0, "the closed tab's kernel was not culled"
        assert "Culling 'idle' kernel" in server.output.read_text()
    finally:
        stop_serve(proc)


def test_preheated_kernel_reads_the_learner_after_the_request(tmp_path, new_page):
    """Voila's kernel pools run the notebook before anyone arrives; identity must wait for the request."""
    import os
    import shutil
    import signal
    import subprocess
    import sys

    from tests.browser.conftest import ROOT, free_port

    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    port = free_port()
    log = tmp_path / "voila.log"
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS")}
    env["LESSONKIT_DB"] = f"sqlite:///{tmp_path / 'pre.db'}"
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
        page.goto(f"http://127.0.0.1:{port}/voila/render/05-colour-days.ipynb?class=PRE1&learner=sunny-wren-31"
                  "&name=Pat")
        page.get_by_text("You are Pat in class PRE1").wait_for()
        assert "Using pre-heated kernel" in log.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_serve_preheats_only_the_activity_being_taught(tmp_path, new_page):
    proc, server = start_serve(tmp_path, "--preheat", "colour-days", "--class-size", "2")
    try:
        assert "Preheated:          05-colour-days.ipynb (2 kernel(s) started one at a time" in server.output.read_text()
        deadline = time.monotonic() + 120
        while "Kernel pool of 05-colour-days.ipynb is filled with 2 kernel(s)" not in server.output.read_text():
            assert time.monotonic() < deadline, server.output.read_text()
            time.sleep(0.5)
        assert learner_kernels(proc) == 2                   # the pool, and nothing for the other pages
        page = new_page()
        page.goto(server.page_url("05-colour-days.ipynb", learner="sunny-wren-31", name="Pat"))
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

    headers, body = get(server.page_url("05-colour-days.ipynb", learner="calm-koala-22"), gzip=False)
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
