"""Ranking (Up/Down buttons + reason), its Borda count and its board, driven through the real widgets."""

from __future__ import annotations

import pytest

from lessonkit.content import load
from lessonkit.kinds.legislation.board import ranking_board
from lessonkit.kinds.legislation.ranking import Ranking
from lessonkit.kinds.legislation.scoring import borda, valid_ranking
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, SCRIPT, SCRIPT_ESCAPED, me

ITEMS = [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]


@pytest.fixture
def content():
    return load(ROOT / "data" / "activities" / "legislation.yaml")


def view_for(content, store, learner=None, **kw):
    return Ranking(content, store, learner or me(), items=ITEMS, prompt="Rank **them**", reason_max_chars=100, **kw)


def test_borda_points_and_tie_breaks():
    scores = borda(["a", "b", "c"], [["a", "b", "c"], ["b", "a", "c"], ["c", "b", "a"]])
    assert [(s.id, s.points) for s in scores] == [("b", 4), ("a", 3), ("c", 2)]
    assert scores[0].places == (1, 2, 0) and scores[0].n == 3 and scores[0].mean_place == pytest.approx(5 / 3)
    # all score 2; a and b were each first once, c never, so c goes last; a and b tie on every
    # place, so they keep the items' own order (a before b, although the items list c first)
    tie = borda(["c", "a", "b"], [["a", "c", "b"], ["b", "c", "a"]])
    assert [(s.id, s.points) for s in tie] == [("a", 2), ("b", 2), ("c", 2)]
    tie2 = borda(["a", "b", "c"], [["a", "c", "b"], ["c", "b", "a"], ["b", "a", "c"]])
    assert [s.id for s in tie2] == ["a", "b", "c"]


def test_borda_ignores_incomplete_or_forged_rankings():
    scores = borda(["a", "b"], [["a", "b"], ["a"], ["a", "a"], "ab", ["a", "b", "c"], None, ["b", "a"]])
    assert {s.id: s.points for s in scores} == {"a": 1, "b": 1} and scores[0].n == 2
    assert valid_ranking(["a", "b"], ["b", "a"]) and not valid_ranking(["a", "b"], ["a", 1])
    assert borda(["a", "b"], [])[0].mean_place is None


def test_up_down_buttons_reorder_and_ends_are_disabled(content, store):
    view = view_for(content, store)
    assert view.order == ["a", "b", "c"]
    assert view.up[0].disabled and view.down[2].disabled and not view.up[1].disabled
    view.down[0].click()                                   # Alpha down to 2nd
    assert view.order == ["b", "a", "c"]
    assert "Alpha moved down to 2nd" in view.announce.value
    assert "1.</span> <span class='lk-rank-text'>Beta" in view.row_names[0].value
    assert view.up[1].tooltip == "Move Alpha up"
    view.up[2].click()                                     # Gamma up to 2nd
    assert view.order == ["b", "c", "a"]
    view.up[0].click()            # the first row cannot go up (a forged click on a disabled button)
    assert view.order == ["b", "c", "a"]


def test_submit_stores_order_reason_and_restores(content, store):
    view = view_for(content, store)
    view.down[0].click()
    view.submit_button.click()
    assert view.status == "Not saved: say briefly why you ranked them this way (the reason box is empty)"
    assert store.answers_for("LIB3", "legislation.ranking", "teal-wombat-42") == {}
    view.reason.value = "  Beta matters most.  "
    view.submit_button.click()
    assert view.status.startswith("Saved at")
    stored = store.answers_for("LIB3", "legislation.ranking", "teal-wombat-42")
    assert stored["order"] == ["b", "a", "c"] and stored["reason"] == "Beta matters most." and stored["at"]
    again = view_for(content, store)
    assert again.order == ["b", "a", "c"] and again.reason.value == "Beta matters most."
    assert "1.</span> <span class='lk-rank-text'>Beta" in again.row_names[0].value
    assert again.status.startswith("Your earlier answer is back")
    again.up[2].click()
    assert again.status.startswith("Changed") and not again.saved


def test_long_reason_is_refused_with_a_clear_message(content, store):
    view = view_for(content, store)
    view.reason.value = "x" * 100_000
    assert "lk-error" in view.counter.value
    view.submit_button.click()
    assert view.status == "Not saved: your reason is 100000 characters; please keep it under 100"
    assert view.reason.value == "x" * 100_000                   # kept on screen
    assert store.answers_for("LIB3", "legislation.ranking", "teal-wombat-42") == {}


@pytest.mark.parametrize("forged", [
    {"order": ["a", "b"], "reason": "ok"},
    {"order": ["a", "b", "b"], "reason": "ok"},
    {"order": ["a", "b", "<b>x</b>"], "reason": "ok"},
    {"order": "abc", "reason": "ok"},
    {"order": ["a", "b", "c"], "reason": ["ok"]},
    {"order": ["a", "b", "c"], "reason": "ok", "at": "2099-01-01"},
])
def test_forged_answers_are_refused(content, store, forged):
    view = view_for(content, store)
    view._collect = lambda: forged
    assert view.submit() is False and view.status.startswith("Not saved:")
    assert store.answers_for("LIB3", "legislation.ranking", "teal-wombat-42") == {}


def test_board_aggregates_escapes_and_lists_reasons_newest_first():
    answers = {
        "p": {"order": ["a", "b", "c"], "reason": SCRIPT, "at": "2026-11-28T10:00:00+00:00"},
        "q": {"order": ["b", "a", "c"], "reason": HOSTILE, "at": "2026-11-28T10:05:00+00:00"},
        "r": {"order": ["a", "c"], "reason": "incomplete ranking, still a reason"},
    }
    html = ranking_board(ITEMS, answers, you="p", names={"p": "Pat", "q": "<b>Q</b>", "r": "R"})
    assert "Ranked by 2 learners." in html
    assert html.index("1. Alpha") < html.index("2. Beta") < html.index("3. Gamma")
    assert "3 points" in html and "width:75%" in html       # Alpha: 2 + 1 of a possible 4
    assert "<strong>Your ranking:</strong> 1. Alpha, 2. Beta, 3. Gamma. 3 of 3 in the same place" in html
    assert SCRIPT not in html and HOSTILE not in html and "<b>Q</b>" not in html
    assert SCRIPT_ESCAPED in html and HOSTILE_ESCAPED in html
    assert html.index("&lt;b&gt;Q&lt;/b&gt;") < html.index("<strong>You</strong>")   # newest first
    few = ranking_board(ITEMS, answers, you="p", names={}, reasons=1)
    assert "latest 1 of 3" in few and SCRIPT.replace("<", "&lt;").replace(">", "&gt;") not in few


def test_board_labels_a_sample_and_copes_with_nothing():
    assert "No rankings yet" in ranking_board(ITEMS, {})
    html = ranking_board(ITEMS, {"Sample Sam": {"order": ["c", "b", "a"], "reason": "Synthetic."}},
                         sample_label="Sample (synthetic)")
    assert "Sample (synthetic)" in html and "The sample has 1 ranking." in html
    assert "<strong>Sample Sam</strong>" in html and "1. Gamma" in html


def test_needs_distinct_items(content, store):
    with pytest.raises(ValueError):
        Ranking(content, store, me(), items=[("a", "A"), ("a", "B")], prompt="x")
