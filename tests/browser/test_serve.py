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
