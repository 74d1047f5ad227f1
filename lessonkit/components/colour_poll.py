"""ColourPoll: a colour for each day of the week, from named swatches."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from ..charts import and_list, text_colour_for
from ..content import ColourDays
from ..errors import AnswerRejected
from .base import LABEL_NEXT, ActivityView, stylesheet

__all__ = ["ColourPoll"]


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
