"""Notebook 08's monitor-and-report part in real Chromium: sample data -> findings -> report, opened offline."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import SHOTS

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
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
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
