"""A student kernel must stay light: no lesson page may pull in voila, pandas, plotly or numpy (08: not before data),
nor any of lessonkit.server, the code only the serving process runs."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import session_env

SCRIPT = r"""
import os, sys
os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
import lessonkit as lk
from lessonkit.content import activities
one_page, page_imports_server = "--one-page" in sys.argv, "--page-imports-server" in sys.argv
built = []
for a in activities():               # every lesson page, in one kernel-like process
    page = lk.activity(a.slug)
    if page_imports_server:          # a page reaching into the serving process's code: what must be caught
        import lessonkit.server.sessions
    assert page.learner.learner == "teal-wombat-42", page.learner
    built.append(a.slug)
    if one_page:
        break
if not one_page:
    assert len(built) >= 6, built
    lesson = lk.session()            # the whole lesson on one page: every activity built in place
    for a in activities():
        assert lesson.build_ahead(a.slug) is not None
    assert lesson.learner.learner == "teal-wombat-42"
heavy = sorted(m for m in ("voila", "pandas", "plotly", "numpy", "jupyter_server", "alembic") if m in sys.modules)
server = sorted(m for m in sys.modules if m == "lessonkit.server" or m.startswith("lessonkit.server."))
print(",".join(heavy) or "none")
print(",".join(server) or "none")
"""


def _kernel(tmp_path, *flags: str, served: bool = False) -> tuple[str, str]:
    """Build lesson pages in a fresh process as a student kernel does; (heavy modules, lessonkit.server modules).

    served=True: the kernel uses the class store through the store service, as under `lessonkit serve`."""
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {"LESSONKIT_DB": db, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **session_env(db)}
    service = store = None
    if served:
        from lessonkit.server.service import StoreService  # the serving process's side, in this test process
        from lessonkit.store import ResponseStore

        store = ResponseStore(db)
        service = StoreService(store, str(tmp_path / "svc" / "store.sock"), "LIB3").start()
        env["LESSONKIT_DB"] = service.url
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT, *flags], capture_output=True, text=True, env=env,
                             timeout=120)
    finally:
        if service is not None:
            service.close()
            store.close()
    assert out.returncode == 0, out.stderr
    heavy, server = out.stdout.split()
    return heavy, server


def test_lesson_pages_import_no_heavy_modules(tmp_path):
    heavy, server = _kernel(tmp_path)
    assert heavy == "none"
    assert server == "none", f"a student kernel imported the serving process's code: {server}"


def test_a_kernel_on_the_store_service_never_imports_lessonkit_server(tmp_path):
    """Under `lessonkit serve` a student kernel talks to lessonkit/server/service.py, and imports none of it."""
    heavy, server = _kernel(tmp_path, served=True)
    assert heavy == "none"
    assert server == "none", f"a student kernel imported the serving process's code: {server}"


def test_the_server_check_catches_a_page_that_imports_lessonkit_server(tmp_path):
    """The check above is real: a page importing any lessonkit.server module shows up in it."""
    _heavy, server = _kernel(tmp_path, "--one-page", "--page-imports-server")
    assert server != "none" and "lessonkit.server.sessions" in server.split(","), server


LOAD_DATA = r"""
import os, sys
os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
import lessonkit as lk
from lessonkit.components.feedback_explorer import FeedbackExplorer
from lessonkit.components.page import find
page = lk.activity("feedback-forms")
explorer = find(page, FeedbackExplorer).assert_single()
heavy = lambda: sorted(m for m in ("pandas", "plotly", "numpy") if m in sys.modules)
before = heavy()
assert explorer.use_sample() and explorer.analyse(), explorer.message.value
assert explorer.plots, "no plotly figure after Analyse"
print(",".join(before) or "none", ",".join(heavy()))
"""


def test_notebook_08_loads_pandas_and_plotly_only_with_data(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {"LESSONKIT_DB": db, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **session_env(db)}
    out = subprocess.run([sys.executable, "-c", LOAD_DATA], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    before, after = out.stdout.split()
    assert before == "none"                                   # the page, built, imports neither
    assert {"pandas", "plotly"} <= set(after.split(","))      # a learner's data brings them in
