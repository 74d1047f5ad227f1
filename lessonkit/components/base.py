"""What every activity shares: title, instructions, submit, a status line, restore and validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from ipywidgets.widgets.widget import CallbackDispatcher
from traitlets import Bool, Unicode

from ..errors import AnswerRejected, StoreUnavailable
from ..identity import Learner
from ..model import Activity

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["ActivityView", "markdown", "stylesheet", "stylesheet_text", "local_time", "LABEL_NEXT", "ANNOUNCE",
           "bind_learner", "PLACEHOLDER_ID", "send_a11y_script"]

# Classes read by the page template's script (lessonkit-a11y.js), since ipywidgets cannot set ARIA
# attributes: an HTML widget with LABEL_NEXT names the control that follows it (aria-labelledby); one
# with ANNOUNCE is a polite live region, so screen readers read its new content when Python changes it.
LABEL_NEXT = "lk-label-next"
ANNOUNCE = "lk-announce"


@lru_cache(maxsize=1)
def _md():
    import mistune  # ships with nbconvert, which Voila needs anyway

    return mistune.create_markdown(escape=True)  # raw HTML in content is shown as text, never run


def markdown(text: str) -> str:
    """Markdown to HTML with any raw HTML escaped."""
    return _md()(text or "")


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("lessonkit").joinpath("assets/lessonkit.css").read_text(encoding="utf-8")


def stylesheet_text() -> str:
    """The kit's CSS, for documents made outside a page (e.g. a downloadable summary)."""
    return _css()


def stylesheet(extra: str = "") -> widgets.HTML:
    """An (invisible) HTML widget carrying the kit's stylesheet plus any generated rules."""
    return widgets.HTML(f"<style>{_css()}\n{extra}</style>", layout=widgets.Layout(display="none"))


@lru_cache(maxsize=1)
def _a11y_js() -> str:
    path = "jupyter_data/voila/templates/lessonkit/static/lessonkit-a11y.js"
    return resources.files("lessonkit").joinpath(path).read_text(encoding="utf-8")


def send_a11y_script(voila: bool) -> None:
    """In JupyterLab, run lessonkit-a11y.js (radio groups, labels, live regions) in the page, as lessonkit's
    Voila template does: one output of the kit's own script (the script runs once per browser page).
    Nothing outside a notebook kernel, nothing under Voila (its template has the script already)."""
    if voila:
        return
    from IPython import get_ipython

    if getattr(get_ipython(), "kernel", None) is None:
        return
    from IPython.display import Javascript, display

    display(Javascript(_a11y_js()))


# The learner a page is built for before anyone has arrived (a preheated kernel); never a real id.
PLACEHOLDER_ID = "nobody-yet-0"


def bind_learner(root: widgets.Widget, learner: Learner) -> None:
    """Hand a page built for the placeholder learner to the real one.

    Every widget in the tree with a `bind_learner(learner)` method (activities, the learner's class
    boards) takes the learner, restores their earlier answers and redraws; nothing else is rebuilt.
    Children are bound before their containers, so a container may follow what its parts restored.
    """
    order: list[widgets.Widget] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        widget = todo.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        order.append(widget)
        todo.extend(getattr(widget, "children", ()))
    for widget in reversed(order):      # every child comes after its container in `order`
        bind = getattr(widget, "bind_learner", None)
        if callable(bind):
            bind(learner)


def local_time(moment: datetime) -> str:
    """'14:05' in the kernel's local time zone."""
    return moment.astimezone().strftime("%H:%M")


class ActivityView(widgets.VBox):
    """Base of every activity: subclasses build `body` and implement _collect/_validate/_show."""

    status = Unicode("", help="What the status line says: 'Saved ...' or 'Not saved: <reason>'.")
    saved = Bool(False, help="True when what is on screen is what the store holds.")

    def __init__(self, content: Activity, store: LearnerStore, learner: Learner, *, activity_id: str | None = None,
                 title: str | None = None, instructions: str | None = None, **kwargs: Any) -> None:
        self.content = content
        self.activity_id = activity_id or content.slug  # the store key; a part of a page may use its own
        self._store = store
        self._learner = learner
        self._submit_handlers = CallbackDispatcher()
        title = content.title if title is None else title
        main = title is content.title   # the activity's own title heads the page; a part's title is below it
        intro = getattr(content, "intro", "") if main else ""
        tag = "h1" if main else "h2"
        self._title = widgets.HTML(f"<{tag} class='lk-title'>{escape(title)}</{tag}>" if title else "")
        self._instructions = widgets.HTML(
            markdown(intro) + markdown(content.instructions if instructions is None else instructions),
            _dom_classes=("lk-instructions",))
        self.submit_button = widgets.Button(description="Submit", button_style="primary", icon="check",
                                            tooltip="Save your answer and share it with the class")
        self.submit_button.add_class("lk-submit")
        self._status_line = widgets.HTML("", _dom_classes=("lk-status",))
        self.submit_button.on_click(self._on_submit_click)
        self.observe(self._on_status, names="status")
        self.body = self._build_body()
        footer = widgets.HBox([self.submit_button, self._status_line], _dom_classes=("lk-footer",))
        super().__init__(children=(self._title, self._instructions, self.body, footer), **kwargs)
        self.add_class("lk-activity")
        self.restore()
        self._note_lock()

    # ---- for subclasses
    def _build_body(self) -> widgets.Widget:
        raise NotImplementedError

    def _collect(self) -> dict[str, Any]:
        """The answers on screen, item -> answer."""
        raise NotImplementedError

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Check answers in the kernel; raise AnswerRejected with a message for the learner."""
        raise NotImplementedError

    def _show(self, answers: dict[str, Any]) -> None:
        """Put stored answers back on screen."""
        raise NotImplementedError

    def _mark_changed(self, what_next: str = "press Submit to save") -> None:
        """The learner changed a saved answer: say so until they submit again."""
        if self.saved:
            self.saved = False
            self.status = f"Changed: {what_next}."

    def _after_save(self, answers: dict[str, Any]) -> None:
        """Run after a successful save, e.g. to show feedback on the stored answers."""

    # ---- public API
    def on_submit(self, callback: Callable[[ActivityView, dict[str, Any]], None], remove: bool = False) -> None:
        """Register a callback run after a successful save, with (view, answers)."""
        self._submit_handlers.register_callback(callback, remove=remove)

    def submit(self) -> bool:
        """Validate and store what is on screen; True when saved. The answer stays on screen either way."""
        try:
            answers = self._validate(self._collect())
            saved_at = self._store.submit_many(self._learner.class_code, self.activity_id,
                                               self._learner.learner, answers)
        except AnswerRejected as exc:
            self._not_saved(str(exc))
            return False
        except StoreUnavailable as exc:
            self._not_saved(f"{exc}. Your answer is still here: press Submit again in a moment.")
            return False
        self.saved = True
        self.status = f"Saved at {local_time(saved_at)}. You can change your answer and submit again."
        self._after_save(answers)
        self._submit_handlers(self, answers)
        return True

    def restore(self) -> bool:
        """Show the learner's earlier answer, if the store has one; True when something was restored."""
        try:
            answers = self._store.answers_for(self._learner.class_code, self.activity_id, self._learner.learner)
        except StoreUnavailable as exc:
            self.saved = False
            self.status = (f"{str(exc).capitalize()}, so any earlier answer could not be loaded. "
                           "You can still answer: Submit says whether it was saved.")
            return False
        if not answers:
            return False
        self._show(answers)
        self.saved = True
        self.status = "Your earlier answer is back. Change it and submit again if you like."
        return True

    def bind_learner(self, learner: Learner) -> None:
        """Serve another learner with this (untouched) view: their earlier answer, their lock notice."""
        self._learner = learner
        self.saved = False
        self.status = ""
        self._status_line.value = ""   # as on a fresh view: no empty alert left behind
        self.restore()
        self._note_lock()

    # ---- private
    def _note_lock(self) -> None:
        """Say so at once when the trainer has closed this activity (the store refuses submits anyway)."""
        try:
            locked = self._store.is_locked(self._learner.class_code, self.activity_id)
        except StoreUnavailable:  # submit will say so
            return
        if locked:
            self.status = ("The trainer has closed this activity for now: you can read it and change your "
                           "answers, but Submit will not save until the trainer opens it again.")

    def _not_saved(self, reason: str) -> None:
        self.saved = False
        self.status = f"Not saved: {reason}"

    def _on_submit_click(self, _button: widgets.Button) -> None:
        self.submit()

    def _on_status(self, change: dict) -> None:
        kind = "lk-ok" if self.saved else "lk-error"
        role = "status" if self.saved else "alert"
        self._status_line.value = f'<span class="{kind}" role="{role}">{escape(change["new"])}</span>'


def walk(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget in a tree (children, layouts and styles included), each once."""
    found, seen, todo = [], set(), [root]
    while todo:
        w = todo.pop()
        if not isinstance(w, widgets.Widget) or id(w) in seen:
            continue
        seen.add(id(w))
        found.append(w)
        todo.extend(getattr(w, "children", ()) or ())
        for name in ("layout", "style"):
            part = getattr(w, name, None)
            if isinstance(part, widgets.Widget):
                todo.append(part)
    return found


def close_tree(root: widgets.Widget) -> None:
    """Close a page and everything in it (its boards stop; the browser forgets its models)."""
    for w in reversed(walk(root)):
        w.close()
