"""The service-delivery report: findings tied to evidence, recommendations tied to findings, as one HTML file.

The HTML comes from a Jinja2 template with autoescape on, so every piece of learner text is escaped;
the only markup passed through unescaped is each finding's chart: an SVG drawn by lessonkit.charts, or a
plotly figure's JSON from lessonkit.feedback.plots (labels escaped there, every '<' written as \\u003c).
The document is self-contained: inline CSS, SVG and, when a finding has a plotly figure, plotly.js
itself, inlined once (no external URLs), so it opens offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ..errors import AnswerRejected

__all__ = ["Finding", "Recommendation", "Report", "LIMITS", "validate_report", "outcomes_evidenced",
           "render_report"]

# Longest text accepted per field, in characters.
LIMITS = {"title": 200, "author": 120, "scope": 2000, "method": 2000, "limitations": 2000,
          "finding title": 200, "statement": 2000, "evidence": 500, "filter": 300, "recommendation": 2000}
MAX_FINDINGS = 20
MAX_RECOMMENDATIONS = 20
# What a finding is about: what the data measured. "count" (how many answered) is not customer feedback.
KINDS = ("satisfaction", "comments", "choices", "count")
FEEDBACK_KINDS = ("satisfaction", "comments", "choices")
_FINDING_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Finding:
    """One finding: what the data shows, with the evidence behind it (figure, n, filter) and an optional chart."""

    id: str
    title: str
    statement: str
    evidence: str            # e.g. "CSAT 72% of 184 answers, Riverbend branch, Jan–Oct 2026"
    n: int                   # how many responses the figure rests on
    filter: str              # which responses: e.g. "branch = Riverbend; Jan–Oct 2026"
    chart_svg: str | None = None   # drawn by lessonkit.charts (never learner markup)
    figure: str | None = None      # plotly figure JSON from lessonkit.feedback.plots.figure_json
    kind: str = "satisfaction"     # one of KINDS: what the figure measured


@dataclass(frozen=True)
class Recommendation:
    """What to do, and the findings (by id) it rests on."""

    text: str
    finding_ids: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """A service-delivery report."""

    title: str
    author: str
    scope: str
    method: str
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    limitations: str
    created: datetime
    answers: int | None = None     # usable satisfaction/recommend answers in the data analysed (None: not known)


def _check_text(value: object, what: str, limit: int, *, required: bool = False) -> None:
    if not isinstance(value, str):
        raise AnswerRejected(f"the {what} must be text")
    if required and not value.strip():
        raise AnswerRejected(f"write the {what} first")
    if len(value) > limit:
        raise AnswerRejected(f"the {what} is {len(value):,} characters long; shorten it to {limit:,} characters "
                             "or fewer")


def validate_report(report: Report) -> None:
    """Check a report before it is exported; raise AnswerRejected with a message for the learner."""
    if not isinstance(report.title, str) or not report.title.strip():
        raise AnswerRejected("give the report a title first")
    _check_text(report.title, "title", LIMITS["title"])
    _check_text(report.author, "author", LIMITS["author"])
    for name in ("scope", "method", "limitations"):
        _check_text(getattr(report, name), name, LIMITS[name])
    if not report.findings:
        raise AnswerRejected("add at least one finding: a report needs evidence before it can recommend anything")
    if len(report.findings) > MAX_FINDINGS:
        raise AnswerRejected(f"the report has {len(report.findings)} findings; keep it to the {MAX_FINDINGS} "
                             "that matter most")
    if len(report.recommendations) > MAX_RECOMMENDATIONS:
        raise AnswerRejected(f"the report has {len(report.recommendations)} recommendations; keep it to "
                             f"{MAX_RECOMMENDATIONS} or fewer")
    seen: set[str] = set()
    for i, f in enumerate(report.findings, start=1):
        if not isinstance(f.id, str) or not _FINDING_ID.fullmatch(f.id):
            raise AnswerRejected(f"finding {i} has no usable id; pick the finding again")
        if f.id in seen:
            raise AnswerRejected(f"finding {i} appears twice in the report; remove one copy")
        seen.add(f.id)
        _check_text(f.title, f"title of finding {i}", LIMITS["finding title"], required=True)
        _check_text(f.statement, f"statement of finding {i}", LIMITS["statement"], required=True)
        _check_text(f.evidence, f"evidence of finding {i}", LIMITS["evidence"], required=True)
        _check_text(f.filter, f"filter of finding {i}", LIMITS["filter"])
        if isinstance(f.n, bool) or not isinstance(f.n, int) or f.n < 1:
            raise AnswerRejected(f"finding {i} ({_clip(str(f.title))}) rests on no answers (n = {f.n!r}): a figure "
                                 "with nobody behind it is not evidence; take it out of the report")
        if f.kind not in KINDS:
            raise AnswerRejected(f"finding {i} has no usable kind; pick the finding again")
        if f.chart_svg is not None and not (isinstance(f.chart_svg, str) and f.chart_svg.startswith("<svg")):
            raise AnswerRejected(f"the chart of finding {i} is not a chart; pick the finding again")
        if f.figure is not None and not _is_figure(f.figure):
            raise AnswerRejected(f"the chart of finding {i} is not a chart; pick the finding again")
    for j, r in enumerate(report.recommendations, start=1):
        _check_text(r.text, f"recommendation {j}", LIMITS["recommendation"], required=True)
        if not r.finding_ids:
            raise AnswerRejected(f"recommendation {j} is not tied to any finding; tick the finding(s) it rests on")
        unknown = [fid for fid in r.finding_ids if fid not in seen]
        if unknown:
            raise AnswerRejected(f"recommendation {j} rests on a finding that is not in the report "
                                 f"({', '.join(map(str, unknown))}); tick findings from this report")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _is_figure(text: object) -> bool:
    """A plotly figure's JSON as plots.figure_json writes it: an object with a data list, and no '<'."""
    if not isinstance(text, str) or "<" in text:
        return False
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict) and isinstance(value.get("data"), list)


def outcomes_evidenced(report: Report) -> tuple[str, ...]:
    """The performance criteria (3.1–3.5) this report's own content evidences, nothing more.

    3.1 a satisfaction figure with its n; 3.4 a finding from what customers answered (a count of
    responses alone is not feedback used); 3.2 a recommendation resting on such a finding; 3.5 that,
    plus a stated method, so the report is detailed enough to be checked.
    """
    evidence = [f for f in report.findings if isinstance(f.n, int) and f.n > 0]
    feedback = {f.id for f in evidence if f.kind in FEEDBACK_KINDS}
    codes = []
    if any(f.kind == "satisfaction" for f in evidence):
        codes.append("3.1")
    grounded = [r for r in report.recommendations if r.text.strip() and feedback & set(r.finding_ids)]
    if grounded:
        codes.append("3.2")
    if feedback:
        codes.append("3.4")
    if grounded and report.method.strip():
        codes.append("3.5")
    return tuple(codes)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from .plots import plotly_js

    return plotly_js().replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2")


def render_report(report: Report, *, outcome_texts: Mapping[str, str] | None = None,
                  data: Path | None = None) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG; opens offline). The outcomes' texts
    are `outcome_texts`, else those of the lesson in the content folder `data` (else the default one)."""
    validate_report(report)
    if outcome_texts is None:
        from ..content import load_lesson
        from ..datafiles import default_data_dir

        lesson = (data if data is not None else default_data_dir()) / "lesson.yaml"
        outcome_texts = {o.code: o.text for o in load_lesson(lesson).outcomes}
    by_id = {f.id: (n, f) for n, f in enumerate(report.findings, start=1)}
    recommendations = [(r, [by_id[fid] for fid in r.finding_ids]) for r in report.recommendations]
    outcomes = [(code, outcome_texts.get(code, "")) for code in outcomes_evidenced(report)]
    plotly_js = _plotly_js() if any(f.figure for f in report.findings) else None
    return _template().render(report=report, recommendations=recommendations, outcomes=outcomes,
                              created=report.created.strftime("%d %B %Y").lstrip("0"), plotly_js=plotly_js,
                              config=json.dumps(_PLOT_CONFIG))


# as lessonkit.feedback.plots.PLOT_CONFIG (not imported from there: plotly is needed only for figures)
_PLOT_CONFIG = {"displaylogo": False, "responsive": True, "showLink": False, "showSendToCloud": False,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
