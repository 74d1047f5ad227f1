"""Notebook 10 in real Chromium on a phone: post a comment and see the wall update (and moderation)."""

from __future__ import annotations

import re

import pytest

from lessonkit.components.discussion import hide_post
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE

pytestmark = pytest.mark.browser


def test_learner_posts_a_comment_on_a_phone_and_sees_the_wall(server, new_page):
    page = new_page(width=375, height=800)
    server.goto(page, "10-comments.ipynb", learner="teal-wombat-42")
    page.locator(".lk-disc-text-box textarea").wait_for()
    page.get_by_text("No posts yet").wait_for()
    page.locator(".lk-disc-text-box textarea").fill("The role-play practice was the most useful part.")
    page.get_by_role("button", name=re.compile(r"Post$")).click()
    page.locator(".lk-disc .lk-status").get_by_text("Posted at").wait_for()
    wall = page.locator(".lk-disc-board")
    wall.get_by_text("The role-play practice was the most useful part.").wait_for()
    store = ResponseStore(server.db_url)
    store.submit("TEST1", "comments.discussion", "amber-quokka-17", "post-1", f"Loved it {HOSTILE}")
    wall.get_by_text(f"Loved it {HOSTILE}").wait_for(timeout=20_000)
    assert page.locator(".lk-disc-board img").count() == 0
    hide_post(store, "TEST1", "comments.discussion", "amber-quokka-17", "post-1")
    store.close()
    wall.get_by_text("1 post, newest first.").wait_for(timeout=20_000)
    assert "Loved it" not in wall.inner_text()
    assert page.dialogs == [] and page.offsite == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways on a phone ({width} px)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "comments-phone.png"), full_page=True)
    page.locator(".lk-cmt").screenshot(path=str(SHOTS / "comments-phone-wall.png"))
