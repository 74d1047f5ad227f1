"""Class Activity 3's page: ColourPoll (a colour for each day of the week, from named swatches), then the
live class board."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit.charts import and_list, text_colour_for
from lessonkit.components.base import LABEL_NEXT, ActivityView, markdown, stylesheet
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import colour_days_board
from .model import ColourDays

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["ColourPoll", "colour_days_boards", "colour_days_page"]


class ColourPoll(ActivityView):
    """One row of named colour swatches per day; the colour name is always printed on the swatch."""

    content: ColourDays

    def _build_body(self) -> widgets.Widget:
        c = self.content
        self.pickers: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = [stylesheet(_swatch_css(c))]
        prompts = " ".join(f"<p>{escape(p)}</p>" for p in (c.think_prompt, c.picture_prompt) if p)
        if prompts:
            rows.append(widgets.HTML(f"<div class='lk-prompts'>{prompts}</div>"))
        for day in c.days:
            picker = widgets.ToggleButtons(
                options=[col.name for col in c.colours], value=None,
                tooltips=[f"{day}: {col.name}" for col in c.colours],
                style={"button_width": "auto"}, description="", layout=widgets.Layout(width="auto"),
            )
            picker.add_class("lk-swatches")
            picker.observe(self._on_pick, names="value")
            self.pickers[c.item(day)] = picker
            label = widgets.HTML(f"<span class='lk-day-label'>{escape(day)}</span>", _dom_classes=(LABEL_NEXT,))
            rows.append(widgets.VBox([label, picker], _dom_classes=("lk-day-row",)))
        return widgets.VBox(rows, _dom_classes=("lk-colour-poll",))

    def _collect(self) -> dict[str, Any]:
        return {item: picker.value for item, picker in self.pickers.items()}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        allowed = {col.name for col in self.content.colours}
        missing = [d for d in self.content.days if answers.get(self.content.item(d)) is None]
        if missing:
            raise AnswerRejected(f"pick a colour for {and_list(missing)} first")
        unexpected = set(answers) - set(self.pickers)
        bad = [item for item, v in answers.items() if v not in allowed]
        if unexpected or bad:
            raise AnswerRejected("that colour is not one of the choices; pick one of the swatches")
        return {item: answers[item] for item in self.pickers}

    def _show(self, answers: dict[str, Any]) -> None:
        allowed = {col.name for col in self.content.colours}
        for item, picker in self.pickers.items():
            if answers.get(item) in allowed:
                picker.value = answers[item]

    def pick(self, day: str, colour: str) -> None:
        """Choose a colour for a day, as a click on its swatch would."""
        self.pickers[self.content.item(day)].value = colour

    def _on_pick(self, _change: dict) -> None:
        self._mark_changed()


def _swatch_css(c: ColourDays) -> str:
    # Colours come from validated content (#RRGGBB), so this CSS is built from safe values only.
    rules = []
    for i, col in enumerate(c.colours, start=1):
        fg = text_colour_for(col.hex)
        rules.append(f".lk-swatches .widget-toggle-button:nth-of-type({i}){{background:{col.hex};color:{fg}}}")
    return "\n".join(rules)


def colour_days_boards(content: ColourDays, store: LearnerStore, class_code: str, *, learner: str | None = None,
                       show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """Class Activity 3's class board (learner: who is "you", None for the trainer)."""
    palette = {c.name: c.hex for c in content.colours}
    sample = content.sample_class
    return [ClassBoard(
        store, class_code, content.slug,
        render=partial(colour_days_board, content.days, palette, lesson_html=markdown(content.lesson)),
        learner=learner, title=content.board_title, show_names=show_names, live=live,
        sample={f"sample-{i}": {k: v for k, v in row.items() if k != "learner"}
                for i, row in enumerate(sample.rows if sample else ())},
        sample_label=sample.label if sample else "No sample class",
    )]


def colour_days_page(content: ColourDays, store: LearnerStore, learner: Learner, *,
                     settings: Settings | None = None) -> ActivityPage:
    """Class Activity 3: the poll, then the live class board."""
    poll = ColourPoll(content, store, learner)
    [board] = colour_days_boards(content, store, learner.class_code, learner=learner.learner)
    return ActivityPage([poll, board], feeds=[(poll, board)])
