"""The colour activity in real Chromium against a real `lessonkit serve`."""

from __future__ import annotations

import re

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS, http_status
from tests.helpers import HOSTILE

pytestmark = pytest.mark.browser

WEEK_A = ["Blue", "Yellow", "Green", "Brown", "Red", "Orange", "White"]
WEEK_B = ["Blue", "Green", "Green", "Purple", "Pink", "Orange", "Grey"]


def swatch(row, colour):
    """A swatch (a radio in its day's radio group); a selected one is announced as '✓ Colour' (the tick is part
    of its name)."""
    return row.get_by_role("radio", name=re.compile(rf"^(\u2713\s*)?{colour}$"))


def pick_week(page, colours):
    rows = page.locator(".lk-swatches")
    rows.first.wait_for()
    for i, colour in enumerate(colours):
        swatch(rows.nth(i), colour).click()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Saved at").wait_for()


def test_two_learners_see_each_other_on_the_live_board(server, new_page):
    a, b = new_page(), new_page()
    server.goto(a, "05-colour-days.ipynb", learner="teal-wombat-42", name="Sam")
    server.goto(b, "05-colour-days.ipynb", learner="amber-quokka-17", name=HOSTILE)
    pick_week(a, WEEK_A)
    a.get_by_text("Sample class (synthetic").wait_for()          # alone so far: compared with the sample
    pick_week(b, WEEK_B)
    b.get_by_text("2 people have answered").wait_for()
    # a did nothing: its board refreshes by itself within a few seconds
    a.get_by_text("2 people have answered").wait_for(timeout=15_000)
    board_a = a.locator(".lk-board").inner_text()
    assert "Agreement 100%: everyone chose Blue" in board_a            # both chose Blue for Monday
    assert "You: Blue (1 other chose it too)" in board_a
    assert HOSTILE in board_a and "Sam" in board_a                 # the hostile name shows as text
    assert a.locator(".lk-board img").count() == 0 and b.locator("img[src='x']").count() == 0
    assert a.dialogs == [] and b.dialogs == []
    assert a.offsite == [] and b.offsite == [], "pages must make no third-party requests"
    store = ResponseStore(server.db_url)
    answers = store.responses("TEST1", "colour-days")
    assert len(answers) == 14 and set(answers["learner"]) == {"teal-wombat-42", "amber-quokka-17"}
    assert store.answers_for("TEST1", "colour-days", "amber-quokka-17")["thursday"] == "Purple"
    store.close()


def test_reload_restores_the_answer_and_a_missing_day_is_not_saved(server, new_page):
    page = new_page()
    server.goto(page, "05-colour-days.ipynb", learner="misty-numbat-33")
    rows = page.locator(".lk-swatches")
    rows.first.wait_for()
    swatch(rows.nth(0), "Purple").click()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Not saved: pick a colour for Tuesday").wait_for()
    selected = rows.nth(0).get_by_role("radio", name="\u2713 Purple")
    assert "mod-active" in selected.get_attribute("class")      # the answer stayed on screen
    pick_week(page, ["Purple"] + WEEK_A[1:])
    page.reload()
    page.get_by_text("Your earlier answer is back").wait_for()
    restored = page.locator(".lk-swatches").nth(0).get_by_role("radio", name="\u2713 Purple")
    assert "mod-active" in restored.get_attribute("class")


def test_phone_width_is_usable(server, new_page):
    page = new_page(width=375, height=740)
    server.goto(page, "05-colour-days.ipynb", learner="quiet-quokka-12")
    pick_week(page, WEEK_A)
    page.get_by_text("How the class pictured the week").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 375, "height": 3200})
    page.screenshot(path=str(SHOTS / "colour-days-375.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px wide)"
    for name in ("Red", "White"):
        box = swatch(page.locator(".lk-swatches").first, name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 36  # thumb-sized
    submit = page.get_by_role("button", name="Submit").bounding_box()
    assert submit["x"] + submit["width"] <= 375


def test_the_join_page_carries_the_learner_to_every_activity(server, new_page):
    page = new_page(width=375)
    page.goto(server.page_url("00-overview.ipynb", **{"class": "TEST1"}))   # an old-style link: join first
    page.get_by_role("heading", name="Join the class").wait_for()
    assert page.get_by_label("Class code").input_value() == "TEST1"
    page.get_by_label("Your name").fill("Jo")
    page.get_by_role("button", name="Join").click()
    page.get_by_text("You are Jo in class TEST1").wait_for()           # back on the page asked for
    link = page.get_by_role("link", name="05. What colour is Monday?")
    assert link.get_attribute("href") == "05-colour-days.ipynb"       # nothing about the learner in the address
    link.click()
    page.get_by_text("You are Jo in class TEST1").wait_for()


def test_only_pictures_are_served_as_files(server):
    assert http_status(f"{server.url}/voila/files/picture.png") == 200
    for path in ("responses.db", "00-overview.ipynb", "../class.db"):
        assert http_status(f"{server.url}/voila/files/{path}") in (403, 404), path


def test_swatches_work_from_the_keyboard(server, new_page):
    page = new_page()
    server.goto(page, "05-colour-days.ipynb", learner="keen-emu-55")
    first = page.locator(".lk-swatches").first
    swatch(first, "Green").focus()
    page.keyboard.press("Enter")
    first.get_by_role("radio", name="\u2713 Green").wait_for()
    page.keyboard.press("ArrowRight")           # arrow keys move along the day's swatches and choose
    first.get_by_role("radio", name="\u2713 Blue").wait_for()
    assert "mod-active" not in swatch(first, "Green").get_attribute("class")
