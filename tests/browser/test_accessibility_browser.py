"""Accessibility in real Chromium: axe-core on every page, a whole activity by keyboard, announced state."""

from __future__ import annotations

import time

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import AXE_JS, SHOTS, axe_table, run_axe
from tests.browser.test_colour_days_browser import WEEK_A, swatch

pytestmark = pytest.mark.browser

NOTEBOOKS = ["00-overview", "01-charters", "02-self-assessment", "03-active-listening", "04-listening-quiz",
             "05-colour-days", "06-policy-procedure", "07-legislation", "08-customer-feedback",
             "09-difficult-customers", "10-comments"]
# Shown once a page's widgets have rendered: the learner's header, the join form, the dashboard, the projector.
RENDERED = ".lk-page .lk-header, .lk-join, .lk-dash, .lk-present .lk-present-title"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]   # the store's item ids


def open_rendered(page, url: str) -> None:
    """Open a Voila page and wait until its widgets are on screen and have stopped changing."""
    page.goto(url)
    page.locator(RENDERED).first.wait_for()
    page.wait_for_function("""() => {
        const n = document.querySelectorAll('*').length;
        const same = window.__lkCount === n; window.__lkCount = n; return same;
    }""", polling=500)


def test_every_page_passes_axe(server, new_page):
    pages = {f"{nb}": server.page_url(f"{nb}.ipynb") for nb in ["lesson", *NOTEBOOKS]}
    pages["11-trainer-dashboard"] = server.dashboard_url()
    pages["12-present"] = server.present_url()
    results, wide, started = {}, {}, time.monotonic()
    page = new_page(width=375, height=800)          # a phone: the narrowest screen the lesson supports
    for name, url in (("join page", f"{server.url}/join?class=TEST1"), ("leave page", f"{server.url}/leave")):
        page.goto(url)                               # the server's own pages: no widgets to wait for
        results[name] = run_axe(page)
        wide[name] = page.evaluate("() => document.documentElement.scrollWidth")
    server.join(page, "axe-tester-00")
    for name, url in pages.items():
        open_rendered(page, url)
        results[name] = run_axe(page)
        wide[name] = page.evaluate("() => document.documentElement.scrollWidth")
    table = axe_table(results)
    print(f"\naxe-core on {len(pages)} pages at 375 px ({time.monotonic() - started:.0f} s)\n{table}")
    details = "\n".join(f"{name} {v['id']} ({v['impact']}): {v['help']}\n" +
                        "\n".join(f"    {n['target']}  {n['html'][:120]}" for n in v["nodes"][:5])
                        for name, found in results.items() for v in found)
    assert not details, f"axe-core found violations:\n{table}\n\n{details}"
    assert all(w <= 375 for w in wide.values()), f"pages scroll sideways at 375 px: {wide}"


def test_colour_days_by_keyboard_only(server, new_page):
    """The whole colour poll with Tab, arrow keys, Space and Enter: no mouse, no element.click()."""
    page = new_page(width=375, height=800)
    learner = server.join(page, "keyboard-kiwi-11")
    open_rendered(page, server.page_url("05-colour-days.ipynb"))
    rows = page.locator(".lk-swatches")
    page.keyboard.press("Tab")
    for day, colour in enumerate(WEEK_A):
        # Tab into the day's swatches, arrow keys along them, Space to choose.
        for _ in range(30):
            focused = page.evaluate("() => document.activeElement.closest('.lk-swatches') !== null")
            if focused and rows.nth(day).evaluate("r => r.contains(document.activeElement)"):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail(f"Tab never reached day {day + 1}'s swatches")
        for _ in range(20):
            if page.evaluate("() => document.activeElement.textContent.trim()").endswith(colour):
                break
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        swatch(rows.nth(day), "\u2713 " + colour).wait_for()
        ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                             "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
        assert ring[0] != "none" and ring[1] >= 2, f"the focused swatch has no visible focus ring: {ring}"
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Submit":
            break
    else:
        pytest.fail("Tab never reached Submit")
    page.keyboard.press("Enter")
    page.get_by_text("Saved at").wait_for()
    store = ResponseStore(server.db_url)
    try:
        answers = store.answers_for("TEST1", "colour-days", learner)
        assert [answers[day] for day in DAYS] == WEEK_A
        if AXE_JS.exists():   # without axe-core only test_every_page_passes_axe skips (or fails under CI)
            assert run_axe(page) == [], "the page after a keyboard submit, with its class board, has axe violations"
    finally:
        store.reset("TEST1", "colour-days")   # the colour tests that follow expect TEST1's board to start empty
        store.close()


def test_selected_swatch_and_live_regions_are_exposed(server, new_page):
    page = new_page()
    server.join(page, "aria-avocet-23")
    open_rendered(page, server.page_url("05-colour-days.ipynb"))
    monday = page.locator(".lk-swatches").first
    swatch(monday, "Green").click()
    chosen = swatch(monday, "\u2713 Green")
    chosen.wait_for()
    state = monday.locator("button").evaluate_all(
        "bs => bs.map(b => [b.textContent.trim(), "
        "b.getAttribute('role') === 'radio' && b.getAttribute('aria-checked')])")
    assert state and all(v == ("true" if name.endswith("Green") else "false") for name, v in state), state
    # a screen reader also hears which day the swatches belong to (a radio group: one choice per day)
    assert monday.get_attribute("role") == "radiogroup"
    assert page.locator(f"#{monday.get_attribute('aria-labelledby')}").inner_text().strip() == "Monday"
    # the status line and the board's short "Live: ..." line are live regions (the board itself is not:
    # a screen reader would read the whole board at every change)
    for region in (page.locator(".lk-activity .lk-status").first, page.locator(".lk-board-box .lk-live").first):
        assert (region.get_attribute("aria-live") in ("polite", "assertive")
                or region.get_attribute("role") in ("status", "alert")), region.evaluate("e => e.outerHTML")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "accessibility-colour-days.png"))
