"""A student kernel must stay light: no lesson page may pull in voila, pandas, plotly or numpy (08: not before data)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import session_env

SCRIPT = r"""
import os, sys
os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
import lessonkit as lk
from lessonkit.content import activities
built = []
for a in activities():               # every lesson page, in one kernel-like process
    page = lk.activity(a.slug)
    assert page.learner.learner == "teal-wombat-42", page.learner
    built.append(a.slug)
assert len(built) >= 6, built
lesson = lk.session()                # the whole lesson on one page: every activity built in place
for a in activities():
    assert lesson.build_ahead(a.slug) is not None
assert lesson.learner.learner == "teal-wombat-42"
heavy = sorted(m for m in ("voila", "pandas", "plotly", "numpy", "jupyter_server", "alembic", "lessonkit.server")
               if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_lesson_pages_import_no_heavy_modules(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {"LESSONKIT_DB": db, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **session_env(db)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"


LOAD_DATA = r"""
import os, sys
os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
import lessonkit as lk
page = lk.activity("feedback-forms")
explorer = page.content_widget.explorer
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
