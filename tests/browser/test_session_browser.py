"""The class session in real Chromium against a real `lessonkit serve`: one learner, one page, one kernel.

Reload, Back, the join address again and a closed tab keep the learner; a classmate's pseudonym in the
address grants nothing; the trainer moves the class and pages follow without reloading; a closed tab's
kernel ends; a learner over the limit gets the "class is full" page; a second page downloads (almost)
no scripts.
"""

from __future__ import annotations

import re
import time

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS, start_serve, stop_serve
from tests.browser.test_colour_days_browser import WEEK_A, pick_week, swatch

pytestmark = pytest.mark.browser

STAGE = ".lk-session-stage"


@pytest.fixture(scope="module")
def lesson(tmp_path_factory, chromium_path):
    # Two pages at once per learner (a laptop and a phone), a small pool.
    proc, srv = start_serve(tmp_path_factory.mktemp("session"), "--class-size", "2", "--per-learner", "2")
    yield srv
    stop_serve(proc)


@pytest.fixture
def store(lesson):
    s = ResponseStore(lesson.db_url)
    yield s
    s.close()


def join_by_form(page, srv, name: str) -> None:
    page.goto(f"{srv.url}/join?class={srv.class_code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_text(f"You are {name} in class {srv.class_code}").wait_for()


def kernel_id(page) -> str:
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def on_stage(page, title: str):
    return page.locator(STAGE).locator(".lk-title", has_text=title).first


def test_reload_back_and_the_join_address_keep_the_learner(lesson, store, new_page):
    store.set_pace(lesson.class_code, activity="colour-days")          # the trainer has the class on 05
    page = new_page(width=375, height=800)
    join_by_form(page, lesson, "Nina")
    assert page.url.endswith("/voila/render/lesson.ipynb")              # nothing about Nina in the address
    on_stage(page, "What colour is Monday?").wait_for()
    pick_week(page, WEEK_A)
    me = lesson.learner_of(page)

    page.reload()
    page.get_by_text("You are Nina in class TEST1").wait_for()
    page.get_by_text("Your earlier answer is back").wait_for()
    assert "mod-active" in swatch(page.locator(".lk-swatches").first, "\u2713 " + WEEK_A[0]).get_attribute("class")

    page.goto(f"{lesson.url}/join?class=TEST1")                         # the join address again: straight back in
    page.get_by_text("You are Nina in class TEST1").wait_for()
    page.goto(f"{lesson.url}/voila/render/05-colour-days.ipynb")          # a single-activity page, then Back
    page.get_by_text("You are Nina in class TEST1").wait_for()
    page.go_back()
    page.get_by_text("You are Nina in class TEST1").wait_for()
    on_stage(page, "What colour is Monday?").wait_for()

    later = page.context.new_page()                                      # closed the tab, came back later
    page.close(run_before_unload=True)
    later.goto(f"{lesson.url}/")
    later.get_by_text("You are Nina in class TEST1").wait_for()
    later.get_by_text("Your earlier answer is back").wait_for()
    assert store.display_names("TEST1") == {me: "Nina"}                 # one learner, not one per page
    assert store.activity_learners("TEST1").get("colour-days") == {me}
    later.close(run_before_unload=True)
    store.reset("TEST1", "colour-days")


def test_a_classmates_pseudonym_in_the_address_grants_nothing(lesson, store, new_page):
    store.set_pace(lesson.class_code, activity="colour-days")
    nina = new_page()
    join_by_form(nina, lesson, "Nina Two")
    pick_week(nina, WEEK_A)
    victim = lesson.learner_of(nina)
    before = store.answers_for("TEST1", "colour-days", victim)
    nina_kernel = kernel_id(nina)

    mallory = new_page()
    mallory.goto(lesson.page_url("05-colour-days.ipynb", **{"class": "TEST1", "learner": victim, "name": "Mallory"}))
    mallory.get_by_role("heading", name="Join the class").wait_for()   # no page, no kernel: the join form
    assert "/join" in mallory.url and victim not in mallory.content()
    # Nina's kernel answers only Nina's browser (its id is in Nina's page, never in Mallory's)
    for method in ("get", "delete"):
        assert getattr(mallory.context.request, method)(f"{lesson.url}/api/kernels/{nina_kernel}").status == 403
    mallory.goto(lesson.page_url("lesson.ipynb", s="not-a-real-token-" + "x" * 30))
    mallory.get_by_text("That personal link is not valid any more").wait_for()
    mallory.get_by_label("Class code").fill("TEST1")       # a dead link names no class: the learner types it
    mallory.get_by_label("Your name").fill("Mallory")
    mallory.get_by_role("button", name="Join").click()
    mallory.get_by_text("You are Mallory in class TEST1").wait_for()
    assert lesson.learner_of(mallory) != victim
    assert mallory.get_by_text("Your earlier answer is back").count() == 0
    pick_week(mallory, list(reversed(WEEK_A)))
    assert store.answers_for("TEST1", "colour-days", victim) == before
    assert store.display_names("TEST1")[victim] == "Nina Two"
    store.reset("TEST1", "colour-days")


def test_the_trainer_moves_the_class_and_pages_follow_without_reloading(lesson, store, new_page):
    store.set_pace(lesson.class_code, activity="colour-days")
    learners = [new_page(width=375, height=800), new_page()]
    for i, page in enumerate(learners):
        join_by_form(page, lesson, f"Follower {i}")
        on_stage(page, "What colour is Monday?").wait_for()
        page.evaluate("() => { window.__lkSamePage = true; }")        # gone if the page reloads
    dash = new_page(width=1280, height=1000)
    dash.goto(lesson.dashboard_url())
    dash.get_by_text("The class is on").wait_for()
    dash.get_by_role("button", name="Next").click()                  # 05 -> 06
    started = time.monotonic()
    for page in learners:
        on_stage(page, "Policy or procedure?").wait_for(timeout=10_000)
    took = time.monotonic() - started
    assert took < 5, f"pages followed the trainer after {took:.1f} s"
    assert all(page.evaluate("() => window.__lkSamePage === true") for page in learners)
    assert all("Your trainer moves the class on" in page.locator(".lk-session-where").inner_text() for page in learners)
    # moving freely: the trainer lets learners choose
    dash.get_by_label("Let learners move freely").check()
    learners[0].get_by_role("button", name="Next").wait_for()
    learners[0].get_by_label("Activity").select_option(label="05. What colour is Monday?")
    on_stage(learners[0], "What colour is Monday?").wait_for()
    learners[0].get_by_role("button", name="Go to the class's activity").click()
    on_stage(learners[0], "Policy or procedure?").wait_for()
    dash.get_by_label("Let learners move freely").uncheck()
    SHOTS.mkdir(parents=True, exist_ok=True)
    learners[0].screenshot(path=str(SHOTS / "session-375.png"), full_page=True)
    for page in learners:
        page.close(run_before_unload=True)


def test_closing_a_tab_ends_its_kernel(lesson, new_page):
    page = new_page()
    join_by_form(page, lesson, "Closer")
    mine = kernel_id(page)
    page.close(run_before_unload=True)                              # the browser says goodbye ...
    deadline = time.monotonic() + 20
    while f"Kernel shutdown: {mine}" not in lesson.output.read_text():  # ... and the kernel ends
        assert time.monotonic() < deadline, "the closed tab's kernel is still running"
        time.sleep(0.3)
    assert f"403 POST /voila/api/shutdown/{mine}" not in lesson.output.read_text()


def test_a_learner_over_the_limit_gets_the_class_is_full_page(lesson, new_page):
    first = new_page()
    join_by_form(first, lesson, "Many Tabs")
    second = first.context.new_page()
    second.goto(lesson.page_url("lesson.ipynb"))
    second.get_by_text("You are Many Tabs in class TEST1").wait_for()
    third = first.context.new_page()
    response = third.goto(lesson.page_url("lesson.ipynb"))
    assert response.status == 503
    third.get_by_role("heading", name="The class is full: ask your trainer").wait_for()
    assert "already open in 2 tabs or devices" in third.locator("main").inner_text()
    second.close(run_before_unload=True)                            # close one: the next page opens
    time.sleep(1)
    third.reload()
    third.get_by_text("You are Many Tabs in class TEST1").wait_for()
    for page in (first, third):
        page.close(run_before_unload=True)


def test_a_second_page_downloads_almost_no_scripts(lesson, new_page):
    page = new_page()
    join_by_form(page, lesson, "Cached")
    sizes: list[int] = []

    def count(request):
        if request.resource_type in ("script", "stylesheet"):
            s = request.sizes()
            sizes.append(0 if s["responseBodySize"] < 0 else s["responseBodySize"] + s["responseHeadersSize"])

    second = page.context.new_page()
    second.on("requestfinished", count)
    second.goto(lesson.page_url("05-colour-days.ipynb"))
    second.locator(".lk-swatches").first.wait_for()
    second.wait_for_timeout(1500)
    assert sizes and sum(sizes) < 100_000, f"the second page moved {sum(sizes)} bytes of scripts"
    versioned = [u for u in re.findall(r'src="([^"]+\.[0-9a-f]{16,}\.js[^"]*)"', second.content())]
    if versioned:
        headers = page.context.request.get(lesson.url + versioned[0]).headers
        assert "max-age=31536000" in headers.get("cache-control", "")
    for p in (page, second):
        p.close(run_before_unload=True)
