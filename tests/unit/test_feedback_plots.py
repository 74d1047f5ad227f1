"""plotly figures of the survey analysis: n on hover, full labels on hover and distinct ones on the axis, escaping."""

from __future__ import annotations

import json
from types import SimpleNamespace as NS

from lessonkit.feedback import plots
from tests.helpers import SCRIPT


def csat(item, satisfied, n):
    return NS(item=item, satisfied=satisfied, n=n, percent=100 * satisfied / n if n else None)


def month(m, c_sat, c_n, promoters, detractors, r_n, responses=None):
    return NS(month=m, responses=responses or max(c_n, r_n),
              csat=NS(satisfied=c_sat, n=c_n, percent=100 * c_sat / c_n if c_n else None),
              nps=NS(promoters=promoters, detractors=detractors, n=r_n,
                     score=100 * (promoters - detractors) / r_n if r_n else None))


def test_trend_has_csat_and_nps_with_n_on_hover_and_gaps_for_empty_months():
    fig = plots.trend_figure([month("2026-01", 30, 40, 10, 5, 20), month("2026-02", 0, 0, 0, 0, 0),
                              month("2026-03", 9, 10, 4, 4, 8)])
    c, r = fig.data
    assert list(c.x) == ["2026-01", "2026-02", "2026-03"] and list(c.y) == [75.0, None, 90.0]   # a gap, not a 0
    assert [row[1] for row in c.customdata] == [40, 0, 10] and "n = %{customdata[1]}" in c.hovertemplate
    assert list(r.y) == [25.0, None, 0.0] and r.yaxis == "y2" and "n = %{customdata[2]}" in r.hovertemplate
    assert fig.layout.yaxis2.range == (-100, 100) and fig.layout.yaxis.range == (0, 100)
    only_nps = plots.trend_figure([month("2026-01", 0, 0, 1, 0, 1)], csat=False)
    assert [t.name for t in only_nps.data] == ["NPS (right axis)"]


def test_items_have_full_labels_on_hover_and_distinct_readable_axis_labels():
    rows = [csat("How satisfied were you with the help you got at the desk today?", 8, 10),
            csat("How satisfied were you with the help you got on the phone today?", 5, 10),
            csat("How satisfied were you with the opening hours?", 3, 4),
            csat("How satisfied were you with parking?", 0, 0)]
    fig = plots.items_figure(rows)
    bar = fig.data[0]
    labels = list(bar.y)
    assert len(labels) == 3 and len(set(labels)) == 3          # the item nobody answered has no bar
    assert not any(label.startswith("How satisfied") for label in labels)   # the shared words are dropped
    assert all(len(label) <= plots.AXIS_LABEL for label in labels)
    assert [row[0] for row in bar.customdata] == [r.item for r in rows[:3]]    # the whole label, on hover
    assert [row[1:] for row in bar.customdata] == [[8, 10], [5, 10], [3, 4]]
    assert "%{customdata[0]}" in bar.hovertemplate and "n = %{customdata[2]}" in bar.hovertemplate
    assert list(bar.x) == [80.0, 50.0, 75.0]


def test_axis_labels_are_distinct_even_when_cut_the_same():
    long = "The library service was good in the mornings and "
    labels = plots.axis_labels([long + "on weekdays", long + "at weekends", "Short"])
    assert len(set(labels)) == 3 and labels[2] == "Short"
    assert plots.axis_labels(["Loans", "Loans desk"]) == ["Loans", "Loans desk"]


def test_text_from_the_data_is_escaped_everywhere():
    rows = [csat(SCRIPT, 1, 2), csat("Tea & <b>cake</b>", 2, 2)]
    figs = [plots.items_figure(rows),
            plots.groups_figure([SCRIPT, "B"], [50.0, 100.0], [(1, 2), (2, 2)], group=SCRIPT),
            plots.themes_figure([NS(theme=NS(label=SCRIPT), count=1, n=2, percent=50.0)]),
            plots.choices_figure([NS(column=SCRIPT, option=SCRIPT, chosen=1, n=2, percent=50.0)])]
    for fig in figs:
        text = json.dumps(fig.to_plotly_json(), default=str)
        assert "<script" not in text and "&lt;script&gt;" in text, text[:300]
        assert "<b>cake" not in text
        safe = plots.figure_json(fig)
        assert "<" not in safe and json.loads(safe)["data"]


def test_nps_split_counts_and_shares():
    fig = plots.nps_figure(NS(score=20.0, n=10, promoters=4, passives=4, detractors=2))
    assert list(fig.data[0].y) == ["Promoters (9–10)", "Passives (7–8)", "Detractors (0–6)"]
    assert list(fig.data[0].x) == [40.0, 40.0, 20.0]
    assert [row[1] for row in fig.data[0].customdata] == [10, 10, 10]
    assert "n = %{customdata[1]}" in fig.data[0].hovertemplate
    assert "NPS 20.0 (n = 10)" in fig.layout.title.text.replace("<br>", " ")   # wrapped for a phone


def test_choices_show_share_of_those_who_answered():
    shares = [NS(column="Which services did you use? (tick all)", option="Loans", chosen=6, n=8, percent=75.0),
              NS(column="Which services did you use? (tick all)", option="Wifi", chosen=2, n=8, percent=25.0)]
    fig = plots.choices_figure(shares)
    assert list(fig.data[0].x) == [75.0, 25.0] and [r[1:] for r in fig.data[0].customdata] == [[6, 8], [2, 8]]
    assert "(n = 8 who answered)" in fig.layout.title.text.replace("<br>", " ")
    assert all(len(line) <= plots.TITLE_LINE for line in fig.layout.title.text.split("<br>"))


def test_page_bundle_has_plotly_mime_and_html_that_loads_plotly_once():
    fig = plots.items_figure([csat("Loans", 1, 2)])
    bundle = plots.page_bundle(fig, "lk-plot-x", plotly_src="voila/static/lessonkit/plotly.min.js?v=abc")
    assert bundle["application/vnd.plotly.v1+json"]["data"][0]["type"] == "bar"
    html = bundle["text/html"]
    assert 'id="lk-plot-x"' in html and "window.lkPlotly" in html and "plotly.min.js?v=abc" in html
    assert "http" not in html                                                # never a CDN
    inline = plots.page_bundle(fig, "lk-plot-y", inline_js="window.Plotly = {};")
    assert inline["text/html"].startswith("<script>window.Plotly = {};</script>")


def test_lessonkit_serve_serves_plotly_js_from_the_package_cached_for_a_year():
    from lessonkit.server.app import YEAR, _plotly_folder, cache_lifetime, plotly_js_address

    path, query = plotly_js_address().split("?")
    assert path == "voila/static/lessonkit/plotly.min.js" and cache_lifetime("/" + path, query) == YEAR
    assert (_plotly_folder() / "plotly.min.js").stat().st_size > 3_000_000
