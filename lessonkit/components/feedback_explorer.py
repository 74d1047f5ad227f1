"""Feedback explorer (notebook 08): load a survey CSV, map its columns, analyse it, and build a report.

The learner loads the synthetic sample or uploads a CSV, confirms which column is which, presses
Analyse, ticks "Add to report" beside the figures they want as findings (each carries its n and the
filter it was computed on), writes recommendations tied to those findings and builds a self-contained
HTML report to download. Errors never remove what the learner already did: a bad file or mapping only
changes the message line.

pandas (through lessonkit.feedback) is imported only when data are loaded, not when this module is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..charts import download_link
from ..errors import AnswerRejected, FeedbackDataError

__all__ = ["FeedbackExplorer", "REPORT_NAME", "MAX_UPLOAD_BYTES"]

REPORT_NAME = "service-delivery-report.html"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NONE = ""                       # the value of the "(none)" choice in a column dropdown
ALL_GROUPS = ""                 # the value of "All responses" in the group filter
RECOMMENDATIONS = 3
_FULL = widgets.Layout(width="100%")


def _sample_path() -> Path:
    from ..datafiles import data_dir

    return data_dir() / "samples" / "library-feedback-sample.csv"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _pct(value: float | None) -> str:
    return "no answers" if value is None else f"{value:.1f}%"


def _signed(score: float) -> str:
    return f"{score:.1f}"


class _NoPlots:
    """Charts off (benchmarks/page_load.py measures 08 with and without plotly): every figure is None."""

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None


@dataclass
class _Section:
    """One figure of the analysis: heading and text, an optional plotly figure, text after it, its finding."""

    key: str
    head: str
    figure: Any = None
    tail: str = ""
    finding: Any = None


class FeedbackExplorer(widgets.VBox):
    """Load → map columns → analyse → pick findings → build the service-delivery report.

    Handles for tests and page builders: use_sample(), upload, date/group/recommend/comment dropdowns,
    items (SelectMultiple), analyse_button, group_filter, findings (finding id -> ToggleButton, for the
    figures on screen), chosen (finding id -> Finding, the report's findings), report_title,
    report_author, report_scope, report_method, recommendation_texts, recommendation_findings,
    report_limitations, build_button, message, download, report_html (last rendered document).
    """

    def __init__(self, *, sample_path: str | Path | None = None, themes_path: str | Path | None = None,
                 charts: bool = True, **kwargs: Any) -> None:
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

    # ================================================================ messages

    def _say(self, text: str, *, ok: bool = False) -> None:
        kind, role = ("lk-ok", "status") if ok else ("lk-error", "alert")
        self.message.value = f'<span class="{kind}" role="{role}">{escape(text)}</span>' if text else ""

    # ================================================================ 1 load

    def use_sample(self) -> bool:
        """Load the shipped synthetic sample; True when it loaded."""
        path = self._sample or _sample_path()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._say(f"The sample data could not be opened ({exc.strerror or exc}).")
            return False
        return self.load_bytes(data, path.name, label="the synthetic sample")

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = str(item.get("name") or "upload.csv")
        size = item.get("size") or len(item.get("content") or b"")
        if size > MAX_UPLOAD_BYTES:
            self._say(f"The file '{name}' is {size / 1024 / 1024:.0f} MB; upload a CSV file smaller than "
                      f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
            return
        self.load_bytes(bytes(item.get("content") or b""), name)

    def load_bytes(self, data: bytes, name: str, *, label: str | None = None) -> bool:
        """Read a CSV file's bytes; on success offer its columns. On failure only the message changes."""
        from ..feedback import read_survey, suggest_mapping

        try:
            raw = read_survey(data, name=name)
        except FeedbackDataError as exc:
            self._say(f"{exc} Nothing else has changed.")
            return False
        except Exception as exc:  # noqa: BLE001 - a learner's file must never give a traceback
            self._say(f"The file '{name}' could not be read ({type(exc).__name__}). Upload a CSV file exported "
                      "from your survey tool. Nothing else has changed.")
            return False
        self._raw = raw
        previous = self._mapping_values()
        kept = [previous[k] for k in ("date", "group", "recommend", "comment") if previous[k]]
        kept += list(previous["items"]) + list(previous["multi"])
        missing = [c for c in kept if c not in raw.columns]
        keep = bool(kept) and len(missing) < len(kept)   # the learner's choices fit this file at least in part
        what = label or f"'{name}'"
        self.source.value = (f"<p class='lk-fx-source'>Loaded {escape(what)}: {len(raw)} responses, "
                             f"{len(raw.columns)} columns.</p>")
        if keep:
            self._set_mapping_options(raw.columns, previous)
            if missing:
                cols = ", ".join(f"'{c}'" for c in missing)
                self._say(f"This file has no column {cols}, which you chose before. Choose again, then press "
                          "Analyse.")
            else:
                self._say("File loaded; your column choices are kept. Press Analyse.", ok=True)
        else:
            m = suggest_mapping(raw)
            self._set_mapping_options(raw.columns, {"date": m.date, "group": m.group, "recommend": m.recommend,
                                                    "comment": m.comment, "items": m.items,
                                                    "multi": tuple(getattr(m, "multi", ())),
                                                    "scales": dict(getattr(m, "scales", {}))})
            self._say("File loaded. Check the column choices below, then press Analyse.", ok=True)
        return True

    # ================================================================ 2 mapping

    def _mapping_values(self) -> dict[str, Any]:
        out = {name: getattr(self, name).value or None for name in ("date", "group", "recommend", "comment")}
        out["items"] = tuple(self.items.value)
        out["multi"] = tuple(self.multi.value)
        out["scales"] = {item: dd.value for item, dd in self.scale_choices.items() if dd.value and item in out["items"]}
        return out

    def _set_mapping_options(self, columns: tuple[str, ...], chosen: dict[str, Any]) -> None:
        chosen_cols = [chosen[k] for k in ("date", "group", "recommend", "comment") if chosen.get(k)]
        chosen_cols += list(chosen.get("items") or ()) + list(chosen.get("multi") or ())
        absent = [c for c in dict.fromkeys(chosen_cols) if c not in columns]
        pairs = [(c, c) for c in columns] + [(f"{c} (not in this file)", c) for c in absent]
        for key in ("date", "group", "recommend", "comment"):
            dd = getattr(self, key)
            dd.options = [("(none)", NONE)] + pairs
            dd.value = chosen.get(key) or NONE
        self._scales_wanted = dict(chosen.get("scales") or {})
        self.items.options = pairs
        self.items.value = tuple(c for c in (chosen.get("items") or ()) if c in {v for _l, v in pairs})
        self.multi.options = pairs
        self.multi.value = tuple(c for c in (chosen.get("multi") or ()) if c in {v for _l, v in pairs})
        self._show_scale_choices()

    def _show_scale_choices(self, detected: dict[str, Any] | None = None, problems: frozenset = frozenset()) -> None:
        """One scale dropdown per chosen item (choices kept across changes); after Analyse, "Read from the
        answers" says what was read, and an item whose answers did not fit is marked."""
        from ..feedback import SCALES

        wanted = {**self._scales_wanted, **{i: dd.value for i, dd in self.scale_choices.items()}}
        detected = detected if detected is not None else self._detected
        self._detected = detected
        boxes, choices = [], {}
        for item in self.items.value:
            found = detected.get(item)
            auto = f"Read from the answers ({found.label})" if found is not None else "Read from the answers"
            options = [(auto, "")] + [(sc.label, key) for key, sc in SCALES.items()]
            value = wanted.get(item) or ""
            dd = self.scale_choices.get(item)
            if dd is None:
                dd = widgets.Dropdown(options=options, value=value if value in SCALES else "", layout=_FULL,
                                      description=_clip(f"Scale of '{item}'", 60),
                                      style={"description_width": "initial"})
            else:
                dd.options = options
                dd.value = value if value in SCALES else ""
            if item in problems:
                dd.add_class("lk-fx-scale-problem")
            else:
                dd.remove_class("lk-fx-scale-problem")
            choices[item] = dd
            boxes.append(dd)
        self.scale_choices = choices
        self.scale_box.children = tuple(boxes)

    def mapping(self):
        """The ColumnMapping on screen."""
        from ..feedback import ColumnMapping

        v = self._mapping_values()
        return ColumnMapping(date=v["date"], group=v["group"], items=v["items"], recommend=v["recommend"],
                             comment=v["comment"], scales=v["scales"], multi=v["multi"])

    def analyse(self) -> bool:
        """Apply the mapping (values that cannot be used are left out and listed) and show the analysis."""
        from ..feedback import apply_mapping

        if self._raw is None:
            self._say("Load the sample data or upload a CSV file first.")
            return False
        try:
            survey = apply_mapping(self._raw, self.mapping(), strict=False)
        except FeedbackDataError as exc:
            self._say(f"{exc} Nothing else has changed.")
            return False
        self._survey = survey
        from ..feedback import csat

        problems = frozenset(c.item for c in csat(survey) if c.problem)
        self._show_scale_choices(dict(survey.scales), problems)
        if survey.notes:
            items = "".join(f"<li>{escape(n)}</li>" for n in survey.notes)
            self.notes.value = (f"<div class='lk-fx-notes'><p>Some values were left out of the figures:</p>"
                                f"<ul>{items}</ul></div>")
        else:
            self.notes.value = ""
        groups = sorted({str(g) for g in survey.frame["group"].dropna()}) if survey.mapping.group else []
        current = self.group_filter.value
        with self.group_filter.hold_trait_notifications():
            self.group_filter.options = [("All responses", ALL_GROUPS)] + [(g, g) for g in groups]
            self.group_filter.value = current if current in groups else ALL_GROUPS
        self.group_filter.disabled = not groups
        method = self._method_sentence(survey)
        if not self.report_method.value.strip() or self.report_method.value == self._auto_method:
            self.report_method.value = method
        self._auto_method = method
        self._render_analysis()
        self._say(f"Analysed {len(survey)} responses from '{survey.source}'.", ok=True)
        return True

    def _method_sentence(self, survey) -> str:
        from ..feedback import comment_summary

        m = survey.mapping
        by_rule: dict[str, list[str]] = {}
        for item in m.items:
            by_rule.setdefault(survey.scale_of(item).rule, []).append(item)
        items = "; ".join(f"{', '.join(names)} [{rule}]" for rule, names in by_rule.items())
        said = comment_summary(survey) if m.comment else None
        nil = (f"; {said.nil} saying nothing, such as 'nil' or 'no', left out" if said and said.nil else "")
        parts = [f"satisfaction items: {items}" if m.items else None,
                 f"recommend score: {m.recommend} (0–10; Net Promoter Score)" if m.recommend else None,
                 f"date: {m.date}" if m.date else None, f"group: {m.group}" if m.group else None,
                 f"tick-all-that-apply: {', '.join(m.multi)} (share choosing each option)"
                 if getattr(m, "multi", ()) else None,
                 f"comments: {m.comment} (grouped into keyword themes{nil})" if m.comment else None]
        left_out = (f" {len(survey.notes)} column(s) had values that could not be read; those values were left "
                    "out.") if survey.notes else ""
        text = (f"Survey responses from the file '{survey.source}' ({len(survey)} responses), analysed in "
                f"lessonkit. Columns used: {'; '.join(p for p in parts if p)}.{left_out}")
        return _clip(text, 2000)

    # ================================================================ 3 analysis

    def _on_group_filter(self, _change: dict) -> None:
        if self._survey is not None:
            self._render_analysis()

    def _current(self):
        from ..feedback import filter_survey

        group = self.group_filter.value
        if group and self._survey is not None and self._survey.mapping.group:
            return filter_survey(self._survey, group=group)
        return self._survey

    def _fid(self, kind: str, survey, extra: str = "") -> str:
        key = "\x1f".join([kind, survey.source, survey.scope, repr(survey.mapping), extra])
        return f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

    def _finding(self, kind: str, survey, *, title: str, statement: str, evidence: str, n: int,
                 filter: str, figure=None, measure: str = "satisfaction", extra: str = ""):
        from ..feedback.report import Finding

        figure_json = self._plots().figure_json
        fid = self._fid(kind, survey, extra)
        src = _clip(survey.source, 80)
        return Finding(fid, _clip(title, 200), _clip(statement, 2000),
                       _clip(f"{evidence}; responses: {filter}; file: {src}", 500), int(n), _clip(filter, 300),
                       None, figure_json(figure) if figure is not None else None, measure)

    def _render_analysis(self) -> None:
        from ..feedback import csat, csat_by_group, nps, response_count, theme_counts, trend_by_month
        from ..feedback import weakest_areas
        plots = self._plots()

        survey = self._current()
        sections: list[_Section] = []
        m = survey.mapping

        count = response_count(survey)
        sections.append(_Section("count", f"<h4>Responses</h4><p><b>{count.n}</b> responses <span class='lk-fx-n'>"
                                 f"(n = {count.n}; {escape(count.filter)})</span></p>", finding=self._finding(
                                     "count", survey, title="Number of responses",
                                     statement=f"{count.n} people answered the survey ({count.filter}).",
                                     evidence=f"{count.n} responses", n=count.n, filter=count.filter,
                                     measure="count") if count.n else None))

        if m.recommend:
            r = nps(survey)
            if getattr(r, "problem", None):
                sections.append(_Section("nps", f"<h4>Recommend score (NPS)</h4><p class='lk-fx-problem' role='note'>"
                                         f"{escape(r.problem)}</p>"))
            elif r.n:
                fig = plots.nps_figure(r)
                head = (f"<h4>Recommend score (NPS)</h4><p class='lk-fx-big'>NPS <b>{_signed(r.score)}</b> "
                        f"<span class='lk-fx-n'>(n = {r.n}; {escape(r.filter)})</span></p>"
                        f"<p>{r.promoters} promoters, {r.passives} passives, {r.detractors} detractors of "
                        f"{r.n} people who gave a 0–10 score.</p>")
                finding = self._finding(
                    "nps", survey, title=f"Recommend score (NPS) {_signed(r.score)}",
                    statement=(f"The Net Promoter Score is {_signed(r.score)}: {r.promoters} promoters (9–10) and "
                               f"{r.detractors} detractors (0–6) of {r.n} people who gave a 0–10 score. "
                               + r.definition),
                    evidence=f"NPS {_signed(r.score)}, n = {r.n} ({r.promoters} promoters, {r.passives} passives, "
                             f"{r.detractors} detractors)", n=r.n, filter=r.filter, figure=fig)
                sections.append(_Section("nps", head, fig, f"<p class='lk-fx-definition'>{escape(r.definition)}</p>",
                                         finding))
            else:
                sections.append(_Section("nps", f"<h4>Recommend score (NPS)</h4><p class='lk-fx-none'>Nobody gave a "
                                         f"0–10 score that could be read ({escape(r.filter)}), so there is no "
                                         "NPS.</p>"))

        if m.items:
            rows = csat(survey)
            answered = [c for c in rows if c.n and c.percent is not None]
            problems = [c for c in rows if getattr(c, "problem", None)]
            filt = rows[0].filter if rows else survey.scope
            rules = list(dict.fromkeys(c.rule for c in answered))
            every = list(dict.fromkeys(c.rule for c in rows))
            per_row = len(every) > 1      # one rule for all: said once, under the table
            table = "".join(f"<tr><td>{escape(c.item)}</td><td>{'scale to choose' if c.problem else _pct(c.percent)}"
                            f"</td><td>{c.satisfied} of {c.n}</td>"
                            + (f"<td>{escape(c.rule)}</td>" if per_row else "") + "</tr>" for c in rows)
            told = "".join(f"<p class='lk-fx-problem' role='note'>{escape(c.problem)}</p>" for c in problems)
            rule_note = "" if per_row else f"{escape(every[0][:1].upper() + every[0][1:])}. " if every else ""
            tail = (f"<table class='lk-fx-table'><thead><tr><th>Item</th><th>CSAT</th><th>Satisfied of n</th>"
                    + ("<th>Satisfied means</th>" if per_row else "") + f"</tr></thead><tbody>{table}</tbody></table>"
                    f"<p class='lk-fx-n'>{rule_note}Filter: {escape(filt)}</p>")
            if answered:
                fig = plots.items_figure(answered, title="Share satisfied per item")
                statement = "; ".join(f"{c.item}: {_pct(c.percent)} of {c.n}" for c in answered)
                sections.append(_Section("csat", "<h4>Satisfaction (CSAT) per item</h4>" + told, fig, tail,
                                         self._finding(
                    "csat", survey, title="Satisfaction per item",
                    statement=f"Share satisfied ({'; '.join(rules)}) per item: {statement}.",
                    evidence=f"CSAT per item, n = {min(c.n for c in answered)}–{max(c.n for c in answered)} answers "
                             "per item", n=max(c.n for c in answered), filter=filt, figure=fig)))
            else:
                none = ("" if problems else "<p class='lk-fx-none'>None of the satisfaction answers could be read, "
                        "so there is no satisfaction figure. Check the columns chosen above.</p>")
                sections.append(_Section("csat", "<h4>Satisfaction (CSAT) per item</h4>" + told + none, tail=tail))

            weak = weakest_areas(survey)
            if weak:
                lis = "".join(f"<li>{escape(c.item)}: {_pct(c.percent)} <span class='lk-fx-n'>(n = {c.n})</span>"
                              "</li>" for c in weak)
                sections.append(_Section("weak", f"<h4>Weakest areas</h4><ol>{lis}</ol><p class='lk-fx-n'>Filter: "
                                         f"{escape(weak[0].filter)}</p>", finding=self._finding(
                    "weak", survey, title=f"Weakest area: {weak[0].item}",
                    statement="The items with the lowest satisfaction: "
                              + "; ".join(f"{c.item} ({_pct(c.percent)} of {c.n})" for c in weak) + ".",
                    evidence="; ".join(f"{_clip(c.item, 60)} {_pct(c.percent)} n = {c.n}" for c in weak),
                    n=min(c.n for c in weak), filter=weak[0].filter)))

        if m.group and m.items and not self.group_filter.value:
            # one pooled row per group: each item on its own scale, items with a problem there left out
            per = [c for c in csat_by_group(survey, overall=True) if c.item.startswith("all items")]
            groups: dict[str, list[int]] = {c.group: [c.satisfied, c.n] for c in per}
            names = list(groups)
            values = [100 * s / n if n else None for s, n in groups.values()]
            total = sum(n for _s, n in groups.values())
            if names and total:
                fig = plots.groups_figure(names, values, [tuple(v) for v in groups.values()], group=m.group)
                table = "".join(f"<tr><td>{escape(g)}</td><td>{_pct(v)}</td><td>{s} of {n}</td></tr>"
                                for g, v, (s, n) in zip(names, values, groups.values()))
                tail = (f"<table class='lk-fx-table'><thead><tr><th>{escape(m.group)}</th><th>CSAT (all items)</th>"
                        f"<th>Satisfied of n answers</th></tr></thead><tbody>{table}</tbody></table>"
                        f"<p class='lk-fx-n'>Filter: {escape(survey.scope)}</p>")
                sections.append(_Section("group", f"<h4>Satisfaction by {escape(m.group)}</h4>", fig, tail,
                                         self._finding(
                    "group", survey, title=f"Satisfaction by {m.group}",
                    statement=f"Share satisfied (all items pooled) by {m.group}: "
                              + "; ".join(f"{g}: {_pct(v)} of {n} answers"
                                          for g, v, (_s, n) in zip(names, values, groups.values()) if n) + ".",
                    evidence=f"CSAT by {_clip(m.group, 60)}, {len(names)} groups, n = {total} answers",
                    n=total, filter=survey.scope, figure=fig)))

        if m.date:
            months = trend_by_month(survey)
            with_csat = bool(m.items) and any(t.csat.n for t in months)
            with_nps = bool(m.recommend) and any(t.nps.n for t in months)
            if months and (with_csat or with_nps):
                rows = "".join(
                    f"<tr><td>{escape(t.month)}</td><td>{t.responses}</td>"
                    f"<td>{_pct(t.csat.percent)} (n = {t.csat.n})</td>"
                    f"<td>{_signed(t.nps.score) if t.nps.score is not None else '–'} (n = {t.nps.n})</td></tr>"
                    for t in months)
                fig = plots.trend_figure(months, csat=with_csat, nps=with_nps)
                tail = (f"<details class='lk-fx-details'><summary>The figures by month</summary>"
                        f"<table class='lk-fx-table'><thead><tr><th>Month</th><th>Responses</th><th>CSAT (all items)"
                        f"</th><th>NPS</th></tr></thead><tbody>{rows}</tbody></table></details>"
                        f"<p class='lk-fx-n'>Filter: {escape(survey.scope)}; undated responses are left out.</p>")
                first, last = months[0], months[-1]
                measured = [t.csat.n + t.nps.n for t in months]
                n = sum(t.responses for t, k in zip(months, measured) if k)

                def month_text(t) -> str:
                    parts = ([f"CSAT {_pct(t.csat.percent)} (n = {t.csat.n})"] if with_csat and t.csat.n else []) + \
                            ([f"NPS {_signed(t.nps.score)} (n = {t.nps.n})"] if with_nps and t.nps.n else [])
                    return ", ".join(parts) or "no answers that could be read"

                sections.append(_Section("trend", "<h4>Trend by month</h4>", fig, tail, self._finding(
                    "trend", survey, title=f"Trend from {first.month} to {last.month}",
                    statement=(f"{len(months)} months of responses. In {first.month}: {month_text(first)}; in "
                               f"{last.month}: {month_text(last)}."),
                    evidence=f"{n} dated responses over {len(months)} months", n=n, filter=survey.scope,
                    figure=fig) if n else None))
            elif months:
                sections.append(_Section("trend", "<h4>Trend by month</h4><p class='lk-fx-none'>No dated response "
                                         "has an answer that could be read, so there is no trend.</p>"))
            else:
                sections.append(_Section("trend", "<h4>Trend by month</h4><p class='lk-fx-none'>No response has a "
                                         "date that could be read.</p>"))

        sections += self._choice_sections(survey)

        if m.comment:
            from ..feedback import comment_summary

            counts = theme_counts(survey, self._load_themes())
            said = comment_summary(survey)
            nil = (f"<p class='lk-fx-n'>{said.total} comments; {said.nil} said nothing (such as “nil”, “none” or "
                   f"“no”) and are left out, so the themes rest on {said.usable}.</p>" if said.nil else "")
            n = counts[0].n if counts else 0
            if n:
                shown = [t for t in counts if t.count]
                rows = "".join(
                    f"<tr><td>{escape(t.theme.label)}</td><td>{t.count} of {t.n}</td><td>"
                    + "".join(f"<q>{escape(_clip(e, 240))}</q> " for e in t.examples) + "</td></tr>"
                    for t in shown)
                fig = plots.themes_figure(shown) if shown else None
                tail = (f"<table class='lk-fx-table'><thead><tr><th>Theme</th><th>Comments</th><th>Examples</th></tr>"
                        f"</thead><tbody>{rows}</tbody></table><p class='lk-fx-n'>n = {n} comments; filter: "
                        f"{escape(survey.scope)}</p>")
                top = shown[:3]
                sections.append(_Section("themes", "<h4>Comment themes</h4>" + nil, fig, tail, self._finding(
                    "themes", survey, title=(f"Comments most often mention {top[0].theme.label.lower()}"
                                             if top else "Comment themes"),
                    statement=("Of {n} comments: ".format(n=n)
                               + "; ".join(f"{t.count} mention {t.theme.label.lower()}" for t in top) + "."
                               if top else f"None of the {n} comments matched a theme."),
                    evidence=f"comment themes, n = {n} comments", n=n, filter=survey.scope, figure=fig,
                    measure="comments")))
            else:
                sections.append(_Section("themes", "<h4>Comment themes</h4>" + nil + "<p>There are no comments to "
                                         "read in these responses.</p>"))
        else:
            sections.append(_Section("themes", "<h4>Comment themes</h4><p class='lk-fx-note'>No comment column was "
                                     "chosen, so there are no comment themes.</p>"))

        self.findings = {}
        self._figures = {}
        self.plots = {}
        boxes = []
        for s in sections:
            parts: list[widgets.Widget] = [widgets.HTML(s.head)]
            if s.figure is not None:
                self.plots[s.key] = s.figure
                parts.append(self._plot_output(s.figure, s.key))
            if s.tail:
                parts.append(widgets.HTML(s.tail))
            finding = s.finding
            if finding is not None:
                toggle = widgets.ToggleButton(value=finding.id in self.chosen, description="Add to report",
                                              icon="plus", layout=widgets.Layout(width="auto"))
                self._style_toggle(toggle)
                toggle.observe(lambda ch, f=finding: self._on_toggle(f, ch), names="value")
                self.findings[finding.id] = toggle
                self._figures[finding.id] = finding
                parts.append(toggle)
            boxes.append(widgets.VBox(parts, _dom_classes=("lk-fx-figure", f"lk-fx-{s.key.split(':')[0]}")))
        self.analysis.children = boxes

    def _choice_sections(self, survey) -> list[_Section]:
        """Multi-select ("tick all that apply") columns: the share choosing each option, with n."""
        from .. import feedback

        if not getattr(survey.mapping, "multi", ()) or not hasattr(feedback, "choice_shares"):
            return []
        plots = self._plots()

        shares = feedback.choice_shares(survey)
        out = []
        for column in dict.fromkeys(s.column for s in shares):
            rows = [s for s in shares if s.column == column]
            n = rows[0].n if rows else 0
            key = f"choices:{column}"
            head = f"<h4>{escape(column)}</h4>"
            if not n:
                out.append(_Section(key, head + "<p class='lk-fx-none'>Nobody answered this question.</p>"))
                continue
            fig = plots.choices_figure(rows, column)
            table = "".join(f"<tr><td>{escape(s.option)}</td><td>{_pct(s.percent)}</td><td>{s.chosen} of {s.n}</td>"
                            "</tr>" for s in rows)
            tail = (f"<table class='lk-fx-table'><thead><tr><th>Option</th><th>Chose it</th><th>Of n who answered</th>"
                    f"</tr></thead><tbody>{table}</tbody></table><p class='lk-fx-n'>A person may tick several "
                    f"options, so the shares add up to more than 100%. Filter: {escape(survey.scope)}</p>")
            top = max(rows, key=lambda s: s.chosen)
            out.append(_Section(key, head, fig, tail, self._finding(
                "choices", survey, extra=column, title=f"{_clip(column, 80)}: most chose {_clip(top.option, 60)}",
                statement=f"Of {n} people who answered '{column}': "
                          + "; ".join(f"{s.option}: {s.chosen} ({_pct(s.percent)})" for s in rows) + ".",
                evidence=f"{_clip(column, 60)}, n = {n} who answered", n=n, filter=survey.scope, figure=fig,
                measure="choices")))
        return out

    def _plots(self):
        """lessonkit.feedback.plots, or with charts off a stand-in whose figures are None."""
        if self._charts:
            from ..feedback import plots

            return plots
        return _NoPlots()

    def _plot_output(self, fig, key: str) -> widgets.Output:
        """The figure in an Output widget: drawn by plotly's extension in JupyterLab, by plotly.js in Voila."""
        import os

        from ..feedback.plots import PLOTLY_SRC_ENV, page_bundle, plotly_js

        self._plot_serial += 1
        div = f"lk-plot-{id(self):x}-{self._plot_serial}"
        src = os.environ.get(PLOTLY_SRC_ENV) or None
        inline = None
        if not src and os.environ.get("SERVER_SOFTWARE", "").startswith("voila") and not self._plotly_sent:
            inline, self._plotly_sent = plotly_js().replace("</script", "<\\/script"), True   # a Voila of its own
        out = widgets.Output(layout=widgets.Layout(width="100%"), _dom_classes=("lk-fx-plot",))
        # set, not displayed into: the same outputs without a kernel's display hook (tests, prebuilt pages)
        out.outputs = ({"output_type": "display_data", "metadata": {},
                        "data": page_bundle(fig, div, plotly_src=src, inline_js=inline)},)
        return out

    def _load_themes(self):
        if self._themes is None:
            from ..feedback import load_themes

            self._themes = load_themes(self._themes_path)
        return self._themes

    @property
    def analysis_html(self) -> str:
        """The HTML of every figure on screen, joined (for tests and checks)."""
        out = []
        for box in self.analysis.children:
            out += [w.value for w in getattr(box, "children", (box,)) if isinstance(w, widgets.HTML)]
        return "\n".join(out)


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
        from ..feedback.report import Recommendation, Report

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
        from ..feedback import csat, nps

        s = self._survey
        if s is None:
            return None
        ratings = sum(c.n for c in csat(s) if c.percent is not None)
        r = nps(s) if s.mapping.recommend else None
        return ratings + (r.n if r is not None and r.score is not None else 0)

    def build_report(self) -> bool:
        """Validate and render the report; on success offer it as a download. The form is kept either way."""
        from ..feedback.report import render_report, validate_report

        try:
            report = self.report()
            validate_report(report)
            html = render_report(report)
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
