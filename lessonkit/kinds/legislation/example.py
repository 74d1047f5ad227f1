"""How learner number n fills in a legislation page (tests and benchmarks): every situation matched right,
and the ranking saved with a reason."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.components.page import find

from .ranking import Ranking
from .view import LawMatcher


def answer(page: widgets.Widget, _n: int) -> LawMatcher:
    matcher = find(page, LawMatcher).assert_single()
    ranking = find(page, Ranking).assert_single()
    for s in matcher.content.scenarios:
        for law_id, tick in matcher.ticks[s.id].items():
            tick.value = law_id in s.laws
    ranking.reason.value = "Safety first, then the law that affects most people."
    ranking.submit_button.click()
    assert ranking.saved, ranking.status
    return matcher
