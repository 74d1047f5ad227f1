"""The self-assessment (notebook 02) on a 375 px phone, in real Chromium against a real `lessonkit serve`."""

from __future__ import annotations

import re

import pytest

from lessonkit.content import load
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT

pytestmark = pytest.mark.browser

# One label per category, so the strengths and areas to develop are known in advance.
BY_CATEGORY = {"listening": "Always", "empathy": "Usually", "knowledge": "Sometimes", "complaints": "Rarely",
               "policies": "Often"}


def scale_button(statement, label):
    """A rating (a radio in the statement's radio group); a chosen one is announced as '✓ Label'."""
    return statement.get_by_role("radio", name=re.compile(rf"^(\u2713\s*)?{label}$"))


def test_phone_learner_rates_submits_sees_results_board_and_downloads(server, new_page, tmp_path):
    content = load(ROOT / "data" / "activities" / "self-assessment.yaml")
    store = ResponseStore(server.db_url)
    for who, rating in (("amber-quokka-17", 2), ("coral-echidna-91", 4)):   # two classmates answered already
        store.submit_many("TEST1", "self-assessment", who,
                          {**{s.id: rating for s in content.statements}, "action-plan": "SECRET PLAN of " + who})
    page = new_page(width=375, height=740)
    server.goto(page, "02-self-assessment.ipynb", learner="teal-wombat-42", name="Sam")
    statements = page.locator(".lk-check-statement")
    statements.first.wait_for()
    assert statements.count() == 20
    board = page.locator(".lk-check-board")
    board.get_by_text("2 people in your class have answered so far").wait_for()   # too few: the sample
    assert "Sample class (synthetic" in board.inner_text()

    # The first statement from the keyboard: Space picks "Rarely", the right arrow moves on to the next label
    # and picks it (a radio group).
    scale_button(statements.nth(0), "Rarely").focus()
    page.keyboard.press("Space")
    scale_button(statements.nth(0), "\u2713 Rarely").wait_for()
    page.keyboard.press("ArrowRight")
    scale_button(statements.nth(0), "\u2713 Sometimes").wait_for()
    # Then by touch, one label per category; the last statement is left out at first.
    for i, s in enumerate(content.statements[:-1]):
        scale_button(statements.nth(i), BY_CATEGORY[s.category]).click()
    page.get_by_text("19 of 20 statements rated").wait_for()
    page.get_by_role("button", name="Submit").click()
    footer = page.locator(".lk-footer").first
    footer.get_by_role("alert").get_by_text(
        "Not saved: rate every statement first: 1 still to rate. Policies & procedures (no. 20)").wait_for()
    scale_button(statements.nth(19), BY_CATEGORY["policies"]).click()
    page.get_by_role("button", name="Submit").click()
    footer.get_by_role("status").get_by_text("Saved at").wait_for()

    results = page.locator(".lk-check-results")
    results.locator(".lk-check-strengths").wait_for()
    assert results.locator(".lk-check-strengths").inner_text() == (
        "Your strengths: Listening & communication (5.0) and Empathy & attitude (4.0).")
    assert results.locator(".lk-check-gaps").inner_text() == (
        "Areas to develop: Complaints & problem solving (1.0) and Product knowledge (2.0).")
    table = results.locator(".lk-check-table").inner_text()
    assert re.search(r"Complaints & problem solving\s+1\.0\s+0%", table)
    assert re.search(r"Listening & communication\s+5\.0\s+100%", table)
    radar = results.locator("svg.lk-check-radar-svg")
    assert "Policies & procedures: 3.0 of 5" in radar.get_attribute("aria-label")

    board.get_by_text("3 people have answered.").wait_for()   # the board updated with n
    board_text = board.inner_text()
    assert "Sample" not in board_text and "You: 1.33 above the class average" in board_text  # 5 vs (2+4+5)/3
    assert "SECRET PLAN" not in board_text and "Amber" not in board_text and "Sam" not in board_text

    # The action plan, with hostile text: saved, escaped in the download, never run.
    results.locator("textarea").fill(HOSTILE + "\nAsk my team leader about interlibrary loans.")
    results.get_by_role("button", name="Save my plan").click()
    results.locator(".lk-status").get_by_text("Saved at").wait_for()
    with page.expect_download() as got:
        results.get_by_role("link", name="Download your summary").click()
    download = got.value
    assert download.suggested_filename == "self-assessment.html"
    saved = tmp_path / "summary.html"
    download.save_as(saved)
    summary = saved.read_text(encoding="utf-8")
    assert HOSTILE_ESCAPED in summary and "<img" not in summary
    assert "Ask my team leader about interlibrary loans." in summary and "Listening &amp; communication" in summary
    answers = store.answers_for("TEST1", "self-assessment", "teal-wombat-42")
    assert answers["action-plan"].startswith(HOSTILE) and answers["policies-check"] == 3
    assert answers["listen-first"] == 5      # the later tap replaced the keyboard pick

    # Phone layout: nothing scrolls sideways; the five labels fit one row of thumb-sized buttons.
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Voila scrolls an inner element, not the document: grow the viewport to the content for a full shot.
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 375, "height": height + 40})
    page.screenshot(path=str(SHOTS / "self-assessment-375.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px wide)"
    boxes = [scale_button(statements.nth(1), label).bounding_box() for label in content.scale]
    assert len({round(b["y"]) for b in boxes}) == 1, "the five labels should sit in one row"
    for b in boxes:
        assert b["x"] >= 0 and b["x"] + b["width"] <= 375 and b["height"] >= 40 and b["width"] >= 55
    assert page.dialogs == [] and page.offsite == [] and page.locator("img[src='x']").count() == 0

    page.reload()    # everything comes back: ratings, plan and results
    page.get_by_text("Your earlier answer is back").first.wait_for()
    assert page.locator(".lk-check-results textarea").input_value().startswith(HOSTILE)
    assert "Listening & communication (5.0)" in page.locator(".lk-check-strengths").inner_text()
    often = scale_button(page.locator(".lk-check-statement").nth(19), "\u2713 Often")
    assert "mod-active" in often.get_attribute("class")
    store.close()
