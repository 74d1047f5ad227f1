"""`lessonkit check` on a lesson folder: activities and notebooks must fit together, and a copied lesson
folder reads its own content from a notebook's folder with no setting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from lessonkit.checking import check
from lessonkit.datafiles import data_dir
from lessonkit.settings import process_settings
from tests.helpers import ROOT


@pytest.fixture
def lesson(tmp_path):
    for part in ("data", "notebooks"):
        shutil.copytree(ROOT / part, tmp_path / "my-lesson" / part)
    return tmp_path / "my-lesson"


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_lesson_is_wired(lesson):
    assert check([lesson / "data"]) == []


def test_a_renamed_notebook_is_named_with_the_field_to_fix(lesson):
    (lesson / "notebooks" / "05-colour-days.ipynb").rename(lesson / "notebooks" / "05-colours.ipynb")
    [problem] = check([lesson / "data"])
    assert "colour-days.yaml:" in problem and "notebook:" in problem and "no 05-colour-days.ipynb" in problem
    assert "05-colours.ipynb shows this activity" in problem


def test_a_typo_in_the_notebook_field(lesson):
    _edit(lesson / "data" / "activities" / "legislation.yaml", "notebook: 07-legislation.ipynb",
          "notebook: 07-legislaton.ipynb")
    problems = check([lesson / "data"])
    assert any("legislation.yaml:" in p and "notebook:" in p and "no 07-legislaton.ipynb" in p for p in problems)
    # and the notebook that nobody names any more
    assert any("07-legislation.ipynb" in p and "legislation" in p for p in problems), problems


def test_two_activities_with_one_number(lesson):
    _edit(lesson / "data" / "activities" / "comments.yaml", "number: 10", "number: 9")
    problems = check([lesson / "data"])
    assert len(problems) == 2 and all("number:" in p and "09 is also the number of" in p for p in problems)
    assert {p.split(":")[0].rsplit("/", 1)[-1] for p in problems} == {"comments.yaml", "difficult-customers.yaml"}


def test_a_copied_quiz_that_keeps_04s_number_and_notebook(lesson):
    shutil.copy(lesson / "data" / "activities" / "listening-quiz.yaml", lesson / "data" / "activities" / "fines.yaml")
    problems = check([lesson / "data"])
    assert any(p.startswith(str(lesson / "data" / "activities" / "fines.yaml")) and "number:" in p for p in problems)
    assert any("fines.yaml" in p and "notebook:" in p and "04-listening-quiz.ipynb is also the notebook of" in p
               for p in problems)


def test_a_notebook_for_an_activity_that_is_not_there(lesson):
    nb = lesson / "notebooks" / "12-returns.ipynb"
    nb.write_text((lesson / "notebooks" / "05-colour-days.ipynb").read_text().replace("colour-days", "returns"))
    [problem] = check([lesson / "data"])
    assert "12-returns.ipynb" in problem and "'returns'" in problem and "not in" in problem


def test_the_cli_names_each_problem(lesson):
    (lesson / "notebooks" / "05-colour-days.ipynb").rename(lesson / "notebooks" / "05-colours.ipynb")
    done = subprocess.run([sys.executable, "-m", "lessonkit.cli", "check", str(lesson / "data")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "colour-days.yaml:" in done.stdout and "05-colours.ipynb" in done.stdout


def test_a_copied_lesson_reads_its_own_content_from_its_notebooks_folder(lesson, monkeypatch):
    _edit(lesson / "data" / "activities" / "colour-days.yaml", 'title: "What colour is Monday?"',
          'title: "Our own colours"')
    monkeypatch.chdir(lesson / "notebooks")               # where JupyterLab starts the notebook's kernel
    assert data_dir(process_settings()) == lesson / "data"
    from lessonkit.content import load
    from lessonkit.datafiles import activity_path

    assert load(activity_path("colour-days", data_dir(process_settings()))).title == "Our own colours"
    assert load(activity_path("colour-days")).title == "Our own colours"   # the default folder: the same rule
    monkeypatch.setenv("LESSONKIT_DATA", str(ROOT / "data"))   # a setting still wins
    assert data_dir(process_settings()) == ROOT / "data"
    monkeypatch.delenv("LESSONKIT_DATA")
    monkeypatch.chdir(os.path.dirname(lesson))           # elsewhere: the repository's content
    assert data_dir(process_settings()) == ROOT / "data"
