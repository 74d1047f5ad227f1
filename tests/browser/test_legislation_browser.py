"""Notebook 07 in real Chromium: two learners match scenarios, rank the laws with reasons, and both
see the class's ranking board update live, with a hostile reason shown as text."""

from __future__ import annotations

import re

import pytest

from lessonkit.content import load
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import ROOT, SCRIPT

pytestmark = pytest.mark.browser

CONTENT = load(ROOT / "data" / "activities" / "legislation.yaml")
SHORT = {law.id: law.short for law in CONTENT.laws}


def match_and_rank(page, reason: str, wrong: str | None = None) -> None:
    cards = page.locator(".lk-law-card")
    cards.first.wait_for()
    assert cards.count() == len(CONTENT.scenarios)
    for i, s in enumerate(CONTENT.scenarios):
        laws = ["whs"] if s.id == wrong else s.laws
        for law_id in laws:
            cards.nth(i).get_by_role("checkbox", name=SHORT[law_id], exact=True).check()
    page.locator(".lk-activity").first.get_by_role("button", name="Submit").click()
    n = len(CONTENT.scenarios)
    page.get_by_text(f"{n - (1 if wrong else 0)} of {n} matched exactly.").wait_for()
    ranking = page.locator(".lk-rank-view")
    ranking.locator(".lk-rank-up").nth(3).click()              # Privacy from 4th to 3rd
    ranking.get_by_text("Privacy moved up to 3rd.").wait_for()
    ranking.locator(".lk-rank-reason-text textarea").fill(reason)
    ranking.get_by_role("button", name="Submit").click()
    ranking.get_by_text("Saved at").wait_for()


def test_two_learners_match_rank_and_see_the_class_ranking(server, new_page):
    first = new_page(width=375, height=900)
    second = new_page(width=375, height=900)
    server.goto(first, "07-legislation.ipynb", learner="brave-brolga-77")
    server.goto(second, "07-legislation.ipynb", learner="calm-quokka-31")
    match_and_rank(first, SCRIPT, wrong="teen-loans")
    assert "Not quite: this is Privacy." in first.locator(".lk-law-card").nth(1).inner_text()
    board = first.locator(".lk-rank-board")
    board.get_by_text("plus yours").wait_for()                 # the sample, with this learner's ranking
    match_and_rank(second, "Privacy: patrons trust us with their loans.")
    # the first learner did nothing: their board refreshes by itself (polls every 2 s)
    board.get_by_text("Ranked by 2 learners.").wait_for(timeout=15_000)
    reasons = board.locator(".lk-rank-reasons").inner_text()
    assert SCRIPT in reasons                                   # shown as text, never run
    assert re.search(r"Calm Quokka 31.*\n?.*Privacy: patrons trust us", reasons)
    second.locator(".lk-law-board").get_by_text("2 people have answered.").wait_for(timeout=15_000)
    for page in (first, second):
        assert page.dialogs == [] and page.offsite == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    first.locator(".lk-law-card-info summary").nth(3).click()  # open Privacy, to see a summary on a phone
    SHOTS.mkdir(parents=True, exist_ok=True)
    first.set_viewport_size({"width": 375, "height": 16000})
    first.screenshot(path=str(SHOTS / "legislation-375.png"), full_page=True)
    store = ResponseStore(server.db_url)
    try:
        mine = store.answers_for("TEST1", "legislation.ranking", "brave-brolga-77")
        assert mine["reason"] == SCRIPT and mine["order"][2] == "privacy"
        assert store.answers_for("TEST1", "legislation", "brave-brolga-77")["teen-loans"] == ["whs"]
    finally:
        store.close()
