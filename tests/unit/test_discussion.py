"""DiscussionBoard and notebook 06's content, driven through the real Textarea and Post button."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import ipywidgets as widgets
import pytest

from lessonkit import ContentError
from lessonkit.charts import discussion_wall
from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.discussion import DiscussionBoard, hide_post
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.sorter.view import sorter_page
from lessonkit.model import Discussion
from lessonkit.scoring import STOP_WORDS, common_words
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, SCRIPT, SCRIPT_ESCAPED, me

YAML = ROOT / "data" / "activities" / "policy-procedure.yaml"
ACTIVITY = "policy-procedure.discussion"


@pytest.fixture
def content():
    return load(YAML)


class Clock:
    """A clock the test moves forward, starting at the real time (the store stamps posts with it)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


def board(content, store, name="teal-wombat-42", **kwargs) -> DiscussionBoard:
    return DiscussionBoard(content, store, me(name), live=False, **kwargs)


def post(view: DiscussionBoard, text: str) -> bool:
    view.text.value = text
    view.submit_button.click()
    return view.status.startswith("Posted at")


def with_limits(content, **limits):
    return dataclasses.replace(content, discussion=dataclasses.replace(content.discussion, **limits))


def test_shipped_content(content):
    assert [c.id for c in content.categories] == ["policy", "procedure"]
    assert 10 <= len(content.items) <= 12
    assert {i.category for i in content.items} == {"policy", "procedure"}
    assert content.number == 6 and content.outcomes == ("3.3",)
    assert "policy" in content.intro.lower() and "procedure" in content.intro.lower()
    assert "Why do you think it is important to follow policies and procedures?" in content.discussion.prompt
    assert "synthetic" in content.sample_class.label.lower() and len(content.sample_class.rows) >= 5
    d = content.discussion
    assert (d.max_chars, d.min_seconds_between_posts, d.max_posts_per_learner) == (500, 20, 3)
    assert load(ROOT / "data" / "activities" / "active-listening.yaml").discussion is None   # 03 unchanged


def test_post_appears_escaped_on_another_learners_board(content, store):
    store.set_display_name("LIB3", "amber-bilby-14", HOSTILE)
    other = board(content, store, "sunny-galah-45")
    assert "No posts yet" in other.html and other.posts == 0
    mine = board(content, store, "amber-bilby-14")
    assert post(mine, "  Everyone gets the same fair treatment.  ")
    assert mine.text.value == "" and "You can post 2 more times." in mine.status
    assert store.answers_for("LIB3", ACTIVITY, "amber-bilby-14") == {"post-1": "Everyone gets the same fair treatment."}
    assert other.refresh() is True and other.posts == 1
    assert "Everyone gets the same fair treatment." in other.html
    assert HOSTILE_ESCAPED in other.html and HOSTILE not in other.html   # the display name
    assert "(you)" not in other.html and "(you)" in mine.html
    assert other.refresh() is False                     # nothing changed: no redraw


def test_hostile_posts_show_as_text_in_list_and_words(content, store):
    a, b = board(content, store, "amber-bilby-14"), board(content, store, "sunny-galah-45")
    assert post(a, SCRIPT) and post(b, HOSTILE)
    a.refresh()
    html = a.html
    assert "<script" not in html and "<img" not in html
    assert SCRIPT_ESCAPED in html and HOSTILE_ESCAPED in html
    words = html.split("lk-disc-words", 1)[1]
    assert "script" in words and "onerror" in words
    assert html.index("&lt;img") < html.index("&lt;script")       # newest first
    wall = discussion_wall([], [(HOSTILE, 2), ("<b>policy</b>", 1)])
    assert "<img" not in wall and "<b>" not in wall and "&lt;b&gt;policy&lt;/b&gt;" in wall


def test_long_post_is_refused_stays_in_the_box_and_nothing_is_stored(content, store):
    view = board(content, store)
    huge = "x" * 100_000
    assert not post(view, huge)
    assert view.status == ("Not saved: your post is 100,000 characters long; the limit is 500 characters. "
                           "Shorten it and press Post again")
    assert view.text.value == huge and "lk-error" in view.counter.value
    assert store.answers_for("LIB3", ACTIVITY, "teal-wombat-42") == {}
    assert not post(view, "   ") and view.status == "Not saved: write something in the box first"


def test_rate_limit_says_how_long_to_wait(content, store):
    clock = Clock()
    view = board(content, store, clock=clock)
    assert post(view, "Consistency builds trust.")
    assert not post(view, "A second thought straight away")
    assert view.status.startswith("Not saved: please wait 20 more seconds before posting again "
                                  "(one post every 20 seconds)")
    assert view.text.value == "A second thought straight away"
    clock.offset = timedelta(seconds=12)
    assert not post(view, "A second thought straight away") and "wait 8 more seconds" in view.status
    again = board(content, store, clock=clock)              # a reload does not reset the wait
    assert not post(again, "From a new tab") and "more seconds" in again.status
    clock.offset = timedelta(seconds=21)
    assert post(view, "A second thought straight away")
    assert set(store.answers_for("LIB3", ACTIVITY, "teal-wombat-42")) == {"post-1", "post-2"}


def test_posts_per_learner_are_capped(content, store):
    view = board(with_limits(content, min_seconds_between_posts=0), store)
    assert post(view, "one") and post(view, "two") and post(view, "three")
    assert "That was your last post here." in view.status
    assert not post(view, "four")
    assert view.status == "Not saved: you have made 3 posts, the most allowed here (3 per person)"
    assert view.text.value == "four"
    assert store.answers_for("LIB3", ACTIVITY, "teal-wombat-42") == {"post-1": "one", "post-2": "two",
                                                                    "post-3": "three"}


def test_forged_submissions_are_refused_in_the_kernel(content, store):
    view = board(with_limits(content, max_posts_per_learner=1), store)
    view.submit_button.disabled = True          # a forged click ignores a disabled button
    for forged in ({"text": "y" * 100_000}, {"post-7": "pick my own item"}, {"text": ["not", "text"]},
                   {"text": "ok", "item": "post-9"}, {"text": "nul\x00byte"}):
        view._collect = lambda forged=forged: forged
        assert view.submit() is False, forged
        assert view.status.startswith("Not saved: ")
    view._collect = lambda: {"text": "y" * 100_000}
    view.submit()
    assert "the limit is 500 characters" in view.status
    assert store.answers_for("LIB3", ACTIVITY, "teal-wombat-42") == {}
    view._collect = lambda: {"text": "fine"}
    assert view.submit() is True
    assert view.submit() is False and "the most allowed here (1 per person)" in view.status
    assert store.answers_for("LIB3", ACTIVITY, "teal-wombat-42") == {"post-1": "fine"}


def test_a_hidden_post_disappears_from_every_board(content, store):
    a, b = board(content, store, "amber-bilby-14"), board(content, store, "sunny-galah-45")
    projector = board(content, store, "calm-pelican-58", anonymise=True)
    assert post(a, "Rude words about a colleague") and post(b, "Procedures keep everyone safe")
    hide_post(store, "LIB3", ACTIVITY, "amber-bilby-14", "post-1")
    for view in (a, b, projector):
        assert view.refresh() is True                       # the moderation record alone triggers a redraw
        assert "Rude words" not in view.html and "colleague" not in view.html   # nor in the common words
        assert "Procedures keep everyone safe" in view.html and view.posts == 1
    fresh = board(content, store, "keen-possum-65")                          # a page opened later too
    assert fresh.posts == 1 and "Rude words" not in fresh.html
    projector.hide("sunny-galah-45/post-1")
    assert "No posts yet" in projector.html
    projector.hide("amber-bilby-14/post-1", hidden=False)
    assert "Rude words" in projector.html
    with pytest.raises(ValueError):
        hide_post(store, "LIB3", ACTIVITY, "amber-bilby-14", "../text")


def test_student_page_has_no_way_to_hide(content, store):
    page = sorter_page(content, store, me("teal-wombat-42"))
    board = find(page, ClassBoard).assert_single()
    discussion = find(page, DiscussionBoard).assert_single()
    board.stop()
    discussion.stop()
    assert page.children[-1] is discussion and page.children[-2] is board

    def buttons(w):
        if isinstance(w, widgets.Button):
            yield w.description
        for child in getattr(w, "children", ()):
            yield from buttons(child)

    assert sorted(buttons(page)) == ["Post", "Submit"]
    active = sorter_page(load(ROOT / "data" / "activities" / "active-listening.yaml"), store, me("x-y-1"))
    find(active, ClassBoard).assert_single().stop()
    find(active, DiscussionBoard).assert_empty()


def test_anonymise_hides_names(content, store):
    store.set_display_name("LIB3", "amber-bilby-14", "Priya S")
    assert post(board(content, store, "amber-bilby-14"), "They protect staff too.")
    named = board(content, store, "sunny-galah-45")
    shown = board(content, store, "amber-bilby-14", anonymise=True)
    assert "Priya S" in named.html and "Anonymous" not in named.html
    assert "Anonymous" in shown.html and "Priya S" not in shown.html and "Amber Bilby" not in shown.html
    assert "(you)" not in shown.html


def test_common_words_ignore_stop_words_and_count():
    texts = ["The policy is there to keep the customers safe.", "Policies and procedures keep staff SAFE!",
             "It's fair: the same for every customer's visit.", "Safe, safe; fair 42"]
    words = common_words(texts, top=4)
    assert words == [("safe", 4), ("fair", 2), ("keep", 2), ("customer's", 1)]
    assert not {w for w, _ in common_words(texts, top=100)} & STOP_WORDS
    assert ("42", 1) not in common_words(texts, top=100)
    assert common_words(["the and of"]) == [] and common_words([]) == []
    assert common_words(["Library library LIBRARY"], stop_words={"library"}) == []


def test_check_refuses_a_bad_discussion_field(tmp_path, capsys):
    text = YAML.read_text().replace("  max_chars: 500\n", "  max_chars: 100000\n")
    bad = tmp_path / "policy-procedure.yaml"
    bad.write_text(text)
    with pytest.raises(ContentError) as err:
        load(bad)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "max_chars: 100000" in ln)
    assert err.value.field == "discussion.max_chars" and err.value.line == line
    assert "a whole number from 20 to 2000" in str(err.value)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line}" in out and "discussion.max_chars" in out
    typo = tmp_path / "typo.yaml"
    typo.write_text(YAML.read_text().replace("  max_posts_per_learner: 3", "  max_posts: 3"))
    with pytest.raises(ContentError, match="discussion.max_posts: unknown field"):
        load(typo)


def test_discussion_model_defaults():
    d = Discussion(prompt="Why?")
    assert (d.max_chars, d.min_seconds_between_posts, d.max_posts_per_learner) == (500, 30, 5)
