"""A student kernel must stay light: the colour page may not pull in voila, pandas or plotly."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import os, sys
os.environ.update(QUERY_STRING="class=LIB3&learner=teal-wombat-42", SERVER_SOFTWARE="voila/0.5",
                  VOILA_PREHEAT="False")
import lessonkit as lk
page = lk.activity("colour-days")
page.content_widget.board.stop()
assert page.learner.learner == "teal-wombat-42", page.learner
heavy = sorted(m for m in ("voila", "pandas", "plotly", "numpy", "jupyter_server") if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_colour_page_imports_no_heavy_modules(tmp_path):
    env = {"LESSONKIT_DB": f"sqlite:///{tmp_path / 'k.db'}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"
