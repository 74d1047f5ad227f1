"""A lesson brings a kind of its own: a folder registered with kinds.add_folder() and nothing else.

The toy kind below is written into a temporary folder (its KIND, a one-field model, a view storing one
answer and a class board), its activity YAML into a temporary data folder; then it loads, serves through
lessonkit.pages like a shipped kind, stores what the learner submits and shows it, escaped, on the
learner's board and on the trainer's.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

import lessonkit.pages
from lessonkit import checking, content, kinds, schema
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from tests.helpers import HOSTILE, session_env

TOY = "toy_poll"          # the kind's folder, so its package is lessonkit.kinds.toy_poll

KIND_INIT = '''
from lessonkit.kinds import Kind

KIND = Kind(name="toy-poll", model=".model:ToyPoll", page=".view:toy_page", boards=".view:toy_boards")
'''

MODEL = '''
from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.convert import field_meta
from lessonkit.model import Activity


@dataclass(frozen=True)
class ToyPoll(Activity):
    """One question, one short answer each, and the class's answers on a board."""

    question: str = field(default="", metadata=field_meta("the question", required=True, max_len=120))
'''

VIEW = '''
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from lessonkit.components.base import ActivityView
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected


class ToyAnswer(ActivityView):
    """A text box for the one answer."""

    def _build_body(self):
        self.answer = widgets.Text(description=self.content.question)
        self.answer.observe(lambda _change: self._mark_changed(), names="value")
        return self.answer

    def _collect(self):
        return {"answer": self.answer.value}

    def _validate(self, answers):
        text = answers.get("answer")
        if set(answers) != {"answer"} or not isinstance(text, str) or not text.strip():
            raise AnswerRejected("type an answer first")
        return {"answer": text.strip()}

    def _show(self, answers):
        if isinstance(answers.get("answer"), str):
            self.answer.value = answers["answer"]


def render(answers, you=None, *, names=None, sample_label=None):
    said = "".join(f"<li>{escape(str(a.get('answer', '')))}{' (you)' if lrn == you else ''}</li>"
                   for lrn, a in sorted(answers.items()))
    return f"<ul class='toy-board'>{said}</ul>" if said else "<p>No answers yet.</p>"


def toy_boards(content, store, class_code, *, learner=None, show_names=True, live=True):
    return [ClassBoard(store, class_code, content.slug, render=render, learner=learner, title="What the class said",
                       show_names=show_names, live=live, sample_label="Nobody else has answered yet.")]


def toy_page(content, store, learner, *, settings=None):
    view = ToyAnswer(content, store, learner)
    [board] = toy_boards(content, store, learner.class_code, learner=learner.learner)
    return ActivityPage([view, board], feeds=[(view, board)])
'''

YAML = '''kind: toy-poll
number: 42
title: A toy activity
notebook: 42-toy.ipynb
seed_section: Nowhere
minutes: 5
outcomes: ["3.1"]
objectives: ["Say one thing"]
instructions: Answer the question.
question: What did you learn today?
'''


@pytest.fixture
def toy_folder(tmp_path, monkeypatch):
    """The toy kind's folder; the registry (and the modules it imported) as they were, after the test."""
    kinds.names()   # the built-in kinds, registered before the copies below are taken
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))
    monkeypatch.setattr(kinds, "_FOLDERS", list(kinds._FOLDERS))
    monkeypatch.setattr(kinds, "__path__", list(kinds.__path__))
    folder = tmp_path / "lesson-kinds"
    package = folder / TOY
    package.mkdir(parents=True)
    for name, text in (("__init__.py", KIND_INIT), ("model.py", MODEL), ("view.py", VIEW)):
        (package / name).write_text(text, encoding="utf-8")
    yield folder
    for name in [m for m in sys.modules if m == f"lessonkit.kinds.{TOY}" or m.startswith(f"lessonkit.kinds.{TOY}.")]:
        del sys.modules[name]


def yaml_file(tmp_path: Path) -> Path:
    data = tmp_path / "data" / "activities"
    data.mkdir(parents=True)
    path = data / "toy.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def test_a_kind_from_a_folder_loads_serves_stores_and_shows_on_both_boards(toy_folder, tmp_path, store):
    assert "toy-poll" not in kinds.names()
    assert kinds.add_folder(toy_folder) == ["toy-poll"]
    path = yaml_file(tmp_path)

    loaded = content.load(path)
    assert type(loaded).__name__ == "ToyPoll" and loaded.question == "What did you learn today?"
    assert checking.check([path]) == []
    assert schema.schema("toy-poll")["properties"]["question"]

    page = lessonkit.pages.activity(str(path), store=store, env=session_env(store))
    view_module = importlib.import_module(f"lessonkit.kinds.{TOY}.view")
    view = find(page, view_module.ToyAnswer).assert_single()
    board = find(page, ClassBoard).assert_single()
    board.stop()
    assert "No answers yet." in board.html
    view.answer.value = HOSTILE
    view.submit_button.click()

    assert view.saved, view.status
    assert store.answers_for("LIB3", "toy", "teal-wombat-42") == {"answer": HOSTILE}
    assert "&lt;img src=x onerror=alert(1)&gt; (you)" in board.html and HOSTILE not in board.html

    [trainer_board] = lessonkit.pages.boards(loaded, store, "LIB3", live=False)
    assert isinstance(trainer_board, ClassBoard) and trainer_board.learners == 1
    assert "&lt;img src=x onerror=alert(1)&gt;" in trainer_board.html and "(you)" not in trainer_board.html
    assert HOSTILE not in trainer_board.html


def test_the_registry_is_as_it_was_after_the_toy_kind():
    assert "toy-poll" not in kinds.names()
    assert f"lessonkit.kinds.{TOY}" not in sys.modules
