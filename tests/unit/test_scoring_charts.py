"""Pure scoring and chart functions."""

from __future__ import annotations

from lessonkit.charts import colour_days_board, text_colour_for
from lessonkit.scoring import agreement, tally

DAYS = ["Monday", "Tuesday"]
PALETTE = {"Blue": "#1F77B4", "Red": "#D62728", "White": "#FFFFFF"}


def test_agreement_is_the_modal_share_with_ties():
    a = agreement(["Blue", "Red", "Blue", "Red", "White"])
    assert a.n == 5 and a.top == ("Blue", "Red") and a.top_count == 2 and a.distinct == 3
    assert a.share == 0.4
    assert agreement([]).share == 0.0 and agreement([]).top == ()
    assert tally(["Red", "Blue", "Red", None]) == [("Red", 2), ("Blue", 1)]


def test_text_colour_contrasts_with_the_swatch():
    assert text_colour_for("#FFFFFF") == "#000000"
    assert text_colour_for("#222222") == "#FFFFFF"
    assert text_colour_for("#F2D43D") == "#000000"   # yellow takes black text


def test_board_counts_agreement_and_you():
    answers = {"a": {"monday": "Blue", "tuesday": "Red"}, "b": {"monday": "Blue", "tuesday": "White"},
               "c": {"monday": "Red", "tuesday": "White"}}
    html = colour_days_board(DAYS, PALETTE, answers, you="a", names={"a": "Ann", "b": "Bo", "c": "Cy"})
    assert "3 people have answered" in html
    assert "Agreement 67%: most chose Blue" in html and "Agreement 67%: most chose White" in html
    assert "<strong>You:</strong> Blue (1 other chose it too)" in html
    assert "<strong>You:</strong> Red (nobody else chose it)" in html
    assert "background:#1F77B4" in html and "Ann, Bo, Cy" in html


def test_board_escapes_learner_text_everywhere():
    evil = '<script>alert(1)</script>'
    answers = {"x": {"monday": evil, "tuesday": "Red"}}
    html = colour_days_board(DAYS, PALETTE, answers, you="x", names={"x": '<img src=x onerror=alert(1)>'})
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_sample_board_is_labelled_and_counts_you_separately():
    answers = {"sample-1": {"monday": "Blue"}, "sample-2": {"monday": "Red"}, "me": {"monday": "Blue"}}
    html = colour_days_board(DAYS, PALETTE, answers, you="me", sample_label="Sample class (synthetic)")
    assert 'class="lk-sample"' in html and "Sample class (synthetic)" in html
    assert "The sample has 2 answers, plus yours." in html
    empty = colour_days_board(DAYS, PALETTE, {})
    assert "No answers yet" in empty
