"""Notebook 08 in real Chromium: the form evaluation on a phone, and an exported report opened offline."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from lessonkit.charts import bar_chart_svg
from lessonkit.feedback.report import Finding, Recommendation, Report, render_report
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS
from tests.helpers import HOSTILE

pytestmark = pytest.mark.browser

BEST = ["Easy", "Yes", "Good", "Good", "Yes", "Clear"]


def rate(card, labels):
    scales = card.locator(".lk-form-scale")
    for i, label in enumerate(labels):
        scales.nth(i).get_by_role("radio", name=re.compile(rf"^(\u2713\s*)?{label}$")).click()


def test_learner_rates_a_form_on_a_phone_and_sees_the_class_table(server, new_page):
    page = new_page(width=375, height=800)
    server.goto(page, "08-customer-feedback.ipynb", learner="teal-wombat-42")
    card = page.locator(".lk-form-card").first
    card.wait_for()
    fields = card.locator(".lk-form-field input")
    fields.nth(0).fill("Riverbend City Libraries")
    fields.nth(1).fill("javascript:alert(1)")
    page.get_by_text("Not a web link yet").wait_for()
    rate(card, BEST)
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Not saved: form 1: the link must be a web address").wait_for()
    fields.nth(1).fill("https://www.riverbend.example.gov.au/feedback")
    card.locator(".lk-form-preview a[rel='noopener noreferrer']").wait_for()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Saved at").wait_for()
    board = page.locator(".lk-form-board")
    board.get_by_text("1 form evaluated by 1 learner").wait_for()
    assert board.locator("a[href='https://www.riverbend.example.gov.au/feedback']").count() == 1
    # Another learner submits: this page's board picks it up by itself.
    store = ResponseStore(server.db_url)
    store.submit_many("TEST1", "feedback-forms", "amber-quokka-17", {
        "form-1": {"organisation": HOSTILE, "link": "https://www.example.com.au/feedback", "note": HOSTILE,
                   "ratings": {"ease": 1, "anonymity": 0, "question-types": 1, "accessibility": 1, "privacy": 0,
                               "response": 0}},
        "form-2": None, "form-3": None})
    store.close()
    board.get_by_text("2 forms evaluated by 2 learners").wait_for(timeout=20_000)
    text = board.inner_text()
    assert HOSTILE in text and "Riverbend City Libraries" in text and "12/12" in text
    assert page.locator(".lk-form-board img").count() == 0 and page.dialogs == []
    assert page.offsite == [], "pages must make no third-party requests"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways on a phone ({width} px)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "feedback-forms-phone.png"), full_page=True)


def test_exported_report_opens_offline_with_its_chart(new_page, tmp_path):
    chart = bar_chart_svg(["Loans", "Programs", "Computers", "Study spaces"], [81, 74, 58, 66],
                          title="Satisfied (4 or 5 of 5), Riverbend, Jan\u2013Oct 2026")
    report = Report(
        title="Riverbend Libraries: customer satisfaction, January to October 2026", author=HOSTILE,
        scope="All four branches; members and visitors who answered the 2026 survey.",
        method="Online and paper survey: 1\u20135 satisfaction items and a 0\u201310 recommend score.",
        findings=(Finding("computers", "Public computers rate lowest",
                          "Fewer than six in ten were satisfied with the public computers.",
                          "CSAT 58% of 96 answers, Riverbend branch, Jan\u2013Oct 2026", 96,
                          "branch = Riverbend; service = computers", chart),),
        recommendations=(Recommendation("Replace the oldest PCs and roster a digital help volunteer.",
                                        ("computers",)),),
        limitations="Self-selected respondents; few under-18s answered.", created=datetime(2026, 11, 28))
    path = tmp_path / "report.html"
    path.write_text(render_report(report), encoding="utf-8")
    page = new_page(width=900, height=1100)
    blocked: list[str] = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_files)
    page.goto(path.as_uri())
    svg = page.locator("svg.lk-bar-chart")
    assert svg.is_visible() and svg.bounding_box()["width"] > 300
    assert page.locator("svg.lk-bar-chart rect").count() == 8
    assert page.get_by_role("heading", name="Finding 1: Public computers rate lowest").is_visible()
    assert HOSTILE in page.locator("header").inner_text() and page.dialogs == []
    assert blocked == [], f"the report asked the network for {blocked}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
