"""Pure scoring and chart functions."""

from __future__ import annotations

from lessonkit.charts import and_list, text_colour_for
from lessonkit.kinds.colour_days.board import colour_days_board
from lessonkit.kinds.legislation.board import law_matching_board
from lessonkit.kinds.sorter.board import sorter_board
from lessonkit.scoring import agreement, tally
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, SCRIPT

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
    evil = SCRIPT
    answers = {"x": {"monday": evil, "tuesday": "Red"}}
    html = colour_days_board(DAYS, PALETTE, answers, you="x", names={"x": HOSTILE})
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and HOSTILE_ESCAPED in html


def test_sample_board_is_labelled_and_counts_you_separately():
    answers = {"sample-1": {"monday": "Blue"}, "sample-2": {"monday": "Red"}, "me": {"monday": "Blue"}}
    html = colour_days_board(DAYS, PALETTE, answers, you="me", sample_label="Sample class (synthetic)")
    assert 'class="lk-sample"' in html and "Sample class (synthetic)" in html
    assert "The sample has 2 answers, plus yours." in html
    empty = colour_days_board(DAYS, PALETTE, {})
    assert "No answers yet" in empty


def summary_of(html: str) -> str:
    return html.split('<p class="lk-summary">')[1].split("</p>")[0]


def test_and_list_joins_with_commas_and_and():
    assert [and_list(x) for x in ([], ["Mon"], ["Mon", "Fri"], ["Mon", "Wed", "Fri"])] == [
        "", "Mon", "Mon and Fri", "Mon, Wed and Fri"]
    assert and_list(["Blue", "Red"], "or") == "Blue or Red"


def test_colour_summary_never_says_most_and_least_on_the_same_day():
    week = ["Monday", "Tuesday", "Wednesday"]
    # One day answered, by two people who agree: no "most" and "least", one plain sentence.
    one_day = summary_of(colour_days_board(week, PALETTE, {"a": {"monday": "Blue"}, "b": {"monday": "Blue"}}))
    assert one_day == "2 people have answered. On <strong>Monday</strong>, everyone chose Blue."
    # Every day agreed on alike.
    same = {"a": {"monday": "Blue", "tuesday": "Red"}, "b": {"monday": "Blue", "tuesday": "Red"}}
    assert summary_of(colour_days_board(DAYS, PALETTE, same)) == (
        "2 people have answered. The class agreed completely: everyone chose the same colour for each day.")
    split = {"a": {"monday": "Blue", "tuesday": "Red"}, "b": {"monday": "Red", "tuesday": "White"}}
    html = colour_days_board(DAYS, PALETTE, split)
    assert summary_of(html) == ("2 people have answered. The class agreed as much on every day: on each, 50% chose "
                                "the most common colour.")
    assert "Agreement 50%: Blue and Red tied" in html and " / " not in html
    # Most and least on different days; two days tied for most are both named, joined with "and".
    three = {"a": {"monday": "Blue", "tuesday": "Red", "wednesday": "Blue"},
             "b": {"monday": "Blue", "tuesday": "Red", "wednesday": "Red"}}
    assert summary_of(colour_days_board(week, PALETTE, three)) == (
        "2 people have answered. The class agreed most on <strong>Monday</strong> and <strong>Tuesday</strong> "
        "(everyone agreed on each) and least on <strong>Wednesday</strong> (Blue and Red tied on 50% each).")
    answers = {"a": {"monday": "Blue", "tuesday": "Red"}, "b": {"monday": "Blue", "tuesday": "White"},
               "c": {"monday": "Blue", "tuesday": "White"}}
    assert summary_of(colour_days_board(DAYS, PALETTE, answers)) == (
        "3 people have answered. The class agreed most on <strong>Monday</strong> (everyone chose Blue) and least "
        "on <strong>Tuesday</strong> (67% chose White).")


def test_colour_summary_for_no_one_and_a_sample_of_nobody():
    assert "No answers yet" in summary_of(colour_days_board(DAYS, PALETTE, {}))
    alone = colour_days_board(DAYS, PALETTE, {"a": {"monday": "Blue", "tuesday": "Red"}})
    assert summary_of(alone) == "1 person has answered."
    assert "1 answer: Blue" in alone and "Agreement" not in alone
    mine = colour_days_board(DAYS, PALETTE, {"me": {"monday": "Blue"}}, you="me", sample_label="No sample class")
    assert summary_of(mine) == "Only yours so far: the sample is empty."


def test_sorter_and_law_summaries_say_nobody_rather_than_0_percent():
    items = [("a", "Checks phone", "barrier"), ("b", "Nods", "listening")]
    cats = [("listening", "Active listening"), ("barrier", "Barrier")]
    nobody = sorter_board(items, cats, {"x": {"a": "listening", "b": "listening"},
                                        "y": {"a": "listening", "b": "listening"}})
    assert "Most debated: <strong>Checks phone</strong>, which nobody sorted as the answer says." in nobody
    assert "0%" not in summary_of(nobody)
    some = sorter_board(items, cats, {"x": {"a": "barrier", "b": "listening"},
                                      "y": {"a": "listening", "b": "listening"}})
    assert "which only 1 of 2 (50%) sorted as the answer says." in some
    laws = [("pa", "Privacy Act"), ("dda", "DDA")]
    scenarios = [("s1", "A patron asks who borrowed a book", ["pa"]), ("s2", "A ramp is broken", ["dda"])]
    law = law_matching_board(laws, scenarios, {"x": {"s1": ["dda"], "s2": ["dda"]}, "y": {"s1": [], "s2": ["dda"]}})
    assert "Hardest: <strong>A patron asks who borrowed a book</strong>, which nobody matched exactly." in law
