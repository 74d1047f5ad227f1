"""Feedback explorer (notebook 08): load a survey CSV, map its columns, analyse it, and build a report.

The learner loads the synthetic sample or uploads a CSV, confirms which column is which, presses
Analyse, ticks "Add to report" beside the figures they want as findings (each carries its n and the
filter it was computed on), writes recommendations tied to those findings and builds a self-contained
HTML report to download. Errors never remove what the learner already did: a bad file or mapping only
changes the message line.

pandas (through lessonkit.feedback) is imported only when data are loaded, not when this module is.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ...settings import Settings
from ._common import _FULL, ALL_GROUPS, MAX_UPLOAD_BYTES, NONE, RECOMMENDATIONS, REPORT_NAME
from .analysis import _Analysis
from .loading import _Loading
from .reporting import _Reporting

__all__ = ["FeedbackExplorer", "REPORT_NAME", "MAX_UPLOAD_BYTES"]


class FeedbackExplorer(_Loading, _Analysis, _Reporting, widgets.VBox):
    """Load → map columns → analyse → pick findings → build the service-delivery report.

    Handles for tests and page builders: use_sample(), upload, date/group/recommend/comment dropdowns,
    items (SelectMultiple), analyse_button, group_filter, findings (finding id -> ToggleButton, for the
    figures on screen), chosen (finding id -> Finding, the report's findings), report_title,
    report_author, report_scope, report_method, recommendation_texts, recommendation_findings,
    report_limitations, build_button, message, download, report_html (last rendered document).
    """

    def __init__(self, *, sample_path: str | Path | None = None, themes_path: str | Path | None = None,
                 charts: bool = True, settings: Settings | None = None, **kwargs: Any) -> None:
        # settings: where the page runs (plotly.js's address, a Voila of its own), and the content folder for
        # the sample and the report's outcomes; without them: as in JupyterLab, and the default content folder
        self._settings = settings
        self._sample = Path(sample_path) if sample_path else None
        self._charts = charts       # False: the analysis as text and tables only, plotly never imported
        self._themes_path = themes_path
        self._themes = None
        self._raw = None            # RawSurvey of the loaded file
        self._survey = None         # Survey from the last successful Analyse
        self._auto_method = ""      # the method sentence we last filled in (replaced only if unchanged)
        self.findings: dict[str, widgets.ToggleButton] = {}
        self.chosen: dict[str, Any] = {}   # id -> Finding, in the order the learner added them
        self._figures: dict[str, Any] = {}  # id -> Finding for the figures on screen
        self.plots: dict[str, Any] = {}     # section key (nps, csat, group, trend, themes, choices:<column>) -> Figure
        self._plot_serial = 0
        self._plotly_sent = False           # plotly.js already sent inline into this page (a Voila of its own)
        self._scales_wanted: dict[str, str] = {}   # item -> scale key chosen (kept when a file is loaded again)
        self._detected: dict[str, Any] = {}        # item -> Scale read by the last Analyse
        self.report_html: str | None = None

        self.message = widgets.HTML("", _dom_classes=("lk-status", "lk-fx-message"))

        # ---- 1 load
        self.sample_button = widgets.Button(description="Use the sample data (synthetic)", icon="table",
                                            layout=widgets.Layout(width="auto"))
        self.sample_button.on_click(lambda _b: self.use_sample())
        self.upload = widgets.FileUpload(accept=".csv", multiple=False, description="Upload a CSV")
        self.upload.observe(self._on_upload, names="value")
        self.source = widgets.HTML("<p class='lk-fx-source'>No data loaded yet.</p>")

        # ---- 2 mapping
        def dropdown(label: str) -> widgets.Dropdown:
            return widgets.Dropdown(options=[("(none)", NONE)], value=NONE, description=label,
                                    style={"description_width": "initial"}, layout=_FULL)

        self.date = dropdown("Date")
        self.group = dropdown("Group (branch, service…)")
        self.recommend = dropdown("Recommend score (0–10)")
        self.comment = dropdown("Comment")
        self.items = widgets.SelectMultiple(options=[], value=(), rows=6, description="Satisfaction items",
                                            style={"description_width": "initial"}, layout=_FULL)
        self.items.observe(lambda _ch: self._show_scale_choices(), names="value")
        # one scale chooser per satisfaction item: "" = read the scale from the answers and heading
        self.scale_choices: dict[str, widgets.Dropdown] = {}
        self.scale_box = widgets.VBox([], _dom_classes=("lk-fx-scales",))
        self.multi = widgets.SelectMultiple(options=[], value=(), rows=4, layout=_FULL,
                                            description="Tick-all-that-apply questions",
                                            style={"description_width": "initial"})
        self.analyse_button = widgets.Button(description="Analyse", button_style="primary", icon="bar-chart")
        self.analyse_button.on_click(lambda _b: self.analyse())
        self.notes = widgets.HTML("")
        mapping_help = widgets.HTML("<p>Check which column is which (a first guess is filled in). Satisfaction "
                                    "items are ratings (1–5, 1–7, 0–10…) or answers such as Very dissatisfied "
                                    "to Very satisfied; hold Ctrl (or ⌘) to pick several. Each item's scale is "
                                    "read from its answers: choose it below when the guess is wrong.</p>")

        # ---- 3 analysis
        self.group_filter = widgets.Dropdown(options=[("All responses", ALL_GROUPS)], value=ALL_GROUPS,
                                             description="Show", style={"description_width": "initial"},
                                             layout=_FULL, disabled=True)
        self.group_filter.observe(self._on_group_filter, names="value")
        self.analysis = widgets.VBox([widgets.HTML("<p>Press Analyse to see the figures.</p>")],
                                     _dom_classes=("lk-fx-analysis",))

        # ---- 4 report
        def area(label: str, placeholder: str = "") -> widgets.Textarea:
            return widgets.Textarea(description=label, placeholder=placeholder, layout=_FULL,
                                    style={"description_width": "initial"})

        self.report_title = widgets.Text(description="Title", layout=_FULL, style={"description_width": "initial"},
                                         placeholder="e.g. Riverbend Libraries: customer satisfaction 2026")
        self.report_author = widgets.Text(description="Author (optional)", layout=_FULL,
                                          style={"description_width": "initial"})
        self.report_scope = area("Scope", "Which services, branches, people and months the report covers")
        self.report_method = area("Method")
        self.report_limitations = area("Limitations", "e.g. self-selected respondents; few under-18s")
        self.chosen_list = widgets.HTML("")
        self.clear_findings_button = widgets.Button(description="Remove all findings", icon="times",
                                                    layout=widgets.Layout(width="auto"))
        self.clear_findings_button.on_click(lambda _b: self.clear_findings())
        self.recommendation_texts: list[widgets.Textarea] = []
        self.recommendation_findings: list[widgets.SelectMultiple] = []
        rec_boxes = []
        for i in range(1, RECOMMENDATIONS + 1):
            text = area(f"Recommendation {i}", "What should the service do, and by when?")
            rests = widgets.SelectMultiple(options=[], value=(), rows=3, description="Rests on findings",
                                           style={"description_width": "initial"}, layout=_FULL)
            self.recommendation_texts.append(text)
            self.recommendation_findings.append(rests)
            rec_boxes.append(widgets.VBox([text, rests], _dom_classes=("lk-fx-rec",)))
        self.build_button = widgets.Button(description="Build report", button_style="primary", icon="file")
        self.build_button.on_click(lambda _b: self.build_report())
        self.download = widgets.HTML("", _dom_classes=("lk-fx-download",))
        self.report_status = widgets.HTML("", _dom_classes=("lk-status",))   # the message again, beside Build
        self._show_chosen()

        def heading(text: str) -> widgets.HTML:
            return widgets.HTML(f"<h3 class='lk-fx-heading'>{escape(text)}</h3>")

        children = [
            heading("1. Load survey data"),
            widgets.HBox([self.sample_button, self.upload], _dom_classes=("lk-fx-load",)),
            self.source,
            self.message,
            heading("2. Which column is which?"),
            mapping_help, self.date, self.group, self.items, self.scale_box, self.recommend, self.comment,
            self.multi,
            self.analyse_button, self.notes,
            heading("3. What the data show"),
            self.group_filter, self.analysis,
            heading("4. Your report"),
            self.report_title, self.report_author, self.report_scope, self.report_method,
            widgets.HTML("<h4>Findings in the report</h4>"), self.chosen_list, self.clear_findings_button,
            *rec_boxes, self.report_limitations,
            self.build_button, self.report_status, self.download,
        ]
        super().__init__(children=children, **kwargs)
        self.add_class("lk-fx")
