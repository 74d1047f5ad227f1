"""Comments wall (notebook 10): an intro, then the class's comments on a DiscussionBoard.

Posts are stored as any discussion's (`<slug>.discussion`, items `post-N`); the trainer hides one
with `lessonkit.components.discussion.hide_post(...)`. Nothing on this page can hide a post.
`comments_boards` gives the wall alone, read-only, for the trainer's dashboard.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import ipywidgets as widgets

from lessonkit.components.base import markdown
from lessonkit.components.discussion import DiscussionBoard, class_wall
from lessonkit.components.page import ActivityPage
from lessonkit.identity import Learner

from .model import Comments

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["comments_boards", "comments_page"]


def comments_boards(content: Comments, store: LearnerStore, class_code: str, *, learner: str | None = None,
                    show_names: bool = True, live: bool = True, discussion: bool = True) -> list[widgets.Widget]:
    """The comments wall, read-only (learner: who is "you", None for the trainer).

    With discussion=False it returns []: the page shows the learner's own DiscussionBoard (post form and wall)
    instead, so it builds no board from here.
    """
    if not discussion:
        return []
    return [class_wall(content, store, class_code, learner=learner, show_names=show_names, live=live)]


def comments_page(content: Comments, store: LearnerStore, learner: Learner, *,
                  settings: Settings | None = None) -> ActivityPage:
    """The intro and instructions, then the comments wall."""
    intro = widgets.HTML(f"<h1 class='lk-title'>{escape(content.title)}</h1>"
                         f"<div class='lk-instructions lk-cmt-intro'>{markdown(content.intro)}"
                         f"{markdown(content.instructions)}</div>")
    wall = DiscussionBoard(content, store, learner)
    wall.add_class("lk-cmt-wall")
    return ActivityPage([intro, wall], classes=("lk-cmt",))
