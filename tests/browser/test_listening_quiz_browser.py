"""Notebook 04 (the listening quiz) in real Chromium against a real `lessonkit serve`, on a phone."""

from __future__ import annotations

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser

RECIPE_LINE = "Today's recipe is a triple"


def test_phone_learner_watches_answers_and_sees_score_and_live_board(server, new_page):
    page = new_page(width=375, height=740)
    server.goto(page, "04-listening-quiz.ipynb", learner="brave-koala-31", name="Robin")
    finished = page.get_by_role("button", name="I've finished watching")
    finished.wait_for()
    # Before: the recipe (no URL in the YAML, so the script itself) is shown; the questions are not.
    assert page.get_by_text(RECIPE_LINE).is_visible()
    assert page.locator(".lk-media-frame, video, audio, iframe").count() == 0
    assert not page.get_by_text("Question 1 of 10").is_visible()
    finished.click()
    page.get_by_text("Question 1 of 10").wait_for()
    # While the quiz shows, the recipe must not be visible anywhere on the page.
    assert not page.get_by_text(RECIPE_LINE).is_visible()
    assert page.get_by_text("The sample has 18 results.").is_visible()   # the synthetic sample, labelled
    assert page.get_by_text("Sample class (synthetic").is_visible()

    typed = page.locator(".lk-quiz-input input")
    typed.nth(0).fill("170 °C")                                    # 1 oven temperature (numeric)
    typed.nth(1).fill("Chocolate biscuits")                        # 2 biscuits (text, other wording)
    page.get_by_role("checkbox", name="Dark chocolate").check()    # 3 tick all that apply
    page.get_by_role("checkbox", name="White chocolate").check()   #   (one wrong tick)
    page.get_by_role("radio", name="In a heatproof bowl over barely simmering water").check()   # 4
    typed.nth(2).fill("3")                                         # 5 eggs
    page.get_by_role("radio", name="The melted chocolate").check()  # 6 wrong: flour comes last
    typed.nth(3).fill("38")                                        # 7 bake time, within tolerance
    page.get_by_role("radio", name="The edges are set but the centre still wobbles slightly").check()  # 8
    typed.nth(4).fill("Thickened cream")                           # 9
    for tip in ("Take it out of the fridge about 20 minutes before serving",
                "Cut it with a knife dipped in hot water and wiped dry", "Serve fresh raspberries on the side"):
        page.get_by_role("checkbox", name=tip).check()             # 10
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("8 of 10 right").first.wait_for()
    page.get_by_text("You have 1 attempt left").wait_for()
    assert page.locator(".lk-quiz-feedback .lk-quiz-right").count() == 8
    assert page.locator(".lk-quiz-feedback .lk-quiz-wrong").count() == 2
    assert page.get_by_text("it goes on top, not in the filling").is_visible()   # the option's own feedback
    board = page.locator(".lk-quiz-board")
    board.get_by_text("The sample has 18 results, plus yours.").wait_for()
    assert "You vs the sample: you got 8 of 10" in board.inner_text()

    # Another learner submits: the board switches from the sample to the class by itself.
    store = ResponseStore(server.db_url)
    store.submit_many("TEST1", "listening-quiz", "amber-quokka-17",
                      {"oven-temp": 180, "eggs": 3, "last-in": "Brown sugar", "attempts": 1})
    store.close()
    board.get_by_text("2 people have taken the quiz").wait_for(timeout=15_000)
    text = board.inner_text()
    assert "Sample class" not in text and "Robin" in text
    assert "You vs the class: you got 8 of 10" in text and "Hardest question" in text

    assert page.dialogs == []
    assert page.offsite == [], f"no third-party requests without a video URL, got {page.offsite}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px wide)"
    submit = page.get_by_role("button", name="Submit").bounding_box()
    assert submit["x"] + submit["width"] <= 375 and submit["height"] >= 36
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Voila scrolls inside its own container, so make the window as tall as the page to capture all of it.
    tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 375, "height": tall + 40})
    page.screenshot(path=str(SHOTS / "listening-quiz-375.png"), full_page=True)

    stored = ResponseStore(server.db_url)
    mine = stored.answers_for("TEST1", "listening-quiz", "brave-koala-31")
    stored.close()
    assert mine["attempts"] == 1 and mine["oven-temp"] == 170 and mine["last-in"] == "The melted chocolate"
    assert mine["filling-chocolates"] == ["Dark chocolate", "White chocolate"]
