"""Scenario (branching role-play), driven through its real buttons; content checks through `lessonkit check`."""

from __future__ import annotations

import pytest

from lessonkit import ContentError
from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.media import MediaGate
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.scenario.board import scenario_board
from lessonkit.kinds.scenario.scoring import scenario_debrief
from lessonkit.kinds.scenario.view import Scenario, scenario_page
from lessonkit.pages import builder
from tests.helpers import HOSTILE, ROOT, me

YAML = ROOT / "data" / "activities" / "difficult-customers.yaml"
RESOLVED = ["listen-first", "explain-why", "offer-options"]
WALKED_OUT = ["quote-the-rule", "repeat-louder"]


@pytest.fixture
def content():
    return load(YAML)


def press(view: Scenario, choice_id: str) -> None:
    """Click the choice button, then Continue, as a learner does."""
    button = next(b for b in view.choice_box.children if b.choice_id == choice_id)
    button.click()
    view.continue_button.click()


def play(view: Scenario, choices: list[str]) -> None:
    for choice_id in choices:
        press(view, choice_id)


def test_shipped_content(content):
    decisions = [s for s in content.steps if s.choices]
    assert content.kind == "scenario" and content.number == 9 and content.outcomes == ("3.2",)
    assert len(decisions) >= 3 and len(content.endings) >= 3
    assert content.media is not None and content.media.url is None and content.media.transcript
    assert "Listen" in content.intro and "Escalate safely" in content.intro
    assert builder("scenario") is scenario_page


def test_choice_shows_mood_change_and_explanation_then_continue(content, store):
    view = Scenario(content, store, me())
    assert "Upset" in view.mood.value and "first week" in view.patron.value
    assert view.submit_button.layout.display == "none" and view.back_button.disabled
    next(b for b in view.choice_box.children if b.choice_id == "listen-first").click()
    assert view.choice_box.children == ()
    assert "calms down: upset &rarr; uneasy" in view.feedback.value
    assert "said back what you heard" in view.feedback.value
    assert view.continue_button.layout.display is None
    view.continue_button.click()
    assert "Three applications" in view.patron.value and "Uneasy" in view.mood.value
    assert store.answers_for("LIB3", content.slug, "teal-wombat-42") == {}  # nothing stored mid-play


def test_play_to_resolved_ending_stores_path_and_debriefs(content, store):
    view = Scenario(content, store, me())
    play(view, RESOLVED)
    assert view.finished and view.status.startswith("Saved at")
    assert "Ending: Resolved: a plan for Friday" in view.debrief.value
    assert "you showed 4 of the 5 de-escalation steps" in view.debrief.value
    assert "Empathise</strong>: you did this (decisions 1 and 2)" in view.debrief.value
    assert "Escalate safely</strong>: missed on this path" in view.debrief.value
    assert view.restart_button.description == "Play again"
    assert store.answers_for("LIB3", content.slug, "teal-wombat-42") == {
        "path": ["arrival/listen-first", "needs/explain-why", "options/offer-options"], "ending": "resolved"}


def test_second_play_replaces_the_first(content, store):
    view = Scenario(content, store, me())
    play(view, RESOLVED)
    view.restart_button.click()
    assert "first week" in view.patron.value and "Playing again" in view.status
    play(view, WALKED_OUT)
    assert "Ending: The patron left upset" in view.debrief.value
    assert "you showed 0 of the 5" in view.debrief.value
    assert store.answers_for("LIB3", content.slug, "teal-wombat-42") == {
        "path": ["arrival/quote-the-rule", "pushback/repeat-louder"], "ending": "walked-out"}


def test_back_and_restart(content, store):
    view = Scenario(content, store, me())
    press(view, "quote-the-rule")
    assert "Rules, rules" in view.patron.value
    view.back_button.click()
    assert "first week" in view.patron.value and view.back_button.disabled
    next(b for b in view.choice_box.children if b.choice_id == "pass-it-on").click()
    view.back_button.click()                       # back from the feedback, before Continue
    assert view.path == [] and len(view.choice_box.children) == 3
    play(view, ["pass-it-on", "fetch-team-leader"])
    assert "Escalated safely to the team leader" in view.debrief.value
    view.back_button.click()                       # back from an ending: choose again at the last step
    assert "pass the buck" in view.patron.value and view.restart_button.description == "Restart"
    press(view, "fetch-team-leader")
    view.restart_button.click()
    assert view.path == [] and "first week" in view.patron.value


def test_forged_paths_are_refused(content, store):
    view = Scenario(content, store, me())
    for forged in ({"path": ["arrival/offer-options"], "ending": "resolved"},          # not a choice there
                   {"path": ["needs/explain-why", "options/offer-options"], "ending": "resolved"},  # skips start
                   {"path": ["arrival/listen-first"], "ending": "needs"},              # not an ending
                   {"path": ["arrival/quote-the-rule", "pushback/repeat-louder"], "ending": "resolved"},
                   {"path": "arrival/listen-first", "ending": "resolved"},
                   {"path": [HOSTILE], "ending": "resolved"}):
        view._collect = lambda forged=forged: forged
        assert view.submit() is False and view.status.startswith("Not saved:")
    assert store.answers_for("LIB3", content.slug, "teal-wombat-42") == {}


def test_reload_restores_the_debrief_with_play_again(content, store):
    play(Scenario(content, store, me()), ["pass-it-on", "fetch-team-leader"])
    again = Scenario(content, store, me())
    assert again.finished and "Escalated safely to the team leader" in again.debrief.value
    assert again.restart_button.description == "Play again" and again.saved
    fresh = Scenario(content, store, me("brave-brolga-77"))
    assert not fresh.finished and "first week" in fresh.patron.value


def test_page_board_counts_endings_and_paths(content, store):
    play(Scenario(content, store, me("brave-brolga-77")), RESOLVED)
    page = scenario_page(content, store, me())
    view = find(page, Scenario).assert_single()
    assert find(page, MediaGate).assert_single() is not None and view.layout.display != "none"   # the clip never blocks
    play(view, WALKED_OUT)
    html = find(page, ClassBoard).assert_single().html
    assert "2 finished plays" in html
    assert "Resolved: a plan for Friday: <strong>1</strong>" in html
    assert "The patron left upset: <strong>1</strong> (50%) <strong>(yours)</strong>" in html
    assert "quote the rule &rarr; repeat louder" in html


def test_board_escapes_and_ignores_junk():
    html = scenario_board([("end", HOSTILE)], {
        "a": {"path": [f"s/{HOSTILE}"], "ending": "end"}, "b": {"path": "x", "ending": "end"},
        "c": {"ending": "nowhere", "path": []}}, "a")
    assert "<img" not in html and "1 finished play" in html
    assert "No finished role-plays" in scenario_board([("end", "End")], {})


def test_debrief_scoring():
    steps = scenario_debrief([["listen"], [], ["listen", "offer-options"]])
    assert {d.tag: d.shown_at for d in steps} == {"listen": (1, 3), "empathise": (), "explain-policy": (),
                                                  "offer-options": (3,), "escalate-safely": ()}


def _broken(tmp_path, old, new):
    text = YAML.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    bad = tmp_path / "difficult-customers.yaml"
    bad.write_text(text)
    return bad, text


def test_check_names_a_dangling_link(tmp_path, capsys):
    bad, text = _broken(tmp_path, "next: walked-out\n        mood_change: +1\n        tags: []\n        "
                        "explanation: \"Turning", "next: walked-off\n        mood_change: +1\n        tags: []\n"
                        "        explanation: \"Turning")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "next: walked-off" in ln)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line}" in out
    assert "step 'passed-on', choice 'point-and-turn' leads to 'walked-off', which is not a step" in out


def test_check_names_an_unreachable_step(tmp_path, capsys):
    bad, text = _broken(tmp_path, "next: partly-resolved", "next: resolved")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "- id: partly-resolved" in ln)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line}" in out and "step 'partly-resolved' is unreachable" in out


def test_check_refuses_no_ending_and_duplicate_ids(tmp_path):
    bad = tmp_path / "loop.yaml"
    head = YAML.read_text().split("start: arrival")[0]
    bad.write_text(head + "start: a\nsteps:\n  - id: a\n    patron: Hi\n    choices:\n"
                   "      - {id: x, text: Hello, next: b, explanation: Why}\n"
                   "  - id: b\n    patron: Hi\n    choices:\n"
                   "      - {id: y, text: Hello, next: a, explanation: Why}\n")
    with pytest.raises(ContentError, match="no step has an ending"):
        load(bad)
    bad.write_text(head + "start: a\nsteps:\n  - id: a\n    patron: Hi\n    choices:\n"
                   "      - {id: x, text: Hello, next: a, explanation: Why}\n"
                   "  - id: a\n    ending: {title: End, summary: Done}\n")
    with pytest.raises(ContentError, match="appears twice") as err:
        load(bad)
    assert err.value.line == len(head.splitlines()) + 7


def test_after_finished_the_clip_leaves_a_labelled_control_not_a_bare_bar(content, store):
    page = scenario_page(content, store, me())
    find(page, ClassBoard).assert_single().stop()
    gate = find(page, MediaGate).assert_single()
    assert gate.reopen_row.layout.display == "none"                        # nothing to re-open yet
    gate.finished_button.click()
    assert gate.clip.layout.display == "none" and gate.reopen_row.layout.display is None
    label, button = gate.reopen_row.children
    assert button is gate.reopen_button and button.description == "Read it again" and button.icon == "undo"
    assert label.value == ("<p class='lk-media-closed'>Finished reading: <strong>Handling difficult customers "
                           "(trainer&#x27;s video)</strong></p>")
    button.click()
    assert gate.clip.layout.display is None and gate.reopen_row.layout.display == "none"
    assert find(page, Scenario).assert_single().layout.display != "none"   # the role-play stays either way
