"""ColourPoll, ClassBoard and the page, driven through their real widgets."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from lessonkit import AnswerRejected
from lessonkit.components import ClassBoard, JoinForm
from lessonkit.components.page import find
from lessonkit.kinds.colour_days.view import ColourPoll, colour_days_page
from lessonkit.pages import activity
from lessonkit.store import ResponseStore
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, me, session_env

WEEK = ["Blue", "Yellow", "Green", "Brown", "Red", "Orange", "White"]


def fill(poll: ColourPoll, colours=WEEK) -> None:
    for day, colour in zip(poll.content.days, colours):
        poll.pickers[day.lower()].value = colour   # what a click on the swatch does


def test_submit_stores_every_day_and_says_saved(colour_days, store):
    poll = ColourPoll(colour_days, store, me())
    fill(poll)
    poll.submit_button.click()
    assert poll.status.startswith("Saved at")
    assert "Saved at" in poll._status_line.value
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42") == dict(
        zip([d.lower() for d in colour_days.days], WEEK))


def test_missing_day_is_not_saved_and_answer_stays(colour_days, store):
    poll = ColourPoll(colour_days, store, me())
    fill(poll, WEEK[:5] + [None, None])
    poll.submit_button.click()
    assert poll.status == "Not saved: pick a colour for Saturday and Sunday first"
    assert "lk-error" in poll._status_line.value and 'role="alert"' in poll._status_line.value
    assert poll.pickers["monday"].value == "Blue"          # still on screen
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42") == {}


def test_forged_values_are_refused_in_the_kernel(colour_days, store):
    poll = ColourPoll(colour_days, store, me())
    with pytest.raises(TraitError):
        poll.pickers["monday"].value = "<b>Chartreuse</b>"        # the widget itself refuses it
    forged = dict(zip([d.lower() for d in colour_days.days], WEEK))
    forged["monday"] = "<b>Chartreuse</b>"
    with pytest.raises(AnswerRejected, match="not one of the choices"):
        poll._validate(forged)
    poll._collect = lambda: forged                                 # as if the browser forged the state
    assert poll.submit() is False
    assert poll.status.startswith("Not saved: that colour is not one of the choices")
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42") == {}


def test_restore_on_reload_and_resubmit_replaces(colour_days, store):
    first = ColourPoll(colour_days, store, me())
    fill(first)
    first.submit()
    again = ColourPoll(colour_days, store, me())              # the learner reloads the page
    assert again.pickers["friday"].value == "Red"
    assert again.status.startswith("Your earlier answer is back")
    again.pick("Friday", "Pink")
    assert again.status == "Changed: press Submit to save."
    again.submit_button.click()
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42")["friday"] == "Pink"
    history = store.history("LIB3", "colour-days")
    assert len(history[history["item"] == "friday"]) == 2


def test_store_down_says_not_saved_and_keeps_answer(colour_days, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    broken = ResponseStore(f"sqlite:///{blocker}/sub/responses.db")
    poll = ColourPoll(colour_days, broken, me())
    fill(poll)
    poll.submit_button.click()
    assert poll.status.startswith("Not saved:") and "press Submit again" in poll.status
    assert [p.value for p in poll.pickers.values()] == WEEK


def test_board_shows_sample_until_others_answer_then_the_class(colour_days, store):
    box = colour_days_page(colour_days, store, me())
    board: ClassBoard = find(box, ClassBoard).assert_single()
    board.stop()
    assert "Sample class (synthetic" in board.html and board.learners == 0
    poll = find(box, ColourPoll).assert_single()
    fill(poll)
    poll.submit()
    assert "You:</strong> Blue" in board.html and "Sample class" in board.html   # still only me
    other = ColourPoll(colour_days, store, me("amber-quokka-17", display=HOSTILE))
    store.set_display_name("LIB3", "amber-quokka-17", HOSTILE)
    fill(other, ["Blue", "Green", "Green", "Brown", "Pink", "Orange", "Grey"])
    other.submit()
    assert board.refresh() is True
    assert board.learners == 2 and "Sample class" not in board.html
    assert "2 people have answered" in board.html
    assert "Agreement 100%: everyone chose Blue" in board.html                # Monday: both Blue
    assert "You:</strong> Blue (1 other chose it too)" in board.html
    assert HOSTILE_ESCAPED in board.html and HOSTILE not in board.html
    assert "Teal Wombat 42" in board.html
    assert board.refresh() is False                                       # nothing new: no redraw


def test_page_for_a_session_shows_escaped_name_and_activity(store):
    page = activity("colour-days", store=store, env=session_env(store, name=HOSTILE))
    header = page.children[1].value
    assert HOSTILE_ESCAPED in header and "<img" not in header
    assert store.display_names("LIB3") == {"teal-wombat-42": HOSTILE}
    find(page, ClassBoard).assert_single().stop()
    find(page.content_widget, ColourPoll).assert_single()


def test_page_without_identity_joins_through_the_form(store):
    voila = {"SERVER_SOFTWARE": "voila/0.5.13"}   # plain Voila: no account to remember the learner for
    page = activity("colour-days", store=store, env=voila)
    form: JoinForm = page.join_form
    assert form is not None and page.learner is None
    form.class_code.value = "x"
    form.join_button.click()
    assert "Not joined" in form.message.value and page.learner is None
    form.class_code.value = "lib3"
    form.display_name.value = "Sam"
    form.join_button.click()
    assert page.learner.class_code == "LIB3" and page.learner.learner == form.learner_id
    assert "Sam" in page.children[1].value
    assert store.display_names("LIB3")[form.learner_id] == "Sam"
    # joining made a session: the personal link (its secret) brings the same learner back
    assert page.learner.source == "link" and store.session(page.learner.token) == ("LIB3", form.learner_id)
    again = activity("colour-days", store=store, env={**voila, "QUERY_STRING": page.learner.query()})
    assert again.learner.learner == form.learner_id and again.learner.display_name == "Sam"
    for p in (page, again):
        find(p, ClassBoard).assert_single().stop()


def test_overview_lists_activities_with_identity_links(store):
    from lessonkit.pages import overview

    env = {"QUERY_STRING": f"s={session_env(store)['HTTP_X_LESSONKIT_SESSION']}"}   # a personal link
    page = overview(store=store, env=env)
    html = page.content_widget.value
    assert f"05-colour-days.ipynb?{page.learner.query()}" in html and "learner=" not in html
    assert "3.5" in html and "Your privacy" in html and "lk-progress-done" not in html
    assert "<strong>0 of 10</strong> activities done" in html
    store.submit_many("LIB3", "colour-days", "teal-wombat-42", {"monday": "Blue"})
    html = overview(store=store, env=env).content_widget.value
    line = next(ln for ln in html.split("<li") if "05-colour-days.ipynb" in ln)
    assert "lk-progress-done" in line and ">Done<" in line
    assert "<strong>1 of 10</strong> activities done" in html


def test_board_without_a_reachable_store_compares_with_the_sample(colour_days, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    broken = ResponseStore(f"sqlite:///{blocker}/sub/responses.db")
    box = colour_days_page(colour_days, broken, me())
    board = find(box, ClassBoard).assert_single()
    board.stop()
    assert "Sample class (synthetic" in board.html
    assert "The class store cannot be reached" in board.html
    assert "Class results paused" in board._live_line.value
    # the learner is told why
    assert "earlier answer could not be loaded" in find(box, ColourPoll).assert_single().status


def test_overview_marks_a_comment_as_done(store):
    from lessonkit.pages import overview

    env = session_env(store)
    store.submit_many("LIB3", "comments.discussion", "teal-wombat-42", {"post-1": "Great session"})
    html = overview(store=store, env=env).content_widget.value
    line = next(ln for ln in html.split("<li") if "10-comments.ipynb" in ln)
    assert "lk-progress-done" in line
