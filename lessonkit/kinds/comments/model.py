"""The comments-wall content: an intro and the discussion the class posts to."""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.convert import Ctx, field_meta
from lessonkit.model import Activity, Discussion

__all__ = ["Comments"]


@dataclass(frozen=True)
class Comments(Activity):
    """Notebook 10: an intro, then a class comments wall on the DiscussionBoard (trainer-moderated)."""

    intro: str = field(default="", metadata=field_meta("Markdown shown before the instructions"))
    discussion: Discussion | None = field(default=None, metadata=field_meta("the comments wall: prompt and limits",
                                                                           required=True))

    def _finish(self, data: dict, ctx: Ctx) -> Comments:
        if self.discussion is None:
            ctx.fail("discussion", "a discussion (prompt, limits)", getattr(data, "line", 1),
                     detail="missing; expected a discussion with at least a prompt")
        return self
