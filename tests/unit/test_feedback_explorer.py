"""Feedback explorer (notebook 08), driven through its real widgets: load, map, analyse, findings, report."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from html import unescape

import pytest

from lessonkit.components.feedback_explorer import REPORT_NAME, FeedbackExplorer
from lessonkit.feedback import plots
from tests.helpers import ROOT, SCRIPT, SCRIPT_ESCAPED

CARPENTRIES = ROOT.parent / "shared" / "data" / "carpentries-longterm-survey-2020.csv"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def upload(explorer: FeedbackExplorer, data: bytes, name: str = "survey.csv") -> None:
    """Set the FileUpload's value the way ipywidgets 8 does when a file is chosen in the browser."""
    explorer.upload.value = ({"name": name, "type": "text/csv", "size": len(data), "content": memoryview(data),
                              "last_modified": datetime(2026, 3, 1, tzinfo=timezone.utc)},)


def message(explorer: FeedbackExplorer) -> str:
    return unescape(re.sub(r"<[^>]+>", "", explorer.message.value))


def is_error(explorer: FeedbackExplorer) -> bool:
    return 'class="lk-error"' in explorer.message.value


@pytest.fixture
def analysed():
    ex = FeedbackExplorer()
    assert ex.use_sample()
    assert ex.analyse(), message(ex)
    return ex


def test_importing_does_not_load_pandas():
    code = ("import sys, lessonkit.components.feedback_explorer as m; m.FeedbackExplorer(); "
            "assert 'pandas' not in sys.modules, 'pandas imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_sample_analyse_shows_nps_with_n_and_definition(analysed):
    ex = analysed
    assert ex.recommend.value.startswith("How likely are you to recommend")
    assert ex.comment.value == "Any other comments?" and len(ex.items.value) == 5
    html = ex.analysis_html
    match = re.search(r"NPS <b>(-?[\d.]+)</b> <span class='lk-fx-n'>\(n = (\d+); all responses\)", html)
    assert match and int(match.group(2)) > 400
    assert "Net Promoter Score (NPS) is the percentage" in html
    assert "Trend by month" in html and "Comment themes" in html
    assert "Weakest areas" in html and "Satisfaction by Branch" in html
    assert set(ex.plots) == {"nps", "csat", "group", "trend", "themes", "choices:Services used today"}
    [box] = [b for b in ex.analysis.children if "lk-fx-csat" in b._dom_classes]
    out = box.children[1]                                                      # the items chart's Output widget
    bundle = out.outputs[0]["data"]
    assert bundle["application/vnd.plotly.v1+json"]["data"][0]["type"] == "bar"     # JupyterLab: plotly's renderer
    assert "Plotly.newPlot" in bundle["text/html"]                                 # Voila: plotly.js draws it
    assert {fid.split("-")[0] for fid in ex.findings} == {"count", "nps", "csat", "weak", "group", "trend",
                                                          "themes", "choices"}
    assert "satisfied = 4 or 5 on the 1-5 scale" in ex.report_method.value           # the rule, per scale
    assert "'nil' or 'no', left out" in ex.report_method.value
    assert "Columns used" in ex.report_method.value and "library-feedback-sample.csv" in ex.report_method.value
    assert ex.notes.value  # the sample has a few messy values, listed rather than dropped silently
    # filtering by one branch re-runs everything with that filter and its own n
    ex.group_filter.value = "Riverbend"
    assert "Branch = Riverbend" in unescape(ex.analysis_html)
    assert not any(fid.startswith("group-") for fid in ex.findings)


@pytest.mark.skipif(not CARPENTRIES.exists(), reason=f"real survey file not found at {CARPENTRIES}")
def test_carpentries_upload_maps_and_gives_hand_computed_nps():
    ex = FeedbackExplorer()
    upload(ex, CARPENTRIES.read_bytes(), "carpentries.csv")
    assert not is_error(ex), message(ex)
    assert ex.recommend.value == "recommendation_score"
    assert "impact_career_advancement" in ex.items.value and ex.comment.value == ""
    assert ex.analyse(), message(ex)
    html = ex.analysis_html
    assert "NPS <b>62.7</b> <span class='lk-fx-n'>(n = 134; all responses)" in html   # 93 promoters, 9 detractors
    assert "93 promoters, 32 passives, 9 detractors of 134" in html
    assert "No comment column was chosen" in html
    nps = next(fid for fid in ex.findings if fid.startswith("nps-"))
    ex.findings[nps].value = True
    ex.report_title.value = "Carpentries workshops: long-term impact"
    ex.recommendation_texts[0].value = "Keep running the workshops."
    ex.recommendation_findings[0].value = (nps,)
    assert ex.build_button.click() is None and ex.report_html, message(ex)
    assert "NPS 62.7, n = 134" in ex.report_html


def test_bad_files_show_a_message_and_keep_everything(analysed):
    ex = analysed
    ex.report_title.value = "My report"
    ex.recommendation_texts[0].value = "Fix the wifi."
    nps = next(fid for fid in ex.findings if fid.startswith("nps-"))
    ex.findings[nps].value = True
    mapping, analysis = ex.mapping(), ex.analysis_html
    for data, name, expected in [(b"", "empty.csv", "is empty"), (b"  \r\n", "blank.csv", "is empty"),
                                 (PNG, "photo.csv", "is a PNG image, not a CSV file"),
                                 (b'{"a": 1}', "data.csv", "not a CSV file")]:
        upload(ex, data, name)
        assert is_error(ex) and expected in message(ex) and name in message(ex), message(ex)
        assert "Nothing else has changed" in message(ex)
        assert ex.mapping() == mapping and ex.analysis_html == analysis
        assert ex.report_title.value == "My report" and ex.recommendation_texts[0].value == "Fix the wifi."
        assert ex.findings[nps].value and list(ex.chosen) == [nps]


def test_hostile_file_name_is_escaped():
    ex = FeedbackExplorer()
    upload(ex, b"", f"{SCRIPT}.csv")
    assert SCRIPT not in ex.message.value and "&lt;script&gt;" in ex.message.value


def test_missing_mapped_column_shows_message_and_keeps_state(analysed, tmp_path):
    ex = analysed
    ex.report_title.value = "Kept title"
    before = ex.mapping()
    # the learner's next export lacks the comments column they had mapped
    lines = (ROOT / "data" / "samples" / "library-feedback-sample.csv").read_text(encoding="utf-8-sig").splitlines()
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    cut = rows[0].index("Any other comments?")
    out = io.StringIO()
    csv.writer(out).writerows([r[:cut] + r[cut + 1:] for r in rows])
    upload(ex, out.getvalue().encode("utf-8"), "next-export.csv")
    assert is_error(ex) and "no column 'Any other comments?'" in message(ex)
    assert ex.mapping() == before            # the learner's choices are kept, not replaced by a guess
    assert not ex.analyse()
    assert is_error(ex) and "has no column 'Any other comments?'" in message(ex)
    assert "Columns available" in message(ex)
    assert ex.report_title.value == "Kept title" and "NPS <b>" in ex.analysis_html
    # choosing "(none)" fixes it
    ex.comment.value = ""
    assert ex.analyse() and "No comment column was chosen" in ex.analysis_html


def test_mapping_errors_and_analyse_before_load():
    ex = FeedbackExplorer()
    assert not ex.analyse() and "Load the sample data" in message(ex)
    ex.use_sample()
    ex.items.value = ()
    ex.recommend.value = ""
    ex.multi.value = ()
    assert not ex.analyse() and "Choose at least one satisfaction item" in message(ex)


def test_findings_recommendation_and_report(analysed):
    ex = analysed
    nps = next(fid for fid in ex.findings if fid.startswith("nps-"))
    weak = next(fid for fid in ex.findings if fid.startswith("weak-"))
    ex.findings[nps].value = True
    ex.findings[weak].value = True
    assert ex.findings[nps].description == "Added to report"
    assert [v for _label, v in ex.recommendation_findings[0].options] == [nps, weak]
    ex.report_title.value = "Riverbend Libraries: satisfaction 2025–26"
    ex.report_author.value = "Sam Nguyen"
    ex.report_scope.value = "All branches."
    ex.report_limitations.value = "Self-selected respondents. See https://evil.example"
    ex.recommendation_texts[0].value = f"Upgrade the computers {SCRIPT}"
    ex.recommendation_findings[0].value = (weak,)
    assert ex.build_report(), message(ex)
    assert "Report ready" in message(ex) and not is_error(ex) and "Report ready" in ex.report_status.value
    html = ex.report_html
    assert ex.chosen[nps].title in html and unescape(ex.chosen[nps].evidence) in unescape(html)
    assert "Weakest area" in html and 'class="plot" id="plot-' in html
    assert html.count("Plotly.newPlot") == 1 and html.count("<script>") == 2   # plotly.js inlined once, one draw
    assert SCRIPT not in html and SCRIPT_ESCAPED in html
    own = re.sub(r"<script>.*?</script>", "", html, flags=re.S)               # the report without plotly.js
    assert own.count("http") == 1 and "evil.example" in own and 'href="http' not in own
    link = ex.download.value
    assert f'download="{REPORT_NAME}"' in link and REPORT_NAME == "service-delivery-report.html"
    data = re.search(r'href="data:text/html;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(data).decode("utf-8") == html


def test_report_rejections_keep_the_text(analysed):
    ex = analysed
    ex.report_title.value = "Title kept"
    ex.recommendation_texts[1].value = "Recommendation kept"
    assert not ex.build_report()
    assert is_error(ex) and "add at least one finding" in message(ex)
    assert ex.report_title.value == "Title kept" and ex.recommendation_texts[1].value == "Recommendation kept"
    assert ex.report_html is None and ex.download.value == ""
    count = next(fid for fid in ex.findings if fid.startswith("count-"))
    ex.findings[count].value = True
    assert not ex.build_report() and "recommendation 1 is not tied to any finding" in message(ex)
    ex.recommendation_findings[1].value = (count,)
    ex.report_title.value = "x" * 201
    assert not ex.build_report() and "shorten it to 200" in message(ex)
    ex.report_title.value = "Fine"
    assert ex.build_report() and "Recommendation kept" in ex.report_html


def test_the_report_carries_the_page_figures(analysed):
    ex = analysed
    for kind in ("trend", "csat", "nps"):
        ex.findings[next(fid for fid in ex.findings if fid.startswith(kind + "-"))].value = True
    ex.report_title.value = "Same figures"
    assert ex.build_report(), message(ex)
    figures = [json.loads(m) for m in re.findall(r'<script type="application/json" id="plot-data-[^"]+">(.*?)</script>',
                                                 ex.report_html)]
    assert [f["data"] for f in figures] == [json.loads(plots.figure_json(ex.plots[k]))["data"]
                                           for k in ("trend", "csat", "nps")]
    trend = figures[0]["data"][0]
    assert "n = %{customdata[1]}" in trend["hovertemplate"] and len(trend["customdata"]) == len(trend["x"])


def test_no_usable_answers_gives_no_figure_and_the_report_says_so():
    ex = FeedbackExplorer()
    data = (b"Timestamp,How satisfied were you with our staff?,Comments\n"
            b"01/03/2026 10:00,Very happy indeed,Great\n02/03/2026 11:00,Meh,Slow wifi\n")
    upload(ex, data)
    ex.items.value = ("How satisfied were you with our staff?",)
    ex.date.value = "Timestamp"
    assert ex.analyse(), message(ex)
    assert not any(fid.split("-")[0] in ("csat", "weak", "trend", "nps") for fid in ex.findings)
    html = unescape(ex.analysis_html)
    assert "2 answers of 2 (100%) could not be read on the 1-5 (5 = best) scale" in html and "No figure" in html
    assert "no trend" in html and not ex.plots
    assert "lk-fx-scale-problem" in ex.scale_choices["How satisfied were you with our staff?"]._dom_classes
    count = next(fid for fid in ex.findings if fid.startswith("count-"))
    ex.findings[count].value = True
    ex.report_title.value = "Nothing usable"
    assert ex.build_report(), message(ex)
    html = ex.report_html
    assert "The survey data had no usable answers." in html and "n = 0" not in html and "0 of 0" not in html
    footer = html[html.index("<footer>"):]
    assert "<strong>3." not in footer and "None yet" in footer


def test_findings_survive_filter_and_reanalysis(analysed):
    ex = analysed
    nps_all = next(fid for fid in ex.findings if fid.startswith("nps-"))
    ex.findings[nps_all].value = True
    ex.group_filter.value = "Riverbend"
    nps_rb = next(fid for fid in ex.findings if fid.startswith("nps-"))
    assert nps_rb != nps_all and not ex.findings[nps_rb].value
    ex.findings[nps_rb].value = True
    assert list(ex.chosen) == [nps_all, nps_rb] and "Branch = Riverbend" in ex.chosen[nps_rb].filter
    ex.group_filter.value = ""
    assert ex.findings[nps_all].value          # still ticked when its figure is back on screen
    ex.clear_findings()
    assert not ex.chosen and not ex.findings[nps_all].value


def test_scale_chooser_per_item_and_the_rule_in_method_and_page():
    rows = ["Date,Overall satisfaction (1-7),Help at the desk,Comments"]
    rows += [f"0{d}/03/2026,{v},{w},{c}" for d, (v, w, c) in enumerate(
        [(7, 5, "nil"), (6, 4, "More study rooms please"), (5, 2, "no"), (7, 5, "Open earlier on Saturdays"),
         (2, 1, "The wifi dropped out twice")], start=1)]
    ex = FeedbackExplorer()
    upload(ex, "\n".join(rows).encode())
    ex.items.value = ("Overall satisfaction (1-7)", "Help at the desk")
    ex.comment.value = "Comments"
    assert set(ex.scale_choices) == set(ex.items.value)
    assert ex.analyse(), message(ex)
    seven = ex.scale_choices["Overall satisfaction (1-7)"]
    assert "1-7" in seven.options[0][0] and seven.value == ""          # read from the answers, and says so
    assert "satisfied = 6 or 7 on the 1-7 scale" in ex.report_method.value
    html = unescape(ex.analysis_html)
    assert "satisfied = 6 or 7 on the 1-7 scale" in html.lower() and "3 of 5" in html       # 7, 6, 7 of five
    assert "5 comments; 2 said nothing" in html
    ex.scale_choices["Help at the desk"].value = "1-5"                  # the learner knows better
    assert ex.analyse() and ex.mapping().scales == {"Help at the desk": "1-5"}
    html = unescape(ex.analysis_html)
    assert "<th>Satisfied means</th>" in html and "3 of 5</td><td>satisfied = 4 or 5 on the 1-5 scale" in html
    assert "satisfied = 4 or 5 on the 1-5 scale" in ex.report_method.value


def test_where_plotly_js_comes_from_is_the_pages_settings():
    """Under `lessonkit serve` the charts fetch plotly.js from its address; in a Voila of its own the page
    carries it once; in JupyterLab (no settings) plotly's own renderer draws and nothing is inlined."""
    from lessonkit.settings import Settings

    def bundles(settings):
        ex = FeedbackExplorer(settings=settings)
        assert ex.use_sample() and ex.analyse(), message(ex)
        return [box.children[1].outputs[0]["data"]["text/html"] for box in ex.analysis.children
                if "lk-fx-csat" in box._dom_classes or "lk-fx-nps" in box._dom_classes]

    served = bundles(Settings(plotly_src="lessonkit/static/plotly.min.js", server_software="voila/0.5.13"))
    assert served and all('"lessonkit/static/plotly.min.js"' in html for html in served)
    assert max(len(html) for html in served) < 1_000_000                  # nothing inlined
    own = bundles(Settings(server_software="voila/0.5.13"))
    assert len(own) >= 2 and len(own[0]) > 1_000_000 and len(own[1]) < 1_000_000   # inlined into the first only
    assert max(len(html) for html in bundles(None)) < 1_000_000
