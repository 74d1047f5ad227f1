"""Notebook 08's monitor-and-report part in real Chromium: sample data -> findings -> report, opened offline."""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.conftest import SHOTS
from tests.helpers import SCRIPT_ESCAPED

pytestmark = pytest.mark.browser


def test_sample_to_report_then_the_report_opens_offline(server, new_page, browser):
    page = new_page(width=375, height=900)
    server.goto(page, "08-customer-feedback.ipynb", learner="tidy-numbat-61")
    page.get_by_role("button", name="Use the sample data (synthetic)").click()
    page.get_by_role("button", name="Analyse").click()
    analysis = page.locator(".lk-fx-analysis")
    analysis.get_by_text("Net Promoter Score").first.wait_for()
    assert "n =" in analysis.inner_text() or "n=" in analysis.inner_text()   # every figure shows its n
    # Later one first: a pressed button is renamed "Added to report", which shifts the later indexes.
    page.get_by_role("button", name="Add to report").nth(2).click()
    page.get_by_role("button", name="Added to report").wait_for()
    page.get_by_role("button", name="Add to report").nth(0).click()
    page.get_by_role("button", name="Added to report").nth(1).wait_for()
    page.get_by_label("Title").fill("Riverbend Libraries: what customers told us in 2026")
    page.get_by_label("Scope").fill("All four branches, November 2025 to October 2026.")
    page.get_by_label("Limitations").fill("Respondents chose to answer; <script>alert(1)</script> is not a finding.")
    page.get_by_label("Recommendation 1").fill("Fix the wifi at Northgate before the school holidays.")
    rests = page.get_by_label("Rests on findings").first
    rests.select_option(index=0)
    page.get_by_role("button", name="Build report").click()
    link = page.locator(".lk-fx-download a[download]")
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith("data:text/html;base64,")
    html = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "Riverbend Libraries: what customers told us in 2026" in html
    assert SCRIPT_ESCAPED in html and "<script>alert(1)" not in html
    assert page.dialogs == [] and page.offsite == []

    # The exported file opens with no network at all and shows its charts.
    report_file = SHOTS / "report-from-notebook.html"          # git-ignored, like the screenshots
    report_file.parent.mkdir(parents=True, exist_ok=True)
    report_file.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 900, "height": 1400}, offline=True)
    tried = []
    ctx.route("**/*", lambda r: (tried.append(r.request.url), r.abort()) if not r.request.url.startswith("file:")
              else r.continue_())
    report = ctx.new_page()
    report.goto(report_file.as_uri())
    report.locator("svg").first.wait_for(state="visible")
    assert report.locator("svg").count() >= 1 and tried == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    report.screenshot(path=str(SHOTS / "report-from-notebook.png"), full_page=True)
    ctx.close()


# A small export in the style of a Google Form: a 1-7 item, text answers, a tick-all-that-apply question,
# "nil" comments, and a heading with markup in it (which must show as text, never as markup).
HEADINGS = ["Timestamp", "How satisfied were you with the help at the desk? (1-7)", "Rate our <b>wifi</b> & printing",
            "How likely are you to recommend us? (0-10)", "Which services did you use?", "Any other comments?"]
_ROWS = [("03/02/2026 10:01", 7, "Very satisfied", 10, "Loans;Wifi", "Lovely staff, thank you"),
         ("14/02/2026 11:30", 6, "Satisfied", 9, "Loans", "nil"),
         ("20/02/2026 15:12", 3, "Dissatisfied", 4, "Wifi;Printing", "The wifi keeps dropping out"),
         ("05/03/2026 09:45", 7, "Neutral", 8, "Loans;Programs", "Open earlier on Saturdays please"),
         ("18/03/2026 13:05", 5, "Very dissatisfied", 6, "Printing", "Printer was out of toner again"),
         ("22/03/2026 16:40", 6, "Satisfied", 10, "Programs", "no"),
         ("02/04/2026 10:10", 2, "Dissatisfied", 3, "Wifi", "Too noisy in the study area"),
         ("15/04/2026 12:00", 7, "Very satisfied", 9, "Loans;Wifi;Programs", "Great school holiday program"),
         ("28/04/2026 17:20", 6, "Satisfied", 9, "Loans", "More large print books")]
PAGE_FIGURES = """els => els.map(el => el.data.map(t => ({x: Array.from(t.x), y: Array.from(t.y),
                                                  hover: t.hovertemplate})))"""


def test_upload_analyse_hover_then_the_downloaded_report_opens_offline_with_the_same_figures(
        server, new_page, browser, tmp_path):
    csv = tmp_path / "desk-survey-2026.csv"
    with open(csv, "w", newline="", encoding="utf-8") as f:
        writer = __import__("csv").writer(f)
        writer.writerows([HEADINGS, *_ROWS])
    page = new_page(width=1000, height=900)
    server.goto(page, "08-customer-feedback.ipynb", learner="plotly-numbat-62")
    # ipywidgets 8 keeps FileUpload's <input type=file> out of the document: take it from the file chooser
    with page.expect_file_chooser() as chooser:
        page.locator(".lk-fx-load .widget-upload").click()
    chooser.value.set_files(str(csv))
    page.get_by_text("Loaded 'desk-survey-2026.csv': 9 responses").wait_for()
    page.get_by_role("button", name="Analyse").click()
    trend = page.locator(".lk-fx-trend .js-plotly-plot")
    trend.wait_for()
    assert page.offsite == [], f"third-party requests: {page.offsite}"
    # hovering a point of the trend shows its n
    point = trend.locator(".scatterlayer .trace").first.locator(".points path").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()        # plotly's drag layer lies over the points: move the mouse, as a reader does
    page.mouse.move(box["x"] + box["width"] / 2 - 3, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = trend.locator(".hoverlayer .hovertext")
    hover.first.wait_for()
    text = hover.first.text_content()
    assert "2026-02" in text and re.search(r"of n = [1-9]", text), text     # February, and how many answered
    # the heading with markup is text on the axis and in the hover, never markup
    items = page.locator(".lk-fx-csat .js-plotly-plot")
    items.wait_for()
    ticks = items.locator(".ytick text").all_text_contents()
    assert any(t.startswith("Rate our <b>wifi</b>") for t in ticks), ticks   # cut to fit, full on hover
    assert items.locator(".ytick text tspan[style*='bold']").count() == 0
    page.locator(".lk-fx-choices .js-plotly-plot").wait_for()      # the tick-all-that-apply question, drawn

    for kind in ("trend", "csat", "nps"):
        page.locator(f".lk-fx-{kind}").get_by_role("button", name="Add to report").click()
        page.locator(f".lk-fx-{kind}").get_by_role("button", name="Added to report").wait_for()
    page.get_by_label("Title").fill("Riverbend desk survey, February to April 2026")
    page.get_by_label("Recommendation 1").fill("Roster a second person on the desk on Saturday mornings.")
    page.get_by_label("Rests on findings").first.select_option(index=1)
    page.get_by_role("button", name="Build report").click()
    link = page.locator(".lk-fx-download a[download]")
    link.wait_for()
    with page.expect_download() as got:
        link.click()
    report_file = tmp_path / got.value.suggested_filename
    got.value.save_as(report_file)
    assert report_file.name == "service-delivery-report.html"
    on_page = page.evaluate(PAGE_FIGURES, [page.locator(f".lk-fx-{k} .js-plotly-plot").element_handle()
                                           for k in ("trend", "csat", "nps")])

    ctx = browser.new_context(viewport={"width": 900, "height": 1400})
    tried: list[str] = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
              else (tried.append(r.request.url), r.abort()))
    report = ctx.new_page()
    errors: list[str] = []
    report.on("pageerror", lambda e: errors.append(str(e)))
    report.goto(report_file.as_uri())
    report.locator(".plot.js-plotly-plot").nth(2).wait_for()
    assert tried == [] and errors == [], (tried, errors)
    in_report = report.evaluate(PAGE_FIGURES, [h for h in report.locator(".plot.js-plotly-plot").element_handles()])
    assert in_report == on_page                                   # the same figures, point for point
    footer = report.locator("footer").inner_text()
    assert all(code in footer for code in ("3.1", "3.2", "3.4", "3.5")) and "3.3" not in footer
    method = report.locator("#method").inner_text()
    assert "satisfied = 6 or 7 on the 1-7 scale" in method and "'nil' or 'no'" in method
    SHOTS.mkdir(parents=True, exist_ok=True)
    report.screenshot(path=str(SHOTS / "report-with-plotly.png"), full_page=True)
    ctx.close()


@pytest.mark.parametrize("theme", ["JupyterLab Dark", "JupyterLab Light"])
def test_the_charts_draw_in_jupyterlab_and_follow_its_theme(theme, tmp_path, new_page, chromium_path):
    """In JupyterLab the charts are drawn by plotly's own JupyterLab renderer; their text takes the theme's colour."""
    from tests.browser.test_jupyterlab_browser import ACTIVE, Lab

    jl = Lab(tmp_path, JUPYTERHUB_USER="sam")
    try:
        page = new_page(width=1280, height=1000)
        jl.open_lab(page, theme)
        panel = jl.open(page, "08-customer-feedback.ipynb")
        panel.get_by_role("button", name="Use the sample data (synthetic)").click()
        panel.get_by_role("button", name="Analyse").click()
        trend = panel.locator(".lk-fx-trend .js-plotly-plot")
        trend.wait_for()
        assert panel.locator(".lk-fx-plot .jp-RenderedPlotly, .lk-fx-plot [data-mime-type*='plotly']").count() >= 5
        luminance = page.evaluate(f"""() => {{
            const t = document.querySelector('{ACTIVE} .lk-fx-csat .js-plotly-plot .ytick text');
            const [r, g, b] = getComputedStyle(t).fill.match(/[0-9.]+/g).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }}""")
        assert (luminance > 0.6) if "Dark" in theme else (luminance < 0.4), luminance
        trend.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        SHOTS.mkdir(parents=True, exist_ok=True)
        panel.locator(".lk-fx-analysis").screenshot(path=str(SHOTS / f"jupyterlab-{theme.split()[-1].lower()}-08.png"))
    finally:
        jl.stop()
