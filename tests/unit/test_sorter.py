"""Sorter and Reflection, driven through their real widgets."""

from __future__ import annotations

import dataclasses

import pytest
from traitlets import TraitError

from lessonkit import ContentError
from lessonkit.cli import main
from lessonkit.components.reflection import Reflection
from lessonkit.content import load
from lessonkit.kinds.sorter.board import sorter_board
from lessonkit.kinds.sorter.scoring import share_matching, sort_outcome
from lessonkit.kinds.sorter.view import Sorter
from tests.helpers import HOSTILE, ROOT, me

YAML = ROOT / "data" / "activities" / "active-listening.yaml"


@pytest.fixture
def content():
    return load(YAML)


def sort_all(view: Sorter, wrong: set[str] = frozenset()) -> None:
    for item in view.content.items:
        other = next(c.id for c in view.content.categories if c.id != item.category)
        view.choices[item.id].value = other if item.id in wrong else item.category


def test_shipped_content(content):
    assert [c.id for c in content.categories] == ["listening", "barrier"]
    assert 10 <= len(content.items) <= 14
    assert {i.category for i in content.items} == {"listening", "barrier"}
    assert content.media is not None and content.media.transcript
    assert content.reflection is not None and content.sample_class.rows


def test_scoring_functions():
    out = sort_outcome({"a": "x", "b": "y", "c": "x"}, {"a": "x", "b": "x"})
    assert out.right == ("a",) and out.wrong == ("b",) and out.unsorted == ("c",) and out.total == 3
    assert share_matching("x", ["x", "y", "x", None]) == (2, 3)


def test_submit_gives_feedback_and_stores(content, store):
    view = Sorter(content, store, me())
    sort_all(view, wrong={"typing-while-talking", "open-posture"})
    view.submit_button.click()
    assert view.status.startswith("Saved at")
    n = len(content.items)
    assert f"You sorted {n - 2} of {n} the way the answer key does." in view.summary.value
    assert "Not quite: this is Barrier." in view.feedback["typing-while-talking"].value
    assert "Right: Active listening." in view.feedback["paraphrase"].value
    stored = store.answers_for("LIB3", "active-listening", "teal-wombat-42")
    assert stored["typing-while-talking"] == "listening" and stored["paraphrase"] == "listening"
    assert len(stored) == n


def test_unsorted_items_are_not_saved_and_stay(content, store):
    view = Sorter(content, store, me())
    view.choices["paraphrase"].value = "barrier"
    view.submit_button.click()
    assert view.status.startswith("Not saved: sort every item first (still to sort: 1, 2, 4")
    assert view.choices["paraphrase"].value == "barrier"
    assert store.answers_for("LIB3", "active-listening", "teal-wombat-42") == {}


def test_forged_category_is_refused(content, store):
    view = Sorter(content, store, me())
    with pytest.raises(TraitError):
        view.choices["paraphrase"].value = "ignore-me"
    sort_all(view)
    forged = view._collect() | {"paraphrase": "<b>x</b>"}
    view._collect = lambda: forged
    assert view.submit() is False and "not one of the categories" in view.status
    assert store.answers_for("LIB3", "active-listening", "teal-wombat-42") == {}


def test_reload_restores_choices_and_feedback(content, store):
    first = Sorter(content, store, me())
    sort_all(first, wrong={"judging"})
    first.submit()
    again = Sorter(content, store, me())
    assert again.choices["judging"].value == "listening"
    assert "Not quite" in again.feedback["judging"].value
    assert again.status.startswith("Your earlier answer is back")
    again.choices["judging"].value = "barrier"
    assert again.feedback["judging"].value == "" and again.status.startswith("Changed")


def test_reflection_limits_and_stores_text_separately(content, store):
    content = dataclasses.replace(content, reflection=dataclasses.replace(content.reflection, max_chars=60))
    view = Reflection(content, store, me())
    view.submit_button.click()
    assert view.status == "Not saved: write something in the box first"
    view.text.value = "x" * 61
    view.submit_button.click()
    assert view.status.startswith("Not saved: that is 61 characters") and view.text.value == "x" * 61
    assert "lk-error" in view.counter.value
    view.text.value = "  " + HOSTILE + "  "
    view.submit_button.click()
    assert view.status.startswith("Saved at")
    assert store.answers_for("LIB3", "active-listening.reflection", "teal-wombat-42") == {"text": HOSTILE}
    assert store.answers_for("LIB3", "active-listening", "teal-wombat-42") == {}
    assert Reflection(content, store, me()).text.value == HOSTILE      # restored, as plain text


def test_board_counts_and_escapes():
    items = [("a", "Nods <b>often</b>", "listening"), ("b", "Checks phone", "barrier")]
    cats = [("listening", "Active listening"), ("barrier", "Barrier")]
    answers = {"p": {"a": "listening", "b": "listening"}, "q": {"a": "listening", "b": "barrier"}}
    html = sorter_board(items, cats, answers, you="p", names={"p": HOSTILE, "q": "Q"})
    assert "2 people have answered" in html
    assert "100% sorted it as Active listening" in html and "50% sorted it as Barrier" in html
    assert "Most debated: <strong>Checks phone</strong>" in html
    assert "<strong>You:</strong> Active listening (the answer is Barrier)" in html
    assert "<b>often</b>" not in html and "&lt;b&gt;often&lt;/b&gt;" in html
    assert HOSTILE not in html and "&lt;img src=x" in html
    sample = sorter_board(items, cats, {"s1": {"a": "barrier", "b": "barrier"}}, sample_label="Sample (synthetic)")
    assert "The sample has 1 answer." in sample and "Sample (synthetic)" in sample


def test_check_refuses_an_item_in_an_unknown_category(tmp_path, capsys):
    text = YAML.read_text().replace("    category: barrier\n    explanation: \"Judging",
                                    "    category: barriers\n    explanation: \"Judging")
    bad = tmp_path / "active-listening.yaml"
    bad.write_text(text)
    with pytest.raises(ContentError) as err:
        load(bad)
    assert "item 'judging' is in category 'barriers'" in str(err.value)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "category: barriers" in ln)
    assert err.value.line == line
    assert main(["check", str(bad)]) == 1 and f"{bad}:{line}" in capsys.readouterr().out
