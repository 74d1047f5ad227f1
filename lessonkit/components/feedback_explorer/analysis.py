"""Step 3 of the feedback explorer: the figures, each with its finding, drawn from the analysed survey."""

from __future__ import annotations

import hashlib
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ...settings import Settings
from ._common import _clip, _data_dir, _NoPlots, _pct, _Section, _signed, _State


class _Analysis(_State):
    """FeedbackExplorer's figures and their findings (its widgets live on FeedbackExplorer)."""

    if TYPE_CHECKING:   # the widgets and state live on FeedbackExplorer (its __init__), which mypy sees there
        def __getattr__(self, name: str) -> Any: ...

    # ================================================================ 3 analysis

    def _on_group_filter(self, _change: dict) -> None:
        if self._survey is not None:
            self._render_analysis()

    def _current(self):
        from ...feedback import filter_survey

        group = self.group_filter.value
        if group and self._survey is not None and self._survey.mapping.group:
            return filter_survey(self._survey, group=group)
        return self._survey

    def _fid(self, kind: str, survey, extra: str = "") -> str:
        key = "\x1f".join([kind, survey.source, survey.scope, repr(survey.mapping), extra])
        return f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

    def _finding(self, kind: str, survey, *, title: str, statement: str, evidence: str, n: int,
                 filter: str, figure=None, measure: str = "satisfaction", extra: str = ""):
        from ...feedback.report import Finding

        figure_json = self._plots().figure_json
        fid = self._fid(kind, survey, extra)
        src = _clip(survey.source, 80)
        return Finding(fid, _clip(title, 200), _clip(statement, 2000),
                       _clip(f"{evidence}; responses: {filter}; file: {src}", 500), int(n), _clip(filter, 300),
                       None, figure_json(figure) if figure is not None else None, measure)

    def _render_analysis(self) -> None:
        from ...feedback import csat, csat_by_group, nps, response_count, theme_counts, trend_by_month, weakest_areas
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
                                         f"{escape(r.problem or '')}</p>"))
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
                                         f"0–10 score that could be read ({escape(r.filter or '')}), so there is no "
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
            told = "".join(f"<p class='lk-fx-problem' role='note'>{escape(c.problem or '')}</p>" for c in problems)
            rule_note = "" if per_row else f"{escape(every[0][:1].upper() + every[0][1:])}. " if every else ""
            tail = ("<table class='lk-fx-table'><thead><tr><th>Item</th><th>CSAT</th><th>Satisfied of n</th>"
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
            groups: dict[str, list[int]] = {c.group or "": [c.satisfied, c.n] for c in per}
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
                body_rows = "".join(
                    f"<tr><td>{escape(t.month)}</td><td>{t.responses}</td>"
                    f"<td>{_pct(t.csat.percent)} (n = {t.csat.n})</td>"
                    f"<td>{_signed(t.nps.score) if t.nps.score is not None else '–'} (n = {t.nps.n})</td></tr>"
                    for t in months)
                fig = plots.trend_figure(months, csat=with_csat, nps=with_nps)
                tail = (f"<details class='lk-fx-details'><summary>The figures by month</summary>"
                        f"<table class='lk-fx-table'><thead><tr><th>Month</th><th>Responses</th><th>CSAT (all items)"
                        f"</th><th>NPS</th></tr></thead><tbody>{body_rows}</tbody></table></details>"
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
            from ...feedback import comment_summary

            counts = theme_counts(survey, self._load_themes())
            said = comment_summary(survey)
            nil = (f"<p class='lk-fx-n'>{said.total} comments; {said.nil} said nothing (such as “nil”, “none” or "
                   f"“no”) and are left out, so the themes rest on {said.usable}.</p>" if said.nil else "")
            n = counts[0].n if counts else 0
            if n:
                shown = [t for t in counts if t.count]
                body_rows = "".join(
                    f"<tr><td>{escape(t.theme.label)}</td><td>{t.count} of {t.n}</td><td>"
                    + "".join(f"<q>{escape(_clip(e, 240))}</q> " for e in t.examples) + "</td></tr>"
                    for t in shown)
                fig = plots.themes_figure(shown) if shown else None
                tail = (f"<table class='lk-fx-table'><thead><tr><th>Theme</th><th>Comments</th><th>Examples</th></tr>"
                        f"</thead><tbody>{body_rows}</tbody></table><p class='lk-fx-n'>n = {n} comments; filter: "
                        f"{escape(survey.scope)}</p>")
                top = shown[:3]
                sections.append(_Section("themes", "<h4>Comment themes</h4>" + nil, fig, tail, self._finding(
                    "themes", survey, title=(f"Comments most often mention {top[0].theme.label.lower()}"
                                             if top else "Comment themes"),
                    statement=(f"Of {n} comments: "
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
        from ... import feedback

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
            from ...feedback import plots

            return plots
        return _NoPlots()

    def _plot_output(self, fig, key: str) -> widgets.Output:
        """The figure in an Output widget: drawn by plotly's extension in JupyterLab, by plotly.js in Voila."""
        from ...feedback.plots import page_bundle, plotly_js

        settings = self._settings if self._settings is not None else Settings()
        self._plot_serial += 1
        div = f"lk-plot-{id(self):x}-{self._plot_serial}"
        src = settings.plotly_src
        inline = None
        if not src and settings.server_software.startswith("voila") and not self._plotly_sent:
            inline, self._plotly_sent = plotly_js().replace("</script", "<\\/script"), True   # a Voila of its own
        out = widgets.Output(layout=widgets.Layout(width="100%"), _dom_classes=("lk-fx-plot",))
        # set, not displayed into: the same outputs without a kernel's display hook (tests, prebuilt pages)
        out.outputs = ({"output_type": "display_data", "metadata": {},
                        "data": page_bundle(fig, div, plotly_src=src, inline_js=inline)},)
        return out

    def _load_themes(self):
        if self._themes is None:
            from ...feedback import load_themes
            from ...feedback.themes import themes_path

            self._themes = load_themes(self._themes_path or themes_path(_data_dir(self._settings)))
        return self._themes

    @property
    def analysis_html(self) -> str:
        """The HTML of every figure on screen, joined (for tests and checks)."""
        out = []
        for box in self.analysis.children:
            out += [w.value for w in getattr(box, "children", (box,)) if isinstance(w, widgets.HTML)]
        return "\n".join(out)
