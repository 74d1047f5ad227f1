"""Ranking: put a few items in order with Up/Down buttons (no dragging), and say why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit.components.base import ANNOUNCE, LABEL_NEXT, ActivityView
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner
from lessonkit.model import Activity

from .scoring import valid_ranking

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore

__all__ = ["Ranking", "ranking_activity"]


def ranking_activity(slug: str) -> str:
    """The store activity a Ranking saves to by default: `<slug>.ranking`."""
    return f"{slug}.ranking"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class Ranking(ActivityView):
    """Order `items` (id, name) with Up/Down buttons, most important first, plus a short reason.

    Stored as its own part of the activity (`<slug>.ranking` unless `activity_id` says otherwise):
    {"order": [ids], "reason": text, "at": ISO time of the save}. The rows stay where they are and
    the names move, so a keyboard user's focus stays on the button they pressed.
    """

    def __init__(self, content: Activity, store: LearnerStore, learner: Learner, *, items: Sequence[tuple[str, str]],
                 prompt: str, reason_prompt: str = "Why did you put them in this order?",
                 reason_max_chars: int = 600, activity_id: str | None = None, title: str = "Rank them",
                 **kwargs: Any) -> None:
        if len(items) < 2 or len({i for i, _ in items}) != len(items):
            raise ValueError("a ranking needs at least 2 items with different ids")
        self.items = tuple((str(i), str(name)) for i, name in items)
        self.order: list[str] = [i for i, _ in self.items]
        self.reason_prompt = reason_prompt
        self.reason_max_chars = reason_max_chars
        super().__init__(content, store, learner, activity_id=activity_id or ranking_activity(content.slug),
                         title=title, instructions=prompt, **kwargs)
        self.add_class("lk-rank-view")

    # ---- public
    def move(self, item_id: str, step: int) -> bool:
        """Move an item up (step -1) or down (+1); False when it cannot move that way."""
        if item_id not in self.order or step not in (-1, 1):
            return False
        pos = self.order.index(item_id)
        new = pos + step
        if not 0 <= new < len(self.order):
            return False
        self.order[pos], self.order[new] = self.order[new], self.order[pos]
        self._redraw()
        self.announce.value = (f"<span role='status'>{escape(self._name(item_id))} moved "
                               f"{'up' if step < 0 else 'down'} to {_ordinal(new + 1)}.</span>")
        self._changed()
        return True

    # ---- ActivityView
    def _build_body(self) -> widgets.Widget:
        self.up: list[widgets.Button] = []
        self.down: list[widgets.Button] = []
        self.row_names: list[widgets.HTML] = []
        rows = []
        for pos in range(len(self.items)):
            name = widgets.HTML("", _dom_classes=("lk-rank-label",))
            up = widgets.Button(description="Up", icon="arrow-up", _dom_classes=("lk-rank-up",))
            down = widgets.Button(description="Down", icon="arrow-down", _dom_classes=("lk-rank-down",))
            up.on_click(partial(self._on_move, pos, -1))
            down.on_click(partial(self._on_move, pos, 1))
            self.row_names.append(name)
            self.up.append(up)
            self.down.append(down)
            rows.append(widgets.HBox([name, up, down], _dom_classes=("lk-rank-item",)))
        self.announce = widgets.HTML("", _dom_classes=("lk-rank-announce", ANNOUNCE))
        self.reason = widgets.Textarea(placeholder="A sentence or two in your own words",
                                       layout=widgets.Layout(width="100%", height="6rem"))
        self.reason.add_class("lk-rank-reason-text")
        self.counter = widgets.HTML("")
        self.reason.observe(self._on_reason, names="value")
        label = widgets.HTML(f"<p class='lk-rank-reason-label'><strong>{escape(self.reason_prompt)}</strong></p>",
                             _dom_classes=(LABEL_NEXT,))
        self._redraw()
        self._on_reason({})
        return widgets.VBox([widgets.VBox(rows, _dom_classes=("lk-rank-list",)), self.announce, label,
                             self.reason, self.counter], _dom_classes=("lk-rank",))

    def _collect(self) -> dict[str, Any]:
        return {"order": list(self.order), "reason": self.reason.value}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        ids = [i for i, _ in self.items]
        if set(answers) != {"order", "reason"} or not valid_ranking(ids, answers.get("order")):
            raise AnswerRejected("that is not an order of the items shown; use the Up and Down buttons")
        reason = answers.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AnswerRejected("say briefly why you ranked them this way (the reason box is empty)")
        reason = reason.strip()
        if len(reason) > self.reason_max_chars:
            raise AnswerRejected(f"your reason is {len(reason)} characters; please keep it under "
                                 f"{self.reason_max_chars}")
        return {"order": list(answers["order"]), "reason": reason,
                "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}

    def _show(self, answers: dict[str, Any]) -> None:
        if valid_ranking([i for i, _ in self.items], answers.get("order")):
            self.order = list(answers["order"])
            self._redraw()
        if isinstance(answers.get("reason"), str):
            self.reason.value = answers["reason"]

    # ---- private
    def _name(self, item_id: str) -> str:
        return dict(self.items)[item_id]

    def _redraw(self) -> None:
        last = len(self.order) - 1
        for pos, item_id in enumerate(self.order):
            name = self._name(item_id)
            self.row_names[pos].value = (f"<span class='lk-rank-pos'>{pos + 1}.</span> "
                                         f"<span class='lk-rank-text'>{escape(name)}</span>")
            self.up[pos].disabled = pos == 0
            self.down[pos].disabled = pos == last
            self.up[pos].tooltip = f"Move {name} up"
            self.down[pos].tooltip = f"Move {name} down"

    def _on_move(self, pos: int, step: int, _button: widgets.Button) -> None:
        # the kernel decides what is at that row now; a click on a disabled end button does nothing
        if 0 <= pos < len(self.order):
            self.move(self.order[pos], step)

    def _changed(self) -> None:
        self._mark_changed()

    def _on_reason(self, change: dict) -> None:
        used = len(self.reason.value)
        over = " lk-error" if used > self.reason_max_chars else ""
        self.counter.value = f"<span class='lk-count{over}'>{used} / {self.reason_max_chars} characters</span>"
        if change:
            self._changed()
