"""ClassBoard: the class's answers to one activity, redrawn as they arrive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from traitlets import Bool, Float, HasTraits, Int

from ..charts import plural
from ..errors import StoreUnavailable
from ..identity import pseudonym

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["ClassBoard", "LivePolling"]

# render(answers: learner -> {item -> answer}, you, names, sample_label) -> HTML (escaped by the renderer)
Renderer = Callable[..., str]


class LivePolling(HasTraits):
    """Mixin for views that redraw from the store: `refresh()` every `interval` seconds on the kernel's loop.

    No threads: widget updates stay on the kernel's asyncio loop. Bounded: a tab left open (or a
    kernel Voila failed to cull) stops polling after `_max_minutes`. Hosts provide `refresh()`,
    `_live_line` (an HTML widget) and `_max_minutes`.
    """

    interval = Float(2.0, help="Seconds between checks for new answers.")
    settle = Float(0.0, help="Seconds more to wait after a redraw: while answers stream in, fewer redraws.")
    live = Bool(True, help="Keep polling the store while the page is open.")
    # set by the widget class mixing this in (ClassBoard, DiscussionBoard)
    _max_minutes: float
    _live_line: widgets.HTML
    _task: asyncio.Task | None = None

    def refresh(self, force: bool = False) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        """Start polling on the kernel's event loop."""
        if self._task is None or self._task.done():
            try:  # a kernel runs cells inside its running loop; plain Python has none
                self._task = asyncio.get_running_loop().create_task(self._poll())
            except RuntimeError:  # no running loop: refresh() can still be called by hand
                self._task = None

    def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def close(self) -> None:
        self.stop()
        super().close()  # type: ignore[misc]  # a mixin: the widget class after it in the MRO has close()

    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_minutes * 60
        while loop.time() < deadline:
            await asyncio.sleep(max(self.interval, 0.5))
            if not self.live:
                return
            if self.refresh() and self.settle > 0:
                await asyncio.sleep(self.settle)
        self._live_line.value = "<span>Live updates stopped; reload the page to see the latest.</span>"


class ClassBoard(LivePolling, widgets.VBox):
    """A live board: polls the store cheaply, redraws when the class's answers change.

    With no answers from anyone else yet (or no reachable store), it shows a labelled sample class
    with the learner's own answers, so there is always something to compare with. A trainer's board
    (learner=None: the dashboard, the projector) shows the sample under `trainer_sample_label` (default:
    `sample_label`), or, with no sample, says the class has not answered yet: no words meant for a learner.
    """

    learners = Int(0, help="How many learners are on the board now (0 while the sample is shown).")
    # A class answering together changes the board every second or so, and each of 30 kernels would redraw
    # its copy every time (the whole board, to every page): after a redraw a board waits 3 s more, so it
    # shows new answers within 5 s while they stream in, and within 2 s once they trickle.
    settle = Float(3.0, help="Seconds more to wait after a redraw.")

    def __init__(self, store: LearnerStore, class_code: str, activity: str, render: Renderer, *,
                 learner: str | None = None,
                 title: str = "The class", sample: Mapping[str, Mapping[str, Any]] | None = None,
                 sample_label: str = "Sample class (synthetic)", show_names: bool = True,
                 max_minutes: float = 180, items: list[str] | None = None, live: bool = True,
                 trainer_sample_label: str | None = None,
                 **kwargs: Any) -> None:
        self._store = store
        self._class_code = class_code
        self._activity = activity
        self._render = render
        self._learner = learner
        self._sample = dict(sample or {})
        self._sample_label = sample_label
        self._trainer_sample_label = trainer_sample_label or sample_label
        self._show_names = show_names
        self._version: tuple[int, int] | None = None
        self._max_minutes = max_minutes
        self._items = items  # None: every item; else only these are read from the store
        self._chart = widgets.HTML("", _dom_classes=("lk-board-chart",))
        self._live_line = widgets.HTML("", _dom_classes=("lk-live",))
        heading = widgets.HTML(f"<h2 class='lk-board-title'>{escape(title)}</h2>")
        super().__init__(children=(heading, self._chart, self._live_line), live=live, **kwargs)
        self.add_class("lk-board-box")
        self.refresh(force=True)
        if self.live:
            self.start()

    def bind_learner(self, learner) -> None:
        """A learner's board built before they arrived: show their class, with them as "you"."""
        if self._learner is None:   # the trainer's board: nobody is "you"
            return
        self._class_code, self._learner, self._version = learner.class_code, learner.learner, None
        self.refresh(force=True)

    @property
    def html(self) -> str:
        """The board as drawn now (HTML)."""
        return self._chart.value

    def refresh(self, force: bool = False) -> bool:
        """Redraw if the class's answers changed (or when forced); True when redrawn."""
        try:
            version = self._store.version(self._class_code, self._activity)
            if not force and version == self._version:
                return False
            rows = self._store.current(self._class_code, self._activity, self._items)
            names = self._store.display_names(self._class_code) if self._show_names else {}
        except StoreUnavailable as exc:
            self._live_line.value = f"<span role='status'>Class results paused: {escape(str(exc))}.</span>"
            if self._version is None:
                self._draw({}, {}, offline=True)
            return False
        self._version = version
        answers: dict[str, dict[str, Any]] = {}
        for row in rows:
            answers.setdefault(row.learner, {})[row.item] = row.answer
        self._draw(answers, names)
        # a polite live region (lessonkit-a11y.js): screen readers hear the short line, not the whole board
        answered = f"answers from {plural(self.learners, 'learner')} so far; " if self.learners else ""
        self._live_line.value = (f"<span>Live: {answered}updates by itself as answers arrive.</span>" if self.live
                                 else "")
        return True

    def _draw(self, answers: dict[str, dict[str, Any]], names: Mapping[str, str], offline: bool = False) -> None:
        others = [lrn for lrn in answers if lrn != self._learner]
        if others:
            self.learners = len(answers)
            display = {lrn: names.get(lrn) or pseudonym(lrn) for lrn in answers}
            self._chart.value = self._render(answers, self._learner,
                                             names=display if self._show_names else None, sample_label=None)
            return
        self.learners = 0
        if self._learner is None:   # the trainer's board (dashboard, projector): nobody here is "you"
            if not self._sample:    # nothing to stand in for the class: the board says it is empty
                self._chart.value = self._render({}, None, names=None, sample_label=(
                    "The class store cannot be reached, so the class's answers cannot be shown." if offline else None))
                return
            label = self._trainer_sample_label
            if offline:
                label += " The class store cannot be reached, so the sample is shown."
            self._chart.value = self._render(dict(self._sample), None, names=None, sample_label=label)
            return
        # Nobody else yet: compare with the labelled sample class (plus the learner's own answers).
        mixed = dict(self._sample)
        if self._learner in answers:
            mixed[self._learner] = answers[self._learner]
        label = self._sample_label
        if offline:
            label += " The class store cannot be reached, so your answers are compared with a sample."
        self._chart.value = self._render(mixed, self._learner, names=None, sample_label=label)
