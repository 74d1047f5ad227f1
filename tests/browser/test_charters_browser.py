"""Notebook 01 in real Chromium on a phone: share a charter and see the gallery and chart update."""

from __future__ import annotations

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE

pytestmark = pytest.mark.browser


def test_learner_shares_a_charter_on_a_phone_and_sees_the_gallery(server, new_page):
    page = new_page(width=375, height=800)
    server.goto(page, "01-charters.ipynb", learner="teal-wombat-42")
    form = page.locator(".lk-chr-form")
    form.wait_for()
    board = page.locator(".lk-chr-board")
    board.get_by_text("Riverbend City Libraries").wait_for()
    assert board.locator(".lk-chr-sample-tag").count() == 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "charters-phone-samples.png"), full_page=True)
    fields = form.locator(".lk-chr-field input, .lk-chr-field textarea")
    fields.nth(0).fill("Wattle Shire Library")
    form.locator(".lk-chr-type-pick select").select_option("Public")
    fields.nth(1).fill("javascript:alert(1)")
    page.get_by_text("Not a web link yet").wait_for()
    fields.nth(2).fill("Phone calls answered within five rings; emails within two working days.")
    fields.nth(3).fill("A feedback form on the website and a survey every two years.")
    fields.nth(4).fill("Publishing our response times.")
    form.locator(".lk-chr-kind").filter(has_text="Response times").locator("input").check()
    form.locator(".lk-chr-kind").filter(has_text="Privacy").locator("input").check()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Not saved: the link must be a web address").wait_for()
    fields.nth(1).fill("https://www.wattle.example.gov.au/charter")
    form.locator(".lk-chr-preview a[rel='noopener noreferrer']").wait_for()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Saved at").wait_for()
    board.get_by_text("Wattle Shire Library").wait_for()
    assert board.locator("a[href='https://www.wattle.example.gov.au/charter']").count() == 1
    # Another learner shares a charter: the samples go and the gallery updates by itself.
    store = ResponseStore(server.db_url)
    store.submit("TEST1", "charters", "amber-quokka-17", "charter", {
        "library": HOSTILE, "type": "State", "link": "https://www.example.com.au/charter", "commitments": HOSTILE,
        "feedback": "Online form", "idea": "Chat replies", "kinds": ["privacy", "accessibility"]})
    store.close()
    board.get_by_text("2 charters shared by 2 learners").wait_for(timeout=20_000)
    text = board.inner_text()
    assert HOSTILE in text and "Riverbend City Libraries" not in text and "2 of 2 (100%)" in text
    assert page.locator(".lk-chr-board img").count() == 0 and page.dialogs == []
    assert page.offsite == [], "pages must make no third-party requests"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways on a phone ({width} px)"
    page.screenshot(path=str(SHOTS / "charters-phone.png"), full_page=True)
    board.screenshot(path=str(SHOTS / "charters-phone-gallery.png"))
