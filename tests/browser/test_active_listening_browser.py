"""Notebook 03 in real Chromium: sort, see feedback and the class board, then the clip and reflection."""

from __future__ import annotations

import re

import pytest

from lessonkit.content import load
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE, ROOT

pytestmark = pytest.mark.browser

CONTENT = load(ROOT / "data" / "activities" / "active-listening.yaml")


def choose(card, name):
    card.get_by_role("radio", name=re.compile(rf"^(\u2713\s*)?{name}$")).click()


def test_sort_submit_feedback_board_and_reflection(server, new_page):
    page = new_page(width=375, height=800)
    server.goto(page, "03-active-listening.ipynb", learner="brave-brolga-77")
    cards = page.locator(".lk-sort-card")
    cards.first.wait_for()
    assert cards.count() == len(CONTENT.items)
    names = {c.id: c.name for c in CONTENT.categories}
    for i, item in enumerate(CONTENT.items):
        wrong = item.id == "clock-watching"
        category = "listening" if wrong else item.category
        choose(cards.nth(i), names[category])
    page.get_by_role("button", name="Submit").first.click()
    n = len(CONTENT.items)
    page.get_by_text(f"You sorted {n - 1} of {n} the way the answer key does.").wait_for()
    assert "Not quite: this is Barrier." in cards.nth(5).inner_text()
    board = page.locator(".lk-board")
    board.get_by_text("plus yours").wait_for()                        # the board now includes this learner
    assert "You: Active listening (the answer is Barrier)" in board.inner_text()
    # the clip (offline text, as no URL is configured), then the reflection it reveals
    page.get_by_role("button", name=CONTENT.media.finished_label).click()
    box = page.locator(".lk-reflection-text textarea")
    box.fill(HOSTILE)
    page.get_by_role("button", name="Submit").last.click()
    page.get_by_text("Saved at").last.wait_for()
    assert page.dialogs == [] and page.offsite == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 375, "height": 4200})
    page.screenshot(path=str(SHOTS / "active-listening-375.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    store = ResponseStore(server.db_url)
    assert store.answers_for("TEST1", "active-listening", "brave-brolga-77")["clock-watching"] == "listening"
    assert store.answers_for("TEST1", "active-listening.reflection", "brave-brolga-77") == {"text": HOSTILE}
    store.close()
