"""The session page: one learner, one kernel, every activity in place, paced by the trainer (no browser)."""

from __future__ import annotations

import asyncio

import ipywidgets as widgets
import pytest

from lessonkit.components.board import ClassBoard
from lessonkit.present import PaceControls, PresentView
from lessonkit.records import Pace
from lessonkit.session import HOME, SessionPage, set_live, wait_pace, walk
from lessonkit.trainer import Dashboard
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, run_async, session_env


def page_for(store, **kwargs) -> SessionPage:
    env = {**session_env(store, **kwargs), "SERVER_SOFTWARE": "voila/0.5.13", "SERVER_NAME": "192.168.1.20",
           "SERVER_PORT": "8866", "SCRIPT_NAME": "/voila/render/lesson.ipynb"}
    return SessionPage(store, env=env, live=False)


def titles(page: SessionPage) -> str:
    return " ".join(w.value for w in walk(page._stage) if isinstance(w, widgets.HTML) and "lk-title" in w.value)


def boards(root) -> list[ClassBoard]:
    return [w for w in walk(root) if isinstance(w, ClassBoard)]


def test_the_learner_is_the_session_and_starts_on_the_overview(store):
    page = page_for(store, name="Nina")
    assert page.learner.learner == "teal-wombat-42" and page.learner.name == "Nina"
    assert page.current == HOME and "Your progress" in page._pages[HOME].children[1].value
    assert "You are <strong>Nina</strong> in class <strong>LIB3</strong>" in page._header.value
    # nothing to follow yet: learners move freely, and the overview opens activities in place (no links)
    assert page.free and page._nav.layout.display is None
    assert "<a href" not in page._pages[HOME].children[1].value
    page.next_button.click()
    assert page.current == "charters" and "Customer Service Charter" in titles(page)


def test_the_trainer_moves_the_class_and_the_page_follows(store):
    page = page_for(store)
    dash = Dashboard(store, "LIB3", live=False)
    dash.pacing.move("colour-days")
    page.apply_pace(store.pace("LIB3"))
    assert page.current == "colour-days" and page.following == "colour-days" and not page.free
    assert page._nav.layout.display == "none"                 # paced: no moving off by oneself
    assert "Your trainer moves the class on. Now: <strong>05." in page._where.value
    poll = next(w for w in walk(page._stage) if type(w).__name__ == "ColourPoll")
    for day in poll.content.days:
        poll.pick(day, "Blue")
    poll.submit_button.click()
    assert poll.status.startswith("Saved at")
    assert store.answers_for("LIB3", "colour-days", "teal-wombat-42")["monday"] == "Blue"
    # the trainer's Next: the next activity, built ahead, swapped in
    ahead = page.build_ahead("policy-procedure")
    dash.pacing.next_button.click()
    page.apply_pace(store.pace("LIB3"))
    assert page.current == "policy-procedure" and page._stage.children == (ahead,)
    # back to an earlier one: the learner's answer is still on screen (the page was kept)
    dash.pacing.move("colour-days")
    page.apply_pace(store.pace("LIB3"))
    assert page._stage.children[0] is not ahead and all(p.value == "Blue" for p in poll.pickers.values())


def test_only_the_page_on_screen_polls_the_store(store):
    page = page_for(store)
    page.show("colour-days")
    shown = boards(page._stage)
    hidden = page.build_ahead("policy-procedure")
    assert shown and all(b._task is None for b in boards(hidden))   # built ahead: silent until shown
    started = []
    for b in boards(hidden):
        b.start = lambda b=b: started.append(b)
    page.show("policy-procedure")
    assert started == boards(hidden)                                 # shown: polling (and redrawn at once)


def test_letting_learners_move_freely(store):
    page = page_for(store)
    controls = PaceControls(store, "LIB3", page._items)
    controls.move("listening-quiz")
    page.apply_pace(store.pace("LIB3"))
    page.picker.value = "colour-days"                     # paced: the picker does not take the learner away
    assert page.current == "listening-quiz" and page.picker.value == "listening-quiz"
    controls.free_box.value = True
    assert store.pace("LIB3") == Pace("listening-quiz", True, 2)
    page.apply_pace(store.pace("LIB3"))
    page.picker.value = "colour-days"
    assert page.current == "colour-days" and page._go_row.layout.display is None   # "Go to the class's activity"
    page.go_button.click()
    assert page.current == "listening-quiz"
    controls.move("legislation")                          # a move takes everyone there, free or not
    page.apply_pace(store.pace("LIB3"))
    assert page.current == "legislation"
    controls.free_box.value = False
    page.show("charters")                                 # a forged message cannot wander off either
    page.apply_pace(store.pace("LIB3"))
    assert page.current == "legislation"


def test_a_learner_renames_only_themselves_and_the_name_is_escaped(store):
    mine = page_for(store, learner="calm-koala-23")
    theirs = page_for(store, learner="teal-wombat-42", name="Sam")
    mine.name_box.value = HOSTILE
    mine.name_button.click()
    assert "Saved" in mine.name_status.value
    assert store.display_names("LIB3") == {"calm-koala-23": HOSTILE, "teal-wombat-42": "Sam"}
    assert HOSTILE_ESCAPED in mine._header.value and "<img" not in mine._header.value
    assert theirs.learner.display_name == "Sam"


def test_the_personal_link_carries_the_secret_and_brings_the_learner_back(store):
    page = page_for(store)
    link = page.personal_link()
    assert link.startswith("http://192.168.1.20:8866/voila/render/lesson.ipynb?s=") and page.learner.token in link
    page.link_button.value = True
    assert page.learner.token in page.link_box.value and "<svg" in page.link_box.value   # shown only when asked
    page.link_button.value = False
    assert page.link_box.value == ""
    again = SessionPage(store, env={"QUERY_STRING": link.split("?", 1)[1]}, live=False)
    assert again.learner.learner == "teal-wombat-42" and again.learner.source == "link"


def test_a_classmates_pseudonym_in_the_address_grants_nothing(store):
    page_for(store, learner="calm-koala-23")
    intruder = SessionPage(store, env={"QUERY_STRING": "class=LIB3&learner=calm-koala-23&name=Mallory"}, live=False)
    assert intruder.learner is None and intruder.join_form is not None
    assert store.display_names("LIB3") == {}
    intruder.join_form.join()
    assert intruder.learner.learner != "calm-koala-23"


def test_at_most_three_activities_stay_built(store):
    page = page_for(store)
    for slug in ("charters", "self-assessment", "active-listening", "listening-quiz", "colour-days"):
        page.show(slug)
    assert len(page._pages) <= 3 and "colour-days" in page._pages
    closed = [w for w in walk(page._stage)]
    assert all(w.comm is not None for w in closed)       # what is on screen is never closed


def test_a_broken_activity_does_not_end_the_session(store, monkeypatch):
    page = page_for(store)

    def broken(*_args, **_kwargs):
        raise RuntimeError("the YAML changed under us")

    real = __import__("lessonkit.pages").pages.builder
    monkeypatch.setattr("lessonkit.pages.builder", lambda kind: broken if kind == "colour-days" else real(kind))
    page.show("colour-days")
    assert "This activity cannot be shown: the YAML changed under us" in page._stage.children[0].value
    page.show("charters")
    assert "Customer Service Charter" in titles(page)


def test_the_projector_view_follows_and_moves_the_class(store):
    view = PresentView(store, "LIB3", "http://192.168.1.20:8866/join?class=LIB3", live=False)
    assert "Welcome: join the class" in view._title.value and "<svg" in view._join.value
    view.controls.next_button.click()
    assert store.pace("LIB3").activity == "charters" and "Customer Service Charter" in view._title.value
    store.set_pace("LIB3", activity="colour-days")      # moved on the dashboard
    assert view.refresh() and "05. What colour is Monday?" in view._title.value
    assert [type(b).__name__ for b in view.boards] == ["ClassBoard"]
    view.controls.previous_button.click()
    assert store.pace("LIB3").activity == "listening-quiz"


def test_pages_in_a_kernel_that_opens_the_database_follow_by_polling(store, monkeypatch):
    monkeypatch.setattr("lessonkit.session.POLL_SECONDS", 0.05)

    async def run():
        waiting = asyncio.ensure_future(wait_pace(store, "LIB3", 0, timeout=5))
        await asyncio.sleep(0.2)
        store.set_pace("LIB3", activity="charters")
        return await waiting

    assert run_async(run()) == Pace("charters", False, 1)


def test_set_live_stops_and_starts_boards(store, colour_days):
    from lessonkit.components.board import ClassBoard
    from lessonkit.components.page import find
    from lessonkit.kinds.colour_days.view import colour_days_page as build

    box = build(colour_days, store, page_for(store).learner)
    set_live(box, False)
    assert find(box, ClassBoard).assert_single()._task is None


@pytest.fixture
def pooled_kernel(store, monkeypatch):
    """A kernel Voila started before anyone arrived (VOILA_PREHEAT) and the browser of the learner who does.

    Yields (events, show): `events` lists, in order, each widget created ("widget"), the learner's request
    arriving ("request") and the browser showing the page ("shown"); `show(page)` is what that browser sends
    the kernel once it draws the page (ipywidgets' _view_count, for a widget whose views are tracked).
    """
    from ipywidgets import Widget

    from lessonkit import identity

    events: list[str] = []
    info = session_env(store, name="Nina", SERVER_NAME="192.0.2.9", SERVER_PORT="8866")   # the learner's request

    async def request_arrives(*_settings):
        events.append("request")
        return info

    def show(page):
        assert page._view_count == 0, "the page must ask the browser to say when it is shown"
        events.append("shown")
        page.set_state({"_view_count": 1})

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("LESSONKIT_CLASS", "LIB3")
    monkeypatch.setattr(identity, "wait_for_request_async", request_arrives)
    monkeypatch.setattr(Widget, "_widget_construction_callback", lambda _w: events.append("widget"))
    return events, show


def test_a_pooled_kernel_draws_its_learners_page_once_the_browser_shows_it(store, pooled_kernel):
    """What a kernel sends while the browser connects can be lost in it (a header that never appears;
    "widget model not found" where the lesson should be): after the request, nothing is made or changed
    until the browser shows the page."""
    events, show = pooled_kernel

    async def run():
        page = SessionPage(store)
        await asyncio.sleep(0.5)
        waited = page.learner is None and page._header.value == ""   # the request has come; not yet shown
        show(page)
        for _ in range(100):
            if page.learner is not None:
                break
            await asyncio.sleep(0.02)
        header = page._header.value
        link = page.personal_link()
        page.close()
        return page, waited, header, link

    page, waited, header, link = run_async(run())
    assert waited and page.learner is not None and "<strong>Nina</strong> in class" in header
    assert link.startswith("http://192.0.2.9:8866/voila/render/lesson.ipynb?s=")   # the request's own address
    assert "request" in events and "shown" in events, events
    between = events[events.index("request") + 1:events.index("shown")]
    assert "widget" not in between, events
    assert "widget" in events[events.index("shown"):]   # the learner's page was drawn after it


@pytest.mark.parametrize("rebuilt_ago,kept", [(0.1, False), (30.0, True)])
def test_a_page_rebuilt_just_before_the_request_is_built_again(store, pooled_kernel, rebuilt_ago, kept):
    """A pooled kernel busy rebuilding its page (the trainer moved the class) when the request came may have
    sent part of it before the browser listened: that page is not used; one built well before is."""
    import time

    events, show = pooled_kernel
    Dashboard(store, "LIB3", live=False).pacing.move("colour-days")

    async def run():
        page = SessionPage(store)
        old = page._placeholder[1]
        page._rebuilt_at = time.monotonic() - rebuilt_ago
        await asyncio.sleep(0.3)
        show(page)
        for _ in range(100):
            if page.learner is not None:
                break
            await asyncio.sleep(0.02)
        shown = page._stage.children[0]
        page.close()
        return old, shown

    old, shown = run_async(run())
    assert (shown is old) == kept
    assert "ColourPoll" in {type(w).__name__ for w in walk(shown)}


def test_work_waits_for_the_browser_at_most_a_while(store, pooled_kernel, monkeypatch):
    """A page nobody shows (closed at once, a front end that does not say) still gets its learner."""
    import lessonkit.frontend as frontend

    real = frontend.on_screen
    monkeypatch.setattr("lessonkit.session.on_screen", lambda w: real(w, timeout=0.3))

    async def run():
        page = SessionPage(store)
        for _ in range(100):
            if page.learner is not None:
                break
            await asyncio.sleep(0.02)
        learner = page.learner
        page.close()
        return learner

    assert run_async(run()).name == "Nina"
