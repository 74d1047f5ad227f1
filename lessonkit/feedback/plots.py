"""plotly figures for the survey analysis (notebook 08 and its report): pure functions from metrics results.

Every figure shows its n on hover (customdata), gives full labels on hover and distinct short ones on
the axis, and escapes the text that comes from the data: plotly draws some HTML in labels (<b>, <br>,
<a href>), so a survey's column names, options and themes pass through html.escape first.

plotly is imported with this module, which notebook 08 imports only once a learner loads data.
The colours are the Okabe-Ito colour-blind-safe palette; the backgrounds are transparent and the
text and grid colours are overridden by lessonkit.css in JupyterLab's dark theme.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go

__all__ = ["trend_figure", "nps_figure", "items_figure", "groups_figure", "themes_figure", "choices_figure",
           "axis_labels", "figure_json", "page_bundle", "plotly_js", "FONT", "PLOT_CONFIG"]

BLUE, ORANGE, GREEN, VERMILLION, GREY, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#8C8C8C", "#56B4E9"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
AXIS_LABEL = 24          # characters of a label shown on an axis (a 320 px phone); the hover has the whole label
TITLE_LINE = 30          # characters of a title line: plotly never wraps a title, so lessonkit does
_TICKS = [0, 50, 100]   # percent axes run to 112 so a label fits beside a 100% bar
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "showLink": False, "showSendToCloud": False,
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def _esc(text: object) -> str:
    """Text from the data, made safe for a plotly label (plotly renders <b>, <br>, <a> and entities)."""
    return escape(str(text), quote=False)


def _short(text: str, limit: int = AXIS_LABEL) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


def axis_labels(labels: Sequence[str], limit: int = AXIS_LABEL) -> list[str]:
    """Short, distinct axis labels: the words every label starts with are dropped, then each is cut to
    `limit` characters at a word; clashes get their position ("… (2)"). Not escaped."""
    labels = [str(x) for x in labels]
    words = [x.split() for x in labels]
    common = 0
    if len(labels) > 1:
        while all(len(w) > common + 1 for w in words) and len({w[common].lower() for w in words}) == 1:
            common += 1
    trimmed = [" ".join(w[common:]) if common else x for w, x in zip(words, labels)]
    if common:
        trimmed = [t[:1].upper() + t[1:] for t in trimmed]
    short = [_short(t, limit) for t in trimmed]
    seen: dict[str, int] = {}
    for s in short:
        seen[s] = seen.get(s, 0) + 1
    out = []
    for i, s in enumerate(short, start=1):
        out.append(f"{_short(s, limit - 4)} ({i})" if seen[s] > 1 else s)
    return out


def _wrap(title: str, width: int = TITLE_LINE) -> list[str]:
    """A title's lines, broken between words (an escaped title: entities count as one character or so)."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _layout(fig: go.Figure, *, title: str, height: int, top: int = 0, **extra: Any) -> go.Figure:
    lines = _wrap(title)
    head = 22 * len(lines) + 18 + top
    fig.update_layout(
        template="none", title={"text": "<br>".join(lines), "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height + head, margin={"l": 8, "r": 8, "t": head, "b": 40, "autoexpand": True},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font={"family": FONT, "size": 13, "color": "#1a1a1a"}, hoverlabel={"font": {"family": FONT}},
        **{"legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"}, **extra})
    fig.update_xaxes(gridcolor="#d9d9d9", zerolinecolor="#999", automargin=True, linecolor="#999")
    fig.update_yaxes(gridcolor="#d9d9d9", zerolinecolor="#999", automargin=True, linecolor="#999")
    return fig


def _pct_bars(labels: Sequence[str], percents: Sequence[float | None], counts: Sequence[tuple[int, int]], *,
              title: str, what: str, of: str, color: str = BLUE) -> go.Figure:
    """Horizontal bars of percentages: short labels on the axis, full label, share and "k of n" on hover."""
    bars = {i: p for i, p in enumerate(percents) if p is not None}   # never a bar for n = 0
    shown = list(bars)
    short = axis_labels([labels[i] for i in shown])
    fig = go.Figure(go.Bar(
        orientation="h", y=[_esc(s) for s in short], x=[round(bars[i], 1) for i in shown],
        customdata=[[_esc(labels[i]), counts[i][0], counts[i][1]] for i in shown],
        text=[f"{bars[i]:.0f}%" for i in shown], textposition="outside", cliponaxis=False, marker_color=color,
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{what}: %{{x:.1f}}%<br>%{{customdata[1]}} of n = "
                      f"%{{customdata[2]}} {of}<extra></extra>", name=what))
    _layout(fig, title=title, height=50 + 38 * max(len(shown), 1))
    fig.update_xaxes(range=[0, 112], tickvals=_TICKS, ticktext=[f"{t}%" for t in _TICKS], title=None, fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True, ticks="")
    return fig


def items_figure(rows: Sequence[Any], *, title: str = "Share satisfied per item") -> go.Figure:
    """CSAT per item (metrics.Csat rows); items nobody answered are left out of the chart."""
    return _pct_bars([c.item for c in rows], [c.percent for c in rows], [(c.satisfied, c.n) for c in rows],
                     title=_esc(title), what="Satisfied", of="answers")


def groups_figure(names: Sequence[str], percents: Sequence[float | None], counts: Sequence[tuple[int, int]], *,
                  group: str) -> go.Figure:
    """CSAT (all items pooled) per group: counts are (satisfied, answers) per group."""
    return _pct_bars(names, percents, counts, title=f"Satisfied (all items) by {_esc(group)}", what="Satisfied",
                     of="answers", color=SKY)


def themes_figure(counts: Sequence[Any]) -> go.Figure:
    """Share of comments mentioning each theme (themes.ThemeCount rows with a count)."""
    n = counts[0].n if counts else 0
    return _pct_bars([t.theme.label for t in counts], [t.percent for t in counts], [(t.count, t.n) for t in counts],
                     title=f"Comments mentioning each theme (n = {n} comments)", what="Mention it",
                     of="comments", color=ORANGE)


def choices_figure(shares: Sequence[Any], column: str | None = None) -> go.Figure:
    """Share choosing each option of one multi-select column (ChoiceShare rows: option, chosen, n, percent)."""
    column = column or (shares[0].column if shares else "")
    n = shares[0].n if shares else 0
    return _pct_bars([s.option for s in shares], [s.percent for s in shares], [(s.chosen, s.n) for s in shares],
                     title=f"{_esc(_short(column, 60))} (n = {n} who answered)", what="Chose it",
                     of="who answered", color=GREEN)


def nps_figure(r: Any) -> go.Figure:
    """The NPS split (metrics.Nps): promoters, passives and detractors, one bar each, with counts on hover."""
    parts = [("Promoters (9–10)", r.promoters, GREEN), ("Passives (7–8)", r.passives, GREY),
             ("Detractors (0–6)", r.detractors, VERMILLION)]
    shares = [100 * count / r.n if r.n else 0 for _label, count, _c in parts]
    fig = go.Figure(go.Bar(
        orientation="h", y=[p[0] for p in parts], x=[round(v, 1) for v in shares], marker_color=[p[2] for p in parts],
        customdata=[[count, r.n] for _label, count, _c in parts], text=[f"{v:.0f}%" for v in shares],
        textposition="outside", cliponaxis=False, name="NPS split",
        hovertemplate="<b>%{y}</b>: %{x:.1f}%<br>%{customdata[0]} of n = %{customdata[1]} people<extra></extra>"))
    score = "no score" if r.score is None else f"{r.score:.1f}"
    _layout(fig, title=f"Recommend score: NPS {score} (n = {r.n})", height=50 + 38 * 3, showlegend=False)
    fig.update_xaxes(range=[0, 112], tickvals=_TICKS, ticktext=[f"{t}%" for t in _TICKS], fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True, ticks="")
    return fig


def trend_figure(months: Sequence[Any], *, csat: bool = True, nps: bool = True) -> go.Figure:
    """CSAT (all items pooled, %) and NPS (-100 to 100, right axis) by month (metrics.MonthTrend), n on hover.
    A month with no answers is a gap, never a point."""
    x = [t.month for t in months]
    fig = go.Figure()
    if csat:
        fig.add_scatter(x=x, y=[None if t.csat.percent is None else round(t.csat.percent, 1) for t in months],
                        name="CSAT (% satisfied)", mode="lines+markers", line={"color": BLUE, "width": 3},
                        marker={"size": 9}, connectgaps=False,
                        customdata=[[t.csat.satisfied, t.csat.n, t.responses] for t in months],
                        hovertemplate="<b>%{x}</b><br>CSAT %{y:.1f}%<br>%{customdata[0]} satisfied of n = "
                                      "%{customdata[1]} answers<extra></extra>")
    if nps:
        fig.add_scatter(x=x, y=[None if t.nps.score is None else round(t.nps.score, 1) for t in months],
                        name="NPS (right axis)", mode="lines+markers", yaxis="y2", connectgaps=False,
                        line={"color": ORANGE, "width": 3, "dash": "dot"}, marker={"size": 9, "symbol": "diamond"},
                        customdata=[[t.nps.promoters, t.nps.detractors, t.nps.n] for t in months],
                        hovertemplate="<b>%{x}</b><br>NPS %{y:.1f}<br>%{customdata[0]} promoters, "
                                      "%{customdata[1]} detractors of n = %{customdata[2]}<extra></extra>")
    _layout(fig, title="CSAT and NPS by month", height=300, top=64, hovermode="closest",
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"})
    fig.update_layout(margin={"b": 8})
    fig.update_xaxes(type="category")
    if csat:
        fig.update_layout(yaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": "CSAT"}})
    if nps:
        fig.update_layout(yaxis2={"range": [-100, 100], "dtick": 50, "overlaying": "y" if csat else None,
                                  "side": "right" if csat else "left", "title": {"text": "NPS"},
                                  "showgrid": not csat, "zerolinecolor": "#bbb", "automargin": True})
    return fig


def figure_json(fig: go.Figure) -> str:
    """The figure as JSON that is safe inside an HTML <script> element (no '<' left: '\\u003c')."""
    return fig.to_json(validate=False, pretty=False, engine="json").replace("<", "\\u003c")


# ---------------------------------------------------------------- on the page

PLOTLY_SRC_ENV = "LESSONKIT_PLOTLY_JS"   # set by `lessonkit serve`: plotly.js's address below the base URL
_DRAW = """<div class="lk-plot" id="{id}" style="min-height:{height}px"></div>
<script>(function () {{
  var el = document.getElementById("{id}"); if (!el) return;
  var fig = {json};
  function draw() {{ window.Plotly.newPlot(el, fig.data, fig.layout, {config}); }}
  function fail() {{ el.textContent = "The chart could not be drawn in this page; the figures are written out "
                     + "beside it."; el.className += " lk-plot-failed"; }}
  if (window.Plotly) {{ draw(); return; }}
  var src = {src};
  if (!src) {{ fail(); return; }}
  if (!window.lkPlotly) {{
    window.lkPlotly = new Promise(function (ok, no) {{
      var cfg = document.getElementById("jupyter-config-data");
      var base = (cfg && JSON.parse(cfg.textContent).baseUrl) || "/";
      var amd = window.define; window.define = undefined;   // plotly.js is UMD: make it set window.Plotly
      var s = document.createElement("script");
      s.src = base + src; s.async = true;
      s.onload = function () {{ window.define = amd; window.Plotly ? ok() : no(); }};
      s.onerror = function () {{ window.define = amd; window.lkPlotly = null; no(); }};
      document.head.appendChild(s);
    }});
  }}
  window.lkPlotly.then(draw, fail);
}})();</script>"""


def page_bundle(fig: go.Figure, div_id: str, *, plotly_src: str | None = None,
                inline_js: str | None = None) -> dict[str, Any]:
    """A display bundle for a figure on a page: plotly's own mime type (JupyterLab draws it with plotly's
    extension) and HTML that draws it in Voila, which runs only the widget extensions: plotly.js is fetched
    once from `plotly_src` (under the page's base URL; `lessonkit serve` serves it) or, with `inline_js`,
    comes in the HTML itself (once per page, by the caller's choice)."""
    data = figure_json(fig)
    html = _DRAW.format(id=escape(div_id), height=int(fig.layout.height or 300), json=data,
                        config=json.dumps(PLOT_CONFIG), src=json.dumps(plotly_src or "").replace("<", "\\u003c"))
    if inline_js is not None:
        html = f"<script>{inline_js}</script>\n{html}"
    return {"application/vnd.plotly.v1+json": {**json.loads(data), "config": PLOT_CONFIG}, "text/html": html}


def plotly_js() -> str:
    """plotly.js as shipped in the plotly package (~4.8 MB), for a page or a report that has no server."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly is not installed: the survey report needs plotly.js from it")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
