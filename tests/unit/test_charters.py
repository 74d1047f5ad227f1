"""Charters (notebook 01), driven through their real widgets, and the gallery with its kinds chart."""

from __future__ import annotations

import pytest

from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.charter_gallery.board import charter_gallery
from lessonkit.kinds.charter_gallery.view import CharterForm, charters_page
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, me

YAML = ROOT / "data" / "activities" / "charters.yaml"
LINK = "https://www.riverbend.example.gov.au/about/charter?v=2&lang=en"


@pytest.fixture
def content():
    return load(YAML)


def fill(view, library="Riverbend City Libraries", link=LINK, kinds=("response-times", "privacy")):
    view.library.value = library
    view.type.value = "Public"
    view.link.value = link
    view.commitments.value = "Emails answered within two working days."
    view.feedback.value = "An online form and a yearly survey."
    view.idea.value = "Publish our response times."
    for kid in kinds:
        view.kind_boxes[kid].value = True


def page(content, store, name="teal-wombat-42"):
    p = charters_page(content, store, me(name))
    find(p, ClassBoard).assert_single().stop()
    return p


def test_shipped_content(content):
    assert content.kind == "charter-gallery" and content.number == 1 and content.outcomes == ("3.2",)
    assert content.seed_section == "Discussion from last week" and content.notebook == "01-charters.ipynb"
    assert content.library_types == ("Public", "School", "Academic", "Special", "State")
    assert len(content.commitment_kinds) == 8 and content.commitment("privacy").name == "Privacy"
    assert len(content.samples) == 3 and {s.type for s in content.samples} <= set(content.library_types)


def test_save_a_charter_what_is_stored_and_restore(content, store):
    view = CharterForm(content, store, me())
    fill(view)
    assert 'rel="noopener noreferrer"' in view.preview.value and "&amp;lang=en" in view.preview.value
    view.submit_button.click()
    assert view.saved and view.status.startswith("Saved at")
    stored = store.answers_for("LIB3", "charters", "teal-wombat-42")
    assert stored == {"charter": {"library": "Riverbend City Libraries", "type": "Public", "link": LINK,
                                  "commitments": "Emails answered within two working days.",
                                  "feedback": "An online form and a yearly survey.",
                                  "idea": "Publish our response times.", "kinds": ["response-times", "privacy"]}}
    view.idea.value = "changed"
    assert not view.saved and view.status.startswith("Changed")
    again = CharterForm(content, store, me())
    assert again.saved and again.status.startswith("Your earlier answer is back")
    assert again.library.value == "Riverbend City Libraries" and again.type.value == "Public"
    assert again.link.value == LINK and again.idea.value == "Publish our response times."
    assert [k for k, b in again.kind_boxes.items() if b.value] == ["response-times", "privacy"]


def test_javascript_link_is_refused_and_never_a_link(content, store):
    view = CharterForm(content, store, me())
    fill(view, link="javascript:alert(1)")
    assert "Not a web link yet" in view.preview.value and "<a" not in view.preview.value
    view.submit_button.click()
    assert not view.saved and "Not saved: the link must be a web address" in view.status
    assert store.answers_for("LIB3", "charters", "teal-wombat-42") == {}
    # Even a charter written straight to the store is never shown as a link.
    store.submit("LIB3", "charters", "amber-bilby-14", "charter", {
        "library": "Sneaky", "type": "Public", "link": "javascript:alert(1)", "commitments": "x",
        "feedback": "y", "idea": "z", "kinds": ["privacy"]})
    html = find(page(content, store), ClassBoard).assert_single().html
    assert "Sneaky" in html and 'href="javascript' not in html and "(not a web link)" in html


@pytest.mark.parametrize("change, message", [
    ({"library": ""}, "fill in the library name"),
    ({"library": "x" * 121}, "the library name is 121 characters long"),
    ({"commitments": "x" * 1201}, "shorten it to 1,200 characters"),
    ({"type": "Bookshop"}, "choose the type of library"),
    ({"kinds": []}, "tick at least one kind"),
    ({"kinds": ["made-up"]}, "kinds of commitment do not match"),
    ({"link": "ftp://example.com/charter"}, "the link must be a web address"),
    ({"extra": 1}, "does not match this activity"),
])
def test_forged_or_bad_fields_are_refused_in_the_kernel(content, store, change, message):
    view = CharterForm(content, store, me())
    fill(view)
    good = view._collect()["charter"]
    view._collect = lambda: {"charter": {**good, **change}}
    assert view.submit() is False and message in view.status
    assert store.answers_for("LIB3", "charters", "teal-wombat-42") == {}


def test_hostile_text_is_escaped_in_the_gallery(content, store):
    other = CharterForm(content, store, me("amber-bilby-14"))
    fill(other, library=HOSTILE)
    other.commitments.value = HOSTILE
    other.submit_button.click()
    assert other.saved
    html = find(page(content, store), ClassBoard).assert_single().html
    assert "<img" not in html and HOSTILE_ESCAPED in html


def test_samples_shown_and_labelled_until_the_class_has_charters(content, store):
    p = page(content, store)
    board, form = find(p, ClassBoard).assert_single(), find(p, CharterForm).assert_single()
    html = board.html
    assert "Sample (fictional):</span> Riverbend City Libraries" in html
    assert "Sample (fictional):</span> Coolabah University Library" in html
    assert "samples of fictional libraries" in html and "No charters shared yet, plus 3 samples" in html
    fill(form, library="Wattle Shire Library")
    form.submit_button.click()
    html = board.html           # only mine so far: still beside the samples
    assert "Wattle Shire Library" in html and "Sample (fictional)" in html and "Shared by You" in html
    other = CharterForm(content, store, me("amber-bilby-14"))
    fill(other, library="Gum Tree Regional Library")
    other.submit_button.click()
    assert board.refresh() is True
    html = board.html
    assert "Sample (fictional)" not in html and "Riverbend City Libraries" not in html
    assert "2 charters shared by 2 learners" in html and "Gum Tree Regional Library" in html


def test_commitment_kinds_chart_counts(content):
    kinds = [(k.id, k.name) for k in content.commitment_kinds]
    answers = {
        "a": {"charter": {"library": "A", "type": "Public", "kinds": ["privacy", "courtesy"]}},
        "b": {"charter": {"library": "B", "type": "School", "kinds": ["privacy"]}},
        "c": {"charter": {"library": "C", "type": "State", "kinds": ["privacy", "made-up"]}},
        "d": {"charter": None},
    }
    html = charter_gallery(kinds, content.library_types, answers, "a")
    assert "n = 3 charters" in html
    assert "Privacy</span> <span class=\"lk-chr-row-value\">3 of 3 (100%)" in html
    assert "Courtesy and respect</span> <span class=\"lk-chr-row-value\">1 of 3 (33%)" in html
    assert "Response times</span> <span class=\"lk-chr-row-value\">0 of 3 (0%)" in html
    chart = html[html.index('class="lk-chr-chart"'):]
    assert chart.index(">Privacy<") < chart.index(">Courtesy and respect<") < chart.index(">Response times<")
    assert "made-up" not in html
    # A charter claiming to be a sample is only labelled so on a sample board.
    fake = {"x": {"charter": {"library": "Fake", "type": "Public", "kinds": ["privacy"], "sample": True}}}
    assert "Sample (fictional)" not in charter_gallery(kinds, content.library_types, fake, "a")


def test_check_refuses_an_unknown_commitment_kind(tmp_path, capsys):
    text = YAML.read_text()
    bad_text = text.replace("kinds: [response-times, courtesy, privacy, complaints]",
                            "kinds: [response-times, courtesy, smiles, complaints]")
    assert bad_text != text
    bad = tmp_path / "charters.yaml"
    bad.write_text(bad_text)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    line = next(i for i, ln in enumerate(bad_text.splitlines(), 1) if "smiles" in ln)
    assert f"{bad}:{line}" in out and "samples[0].kinds[2]" in out and "smiles" in out
    assert main(["check", str(YAML)]) == 0
