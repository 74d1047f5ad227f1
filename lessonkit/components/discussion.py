"""DiscussionBoard: learners post short answers to a prompt; the class's posts appear live for everyone.

Storage uses the ordinary store, so no schema change: a learner's posts are items `post-1`,
`post-2`, ... of the activity `<slug>.discussion` (each answer is the post's text; its time is the
row's `updated_at`). The trainer hides a post by storing a moderation record under
`<slug>.discussion.moderation`, learner `trainer`, item `<learner>/<post item>`, answer
`{"hidden": true}`; every board leaves hidden posts (and their words) out. Only kernel code can
write that record: nothing on a learner's page reaches `hide_post`.

Every limit (length, wait between posts, posts per learner) is checked in `_validate`, on the path
that stores, so a forged widget message cannot get round it.

A read-only board (`read_only=True`, e.g. `class_wall(...)` on the trainer's dashboard) shows only
the wall: no box, no Post button, and `submit()` refuses; `hide()` still works on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING, Any, cast

import ipywidgets as widgets
from traitlets import Int

from ..charts import discussion_wall
from ..errors import AnswerRejected, StoreUnavailable
from ..identity import Learner, pseudonym
from ..model import Activity, Discussion
from ..records import TRAINER
from ..scoring import common_words
from .base import ActivityView, local_time
from .board import LivePolling

if TYPE_CHECKING:
    from ..protocols import LearnerStore, TrainerStore

__all__ = ["DiscussionBoard", "class_wall", "hide_post", "moderation_activity", "MODERATOR", "POST_ITEM"]

POST_ITEM = re.compile(r"post-([1-9][0-9]{0,2})")
MODERATOR = TRAINER   # the store "learner" that moderation records are filed under ("trainer")


def moderation_activity(activity: str) -> str:
    """The store activity holding the trainer's moderation records for a discussion."""
    return f"{activity}.moderation"


def hide_post(store: TrainerStore, class_code: str, activity: str, learner: str, item: str,
              hidden: bool = True) -> None:
    """Hide (or, with hidden=False, show again) one post on every board of this discussion.

    Kernel-side only (the trainer dashboard calls it); no widget on a learner's page does.
    """
    if not POST_ITEM.fullmatch(item or ""):
        raise ValueError(f"item must be a post id such as 'post-1', got {item!r}")
    # force: the trainer may still moderate an activity they have locked.
    store.submit(class_code, moderation_activity(activity), MODERATOR, f"{learner}/{item}", {"hidden": bool(hidden)},
                 force=True)


def class_wall(content: Activity, store: LearnerStore, class_code: str, *, learner: str | None = None,
               show_names: bool = True,
               live: bool = True) -> DiscussionBoard:
    """The class's discussion wall alone, read-only (for the trainer, or any view without the post form).

    `learner` is highlighted as "you" (None: nobody); show_names=False shows every poster as "Anonymous".
    """
    viewer = Learner(class_code, learner or MODERATOR, None, "trainer")
    return DiscussionBoard(content, store, viewer, read_only=True, anonymise=not show_names, live=live)


class DiscussionBoard(LivePolling, ActivityView):
    """A box to post in, then the class's visible posts (newest first) beside their common words.

    With read_only=True only the board is shown (heading, wall, live line) and nothing can be posted.
    """

    posts = Int(0, help="How many posts are visible on the board now.")

    def __init__(self, content: Activity, store: LearnerStore, learner: Learner, *,
                 discussion: Discussion | None = None,
                 activity_id: str | None = None, anonymise: bool = False, live: bool = True,
                 read_only: bool = False, clock: Callable[[], datetime] | None = None, max_minutes: float = 180,
                 **kwargs: Any) -> None:
        found: Discussion | None = discussion or getattr(content, "discussion", None)
        if found is None:
            raise ValueError(f"{content.slug}: no discussion to show (give discussion= or content.discussion)")
        self.discussion: Discussion = found
        self.anonymise = anonymise          # projection mode: every poster is "Anonymous"
        self.read_only = read_only          # only the wall: no box, no Post button; submit() refuses
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._max_minutes = max_minutes
        self._version: tuple | None = None
        super().__init__(content, store, learner, activity_id=activity_id or f"{content.slug}.discussion",
                         title=self.discussion.title, instructions=self.discussion.prompt, **kwargs)
        self.add_class("lk-disc")
        self.submit_button.description = "Post"
        self.submit_button.icon = "paper-plane"
        self.submit_button.tooltip = "Post your answer to the class board"
        heading = widgets.HTML(f"<h2 class='lk-board-title'>{escape(self.discussion.board_title)}</h2>")
        self.wall = widgets.HTML("", _dom_classes=("lk-disc-board",))
        self._live_line = widgets.HTML("", _dom_classes=("lk-live",))
        board = widgets.VBox([heading, self.wall, self._live_line], _dom_classes=("lk-board-box", "lk-disc-box"))
        # mypy cannot see the trait ActivityView's VBox base sets in __init__
        shown: tuple[widgets.Widget, ...] = tuple(self.children)  # type: ignore[has-type]
        self.children = (board,) if read_only else (*shown, board)
        self.live = live
        self.refresh(force=True)
        if self.live:
            self.start()

    # ---- ActivityView
    def _build_body(self) -> widgets.Widget:
        if self.read_only:
            return widgets.VBox()
        self.text = widgets.Textarea(placeholder="Write your answer in a sentence or two",
                                     layout=widgets.Layout(width="100%", height="6rem"))
        self.text.add_class("lk-disc-text-box")
        self.counter = widgets.HTML("")
        self.text.observe(self._on_text, names="value")
        self._on_text({})
        return widgets.VBox([self.text, self.counter], _dom_classes=("lk-disc-form",))

    def _collect(self) -> dict[str, Any]:
        return {"text": self.text.value}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        d = self.discussion
        text = answers.get("text") if isinstance(answers, dict) and set(answers) == {"text"} else None
        if not isinstance(text, str):
            raise AnswerRejected("that is not a post; type your answer in the box and press Post")
        text = text.strip()
        if not text:
            raise AnswerRejected("write something in the box first")
        if len(text) > d.max_chars:
            raise AnswerRejected(f"your post is {len(text):,} characters long; the limit is {d.max_chars:,} "
                                 "characters. Shorten it and press Post again")
        if "\x00" in text or not _is_utf8(text):
            raise AnswerRejected("your post contains characters that cannot be saved; please retype it")
        mine = self._my_posts()   # from the store, so a reload or a second tab cannot reset the limits
        if len(mine) >= d.max_posts_per_learner:
            raise AnswerRejected(f"you have made {len(mine)} posts, the most allowed here "
                                 f"({d.max_posts_per_learner} per person)")
        if mine and d.min_seconds_between_posts:
            waited = (self._clock() - max(at for _n, at in mine)).total_seconds()
            left = d.min_seconds_between_posts - waited
            if left > 0:
                wait = max(1, int(left + 0.999))
                raise AnswerRejected(f"please wait {wait} more second{'s' if wait != 1 else ''} before posting "
                                     f"again (one post every {d.min_seconds_between_posts} seconds)")
        n = max((n for n, _at in mine), default=0) + 1
        return {f"post-{n}": text}

    def _show(self, answers: dict[str, Any]) -> None:
        """Posts are shown on the board, not put back in the box."""

    def restore(self) -> bool:
        """Nothing to put back in the box: the learner's earlier posts are on the board."""
        return False

    def submit(self) -> bool:
        """Validate and store the post; on success clear the box and redraw the board. A read-only board refuses."""
        if self.read_only or not super().submit():
            return False
        self.text.value = ""
        left = self.discussion.max_posts_per_learner - len(self._my_posts())
        self.status = (f"Posted at {local_time(self._clock())}. "
                       + (f"You can post {left} more time{'s' if left != 1 else ''}." if left > 0
                          else "That was your last post here."))
        self.refresh(force=True)
        return True

    # ---- public API
    @property
    def html(self) -> str:
        """The board as drawn now (HTML)."""
        return self.wall.value

    def moderation_list(self) -> list[dict[str, Any]]:
        """Every post, hidden ones included, newest first: {id, text, when, hidden} (for the trainer)."""
        return list(getattr(self, "_moderation", []))

    def hide(self, post_id: str, hidden: bool = True) -> None:
        """Hide (or show again) a post given as '<learner>/post-<n>' (kernel-side, for the trainer)."""
        learner, _, item = post_id.partition("/")
        # only the trainer's dashboard calls this, with the trainer's store (a learner's store has no force)
        hide_post(cast("TrainerStore", self._store), self._learner.class_code, self.activity_id, learner, item,
                  hidden)
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> bool:
        """Redraw if posts or moderation changed (or when forced); True when redrawn."""
        code = self._learner.class_code
        try:
            version = (self._store.version(code, self.activity_id),
                       self._store.version(code, moderation_activity(self.activity_id)))
            if not force and version == self._version:
                return False
            rows = self._store.current(code, self.activity_id)
            hidden = {r.item for r in self._store.current(code, moderation_activity(self.activity_id))
                      if r.learner == MODERATOR and isinstance(r.answer, dict) and r.answer.get("hidden")}
            names = {} if self.anonymise else self._store.display_names(code)
        except StoreUnavailable as exc:
            self._live_line.value = f"<span role='status'>Posts paused: {escape(str(exc))}.</span>"
            return False
        self._version = version
        posted = [r for r in rows if POST_ITEM.fullmatch(r.item) and isinstance(r.answer, str)]
        self._moderation = [{"id": f"{r.learner}/{r.item}", "text": r.answer, "when": local_time(r.updated_at),
                             "hidden": f"{r.learner}/{r.item}" in hidden}
                            for r in sorted(posted, key=lambda r: r.updated_at, reverse=True)]
        visible = [r for r in posted if f"{r.learner}/{r.item}" not in hidden]
        visible.sort(key=lambda r: (r.updated_at, int(r.item[5:])), reverse=True)
        me = self._learner.learner
        posts = [{"id": f"{r.learner}/{r.item}", "text": r.answer, "mine": r.learner == me and not self.anonymise,
                  "name": "Anonymous" if self.anonymise else (names.get(r.learner) or pseudonym(r.learner)),
                  "when": local_time(r.updated_at)} for r in visible]
        self.post_ids = [p["id"] for p in posts]
        self.posts = len(posts)
        empty = {"empty": "No posts yet. They appear here as the class posts them."} if self.read_only else {}
        self.wall.value = discussion_wall(posts, common_words(r.answer for r in visible), **empty)
        self._live_line.value = "<span>Live: new posts appear by themselves.</span>" if self.live else ""
        return True

    # ---- private
    def _my_posts(self) -> list[tuple[int, datetime]]:
        me = self._learner.learner
        return [(int(m.group(1)), r.updated_at) for r in self._store.current(self._learner.class_code, self.activity_id)
                if r.learner == me and (m := POST_ITEM.fullmatch(r.item))]

    def _on_text(self, change: dict) -> None:
        used, limit = len(self.text.value), self.discussion.max_chars
        over = " lk-error" if used > limit else ""
        self.counter.value = f"<span class='lk-count{over}'>{used:,} / {limit:,} characters</span>"


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
