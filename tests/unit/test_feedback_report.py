"""The service-delivery report: validation messages for the learner, escaping, sections, self-containment."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from types import SimpleNamespace

import pytest

from lessonkit.charts import bar_chart_svg
from lessonkit.errors import AnswerRejected
from lessonkit.feedback.report import (
    Finding,
    Recommendation,
    Report,
    outcomes_evidenced,
    render_report,
    validate_report,
)
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, SCRIPT, SCRIPT_ESCAPED


def chart():
    return bar_chart_svg(["Loans", "Programs", "Computers", "Study spaces"], [81, 74, 58, 66],
                         title="Satisfied (4 or 5 of 5), Riverbend, Jan\u2013Oct 2026")


def report(**changes) -> Report:
    findings = (
        Finding("computers", "Public computers rate lowest", "Only 58% were satisfied with the public computers.",
                "CSAT 58% of 96 answers, Riverbend branch, Jan\u2013Oct 2026", 96,
                "branch = Riverbend; service = computers", chart()),
        Finding("nps", "Most would recommend us", "The recommend score is +31.",
                "NPS +31 from 184 answers, all branches, Jan\u2013Oct 2026", 184, "all responses", None),
    )
    base = Report(
        title="Riverbend Libraries: customer satisfaction, January to October 2026",
        author="Sam Nguyen", scope="All four branches; library members and visitors.",
        method="Online and paper survey; 1\u20135 satisfaction items, 0\u201310 recommend score.",
        findings=findings,
        recommendations=(Recommendation("Book a computer tune-up and add a help roster.", ("computers",)),
                         Recommendation("Keep the welcome at the desk.", ("nps", "computers"))),
        limitations="Self-selected respondents; few under-18s.", created=datetime(2026, 11, 28, 14, 0))
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize("change, message", [
    ({"title": "  "}, "give the report a title first"),
    ({"findings": ()}, "add at least one finding"),
    ({"recommendations": (Recommendation("Fix it", ()),)}, "recommendation 1 is not tied to any finding"),
    ({"recommendations": (Recommendation("Fix it", ("nope",)),)},
     "recommendation 1 rests on a finding that is not in the report (nope)"),
    ({"scope": "x" * 2001}, "the scope is 2,001 characters long; shorten it to 2,000 characters or fewer"),
    ({"limitations": "y" * 5000}, "shorten it to 2,000"),
])
def test_validation_messages(change, message):
    with pytest.raises(AnswerRejected, match=re.escape(message)):
        validate_report(report(**change))


def test_finding_checks():
    bad = dataclasses.replace(report().findings[0], n=0)
    with pytest.raises(AnswerRejected, match=re.escape("finding 1 (Public computers rate lowest) rests on no "
                                                       "answers (n = 0)")):
        validate_report(report(findings=(bad,), recommendations=()))
    with pytest.raises(AnswerRejected, match="rests on no answers"):
        render_report(report(findings=(report().findings[1], bad), recommendations=()))
    forged = dataclasses.replace(report().findings[0], chart_svg=SCRIPT)
    with pytest.raises(AnswerRejected, match="not a chart"):
        validate_report(report(findings=(forged,), recommendations=()))
    twice = report().findings[:1] * 2
    with pytest.raises(AnswerRejected, match="appears twice"):
        validate_report(report(findings=twice, recommendations=()))
    long_statement = dataclasses.replace(report().findings[0], statement="z" * 2001)
    with pytest.raises(AnswerRejected, match="statement of finding 1 is 2,001 characters"):
        validate_report(report(findings=(long_statement,), recommendations=()))
    validate_report(report())  # the good one passes


def test_every_section_and_the_chart_are_in_the_document():
    html = render_report(report())
    assert html.startswith("<!DOCTYPE html>")
    for section in ("scope", "method", "findings", "recommendations", "limitations"):
        assert f'<section id="{section}">' in html
    assert "Riverbend Libraries: customer satisfaction" in html
    assert "CSAT 58% of 96 answers, Riverbend branch, Jan\u2013Oct 2026" in html
    assert "96 responses" in html and "branch = Riverbend; service = computers" in html
    assert html.count('<svg class="lk-bar-chart"') == 1 and "Study spaces" in html
    assert 'Rests on: <a href="#finding-computers">finding 1 (Public computers rate lowest)</a>' in html
    assert "finding 2 (Most would recommend us)" in html
    footer = html[html.index("<footer>"):]
    for code in ("3.1", "3.2", "3.4", "3.5"):
        assert f"<strong>{code}</strong>" in footer
    assert "<strong>3.3</strong>" not in footer
    assert outcomes_evidenced(report(recommendations=())) == ("3.1", "3.4")


def test_outcome_claims_follow_the_content():
    count = Finding("count", "Number of responses", "12 people answered.", "12 responses", 12, "all responses",
                    kind="count")
    comments = Finding("themes", "Comments mention wifi", "4 of 9 mention wifi.", "themes, n = 9", 9, "all",
                       kind="comments")
    rec = (Recommendation("Fix the wifi.", ("themes",)),)
    assert outcomes_evidenced(report(findings=(count,), recommendations=())) == ()
    assert outcomes_evidenced(report(findings=(count,), recommendations=(Recommendation("Ask more.",
                                                                                         ("count",)),))) == ()
    assert outcomes_evidenced(report(findings=(count, comments), recommendations=())) == ("3.4",)
    assert outcomes_evidenced(report(findings=(count, comments), recommendations=rec)) == ("3.2", "3.4", "3.5")
    assert outcomes_evidenced(report(findings=(comments,), recommendations=rec, method="")) == ("3.2", "3.4")
    html = render_report(report(findings=(count,), recommendations=(), answers=0))
    footer = html[html.index("<footer>"):]
    assert "<strong>3." not in footer and "None yet" in footer
    assert "The survey data had no usable answers." in html
    assert "no usable answers" not in render_report(report())


def test_plotly_figures_are_inlined_once_and_checked():
    from lessonkit.feedback import plots

    months = [SimpleNamespace(month="2026-01", responses=3, csat=SimpleNamespace(percent=50.0, satisfied=1, n=2),
                              nps=SimpleNamespace(score=0.0, promoters=1, detractors=1, n=2))]
    fig = plots.figure_json(plots.trend_figure(months))
    one = dataclasses.replace(report().findings[0], chart_svg=None, figure=fig)
    two = dataclasses.replace(report().findings[1], figure=fig)
    html = render_report(report(findings=(one, two)))
    assert html.count("Plotly.newPlot") == 1 and html.count('class="plot"') == 2
    assert len(html) > 4_000_000 and html.count("<script>") == 2                # plotly.js once, then the draw
    for forged in ("<svg onload=alert(1)>", '{"data": [], "x": "</script><script>alert(1)"}', "[1, 2]"):
        with pytest.raises(AnswerRejected, match="not a chart"):
            validate_report(report(findings=(dataclasses.replace(one, figure=forged),), recommendations=()))


def test_hostile_text_is_escaped_everywhere():
    hostile = dataclasses.replace(report().findings[0], id="f1", title=SCRIPT, statement=HOSTILE, evidence=SCRIPT,
                                  filter=HOSTILE)
    html = render_report(report(title=SCRIPT, author=HOSTILE, scope=SCRIPT, method=HOSTILE, limitations=SCRIPT,
                                findings=(hostile,), recommendations=(Recommendation(HOSTILE, ("f1",)),)))
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert SCRIPT_ESCAPED in html
    assert HOSTILE_ESCAPED in html


def test_no_external_urls():
    html = render_report(report())
    assert "http" not in html.lower()                         # no CDN, fonts, scripts or images
    assert not re.search(r"""(src|href)\s*=\s*["']?(//|[a-z]+:)""", html, re.I)
    assert "@import" not in html and "url(" not in html
    # A link typed by the learner is text, never a link or a resource.
    html = render_report(report(scope='See "https://evil.example/x.js" <a href="https://evil.example">'))
    assert 'href="https://evil.example' not in html and "<a href=\"http" not in html
    assert html.count("http") == 2 and "&lt;a href=&#34;https://evil.example&#34;&gt;" in html


def test_bar_chart_svg_escapes_labels_and_clamps():
    svg = bar_chart_svg([SCRIPT, "B"], [150, None], title=HOSTILE)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    assert 'width="300" height="18" fill="#0072B2"' in svg          # 150 clamped to the 100 maximum
    assert "no data" in svg and "http" not in svg
    with pytest.raises(ValueError):
        bar_chart_svg(["a"], [1, 2], title="t")
