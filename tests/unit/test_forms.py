"""Form evaluation (Class Activity 6), driven through its real widgets, and its class board."""

from __future__ import annotations

import pytest

from lessonkit.charts import web_link
from lessonkit.components.board import ClassBoard
from lessonkit.components.discussion import DiscussionBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.form_evaluation.board import form_evaluation_board
from lessonkit.kinds.form_evaluation.view import FormEvaluation, forms_page
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, me

YAML = ROOT / "data" / "activities" / "feedback-forms.yaml"
LINK = "https://www.riverbend.example.gov.au/contact/feedback?src=web&lang=en"


@pytest.fixture
def content():
    return load(YAML)


def best(content):
    return {c.id: c.scale[-1] for c in content.criteria}


def test_shipped_content(content):
    assert content.kind == "form-evaluation" and content.forms == 3 and content.number == 8
    assert [c.id for c in content.criteria] == ["ease", "anonymity", "question-types", "accessibility", "privacy",
                                                "response"]
    assert all(c.description and len(c.scale) >= 2 for c in content.criteria)
    assert content.max_total == 12 and content.outcomes == ("3.1", "3.2", "3.4", "3.5")


def test_fill_one_form_submit_and_restore(content, store):
    view = FormEvaluation(content, store, me())
    card = view.cards[0]
    card.organisation.value = "Riverbend City Libraries"
    card.link.value = LINK
    assert 'rel="noopener noreferrer"' in card.preview.value and "&amp;lang=en" in card.preview.value
    for cid, picker in card.ratings.items():
        picker.value = 2 if cid != "response" else 0
    card.note.value = "Short and works on a phone."
    view.submit_button.click()
    assert view.status.startswith("Saved at") and view.saved
    stored = store.answers_for("LIB3", "feedback-forms", "teal-wombat-42")
    assert stored["form-2"] is None and stored["form-3"] is None
    assert stored["form-1"] == {"organisation": "Riverbend City Libraries", "link": LINK,
                                "note": "Short and works on a phone.",
                                "ratings": {"ease": 2, "anonymity": 2, "question-types": 2, "accessibility": 2,
                                            "privacy": 2, "response": 0}}
    card.note.value = "changed"
    assert not view.saved and view.status.startswith("Changed")
    again = FormEvaluation(content, store, me())
    assert again.cards[0].organisation.value == "Riverbend City Libraries"
    assert again.cards[0].ratings["response"].value == 0 and again.cards[0].ratings["ease"].value == 2
    assert again.status.startswith("Your earlier answer is back")


@pytest.mark.parametrize("fill, message", [
    ({}, "fill in at least one form"),
    ({"organisation": "X", "link": ""}, "form 1: paste the link"),
    ({"organisation": "", "link": LINK}, "form 1: write the organisation's name"),
    ({"organisation": "X", "link": "javascript:alert(1)"}, "form 1: the link must be a web address"),
    ({"organisation": "X", "link": "ftp://files.example.org/form"}, "form 1: the link must be a web address"),
    ({"organisation": "X", "link": "https://exa mple.org"}, "form 1: the link must be a web address"),
    ({"organisation": "X" * 121, "link": LINK}, "form 1: the organisation is 121 characters long"),
    ({"organisation": "X", "link": LINK, "note": "n" * 401}, "form 1: the note is 401 characters long"),
])
def test_refused_with_a_message(content, store, fill, message):
    view = FormEvaluation(content, store, me())
    ratings = best(content) if fill else {}
    view.fill(1, ratings=ratings, **fill)
    assert view.submit() is False
    assert view.status.startswith("Not saved: " + message)
    assert store.answers_for("LIB3", "feedback-forms", "teal-wombat-42") == {}


def test_unrated_criterion_is_named(content, store):
    view = FormEvaluation(content, store, me())
    view.fill(2, "State Library", LINK, {k: v for k, v in best(content).items() if k != "privacy"})
    assert not view.submit() and "form 2: rate every criterion (still to rate: Privacy notice)" in view.status


def test_javascript_link_is_never_a_link(content, store):
    view = FormEvaluation(content, store, me())
    view.cards[0].link.value = "javascript:alert(1)"
    assert "<a " not in view.cards[0].preview.value and "Not a web link" in view.cards[0].preview.value
    assert web_link("javascript:alert(1)") is None and web_link('https://a.example/"onclick=x') is None
    assert web_link("https://localhost") is None and web_link(LINK) == LINK


def test_forged_values_are_refused_in_the_kernel(content, store):
    view = FormEvaluation(content, store, me())
    good = {"organisation": "X", "link": LINK, "note": "", "ratings": {c.id: 1 for c in content.criteria}}
    forged = [
        {**good, "ratings": {**good["ratings"], "ease": 7}},                  # out of range
        {**good, "ratings": {**good["ratings"], "ease": True}},               # not a mark
        {**good, "ratings": {**good["ratings"], "colour": 1}},                # unknown criterion
        {**good, "organisation": ["X"]},                                       # not text
        {**good, "admin": True},                                               # unknown field
    ]
    for form in forged:
        view._collect = lambda form=form: {"form-1": form, "form-2": None, "form-3": None}
        assert view.submit() is False, form
        assert view.status.startswith("Not saved: form 1")
    view._collect = lambda: {"form-1": good, "form-9": good}
    assert view.submit() is False and "do not match this activity" in view.status
    assert store.answers_for("LIB3", "feedback-forms", "teal-wombat-42") == {}


def test_board_compares_forms_and_escapes(content, store):
    crit = [(c.id, c.name, c.top) for c in content.criteria]
    answers = {
        "a": {"form-1": {"organisation": HOSTILE, "link": "javascript:alert(1)", "note": HOSTILE,
                         "ratings": {c.id: 2 for c in content.criteria}}, "form-2": None},
        "b": {"form-1": {"organisation": "Council", "link": LINK, "note": "",
                         "ratings": {c.id: 0 for c in content.criteria}}},
    }
    html = form_evaluation_board(crit, answers, "b", names={"a": HOSTILE, "b": "Sam"})
    assert "<img" not in html and HOSTILE_ESCAPED in html
    assert 'href="javascript' not in html and "(not a web link)" in html
    assert f'<a href="{LINK.replace("&", "&amp;")}" target="_blank" rel="noopener noreferrer">Council</a>' in html
    assert "2 forms evaluated by 2 learners" in html
    assert html.index("<strong>12</strong>/12") < html.index("<strong>0</strong>/12")   # best total first
    assert "50% (n = 2)" in html                                   # each criterion: (2 + 0) / 2 of top 2
    assert ">You</td>" in html


def test_page_board_updates_on_submit(content, store):
    box = forms_page(content, store, me())
    board, forms = find(box, ClassBoard).assert_single(), find(box, FormEvaluation).assert_single()
    board.stop()
    other = forms_page(content, store, me("amber-quokka-17"))
    find(other, ClassBoard).assert_single().stop()
    other_forms = find(other, FormEvaluation).assert_single()
    other_forms.fill(1, "Brisbane City Council Libraries", LINK, best(content))
    assert other_forms.submit()
    forms.fill(3, "Qantas", "https://www.qantas.example/feedback", {c.id: c.scale[0] for c in content.criteria})
    forms.submit_button.click()
    assert forms.saved
    html = board.html
    assert "Brisbane City Council Libraries" in html and "Qantas" in html and "2 forms evaluated by 2 learners" in html


def test_page_opens_with_the_feedback_discussion(content, store):
    assert content.discussion is not None and "really want to know" in content.discussion.prompt
    box = forms_page(content, store, me())
    discussion = find(box, DiscussionBoard).assert_single()
    find(box, ClassBoard).assert_single().stop()
    discussion.stop()
    assert box.children[1] is discussion                          # the discussion comes first, under the h1
    discussion.text.value = "Yes: complaints show us where the service <b>fails</b>."
    discussion.submit_button.click()
    assert discussion.status.startswith("Posted at")
    assert "&lt;b&gt;fails&lt;/b&gt;" in discussion.wall.value
    assert store.answers_for("LIB3", "feedback-forms.discussion", "teal-wombat-42") == {
        "post-1": "Yes: complaints show us where the service <b>fails</b>."}


def headings(widget) -> list[str]:
    """Every h1 to h3 on the page, in the order a learner (or a screen reader) meets them."""
    import re

    import ipywidgets as widgets

    found = []
    if isinstance(widget, widgets.HTML) and widget.layout.display != "none":
        found += [f"{level}: {re.sub('<[^>]+>', '', text)}"
                  for level, text in re.findall(r"<(h[1-3])[^>]*>(.*?)</h[1-3]>", widget.value, re.S)]
    for child in getattr(widget, "children", ()):
        found += headings(child)
    return found


def test_the_page_starts_with_its_own_h1_then_the_discussion_then_the_forms(content, store):
    box = forms_page(content, store, me())
    board, forms = find(box, ClassBoard).assert_single(), find(box, FormEvaluation).assert_single()
    board.stop()
    find(box, DiscussionBoard).assert_single().stop()
    seen = headings(box)
    assert seen[0] == f"h1: {content.title}" and [h for h in seen if h.startswith("h1")] == [seen[0]]   # one h1
    assert seen[1] == f"h2: {content.discussion.title}"
    assert seen.index("h2: Find and rate the forms") < seen.index("h2: The rubric") < seen.index("h2: Form 1")
    assert "Customers only tell us what we make easy" in box.children[0].value       # the intro, once, at the top
    page_text = "\n".join(w.value for w in [box.children[0], forms._instructions])
    assert page_text.count("Customers only tell us") == 1 and "Find **three**" not in page_text
    assert "<strong>three</strong>" in forms._instructions.value                 # the forms' own instructions
    forms.fill(1, "Brisbane City Council Libraries", LINK, best(content))
    forms.submit_button.click()
    assert forms.saved and "Brisbane City Council Libraries" in board.html
