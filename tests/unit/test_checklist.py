"""The self-assessment (kind: checklist): content checks, scoring and charts, and the real widgets."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from traitlets import TraitError

from lessonkit import AnswerRejected
from lessonkit.charts import radar_svg, rating_text
from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.checklist.board import checklist_board
from lessonkit.kinds.checklist.model import Checklist as ChecklistContent
from lessonkit.kinds.checklist.scoring import CategoryScore, category_scores, class_category_means, strengths_and_gaps
from lessonkit.kinds.checklist.view import Checklist, checklist_page, download_link
from lessonkit.store import ResponseStore
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, me, session_env

YAML = ROOT / "data" / "activities" / "self-assessment.yaml"
GOOD = YAML.read_text()
# One label per category, so the strengths and the areas to develop are known.
BY_CATEGORY = {"listening": "Always", "empathy": "Usually", "knowledge": "Sometimes", "complaints": "Rarely",
               "policies": "Often"}


@pytest.fixture
def content() -> ChecklistContent:
    return load(YAML)


def fill(view: Checklist, by_category=BY_CATEGORY, skip=()) -> None:
    """Rate every statement (except those in `skip`) as a tap on its label would."""
    scale = view.content.scale
    for s in view.content.statements:
        if s.id not in skip:
            view.ratings[s.id].value = scale.index(by_category[s.category]) + 1


def expected_ratings(content, by_category=BY_CATEGORY) -> dict[str, int]:
    return {s.id: content.scale.index(by_category[s.category]) + 1 for s in content.statements}


def decoded_download(view: Checklist) -> str:
    m = re.search(r'<a class="lk-check-download" download="self-assessment.html" '
                  r'href="data:text/html;base64,([A-Za-z0-9+/=]+)">', view.download.value)
    assert m, view.download.value
    return base64.b64decode(m.group(1)).decode("utf-8")


# ---------------------------------------------------------------- shipped content

def test_shipped_content_has_five_categories_of_four_statements_and_a_labelled_sample(content):
    assert isinstance(content, ChecklistContent) and content.number == 2 and content.kind == "checklist"
    assert content.notebook == "02-self-assessment.ipynb" and content.outcomes == ("3.1", "3.2")
    assert content.scale == ("Rarely", "Sometimes", "Often", "Usually", "Always")
    assert [c.id for c in content.categories] == ["listening", "empathy", "knowledge", "complaints", "policies"]
    assert [len(content.statements_in(c.id)) for c in content.categories] == [4, 4, 4, 4, 4]
    assert content.action_plan_max_chars == 1000
    sample = content.sample_class
    assert "synthetic" in sample.label.lower() and len(sample.rows) >= 10
    assert all(isinstance(row[s.id], int) and 1 <= row[s.id] <= 5 for row in sample.rows for s in content.statements)


# ---------------------------------------------------------------- content refusals (lessonkit check)

def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "self-assessment.yaml"
    p.write_text(text)
    return p


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def check_output(capsys, path: Path) -> str:
    assert main(["check", str(path)]) == 1
    return capsys.readouterr().out


def test_statement_in_an_unknown_category_names_file_statement_and_line(tmp_path, capsys):
    text = GOOD.replace("  - id: policies-check\n    category: policies",
                        "  - id: policies-check\n    category: polices")
    p = write(tmp_path, text)
    out = check_output(capsys, p)
    assert f"{p}:{line_of(text, 'category: polices')}:" in out
    assert "statements[19].category" in out and "statement 'policies-check'" in out and "'polices'" in out
    assert "listening, empathy, knowledge, complaints, policies" in out


def test_duplicate_statement_ids_are_refused(tmp_path, capsys):
    text = GOOD.replace("  - id: listen-check-back", "  - id: listen-first")
    out = check_output(capsys, write(tmp_path, text))
    second = [i for i, ln in enumerate(text.splitlines(), 1) if "id: listen-first" in ln][1]
    assert f":{second}: statements[3].id:" in out and "'listen-first' appears twice" in out


def test_duplicate_category_ids_are_refused(tmp_path, capsys):
    text = GOOD.replace("  - id: empathy\n", "  - id: listening\n")
    out = check_output(capsys, write(tmp_path, text))
    assert "'listening' appears twice" in out and "categories[1]" in out


def test_category_without_statements_is_refused(tmp_path, capsys):
    text = GOOD.replace("category: empathy", "category: listening")
    p = write(tmp_path, text)
    out = check_output(capsys, p)
    assert "category 'empathy' has no statements" in out
    assert f"{p}:{line_of(text, '- id: empathy')}:" in out


@pytest.mark.parametrize("scale", ["[Rarely, Sometimes, Often, Always]",
                                   "[Never, Rarely, Sometimes, Often, Usually, Always]"])
def test_scale_must_have_exactly_five_labels(tmp_path, capsys, scale):
    text = GOOD.replace("scale: [Rarely, Sometimes, Often, Usually, Always]", f"scale: {scale}")
    p = write(tmp_path, text)
    out = check_output(capsys, p)
    assert f"{p}:{line_of(text, 'scale:')}: scale:" in out and "expected exactly 5 labels" in out


def test_statement_may_not_take_the_action_plan_id(tmp_path, capsys):
    out = check_output(capsys, write(tmp_path, GOOD.replace("  - id: listen-first", "  - id: action-plan")))
    assert "statements[0].id" in out and "action plan" in out


def test_sample_csv_with_a_bad_rating_names_the_csv_row_and_column(tmp_path, capsys):
    rows = (ROOT / "data" / "samples" / "self-assessment-sample-class.csv").read_text().splitlines()
    rows[3] = rows[3].replace(",4,", ",six,", 1)
    csv = tmp_path / "sample.csv"
    csv.write_text("\n".join(rows) + "\n")
    text = GOOD.replace("file: samples/self-assessment-sample-class.csv", f"file: {csv}")
    out = check_output(capsys, write(tmp_path, text))
    assert f"{csv}:4:" in out and "'six'" in out and "one of 1, 2, 3, 4, 5" in out


def test_shipped_file_passes_check(capsys):
    assert main(["check", str(YAML)]) == 0
    assert "no problems" in capsys.readouterr().out


# ---------------------------------------------------------------- scoring (pure)

CATS = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"), ("e", "E")]


def scores(*means) -> list[CategoryScore]:
    return [CategoryScore(cid, name, m, 4) for (cid, name), m in zip(CATS, means)]


def ids(group) -> list[str]:
    return [s.id for s in group]


def test_category_scores_are_means_and_percent_of_the_scale():
    sc = {"s1": "a", "s2": "a", "s3": "b", "s4": "b", "s5": "c"}
    got = category_scores(CATS[:3], sc, {"s1": 5, "s2": 4, "s3": 1, "s4": True, "s5": "5", "zz": 5})
    assert got[0].mean == 4.5 and got[0].rated == 2 and got[0].percent == 87.5
    assert got[1].mean == 1 and got[1].rated == 1 and got[1].percent == 0     # True is not a rating
    assert got[2].mean is None and got[2].percent is None                      # "5" is not a rating


@pytest.mark.parametrize("means, strong, weak", [
    ((5, 4, 3, 2, 1), ["a", "b"], ["e", "d"]),
    ((5, 4, 4, 2, 1), ["a", "b", "c"], ["e", "d"]),     # a tie with the 2nd strongest: both named
    ((5, 5, 5, 3, 2), ["a", "b", "c"], ["e", "d"]),
    ((4, 3, 3, 3, 2), ["a"], ["e"]),                    # ties through the middle: only top and bottom
    ((4, 4, 4, 4, 2), ["a", "b", "c", "d"], ["e"]),
    ((3, 3, 3, 3, 3), [], []),                          # all the same: nothing stands out
])
def test_strengths_and_gaps_handle_ties(means, strong, weak):
    s, g = strengths_and_gaps(scores(*means))
    assert ids(s) == strong and ids(g) == weak
    assert not set(ids(s)) & set(ids(g))


def test_class_means_count_each_learner_once_and_ignore_junk():
    sc = {"s1": "a", "s2": "a", "s3": "b"}
    answers = {"x": {"s1": 5, "s2": 5, "s3": 1, "action-plan": "text"},
               "y": {"s1": 1, "s3": 3},
               "z": {"s1": "<b>5</b>", "action-plan": "only a plan"}}
    n, means = class_category_means(CATS[:2], sc, answers)
    assert n == 2                                   # z rated nothing valid
    assert means[0].mean == 3.0 and means[0].rated == 2    # (5 + 1) / 2, not (5 + 5 + 1) / 3
    assert means[1].mean == 2.0


# ---------------------------------------------------------------- charts (pure)

def test_rating_text():
    assert [rating_text(v) for v in (4, 4.5, 4.25, 11 / 3, None)] == ["4.0", "4.5", "4.25", "3.67", "not rated"]


def test_radar_svg_labels_every_axis_escapes_and_describes_itself():
    svg = radar_svg([(HOSTILE, 5), ("Empathy & attitude", 2.5), ("C", None)], label="Mine <b>")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'role="img"' in svg
    assert "<img" not in svg and "<b>" not in svg and HOSTILE_ESCAPED in svg and "Empathy &amp; attitude" in svg
    aria = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "Mine &lt;b&gt;." in aria and "Empathy &amp; attitude: 2.5 of 5" in aria and "C: not rated" in aria
    assert svg.count("<tspan") >= 6 and "#0072B2" in svg
    # one data point per axis; 5 at the rim (radius 74), 1 or unrated at the centre
    points = re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"', svg)
    assert points[0] == ("0.0", "-74.0") and points[2] == ("0.0", "0.0")
    with pytest.raises(ValueError, match="at least 3 axes"):
        radar_svg([("a", 1), ("b", 2)])


SC = {"s1": "a", "s2": "b", "s3": "c"}
SAMPLE = {f"sample-{i}": {"s1": 3, "s2": 3, "s3": 3} for i in range(4)}


def test_board_is_anonymous_and_compares_you_with_the_class():
    answers = {"teal-wombat-42": {"s1": 5, "s2": 1, "s3": 3, "action-plan": HOSTILE},
               "amber-quokka-17": {"s1": 1, "s2": 1, "s3": 3, "action-plan": "SECRET PLAN"},
               "coral-echidna-91": {"s1": 3, "s2": 4, "s3": 3}}
    html = checklist_board(CATS[:3], SC, answers, "teal-wombat-42", names={"amber-quokka-17": HOSTILE},
                           sample=SAMPLE)
    assert "3 people have answered." in html and "Sample" not in html
    assert "highest on <strong>A and C</strong> (3.0) and lowest on <strong>B</strong> (2.0)" in html  # a tie
    assert 'aria-label="Class: 3.0 of 5"' in html and 'style="width:50%;background:#0072B2"' in html
    assert "You: 2.0 above the class average" in html          # a: 5 vs (5+1+3)/3
    assert "You: 1.0 below the class average" in html          # b: 1 vs 2
    assert "You: about the same as the class average" in html  # c
    for secret in ("SECRET", "<img", HOSTILE_ESCAPED, "amber", "quokka", "teal", "Wombat"):
        assert secret not in html


def test_board_shows_the_labelled_sample_until_three_have_answered():
    answers = {"me": {"s1": 5, "s2": 5, "s3": 5}, "other": {"s1": 1, "s2": 1, "s3": 1}}
    html = checklist_board(CATS[:3], SC, answers, "me", sample=SAMPLE, sample_note="Sample class (synthetic)")
    assert "2 people in your class have answered so far. Class averages appear once 3 have" in html
    assert "Sample class (synthetic)" in html and "The sample has 4 learners." in html and "plus you" not in html
    assert "You: 2.0 above the sample average" in html         # 5 vs the sample's 3: neither you nor the other in it
    empty = checklist_board(CATS[:3], SC, {}, "me", sample_label="Sample class (synthetic)")
    assert "No answers yet" in empty
    alone = checklist_board(CATS[:3], SC, dict(SAMPLE), "me", sample_label="Sample")
    assert "Submit your ratings to compare yourself with the sample." in alone


def test_sample_bars_are_the_sample_alone_and_yours_stand_beside_them():
    mine = {"s1": 5, "s2": 5, "s3": 5}
    html = checklist_board(CATS[:3], SC, {**SAMPLE, "me": mine}, "me", sample_label="Sample class (synthetic)")
    assert html.count('aria-label="Sample: 3.0 of 5"') == 3       # the sample's own average: mine is not in it
    assert html.count('aria-label="You: 5.0 of 5"') == 3
    assert html.count("You: 2.0 above the sample average") == 3 and "plus you" not in html
    assert '<p class="lk-summary">The sample has 4 learners.</p>' in html
    no_sample = checklist_board(CATS[:3], SC, {"me": mine}, "me", sample_label="No sample class")
    assert "The sample is empty, so there is nothing to compare your ratings with yet." in no_sample
    assert 'aria-label="You: 5.0 of 5"' in no_sample and "Sample:" not in no_sample
    assert "No answers yet" not in no_sample and "above the sample" not in no_sample


def test_trainer_board_speaks_to_the_trainer():
    answers = {f"l{i}": {"s1": 2 + i, "s2": 3, "s3": 4} for i in range(3)}
    for html in (checklist_board(CATS[:3], SC, answers, None),                  # you=None: the trainer's board
                 checklist_board(CATS[:3], SC, SAMPLE, None, sample_label="Sample class (synthetic)")):
        assert "On their own page, each learner also sees their ratings beside the" in html
        for learner_words in ("Submit your", "yourself", "You:", "plus you"):
            assert learner_words not in html


def test_board_escapes_category_names():
    html = checklist_board([("a", HOSTILE), ("b", "B & C"), ("c", "D")], SC,
                           {f"l{i}": {"s1": 2, "s2": 3, "s3": 4} for i in range(3)})
    assert "<img" not in html and HOSTILE_ESCAPED in html and "B &amp; C" in html


# ---------------------------------------------------------------- the widgets

def test_rate_submit_shows_scores_strengths_and_stores_everything(content, store):
    view = Checklist(content, store, me())
    assert view.results.layout.display == "none"               # no results before the first save
    fill(view)
    assert "20 of 20</strong> statements rated" in view.progress.value
    view.plan.value = "Shadow a colleague on the complaints desk."
    view.submit_button.click()
    assert view.status.startswith("Saved at")
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42") == {
        **expected_ratings(content), "action-plan": "Shadow a colleague on the complaints desk."}
    assert view.results.layout.display is None                 # the results panel is shown
    html = view.results_html.value
    assert ("<strong>Your strengths:</strong> Listening &amp; communication (5.0) and Empathy &amp; attitude "
            "(4.0).") in html
    assert ("<strong>Areas to develop:</strong> Complaints &amp; problem solving (1.0) and Product knowledge "
            "(2.0).") in html
    assert "<th scope='row'>Policies &amp; procedures</th><td>3.0</td><td>50%</td>" in html
    assert "<th scope='row'>Listening &amp; communication</th><td>5.0</td><td>100%</td>" in html
    assert "<svg class=\"lk-check-radar-svg\"" in html and "Product knowledge: 2.0 of 5" in html
    assert "13. When someone complains" in html and "(you said: Rarely)" in html   # where to start
    assert [s.mean for s in view.scores] == [5, 4, 2, 1, 3]


def test_progress_line_says_what_is_true_before_and_after_submit(content, store):
    view = Checklist(content, store, me())
    fill(view)
    assert "All rated: press Submit to see your results." in view.progress.value
    view.submit_button.click()
    assert view.saved and "press Submit to" not in view.progress.value
    assert ("<strong>20 of 20</strong> statements rated. All rated and saved. You can change any rating and "
            "press Submit again.") in view.progress.value
    view.rate("listen-first", "Rarely")                           # a change after the results are shown
    assert "All rated: press Submit to save your changes and update your results." in view.progress.value
    view.submit_button.click()
    assert "All rated and saved." in view.progress.value
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42")["listen-first"] == 1
    again = Checklist(content, store, me())                  # a reload: the earlier answer is back, saved
    assert again.saved and "All rated and saved." in again.progress.value


def test_missing_ratings_are_named_by_category_and_nothing_is_saved(content, store):
    view = Checklist(content, store, me())
    view.submit_button.click()
    assert view.status == ("Not saved: nothing is rated yet; pick one of the five buttons under each statement, "
                           "then press Submit")
    fill(view, skip={"empathy-patience", "policies-behaviour", "policies-access"})
    assert "17 of 20</strong> statements rated" in view.progress.value
    view.submit_button.click()
    assert view.status == ("Not saved: rate every statement first: 3 still to rate. Empathy & attitude (no. 6); "
                           "Policies & procedures (nos. 18 and 19). Then press Submit again.")
    assert "lk-error" in view._status_line.value and 'role="alert"' in view._status_line.value
    assert view.ratings["listen-first"].value == 5               # still on screen
    assert view.results.layout.display == "none"
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42") == {}


@pytest.mark.parametrize("forge, message", [
    ({"listen-first": 6}, "not one of the choices"),
    ({"listen-first": 0}, "not one of the choices"),
    ({"listen-first": "5"}, "not one of the choices"),
    ({"listen-first": True}, "not one of the choices"),
    ({"listen-first": 4.0}, "not one of the choices"),
    ({"made-up-statement": 3}, "do not match this checklist"),
    ({"action-plan": ["a", "list"]}, "must be text"),
    ({"action-plan": "\ud800 lone surrogate"}, "cannot be saved"),
])
def test_forged_answers_are_refused_in_the_kernel(content, store, forge, message):
    view = Checklist(content, store, me())
    with pytest.raises(TraitError):
        view.ratings["listen-first"].value = 6                     # the widget itself refuses it
    forged = {**expected_ratings(content), "action-plan": "", **forge}
    with pytest.raises(AnswerRejected, match=message):
        view._validate(forged)
    view._collect = lambda: forged                                 # as if the browser forged its state
    assert view.submit() is False and view.status.startswith("Not saved:")
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42") == {}


def test_action_plan_is_length_limited_and_cleaned_in_the_kernel(content, store):
    view = Checklist(content, store, me())
    fill(view)
    view.plan.value = "x" * 1001
    assert "Too long by 1" in view.plan_count.value and "1,001 of 1,000 characters" in view.plan_count.value
    view.submit_button.click()
    assert view.status == ("Not saved: your action plan is 1,001 characters long; "
                           "shorten it to 1,000 characters or fewer")
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42") == {}
    view.plan.value = "  Ask\x00 my\x07 team leader.\n\tThen practise.  "
    view.submit_button.click()
    assert store.answers_for("LIB3", "self-assessment", "teal-wombat-42")["action-plan"] == (
        "Ask my team leader.\n\tThen practise.")


def test_summary_download_is_self_contained_and_escapes_learner_text(content, store):
    view = Checklist(content, store, me(display=HOSTILE))
    fill(view)
    view.plan.value = HOSTILE + "\nBook the interlibrary loan training."
    view.submit_button.click()
    assert 'download="self-assessment.html"' in view.download.value
    doc = decoded_download(view)
    assert doc.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in doc
    assert "<img" not in doc and doc.count(HOSTILE_ESCAPED) == 2             # the name and the plan, both as text
    assert f"{HOSTILE_ESCAPED}\nBook the interlibrary loan training.</div>" in doc
    assert "<svg" in doc and "<style>" in doc and "<script" not in doc
    assert not re.search(r"<[^>]*\ssrc=", doc)                     # no element loads anything
    assert "http://" not in doc and "https://" not in doc and "<link" not in doc   # nothing fetched from anywhere
    assert "Listening &amp; communication (5.0) and Empathy &amp; attitude (4.0)" in doc
    assert doc.count("<strong>Always</strong>") == 4 and doc.count("<strong>Rarely</strong>") == 4
    assert "Class Activity 1: Customer service self-assessment; outcomes 3.1, 3.2." in doc


def test_download_link_escapes_its_file_name():
    link = download_link("<p>hi</p>", filename='a"b.html')
    assert 'download="a&quot;b.html"' in link
    assert base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1)) == b"<p>hi</p>"


def test_restore_on_reload_brings_back_ratings_plan_and_results(content, store):
    first = Checklist(content, store, me())
    fill(first)
    first.plan.value = "Read the privacy procedure again."
    first.submit()
    again = Checklist(content, store, me())                     # the learner reloads the page
    assert again.status.startswith("Your earlier answer is back")
    assert {sid: p.value for sid, p in again.ratings.items()} == expected_ratings(content)
    assert again.plan.value == "Read the privacy procedure again."
    assert again.results.layout.display is None and again.results_html.value == first.results_html.value
    assert "Read the privacy procedure again." in decoded_download(again)
    again.rate("policies-check", "Always")
    assert again.status == "Changed: press Submit to save."
    again.plan.value = "Something else."
    again.save_plan_button.click()                                    # the button beside the plan saves too
    assert again.status.startswith("Saved at") and "Saved at" in again.plan_status.value
    stored = store.answers_for("LIB3", "self-assessment", "teal-wombat-42")
    assert stored["policies-check"] == 5 and stored["action-plan"] == "Something else."


def test_even_ratings_name_no_strengths(content, store):
    view = Checklist(content, store, me())
    fill(view, by_category=dict.fromkeys(BY_CATEGORY, "Often"))
    view.submit_button.click()
    html = view.results_html.value
    assert "All your areas have the same score (3.0)" in html and "Your strengths" not in html


def test_store_down_says_not_saved_and_keeps_ratings(content, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    view = Checklist(content, ResponseStore(f"sqlite:///{blocker}/sub/responses.db"), me())
    fill(view)
    view.submit_button.click()
    assert view.status.startswith("Not saved:") and "press Submit again" in view.status
    assert view.ratings["listen-first"].value == 5 and view.results.layout.display == "none"


def test_page_board_shows_sample_then_anonymous_class_averages(content, store):
    box = checklist_page(content, store, me())
    board = find(box, ClassBoard).assert_single()
    board.stop()
    assert "Sample class (synthetic" in board.html and "Submit your ratings to compare" in board.html
    fill(find(box, Checklist).assert_single())
    find(box, Checklist).assert_single().submit()
    assert "The sample has 12 learners." in board.html and "lk-check-you-row" in board.html   # refreshed on submit
    for i, (name, rating) in enumerate((("amber-quokka-17", 2), ("coral-echidna-91", 4))):
        store.set_display_name("LIB3", name, HOSTILE)
        other = Checklist(content, store, me(name, display=HOSTILE))
        fill(other, by_category=dict.fromkeys(BY_CATEGORY, content.scale[rating - 1]))
        other.plan.value = f"SECRET PLAN {i}"
        other.submit()
        board.refresh()
        if i == 0:
            assert "2 people in your class have answered so far" in board.html and "Sample class" in board.html
    assert "3 people have answered." in board.html and "Sample class" not in board.html
    assert board.learners == 3
    assert "You: 1.33 above the class average" in board.html          # listening: 5 vs (5+2+4)/3
    for secret in ("SECRET PLAN", HOSTILE_ESCAPED, "<img", "Amber", "amber-quokka", "Teal Wombat"):
        assert secret not in board.html


def test_checklist_page_imports_no_heavy_modules(tmp_path):
    script = textwrap.dedent("""
        import os, sys
        os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
        import lessonkit as lk
        from lessonkit.components.board import ClassBoard
        from lessonkit.components.page import find
        from lessonkit.kinds.checklist.view import Checklist
        page = lk.activity("self-assessment")
        find(page.content_widget, ClassBoard).assert_single().stop()
        assert type(find(page.content_widget, Checklist).assert_single()).__name__ == "Checklist"
        print(",".join(sorted(m for m in ("voila", "pandas", "plotly", "numpy", "jupyter_server")
                              if m in sys.modules)) or "none")
    """)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {"LESSONKIT_DB": db, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **session_env(db)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"


def test_board_never_reads_other_learners_action_plans(store):
    from lessonkit.content import load
    from lessonkit.kinds.checklist.view import checklist_page

    content = load(ROOT / "data" / "activities" / "self-assessment.yaml")
    store.submit_many("LIB3", content.slug, "other-one-11", {"action-plan": "SECRET PLAN"})
    calls, seen = [], []
    real_current = store.current

    def spy(*args, **kwargs):
        calls.append(args)
        rows = real_current(*args, **kwargs)
        seen.extend(rows)
        return rows

    store.current = spy
    box = checklist_page(content, store, me())
    board = find(box, ClassBoard).assert_single()
    board.stop()
    assert calls, "the board read the class's answers"
    assert all(row.item != "action-plan" for row in seen)
    assert "SECRET PLAN" not in board.html
