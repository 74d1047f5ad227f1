"""Notebook 09 in real Chromium: two learners play the role-play to two endings; the class board counts both."""

from __future__ import annotations

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser


def say(page, text, keyboard=False):
    """Pick the choice whose words contain `text` (by mouse or keyboard), then Continue."""
    button = page.locator(".lk-scn-choice", has_text=text)
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    page.get_by_role("button", name="Continue").click()


def test_two_learners_reach_two_endings_and_the_board_counts_both(server, new_page):
    a = new_page(width=375, height=800)
    server.goto(a, "09-difficult-customers.ipynb", learner="brave-brolga-77")
    a.locator(".lk-scn-choice").first.wait_for()
    assert "Patron's mood: Upset" in a.locator(".lk-scn-mood").inner_text()
    say(a, "Let them finish")
    a.get_by_text("Three applications").wait_for()
    say(a, "fewer computers")
    say(a, "make a plan")
    a.get_by_text("Ending: Resolved: a plan for Friday").wait_for()
    a.get_by_text("you showed 4 of the 5 de-escalation steps").wait_for()
    a.get_by_text("Saved at").wait_for()
    a.get_by_role("button", name="Play again").wait_for()

    b = new_page(width=1000, height=900)
    server.goto(b, "09-difficult-customers.ipynb", learner="teal-wombat-42")
    b.locator(".lk-scn-choice").first.wait_for()
    say(b, "talk to the manager", keyboard=True)
    b.get_by_text("pass the buck").wait_for()
    say(b, "I'll get my team leader", keyboard=True)
    b.get_by_text("Ending: Escalated safely to the team leader").wait_for()
    board_b = b.locator(".lk-scn-board")
    board_b.get_by_text("2 finished plays").wait_for()

    board_a = a.locator(".lk-scn-board")
    board_a.get_by_text("2 finished plays").wait_for(timeout=15_000)   # live refresh, no reload
    text = board_a.inner_text()
    assert "Resolved: a plan for Friday: 1 (50%) (yours)" in text
    assert "Escalated safely to the team leader: 1 (50%)" in text
    assert a.dialogs == [] and a.offsite == [] and b.dialogs == [] and b.offsite == []

    SHOTS.mkdir(parents=True, exist_ok=True)
    a.set_viewport_size({"width": 375, "height": 2700})
    a.screenshot(path=str(SHOTS / "difficult-customers-375.png"), full_page=True)
    assert a.evaluate("() => document.documentElement.scrollWidth") <= 375
    a.get_by_role("button", name="Play again").click()                  # the choices, as big wrapped buttons
    a.locator(".lk-scn-choice").nth(2).wait_for()
    a.locator(".lk-scn").screenshot(path=str(SHOTS / "difficult-customers-choices-375.png"))
    assert a.evaluate("() => document.documentElement.scrollWidth") <= 375

    store = ResponseStore(server.db_url)
    assert store.answers_for("TEST1", "difficult-customers", "brave-brolga-77") == {
        "path": ["arrival/listen-first", "needs/explain-why", "options/offer-options"], "ending": "resolved"}
    assert store.answers_for("TEST1", "difficult-customers", "teal-wombat-42")["ending"] == "team-leader"
    store.close()
