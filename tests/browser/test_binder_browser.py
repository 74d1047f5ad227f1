"""Binder serves lessonkit's page, not plain Voila: the repository as repo2docker sets it up.

repo2docker installs environment.yml and runs postBuild, which runs `python -m lessonkit.lab --install
--hosted`; Binder then opens `voila/render/notebooks/...` through Jupyter Server's Voila extension. This
test runs the same install into a scratch prefix, starts Jupyter Server with that configuration (and
Binder's environment), and opens a page in Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser.conftest import free_port, stop_serve, wait_for_jupyter
from tests.browser.test_colour_days_browser import WEEK_A, pick_week
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


def _postbuild_lessonkit_line() -> list[str]:
    [line] = [ln for ln in (ROOT / "postBuild").read_text().splitlines() if "lessonkit.lab" in ln]
    return line.split()[1:]     # the arguments after `python`


def test_binder_pages_are_lessonkits_own(tmp_path, new_page, chromium_path):
    prefix = tmp_path / "srv-conda"
    subprocess.run([sys.executable, *_postbuild_lessonkit_line(), "--prefix", str(prefix)], check=True, timeout=120)
    config = json.loads((prefix / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    kernels = config["MappingKernelManager"]
    assert kernels["cull_idle_timeout"] > 0 and not kernels["cull_connected"]
    voila = json.loads((prefix / "etc" / "jupyter" / "voila.json").read_text())
    assert voila["VoilaConfiguration"]["template"] == "lessonkit"
    home = tmp_path / "home"                               # repo2docker: the repository is the home folder
    for part in ("data", "notebooks"):
        shutil.copytree(ROOT / part, home / part)
    port, token = free_port(), os.urandom(8).hex()
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(prefix / "etc" / "jupyter"),
               JUPYTER_PATH=str(prefix / "share" / "jupyter"), JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"),
               BINDER_REQUEST="v2/gh/lessonkit-project/lessonkit/HEAD",
               LESSONKIT_DB=f"sqlite:///{tmp_path / 'binder.db'}",
               LESSONKIT_LEARNER_FILE=str(tmp_path / "learner.json"))
    for var in ("LESSONKIT_DATA", "LESSONKIT_CLASS", "JUPYTERHUB_USER"):
        env.pop(var, None)
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        # The shipped culling, only quicker: the test cannot wait Binder's 15 minutes.
        proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                                 "--ip=127.0.0.1", "--allow-root", f"--ServerApp.token={token}",
                                 f"--ServerApp.root_dir={home}", "--MappingKernelManager.cull_idle_timeout=6",
                                 "--MappingKernelManager.cull_interval=2"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_jupyter(base, token, proc, log)

        page = new_page(width=375, height=800)
        sizes: list[int] = []

        def count(request):
            s = request.sizes()
            sizes.append(max(0, s["responseBodySize"]) + max(0, s["responseHeadersSize"]))

        page.on("requestfinished", count)
        page.goto(f"{base}/voila/render/notebooks/05-colour-days.ipynb?token={token}")
        page.get_by_role("main").wait_for()                       # lessonkit's template: a main landmark
        page.get_by_text("Practice copy on Binder").first.wait_for()
        page.get_by_label("Class code").fill("PRACTICE")
        page.get_by_role("button", name="Join").click()
        pick_week(page, WEEK_A)
        assert page.locator("[role=radio][aria-checked]").count() >= 7 * 2    # lessonkit's accessibility script ran
        page.wait_for_timeout(1000)
        assert page.offsite == []                                 # no font or MathJax CDN
        assert sum(sizes) <= 1_500_000, f"{sum(sizes) / 1e6:.2f} MB transferred"
        html = page.content()
        assert "jupyterlab-plotly" not in html and "anywidget" not in html   # only the widget extensions

        def kernels() -> int:
            with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as r:
                return len(json.load(r))

        assert kernels() == 1
        page.close(run_before_unload=True)                         # the learner closes the tab
        deadline = time.monotonic() + 40
        while kernels():
            assert time.monotonic() < deadline, "the closed page's kernel is still running"
            time.sleep(1)
    finally:
        stop_serve(proc)
