"""One activity's page: its parts in order, each view wired to the class boards it feeds; and `find`, to
reach a part of a page by what it is (tests, the trainer's tools) instead of by attributes pinned on a box.

    page = ActivityPage([intro, quiz, board], feeds=[(quiz, board)])
    find(page, Quiz).assert_single()           # the quiz; fails unless there is exactly one
    find(page, ClassBoard).widgets             # every board, in page order
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import ipywidgets as widgets

__all__ = ["ActivityPage", "Found", "find", "in_page_order"]

W = TypeVar("W", bound=widgets.Widget)


class ActivityPage(widgets.VBox):
    """An activity's page: `parts` top to bottom; after each view in `feeds` is submitted, its boards redraw
    at once (not at their next poll), so a learner sees their own answer on the board straight away."""

    def __init__(self, parts: Sequence[widgets.Widget | None], *, feeds: Iterable[tuple[Any, Any]] = (),
                 classes: Sequence[str] = ()) -> None:
        super().__init__([p for p in parts if p is not None], _dom_classes=tuple(classes))
        for view, board in feeds:
            view.on_submit(lambda _view, _answers, board=board: board.refresh(force=True))

    def find(self, cls: type[W] | None = None, where: Callable[[widgets.Widget], bool] | None = None) -> Found[W]:
        """The widgets on this page that are `cls` (and pass `where`), in page order."""
        return find(self, cls, where)


def in_page_order(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """`root` and every widget below it (children only: not layouts or styles), top to bottom, each once."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        widget = todo.pop()
        if not isinstance(widget, widgets.Widget) or id(widget) in seen:
            continue
        seen.add(id(widget))
        yield widget
        todo.extend(reversed(tuple(getattr(widget, "children", ()) or ())))


class Found(Generic[W]):
    """What `find` found: `.widgets` in page order; `assert_single()` / `assert_empty()` say plainly when a
    page holds a different number than the caller expects."""

    def __init__(self, what: str, found: list[W]) -> None:
        self.what = what
        self.widgets = found

    def __len__(self) -> int:
        return len(self.widgets)

    def __iter__(self) -> Iterator[W]:
        return iter(self.widgets)

    @overload
    def __getitem__(self, index: int) -> W: ...
    @overload
    def __getitem__(self, index: slice) -> list[W]: ...
    def __getitem__(self, index: int | slice) -> W | list[W]:
        return self.widgets[index]

    def assert_single(self) -> W:
        """The one widget found; AssertionError saying how many there were otherwise."""
        if len(self.widgets) != 1:
            raise AssertionError(f"expected exactly one {self.what} on the page, found {len(self.widgets)}")
        return self.widgets[0]

    def assert_empty(self) -> None:
        if self.widgets:
            raise AssertionError(f"expected no {self.what} on the page, found {len(self.widgets)}")

    def first(self) -> W | None:
        return self.widgets[0] if self.widgets else None


def find(root: widgets.Widget, cls: type[W] | None = None,
         where: Callable[[widgets.Widget], bool] | None = None) -> Found[W]:
    """Every widget under `root` (itself included) that is a `cls` and passes `where`, in page order."""
    what = cls.__name__ if cls is not None else "widget"
    found = [w for w in in_page_order(root)
             if (cls is None or isinstance(w, cls)) and (where is None or where(w))]
    return Found(what, found)
