"""pages.boards(): every activity's class boards without its form, for the trainer's dashboard.

Two learners answer each shipped activity through its real page; then the boards, built on their own,
must show both learners' answers, hide their names when asked and show them otherwise.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from lessonkit import kinds
from lessonkit.components.board import ClassBoard
from lessonkit.components.discussion import DiscussionBoard, class_wall
from lessonkit.components.page import find
from lessonkit.content import activities, load
from lessonkit.identity import Learner
from lessonkit.pages import BOARDS, BUILDERS, boards, builder

CODE = "LIB3"
NAMED, UNNAMED = "zesty-numbat-77", "quiet-quokka-31"   # in no sample class
NAMES = ("Zara Quill", "Quiet Quokka 31")                  # a display name, and a pseudonym as shown
ANONYMOUS_KINDS = {"checklist", "scenario"}                # anonymous on the page too
SLUGS = [a.slug for a in activities()]


def by_slug(slug: str):
    return load(next(a.source for a in activities() if a.slug == slug))


def descendants(w: widgets.Widget):
    yield w
    for child in getattr(w, "children", ()):
        yield from descendants(child)


def html(ws) -> str:
    return "\n".join(d.value for w in ws for d in descendants(w)
                     if isinstance(d, widgets.HTML) and isinstance(d.value, str))


def post(view: DiscussionBoard, text: str) -> None:
    view.text.value = text
    view.submit_button.click()
    assert view.status.startswith("Posted at"), view.status


# ---------------------------------------------------------------- one real answer per kind, through the page

def answer_colour_days(box, n):
    names = [c.name for c in box.poll.content.colours]
    for i, picker in enumerate(box.poll.pickers.values()):
        picker.value = names[(i + n) % len(names)]
    return box.poll


def answer_legislation(box, _n):
    for s in box.matcher.content.scenarios:
        for law_id, tick in box.matcher.ticks[s.id].items():
            tick.value = law_id in s.laws
    box.ranking.reason.value = "Safety first, then the law that affects most people."
    box.ranking.submit_button.click()
    assert box.ranking.saved, box.ranking.status
    return box.matcher


def answer_forms(box, n):
    view = box.forms
    view.fill(1, organisation=f"Riverbend Library {n}", link="https://example.org/feedback",
              ratings={c.id: c.scale[-1] for c in view.content.criteria})
    return view


def answer_charters(box, n):
    view = box.form
    view.library.value = f"Riverbend Library {n}"
    view.type.value = view.content.library_types[0]
    view.link.value = "https://example.org/charter"
    view.commitments.value = "Emails answered within two working days."
    view.feedback.value = "An online form."
    view.idea.value = "Publish response times."
    next(iter(view.kind_boxes.values())).value = True
    return view


def answer_scenario(box, _n):
    view = box.scenario
    for _ in range(20):
        if view.finished:
            break
        view.choice_box.children[0].click()
        view.continue_button.click()
    assert view.finished
    return None   # the scenario stores itself at its ending


ANSWER = {"colour-days": answer_colour_days, "legislation": answer_legislation, "form-evaluation": answer_forms,
          "charter-gallery": answer_charters, "scenario": answer_scenario, "comments": lambda _box, _n: None}


def answer_for(kind: str):
    """The kind's own `answer` part (lessonkit/kinds/<kind>/example.py), else this file's."""
    entry = kinds.get(kind)
    return entry.part("answer") if entry.answer else ANSWER[kind]


def two_learners_answer(content, store) -> None:
    store.set_display_name(CODE, NAMED, NAMES[0])
    for n, who in enumerate((NAMED, UNNAMED)):
        box = builder(content.kind)(content, store, Learner(CODE, who, None, "link"))
        view = answer_for(content.kind)(box, n)
        if view is not None:
            view.submit_button.click()
            assert view.saved, view.status
        discussion = find(box, DiscussionBoard).first()   # the learner's own, where the page has one
        if discussion is not None:
            post(discussion, f"Posted by learner {n}")
        for d in descendants(box):   # no polling left behind
            if hasattr(d, "stop"):
                d.stop()


# ---------------------------------------------------------------- the registry

def test_every_kind_has_boards():
    assert set(BOARDS) == set(BUILDERS)


@pytest.mark.parametrize("slug", SLUGS)
def test_boards_show_the_class_and_hide_names_when_asked(slug, store):
    content = by_slug(slug)
    two_learners_answer(content, store)

    hidden = boards(content, store, CODE, show_names=False, live=False)
    assert hidden
    for w in hidden:
        assert isinstance(w, (ClassBoard, DiscussionBoard)) and not w.live
        if isinstance(w, ClassBoard):
            assert w.learners == 2, w.html
        else:
            assert w.read_only and w.posts == 2 and "Posted by learner 1" in w.html
            assert not any(isinstance(d, widgets.Textarea) for d in descendants(w))
    text = html(hidden)
    for name in (*NAMES, NAMED, UNNAMED):
        assert name not in text
    if getattr(content, "discussion", None) is not None:
        assert any(isinstance(w, DiscussionBoard) for w in hidden)

    shown = html(boards(content, store, CODE, show_names=True, live=False))
    for name in NAMES:
        assert (name in shown) is (content.kind not in ANONYMOUS_KINDS), name


def test_page_and_boards_build_the_same_boards(store):
    content = by_slug("policy-procedure")   # a sorter with a discussion
    page = builder(content.kind)(content, store, Learner(CODE, NAMED, None, "link"))
    discussion = find(page, DiscussionBoard).assert_single()
    discussion.stop()
    find(page, ClassBoard).assert_single().stop()
    assert [type(w) for w in page.children].count(DiscussionBoard) == 1   # the learner's own, not a second one
    assert not discussion.read_only
    assert [type(w).__name__ for w in boards(content, store, CODE, live=False)] == ["ClassBoard", "DiscussionBoard"]


# ---------------------------------------------------------------- the read-only discussion board

def test_read_only_discussion_board(store):
    content = by_slug("comments")
    writer = DiscussionBoard(content, store, Learner(CODE, NAMED, None, "link"), live=False)
    post(writer, "Kind words")
    post_id = writer.post_ids[0]

    wall = class_wall(content, store, CODE, live=False)
    assert wall.read_only and wall.posts == 1 and "Kind words" in wall.html
    assert not any(isinstance(d, (widgets.Textarea, widgets.Button)) for d in descendants(wall))
    assert wall.submit() is False
    assert store.answers_for(CODE, wall.activity_id, "trainer") == {}
    assert len(store.current(CODE, wall.activity_id)) == 1

    wall.hide(post_id)
    assert wall.posts == 0 and "Kind words" not in wall.html
    writer.refresh(force=True)
    assert writer.posts == 0
    wall.hide(post_id, hidden=False)
    assert wall.posts == 1
