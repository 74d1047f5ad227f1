"""How learner number n fills in a form-evaluation page (tests and benchmarks): one form, top marks."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.components.page import find

from .view import FormEvaluation


def answer(page: widgets.Widget, n: int) -> FormEvaluation:
    view = find(page, FormEvaluation).assert_single()
    view.fill(1, organisation=f"Riverbend Library {n}", link="https://example.org/feedback",
              ratings={c.id: c.scale[-1] for c in view.content.criteria})
    return view
