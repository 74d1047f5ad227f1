"""How learner number n fills in a charter-gallery page (tests and benchmarks): one library's charter."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.components.page import find

from .view import CharterForm


def answer(page: widgets.Widget, n: int) -> CharterForm:
    view = find(page, CharterForm).assert_single()
    view.library.value = f"Riverbend Library {n}"
    view.type.value = view.content.library_types[0]
    view.link.value = "https://example.org/charter"
    view.commitments.value = "Emails answered within two working days."
    view.feedback.value = "An online form."
    view.idea.value = "Publish response times."
    next(iter(view.kind_boxes.values())).value = True
    return view
