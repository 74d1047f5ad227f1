"""Pacing the class: the trainer's controls (on the dashboard) and the projector view (trainer/12-present).

Moving the class writes the store's pace record; every learner's session page follows it within a
second or two (lessonkit.session). Both views here read the pace back from the store, so a move made
on one shows on the other, and on a second trainer's screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import ipywidgets as widgets

from .components.base import ANNOUNCE, markdown, stylesheet
from .components.board import LivePolling
from .content import activities
from .datafiles import data_dir
from .errors import ContentError, StoreUnavailable
from .identity import normalise_class_code
from .model import Activity
from .records import NO_PACE, Pace
from .settings import Settings, settings_for

__all__ = ["PaceControls", "PresentView", "present"]


class PaceControls(widgets.VBox):
    """Where the class is, and the trainer's buttons to move it: previous, next, any activity, move freely."""

    def __init__(self, store: Any, class_code: str, items: list[Activity], *, compact: bool = False,
                 on_change=None) -> None:
        self._store, self.class_code, self._items = store, class_code, list(items)
        self._order: list[str | None] = [None] + [a.slug for a in self._items]
        self._by_slug = {a.slug: a for a in self._items}
        self._on_change = on_change
        self.pace: Pace = NO_PACE
        self.where = widgets.HTML("", _dom_classes=("lk-pace-where", ANNOUNCE))
        self.previous_button = widgets.Button(description="Previous", icon="arrow-left",
                                              tooltip="Move the class to the activity before")
        self.next_button = widgets.Button(description="Next", icon="arrow-right", button_style="primary",
                                          tooltip="Move the class to the next activity")
        self.previous_button.on_click(lambda _b: self.step(-1))
        self.next_button.on_click(lambda _b: self.step(+1))
        self.message = widgets.HTML("", _dom_classes=("lk-status",))
        rows: list[widgets.Widget] = [self.where,
                                      widgets.HBox([self.previous_button, self.next_button, self.message],
                                                   _dom_classes=("lk-footer", "lk-pace-buttons"))]
        self.picker = widgets.Dropdown(options=[("Session overview", "")] + [
            (f"{a.number:02d}. {a.title}", a.slug) for a in self._items], description="Move the class to",
            style={"description_width": "initial"}, layout=widgets.Layout(width="auto", max_width="100%"))
        self.move_button = widgets.Button(description="Move", icon="arrow-right")
        self.move_button.on_click(lambda _b: self.move(self.picker.value or None))
        self.free_box = widgets.Checkbox(value=False, description="Let learners move freely", indent=False)
        self.free_box.observe(self._on_free, names="value")
        if not compact:
            rows += [widgets.HBox([self.picker, self.move_button], _dom_classes=("lk-footer",)), self.free_box]
        super().__init__(rows, _dom_classes=("lk-pace",))
        self.read()

    # ---- reading
    def read(self) -> bool:
        """Read the pace from the store; True when it changed (the view redraws)."""
        try:
            pace = self._store.pace(self.class_code)
        except StoreUnavailable as exc:
            self._say(f"Cannot read where the class is: {exc}.", error=True)
            return False
        changed = pace != self.pace
        self.pace = pace
        self._draw()
        return changed

    @property
    def activity(self) -> Activity | None:
        """The activity the class is on (None: the overview, or not started)."""
        return self._by_slug.get(self.pace.activity or "")

    def _draw(self) -> None:
        a = self.activity
        i = self._order.index(a.slug if a else None)
        self.previous_button.disabled = i == 0
        self.next_button.disabled = i == len(self._order) - 1
        nxt = self._by_slug.get(self._order[i + 1] or "") if i + 1 < len(self._order) else None
        self.next_button.tooltip = (f"Move the class to {nxt.number:02d}. {nxt.title}" if nxt
                                    else "This is the last activity")
        now = (f"<strong>{a.number:02d}. {escape(a.title)}</strong>" if a else
               "<strong>the session overview</strong>" if self.pace.seq else "<strong>not started</strong>")
        how = "Learners may also move freely." if self.pace.free else "Every learner's page follows you."
        self.where.value = f"<p class='lk-pace-now'>The class is on {now}. {how}</p>"
        self.picker.value = a.slug if a else ""
        if self.free_box.value != self.pace.free:
            self._syncing = True
            try:
                self.free_box.value = self.pace.free
            finally:
                self._syncing = False

    _syncing = False

    # ---- moving
    def move(self, slug: str | None) -> bool:
        """Move the class to an activity (None: the overview)."""
        if slug is not None and slug not in self._by_slug:
            return False
        return self._write(activity=slug)

    def step(self, by: int) -> bool:
        """Move the class to the activity before (-1) or after (+1)."""
        i = self._order.index(self.activity.slug if self.activity else None) + by
        return 0 <= i < len(self._order) and self.move(self._order[i])

    def set_free(self, free: bool) -> bool:
        """Let learners move between activities by themselves (or follow the trainer only)."""
        return self._write(free=bool(free))

    def _on_free(self, change: dict) -> None:
        if not self._syncing and change["new"] != self.pace.free:
            self.set_free(change["new"])

    def _write(self, **change: Any) -> bool:
        try:
            self.pace = self._store.set_pace(self.class_code, **change)
        except StoreUnavailable as exc:
            self._say(f"Not moved: {exc}.", error=True)
            return False
        self._draw()
        self._say("")
        if self._on_change is not None:
            self._on_change(self.pace)
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        kind, role = ("lk-error", "alert") if error else ("lk-ok", "status")
        self.message.value = f"<span class='{kind}' role='{role}'>{escape(text)}</span>" if text else ""


class PresentView(LivePolling, widgets.VBox):
    """The projector: the class's activity in large type, how to join, its live board; previous and next."""

    def __init__(self, store: Any, class_code: str, join_url: str | None = None, *, live: bool = True,
                 items: list[Activity] | None = None, max_minutes: float = 300, settings: Settings | None = None,
                 **kwargs: Any) -> None:
        """`settings`: the content folder the activities are read from (without them, the default one)."""
        from .charts import qr_svg

        self._store, self.class_code, self.join_url = store, class_code, join_url
        self._max_minutes = max_minutes
        problem = ""
        data = data_dir(settings if settings is not None else Settings())
        try:
            self._items = list(items) if items is not None else activities(data / "activities", data=data)
        except ContentError as exc:
            self._items, problem = [], str(exc)
        self.boards: list[widgets.Widget] = []
        self.controls = PaceControls(store, class_code, self._items, compact=True, on_change=lambda _p: self._redraw())
        self._live_line = widgets.HTML("", _dom_classes=("lk-live",))
        join = ""
        if join_url:
            join = (f"<div class='lk-present-join'><div class='lk-qr'>{qr_svg(join_url, label='QR code to join')}"
                    f"</div><p>Join: <strong>{escape(join_url)}</strong><br>Class code "
                    f"<strong class='lk-present-code'>{escape(class_code)}</strong></p></div>")
        self._join = widgets.HTML(join)
        self._title = widgets.HTML("", _dom_classes=("lk-present-title",))
        self._instructions = widgets.HTML("", _dom_classes=("lk-present-instructions",))
        self._board_area = widgets.VBox([], _dom_classes=("lk-present-board",))
        err = widgets.HTML(f"<p class='lk-error' role='alert'>{escape(problem)}</p>") if problem else widgets.HTML("")
        super().__init__(children=(stylesheet(), err, self._title, self._join, self._instructions, self.controls,
                                   self._board_area, self._live_line), live=live, interval=1.0, **kwargs)
        self.add_class("lk-page")
        self.add_class("lk-present")
        self._redraw()
        if live:
            self.start()

    def refresh(self, force: bool = False) -> bool:
        """Follow a move made elsewhere (the dashboard); True when the view was redrawn."""
        if self.controls.read() or force:
            self._redraw()
            return True
        return False

    def _redraw(self) -> None:
        from .pages import boards

        a = self.controls.activity
        for old in self.boards:
            old.close()
        self.boards = []
        if a is None:
            self._title.value = "<h1 class='lk-title'>Welcome: join the class</h1>"
            self._instructions.value = "<p>Scan the code or type the address, then wait for the first activity.</p>"
            self._board_area.children = ()
            return
        self._title.value = f"<h1 class='lk-title'>{a.number:02d}. {escape(a.title)}</h1>"
        self._instructions.value = markdown(a.instructions)
        try:
            self.boards = boards(a, self._store, self.class_code, show_names=False, live=self.live)
        except StoreUnavailable as exc:
            self.boards = [widgets.HTML(f"<p class='lk-error' role='alert'>The board cannot be shown: "
                                        f"{escape(str(exc))}.</p>")]
        self._board_area.children = tuple(self.boards)

    def close(self) -> None:
        for board in self.boards:
            board.close()
        super().close()


def present(*, store: Any = None, env: Mapping[str, str] | None = None,
            settings: Settings | None = None) -> widgets.Widget:
    """The projector view (trainer/12-present.ipynb), or a refusal when the kernel is not the trainer's.

    Runs with `settings`, else those of `env`, else this process's environment."""
    from .service import open_store
    from .trainer_gate import refusal, trainer_allowed

    settings = settings_for(settings, env)
    allowed, why = trainer_allowed(settings)
    if not allowed:
        return refusal("Projector view", why)
    store = store or open_store(upgrade=True, settings=settings)
    class_code = normalise_class_code(settings.class_code) or "DEMO"
    return PresentView(store, class_code, settings.join_url, settings=settings)
