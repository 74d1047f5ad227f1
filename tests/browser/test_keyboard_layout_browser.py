"""Keyboard and narrow screens in real Chromium against a real `lessonkit serve`.

- A set of toggle buttons (swatches, rating scales, sorter choices) is one Tab stop, a WAI-ARIA radio group:
  arrow keys, Home and End move along it and choose; the colour poll is done in a handful of Tab presses.
- Every control's focus ring is at least 3:1 against what is behind it, in Voila's light and dark themes,
  measured in the browser from the computed outline colour.
- At 320, 375 and 1280 px no control on 02, 05 and 08 (with the sample data analysed) is cut off (its
  scrollWidth fits its clientWidth) or sticks out of the page; the screenshots are saved under
  tests/browser/screenshots/.
"""

from __future__ import annotations

import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.browser.test_accessibility_browser import DAYS, open_rendered

pytestmark = pytest.mark.browser

COLOURS = ["Red", "Orange", "Yellow", "Green", "Blue", "Purple", "Pink", "Brown", "Grey", "Black", "White"]
# Each day's colour and the keys that choose it, starting on the set's Tab stop (its first swatch, none chosen).
BY_KEYS = [("Blue", ["ArrowDown"] * 4),
           ("Yellow", ["ArrowRight"] * 2),
           ("Green", ["ArrowLeft"] + ["ArrowRight"] * 4),   # back round to White, then on round to Green
           ("Brown", ["End"] + ["ArrowUp"] * 3),
           ("Red", ["ArrowRight", "Home"]),
           ("Orange", ["ArrowRight"]),
           ("White", ["End"])]

FOCUSED = """() => { const e = document.activeElement; const set = e.closest('.widget-toggle-buttons');
    return {text: e.textContent.trim(), role: e.getAttribute('role'), checked: e.getAttribute('aria-checked'),
            submit: e.classList.contains('lk-submit'),
            row: set ? [...document.querySelectorAll('.lk-swatches')].indexOf(set) : -1}; }"""

ROW_STATE = """set => ({role: set.getAttribute('role'),
    name: document.getElementById(set.getAttribute('aria-labelledby') || '-')?.textContent.trim(),
    buttons: [...set.querySelectorAll('.widget-toggle-button')].map(b => ({text: b.textContent.trim(),
        role: b.getAttribute('role'), checked: b.getAttribute('aria-checked'), tab: b.tabIndex,
        tick: getComputedStyle(b, '::before').content.includes('\u2713')}))})"""


def test_colour_days_in_ten_tab_presses_with_arrow_keys(server, new_page):
    page = new_page(width=1000, height=900)
    learner = server.join(page, "arrow-antechinus-31")
    open_rendered(page, server.page_url("05-colour-days.ipynb"))
    rows = page.locator(".lk-swatches")
    assert rows.count() == 7
    tabs, chosen = 0, []
    for day, (colour, keys) in enumerate(BY_KEYS):
        while page.evaluate(FOCUSED)["row"] != day:
            assert page.evaluate(FOCUSED)["row"] < day, f"Tab skipped day {day + 1}'s swatches"
            page.keyboard.press("Tab")
            tabs += 1
            assert tabs <= 10, f"{tabs} Tab presses and day {day + 1}'s swatches not reached yet"
        state = rows.nth(day).evaluate(ROW_STATE)
        assert state["role"] == "radiogroup" and state["name"] == DAYS[day].capitalize(), state
        assert [b["text"] for b in state["buttons"]] == COLOURS
        assert all(b["role"] == "radio" and b["checked"] == "false" for b in state["buttons"]), state
        assert [b["tab"] for b in state["buttons"]] == [0] + [-1] * 10      # one Tab stop: the first swatch
        assert page.evaluate(FOCUSED)["text"] == "Red"
        for key in keys:
            page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        assert focused["text"] == colour and focused["checked"] == "true", (colour, focused)
        state = rows.nth(day).evaluate(ROW_STATE)
        checked = [b["text"] for b in state["buttons"] if b["checked"] == "true"]
        assert checked == [colour] == [b["text"] for b in state["buttons"] if b["tick"]], state   # one tick, on it
        assert [b["tab"] for b in state["buttons"]] == [0 if b["checked"] == "true" else -1 for b in state["buttons"]]
        chosen.append(colour)
    page.keyboard.press("Shift+Tab")       # back into Saturday's set: onto its chosen swatch
    assert page.evaluate(FOCUSED) == {"text": "Orange", "role": "radio", "checked": "true",
                                      "submit": False, "row": 5}
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["row"] == 6
    while not page.evaluate(FOCUSED)["submit"]:
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs <= 10, f"Submit not reached in {tabs} Tab presses (not counting the Shift+Tab and its Tab back)"
    page.keyboard.press("Enter")
    page.get_by_text("Saved at").wait_for()
    store = ResponseStore(server.db_url)
    try:
        answers = store.answers_for("TEST1", "colour-days", learner)
        assert [answers[day] for day in DAYS] == chosen == [c for c, _keys in BY_KEYS]
    finally:
        store.reset("TEST1", "colour-days")   # the colour tests that follow expect TEST1's board to start empty
        store.close()


# The focused element's ring: its outline (or, without one, its box-shadow) colour and width, and the colour
# behind it (the first ancestor with an opaque background); contrast ratio as WCAG defines it.
RING = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    const rgb = c => (c.match(/[0-9.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => [r, g, b]
        .map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    let colour, width;
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
        colour = s.outlineColor; width = parseFloat(s.outlineWidth);
    } else if (s.boxShadow !== 'none') {
        colour = s.boxShadow.match(/rgba?\\([^)]*\\)/)[0];
        width = Math.max(...rgb(s.boxShadow.replace(/rgba?\\([^)]*\\)/g, '')));
    }
    else return {tag: e.tagName, text: e.textContent.trim(), width: 0, ratio: 1};
    let back = e.parentElement, bg = 'rgb(255, 255, 255)';
    for (; back; back = back.parentElement) {
        const c = getComputedStyle(back).backgroundColor, v = rgb(c);
        if (v.length === 3 || (v.length === 4 && v[3] === 1)) { bg = c; break; }
    }
    const [a, b] = [lum(rgb(colour)), lum(rgb(bg))].sort((x, y) => y - x);
    return {tag: e.tagName, text: e.textContent.trim().slice(0, 30), colour, bg, width, ratio: (a + 0.05) / (b + 0.05)};
}"""


def tab_to(page, test: str, limit: int = 40) -> None:
    """Press Tab until the focused element passes `test` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({test})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached an element with {test}")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_focus_rings_are_at_least_3_to_1(server, new_page, theme):
    page = new_page(width=1000, height=900)
    server.join(page, f"ring-{theme}-rosella-{7 if theme == 'light' else 8}")
    rings = {}
    open_rendered(page, server.page_url("04-listening-quiz.ipynb", theme=theme))
    assert page.evaluate("() => document.body.dataset.jpThemeLight") == ("true" if theme == "light" else "false")
    tab_to(page, "e => e.matches('.lk-media-done')")
    rings["button"] = page.evaluate(RING)
    page.keyboard.press("Enter")                # "I've finished watching": the questions open
    page.get_by_text("Question 1 of 10").wait_for()
    for name, test in (("number answer box", "e => e.matches('.lk-quiz-input input')"),   # 1: oven temperature
                       ("text answer box", "e => e.matches('.lk-quiz-input input')"),     # 2: biscuits
                       ("tick box", "e => e.matches('input[type=checkbox]')"),
                       ("radio button", "e => e.matches('input[type=radio]')")):
        tab_to(page, test)
        rings[name] = page.evaluate(RING)
    open_rendered(page, server.page_url("05-colour-days.ipynb", theme=theme))
    tab_to(page, "e => e.matches('.lk-swatches button')")
    rings["swatch"] = page.evaluate(RING)
    page.keyboard.press("ArrowRight")           # a chosen swatch (its own outline is the page's text colour)
    rings["chosen swatch"] = page.evaluate(RING)
    tab_to(page, "e => e.matches('.lk-submit')")
    rings["Submit"] = page.evaluate(RING)
    page.screenshot(path=str(SHOTS / f"keyboard-focus-{theme}.png"))
    weak = {k: r for k, r in rings.items() if r["width"] < 2 or r["ratio"] < 3}
    assert not weak, f"focus rings under 3:1 (or thinner than 2 px) in the {theme} theme: {weak}\nall: {rings}"


# Every visible control, and the widget around each text box, list or button set: cut off (its content is
# wider than its box) or sticking out of the page.
OVERFLOW = """() => {
    const page = document.querySelector('.lk-page').getBoundingClientRect(), width = innerWidth;
    const found = [];
    const sel = 'button, input:not([type=hidden]), select, textarea, .widget-text, .widget-textarea, ' +
                '.widget-dropdown, .widget-select-multiple, .widget-toggle-buttons, .widget-upload';
    for (const e of document.querySelectorAll(`.lk-page :is(${sel})`)) {
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height) continue;     // hidden (e.g. results not shown yet)
        const what = `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${e.textContent.trim().slice(0, 24)}"`;
        if (e.scrollWidth > e.clientWidth && !['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName))
            found.push(`${what}: cut off (${e.scrollWidth} > ${e.clientWidth})`);
        if (r.left < Math.max(0, page.left) - 0.5 || r.right > Math.min(width, page.right) + 0.5)
            found.push(`${what}: sticks out (${Math.round(r.left)}..${Math.round(r.right)} of ` +
                       `${Math.round(page.left)}..${Math.round(page.right)})`);
    }
    for (const box of document.querySelectorAll('.lk-page, .lk-page :is(.widget-box, .widget-html-content)')) {
        if (box.getBoundingClientRect().width && box.scrollWidth > box.clientWidth)   // something in it sticks out
            found.push(`${box.tagName.toLowerCase()}.${[...box.classList].join('.')}: its content is wider ` +
                       `(${box.scrollWidth} > ${box.clientWidth})`);
    }
    return {found, scroll: document.documentElement.scrollWidth,
            count: document.querySelectorAll(`.lk-page :is(${sel})`).length};
}"""


def fill_in(page, notebook: str) -> None:
    """Choose the widest answers, so that chosen (ticked) buttons are measured too."""
    if notebook.startswith("05"):
        rows = page.locator(".lk-swatches")
        for day, colour in enumerate(["Yellow", "Purple", "Orange", "Brown", "Green", "White", "Black"]):
            rows.nth(day).locator("button", has_text=colour).click()
    elif notebook.startswith("02"):
        statements = page.locator(".lk-check-scale")
        for i, label in enumerate(["Sometimes", "Always", "Usually"]):
            statements.nth(i).locator("button", has_text=label).click()
    else:
        scales = page.locator(".lk-form-scale")
        for i in range(scales.count() // 3):   # the first form's ratings: its best label each
            scales.nth(i).locator("button").first.click()
        # and the analysis of the sample data, with its plotly charts, is measured too
        page.get_by_role("button", name="Use the sample data (synthetic)").click()
        page.get_by_role("button", name="Analyse").click()
        page.locator(".lk-fx-themes .js-plotly-plot").wait_for()
    page.wait_for_timeout(300)


@pytest.mark.parametrize("notebook", ["02-self-assessment", "05-colour-days", "08-customer-feedback"])
def test_no_control_is_cut_off_at_320_375_and_1280_px(server, new_page, notebook):
    page = new_page(width=320, height=800)
    server.join(page, f"narrow-{notebook[:2]}-dunnart-40")
    open_rendered(page, server.page_url(f"{notebook}.ipynb"))
    fill_in(page, notebook)
    problems = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(300)
        seen = page.evaluate(OVERFLOW)
        assert seen["count"] > 10, seen            # the page's controls were there to measure
        if seen["found"] or seen["scroll"] > width:
            problems[width] = seen
        tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('body, #rendered_cells')]"
                             ".map(e => e.scrollHeight))")
        page.set_viewport_size({"width": width, "height": min(tall, 16_000)})
        page.screenshot(path=str(SHOTS / f"layout-{notebook[:2]}-{width}.png"), full_page=True)
    assert not problems, f"{notebook}: controls cut off or sticking out: {problems}"
