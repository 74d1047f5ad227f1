"""Step 4 of the feedback explorer: the findings the learner picks and the report built from them."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ...charts import download_link
from ...errors import AnswerRejected
from ._common import REPORT_NAME, _clip, _data_dir, _State


class _Reporting(_State):
    """FeedbackExplorer's findings and report (its widgets live on FeedbackExplorer)."""

    if TYPE_CHECKING:   # the widgets and state live on FeedbackExplorer (its __init__), which mypy sees there
        def __getattr__(self, name: str) -> Any: ...

    # ================================================================ 4 findings and report

    @staticmethod
    def _style_toggle(toggle: widgets.ToggleButton) -> None:
        toggle.description = "Added to report" if toggle.value else "Add to report"
        toggle.icon = "check" if toggle.value else "plus"
        toggle.button_style = "success" if toggle.value else ""

    def _on_toggle(self, finding, change: dict) -> None:
        if change["new"]:
            self.chosen[finding.id] = finding
        else:
            self.chosen.pop(finding.id, None)
        self._style_toggle(change["owner"])
        self._show_chosen()

    def clear_findings(self) -> None:
        """Take every finding out of the report (recommendation text stays)."""
        self.chosen.clear()
        for toggle in self.findings.values():
            toggle.value = False
        self._show_chosen()

    def _show_chosen(self) -> None:
        if self.chosen:
            lis = "".join(f"<li><b>{escape(f.title)}</b> <span class='lk-fx-n'>({escape(f.evidence)})</span></li>"
                          for f in self.chosen.values())
            self.chosen_list.value = f"<ol class='lk-fx-chosen'>{lis}</ol>"
        else:
            self.chosen_list.value = ("<p class='lk-fx-note'>None yet: press “Add to report” beside a figure "
                                      "above.</p>")
        options = [(f"{i}. {_clip(f.title, 60)}", fid) for i, (fid, f) in enumerate(self.chosen.items(), start=1)]
        for select in self.recommendation_findings:
            keep = tuple(v for v in select.value if v in self.chosen)
            select.options = options
            select.value = keep

    def report(self):
        """The Report on screen (not yet validated)."""
        from ...feedback.report import Recommendation, Report

        recs = tuple(Recommendation(text.value.strip(), tuple(rests.value))
                     for text, rests in zip(self.recommendation_texts, self.recommendation_findings)
                     if text.value.strip() or rests.value)
        return Report(title=self.report_title.value.strip(), author=self.report_author.value.strip(),
                      scope=self.report_scope.value.strip(), method=self.report_method.value.strip(),
                      findings=tuple(self.chosen.values()), recommendations=recs,
                      limitations=self.report_limitations.value.strip(), created=datetime.now(),
                      answers=self._usable_answers())

    def _usable_answers(self) -> int | None:
        """Satisfaction and recommend answers that could be read in the data analysed (None before Analyse)."""
        from ...feedback import csat, nps

        s = self._survey
        if s is None:
            return None
        ratings = sum(c.n for c in csat(s) if c.percent is not None)
        r = nps(s) if s.mapping.recommend else None
        return ratings + (r.n if r is not None and r.score is not None else 0)

    def build_report(self) -> bool:
        """Validate and render the report; on success offer it as a download. The form is kept either way."""
        from ...feedback.report import render_report, validate_report

        try:
            report = self.report()
            validate_report(report)
            html = render_report(report, data=_data_dir(self._settings))   # the lesson's outcomes
        except AnswerRejected as exc:
            self._say(f"Report not built: {exc}. Everything you wrote is still here.")
            self.report_status.value = self.message.value
            return False
        self.report_html = html
        self.download.value = download_link(html, REPORT_NAME, "text/html", "Download the report",
                                            note="(one HTML file: opens offline in any browser)",
                                            css_class="lk-fx-download-link")
        self._say(f"Report ready: {len(report.findings)} finding(s), {len(report.recommendations)} "
                  "recommendation(s). Use the link below to save it.", ok=True)
        self.report_status.value = self.message.value
        return True
