"""Notebooks stay thin and clean; nbval (configured in pyproject.toml) executes each one as well."""

from __future__ import annotations

import json

import pytest

from lessonkit.content import activities
from tests.helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TRAINER = sorted((ROOT / "trainer").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS + TRAINER, ids=lambda p: p.name)
def test_notebook_is_thin_and_has_no_outputs(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    source = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in code)
    lines = [ln for ln in source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert lines[0] == "import lessonkit as lk"
    assert len(lines) == 2 and lines[1].startswith("lk."), "imports, one loader call, display"


def test_every_activity_has_its_notebook():
    names = {p.name for p in NOTEBOOKS}
    for a in activities():
        assert a.notebook in names, f"{a.slug}: notebooks/{a.notebook} is missing"
    assert "00-overview.ipynb" in names and "lesson.ipynb" in names   # lesson: the whole lesson on one page


def test_trainer_dashboard_is_outside_the_students_folder():
    # The students' Voila serves notebooks/ (and everything under it); the dashboard must not be there.
    assert [p.name for p in TRAINER] == ["11-trainer-dashboard.ipynb", "12-present.ipynb"]
    assert not list((ROOT / "notebooks").rglob("*trainer*"))
