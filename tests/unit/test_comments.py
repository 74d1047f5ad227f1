"""Comments wall (notebook 10): posting, trainer moderation through hide_post, and escaping."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from lessonkit.cli import main
from lessonkit.components.discussion import DiscussionBoard, hide_post
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.comments.view import comments_page
from lessonkit.pages import builder
from tests.helpers import HOSTILE, ROOT, me

YAML = ROOT / "data" / "activities" / "comments.yaml"
ACTIVITY = "comments.discussion"


@pytest.fixture
def content():
    return load(YAML)


def wall(content, store, name="teal-wombat-42"):
    page = comments_page(content, store, me(name))
    discussion(page).stop()
    return page


def discussion(page) -> DiscussionBoard:
    return find(page, DiscussionBoard).assert_single()


def post(page, text):
    discussion(page).text.value = text
    discussion(page).submit_button.click()
    return discussion(page).status.startswith("Posted at")


def test_shipped_content(content):
    assert content.kind == "comments" and content.number == 10 and content.outcomes == ("3.4",)
    assert content.seed_section == "Comments" and "session" in content.discussion.prompt
    assert builder("comments") is comments_page


def test_post_appears_escaped_on_another_learners_wall(content, store):
    a, b = wall(content, store, "amber-bilby-14"), wall(content, store)
    assert "No posts yet" in discussion(b).html
    assert post(a, f"Great session {HOSTILE}")
    assert store.answers_for("LIB3", ACTIVITY, "amber-bilby-14") == {"post-1": f"Great session {HOSTILE}"}
    assert discussion(b).refresh() is True
    assert "Great session &lt;img src=x onerror=alert(1)&gt;" in discussion(b).html and "<img" not in discussion(b).html
    assert "Post a comment on today" in b.children[0].value


def test_trainer_hides_a_post_from_the_wall(content, store):
    a, b = wall(content, store, "amber-bilby-14"), wall(content, store, "sunny-galah-45")
    assert post(a, "Something unkind about a classmate") and post(b, "The role-play was really useful")
    hide_post(store, "LIB3", ACTIVITY, "amber-bilby-14", "post-1")
    for page in (a, b, wall(content, store, "keen-possum-65")):
        discussion(page).refresh()
        assert "unkind" not in discussion(page).html and "role-play was really useful" in discussion(page).html
        assert discussion(page).posts == 1


def test_page_has_no_way_to_hide(content, store):
    def buttons(w):
        if isinstance(w, widgets.Button):
            yield w.description
        for child in getattr(w, "children", ()):
            yield from buttons(child)

    assert sorted(buttons(wall(content, store))) == ["Post"]


def test_check_refuses_comments_without_a_discussion(tmp_path, capsys):
    text = YAML.read_text()
    bad = tmp_path / "comments.yaml"
    bad.write_text(text[:text.index("discussion:")])
    assert main(["check", str(bad)]) == 1
    assert "discussion" in capsys.readouterr().out
