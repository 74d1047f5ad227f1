"""Fill a quiz page in as a learner would, for the tests that check every kind's boards and for benchmarks."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.components.page import find

from .view import Quiz


def answer(page: widgets.Widget, _n: int) -> Quiz:
    """Answer every question right (the same for every n); returns the quiz, to submit."""
    quiz = find(page, Quiz).assert_single()
    for q in quiz.content.questions:
        quiz.answer(q.id, q.question_type.right_value(q))
    return quiz
