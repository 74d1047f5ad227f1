"""Notebook 06 in real Chromium: two learners sort, then post hostile-looking text to the live discussion."""

from __future__ import annotations

import re

import pytest

from lessonkit.content import load
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE, ROOT, SCRIPT

pytestmark = pytest.mark.browser

CONTENT = load(ROOT / "data" / "activities" / "policy-procedure.yaml")
LIVE_MS = 15_000   # a post must reach the other learner's board by polling within this


def sort_and_submit(page) -> None:
    cards = page.locator(".lk-sort-card")
    cards.first.wait_for()
    assert cards.count() == len(CONTENT.items)
    names = {c.id: c.name for c in CONTENT.categories}
    for i, item in enumerate(CONTENT.items):
        cards.nth(i).get_by_role("radio", name=re.compile(rf"^(\u2713\s*)?{names[item.category]}$")).click()
    page.get_by_role("button", name="Submit").first.click()
    n = len(CONTENT.items)
    page.get_by_text(f"You sorted {n} of {n} the way the answer key does.").wait_for()


def post(page, text: str) -> None:
    page.locator(".lk-disc-text-box textarea").fill(text)
    page.get_by_role("button", name=re.compile(r"Post$")).click()
    page.locator(".lk-disc .lk-status").get_by_text("Posted at").wait_for()


def test_two_learners_sort_then_discuss_live(server, new_page):
    first, second = new_page(width=375, height=800), new_page(width=375, height=800)
    server.goto(first, "06-policy-procedure.ipynb", learner="brave-brolga-77")
    server.goto(second, "06-policy-procedure.ipynb", learner="calm-pelican-58")
    for page in (first, second):
        sort_and_submit(page)
    assert "No posts yet" in first.locator(".lk-disc-board").inner_text()
    post(first, SCRIPT)
    post(second, HOSTILE)
    for page in (first, second):
        wall = page.locator(".lk-disc-board")
        wall.locator(".lk-disc-text", has_text=SCRIPT).wait_for(timeout=LIVE_MS)   # the other's post arrives live
        wall.locator(".lk-disc-text", has_text=HOSTILE).wait_for(timeout=LIVE_MS)
        texts = wall.locator(".lk-disc-text").all_inner_texts()
        assert texts == [HOSTILE, SCRIPT]                                              # as text, newest first
        assert page.locator("img[src=x]").count() == 0 and wall.locator("script").count() == 0
        assert "onerror" in wall.locator(".lk-disc-words").inner_text()
        assert page.dialogs == [] and page.offsite == []
        assert page.locator(".lk-disc").get_by_role("button", name=re.compile("hide", re.I)).count() == 0
    assert first.locator(".lk-disc-mine .lk-disc-text").inner_text() == SCRIPT
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = first.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    first.set_viewport_size({"width": 375, "height": min(int(height) + 100, 12_000)})
    first.screenshot(path=str(SHOTS / "policy-procedure-375.png"), full_page=True)
    first.locator(".lk-disc").screenshot(path=str(SHOTS / "policy-procedure-375-discussion.png"))
    first.locator(".lk-sort-card").nth(4).screenshot(path=str(SHOTS / "policy-procedure-375-card.png"))
    assert first.evaluate("() => document.documentElement.scrollWidth") <= 375
    store = ResponseStore(server.db_url)
    assert store.answers_for("TEST1", "policy-procedure.discussion", "brave-brolga-77") == {"post-1": SCRIPT}
    assert store.answers_for("TEST1", "policy-procedure.discussion", "calm-pelican-58") == {"post-1": HOSTILE}
    assert store.answers_for("TEST1", "policy-procedure", "calm-pelican-58")["complaints"] == "policy"
    store.close()
