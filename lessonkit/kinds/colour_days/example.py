"""How learner number n fills in a colour-days page (tests and benchmarks): a different colour each day."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.components.page import find

from .view import ColourPoll


def answer(page: widgets.Widget, n: int) -> ColourPoll:
    poll = find(page, ColourPoll).assert_single()
    names = [c.name for c in poll.content.colours]
    for i, picker in enumerate(poll.pickers.values()):
        picker.value = names[(i + n) % len(names)]
    return poll
