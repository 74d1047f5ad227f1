"""Sorter: statements sorted into named categories with buttons (no dragging), with feedback per item."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit.components.base import ANNOUNCE, LABEL_NEXT, ActivityView
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.components.reflection import Reflection
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import sorter_board
from .model import Sorter as SorterContent
from .scoring import sort_outcome

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["Sorter", "sorter_boards", "sorter_page"]


class Sorter(ActivityView):
    """One row of category buttons per item; Submit shows right/wrong and the explanation for each."""

    content: SorterContent

    def _build_body(self) -> widgets.Widget:
        c = self.content
        self.choices: dict[str, widgets.ToggleButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.summary = widgets.HTML("", _dom_classes=("lk-sort-summary", ANNOUNCE))
        cards: list[widgets.Widget] = []
        for n, item in enumerate(c.items, start=1):
            buttons = widgets.ToggleButtons(options=[(cat.name, cat.id) for cat in c.categories], value=None,
                                            style={"button_width": "auto"}, layout=widgets.Layout(width="auto"))
            buttons.add_class("lk-sort-choice")
            buttons.observe(partial(self._on_choice, item.id), names="value")
            self.choices[item.id] = buttons
            self.feedback[item.id] = widgets.HTML("")
            text = widgets.HTML(f"<p class='lk-sort-text'><strong>{n}.</strong> {escape(item.text)}</p>",
                                _dom_classes=(LABEL_NEXT,))
            cards.append(widgets.VBox([text, buttons, self.feedback[item.id]], _dom_classes=("lk-sort-card",)))
        return widgets.VBox([*cards, self.summary], _dom_classes=("lk-sorter",))

    def _collect(self) -> dict[str, Any]:
        return {item_id: buttons.value for item_id, buttons in self.choices.items()}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        allowed = {cat.id for cat in self.content.categories}
        missing = [n for n, item in enumerate(self.content.items, start=1) if answers.get(item.id) is None]
        if missing:
            listed = ", ".join(map(str, missing[:6])) + (" ..." if len(missing) > 6 else "")
            raise AnswerRejected(f"sort every item first (still to sort: {listed})")
        if set(answers) != set(self.choices) or any(v not in allowed for v in answers.values()):
            raise AnswerRejected("that is not one of the categories; use the buttons under each item")
        return dict(answers)

    def _show(self, answers: dict[str, Any]) -> None:
        allowed = {cat.id for cat in self.content.categories}
        for item_id, buttons in self.choices.items():
            if answers.get(item_id) in allowed:
                buttons.value = answers[item_id]
        self._give_feedback(answers)

    def _after_save(self, answers: dict[str, Any]) -> None:
        self._give_feedback(answers)

    def _give_feedback(self, answers: dict[str, Any]) -> None:
        c = self.content
        outcome = sort_outcome({i.id: i.category for i in c.items}, answers)
        names = {cat.id: cat.name for cat in c.categories}   # every item's category is one (checked on load)
        for item in c.items:
            name = escape(names[item.category])
            if item.id in outcome.right:
                self.feedback[item.id].value = (f"<p class='lk-feedback lk-right'><strong>&#10003; Right: "
                                                f"{name}.</strong> {escape(item.explanation)}</p>")
            elif item.id in outcome.wrong:
                self.feedback[item.id].value = (f"<p class='lk-feedback lk-wrong'><strong>&#10007; Not quite: "
                                                f"this is {name}.</strong> {escape(item.explanation)}</p>")
        self.summary.value = (f"<p class='lk-sort-score' role='status'><strong>You sorted {len(outcome.right)} "
                              f"of {outcome.total} the way the answer key does.</strong></p>")

    def _on_choice(self, item_id: str, _change: dict) -> None:
        self.feedback[item_id].value = ""  # feedback was about the old choice
        self._mark_changed("press Submit to save and see the feedback")


def sorter_boards(content: SorterContent, store: LearnerStore, class_code: str, *, learner: str | None = None,
                  show_names: bool = True, live: bool = True, discussion: bool = True) -> list[widgets.Widget]:
    """The class board, then (if the YAML has one and discussion=True) the discussion wall, read-only.

    learner: who is "you" (None for the trainer). The page passes discussion=False: it shows the learner's
    own DiscussionBoard (post form and wall) in that place instead.
    """
    sample = content.sample_class
    boards: list[widgets.Widget] = [ClassBoard(
        store, class_code, content.slug,
        render=partial(sorter_board, [(i.id, i.text, i.category) for i in content.items],
                       [(c.id, c.name) for c in content.categories]),
        learner=learner, title=content.board_title, show_names=show_names, live=live,
        sample={f"sample-{n}": {k: v for k, v in row.items() if k != "learner"}
                for n, row in enumerate(sample.rows if sample else ())},
        sample_label=sample.label if sample else "No sample class",
    )]
    if discussion and content.discussion is not None:
        from lessonkit.components.discussion import class_wall  # only pages with a discussion load it

        boards.append(class_wall(content, store, class_code, learner=learner, show_names=show_names, live=live))
    return boards


def sorter_page(content: SorterContent, store: LearnerStore, learner: Learner, *,
                settings: Settings | None = None) -> ActivityPage:
    """The sorter, then the clip and reflection if the YAML has them, the class board, then any discussion."""
    sorter = Sorter(content, store, learner)
    [board] = sorter_boards(content, store, learner.class_code, learner=learner.learner, discussion=False)
    parts: list[widgets.Widget] = [sorter]
    reflection = None
    if content.reflection is not None:
        reflection = Reflection(content, store, learner)
    if content.media is not None:
        from lessonkit.components.media import MediaGate  # only pages with a clip load it

        # Someone who already reflected comes back to their reflection; the clip can be re-opened.
        parts.append(MediaGate(content.media, reflection, finished=bool(reflection and reflection.saved),
                               can_reopen=True))
    elif reflection is not None:
        parts.append(reflection)
    parts.append(board)
    if content.discussion is not None:
        from lessonkit.components.discussion import DiscussionBoard  # only pages with a discussion load it

        parts.append(DiscussionBoard(content, store, learner))
    return ActivityPage(parts, feeds=[(sorter, board)])
