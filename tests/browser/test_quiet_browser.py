"""A real `lessonkit serve` log and a real lesson page's console: the notices a trainer can do nothing about
are gone (lessonkit/quiet.py, the template's lessonkit-console.js), and real warnings and errors still show."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.conftest import start_serve, stop_serve

pytestmark = pytest.mark.browser

UNSATISFIED = "Unsatisfied version "
NOTICES = (UNSATISFIED, "No satisfying version (")   # webpack's shared-module notices
# A page whose kernel warns through ipykernel's own logger, writes to its stderr, then fails: what a trainer
# must still see in the log.
FAILING_CELL = """\
import os
from ipykernel.kernelapp import IPKernelApp
IPKernelApp.instance().log.warning("lessonkit-test: a kernel warning")
os.write(2, b"lessonkit-test: a line on the kernel's stderr\\n")
raise RuntimeError("lessonkit-test: this page failed")
"""


@pytest.fixture(scope="module")
def serve(tmp_path_factory, chromium_path):
    proc, srv = start_serve(tmp_path_factory.mktemp("quiet"))
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "fails", "metadata": {},
                           "outputs": [], "source": FAILING_CELL}],
                "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                            "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (srv.notebooks / "99-fails.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    yield proc, srv
    stop_serve(proc)


def console_of(srv, new_page, *, quiet: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """Open the lesson page as a new learner; (console messages, notices the page held back)."""
    page = new_page(375, 800)
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    if not quiet:   # the same page without lessonkit's console script, to count what it holds back
        page.route("**/lessonkit-console.js*", lambda route: route.fulfill(body="", content_type="text/javascript"))
    srv.goto(page, "lesson.ipynb")
    page.get_by_text(f"in class {srv.class_code}").first.wait_for()
    page.locator(".lk-session-stage .lk-title").first.wait_for()
    time.sleep(1)   # late extensions
    held = page.evaluate("() => window.lessonkitQuieted || []")
    page.evaluate("() => console.warn('lessonkit-test: a page warning')")
    page.evaluate("() => console.error('Unsatisfied version 9 from x of shared singleton module y (required ^1)')")
    page.get_by_text("lessonkit-test").count()   # a round trip, so the console events above have arrived
    return messages, held


def test_the_console_keeps_warnings_but_not_the_shared_module_notices(serve, new_page):
    _proc, srv = serve
    before, held_before = console_of(srv, new_page, quiet=False)
    after, held = console_of(srv, new_page, quiet=True)
    notices = [text for kind, text in before if kind == "warning" and text.startswith(NOTICES)]
    print(f"\nconsole of lesson.ipynb: {len(before)} messages, {len(notices)} shared-module notices without "
          f"lessonkit-console.js; {len(after)} messages, {len(held)} held back with it"
          + "".join(f"\n  held back: {t[:150]}" for t in held[-2:])
          + "".join(f"\n  shown: {k}: {t[:150]}" for k, t in after))
    assert notices and held_before == []           # the notices are real: webpack writes them on this page
    assert sorted(held) == sorted(notices)         # exactly those are held back, and each is kept for debugging
    assert not [text for kind, text in after if kind == "warning" and text.startswith(NOTICES)]
    assert ("warning", "lessonkit-test: a page warning") in after   # other warnings still show
    assert [t for k, t in after if k == "error" and t.startswith(UNSATISFIED)]   # an error is never held back


def test_the_serve_log_keeps_errors_but_not_the_notices_of_every_page_and_kernel(serve, new_page):
    proc, srv = serve
    for _ in range(2):   # two learners open the lesson: two pages, their pooled kernels and the refills
        page = new_page()
        srv.goto(page, "lesson.ipynb")
        page.locator(".lk-session-stage .lk-title").first.wait_for()
    page = new_page()
    srv.goto(page, "99-fails.ipynb")
    deadline = time.monotonic() + 90
    while "lessonkit-test: this page failed" not in srv.output.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, srv.output.read_text()[-3000:]
        time.sleep(0.5)
    log = srv.output.read_text()
    assert log.count("Kernel started") >= 4 or "Kernel pool of lesson.ipynb is filled" in log, log[-3000:]
    assert "is not trusted" not in log and "without encryption" not in log, log[-3000:]
    assert "lessonkit-test: a kernel warning" in log                 # the kernel's own warnings still show,
    assert "lessonkit-test: a line on the kernel's stderr" in log    # and what it writes to its stderr
    assert "RuntimeError" in log                                     # a failing page is an error in the log
