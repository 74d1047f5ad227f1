"""JoinForm: how a learner without a link joins a class."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from ipywidgets.widgets.widget import CallbackDispatcher

from ..identity import Learner, clean_display_name, new_learner_id, normalise_class_code, pseudonym

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["JoinForm"]


class JoinForm(widgets.VBox):
    """Class code, optional display name and a generated pseudonym; Join hands a Learner to callbacks.

    With a store, joining makes a session: the Learner carries its secret token, and the page offers a
    personal link (`?s=<token>`) that brings the learner back, here or on another device.
    """

    def __init__(self, class_code: str | None = None, *, store: LearnerStore | None = None, **kwargs: Any) -> None:
        self._store = store
        self._learner_id = new_learner_id()
        self._join_handlers = CallbackDispatcher()
        self.class_code = widgets.Text(value=class_code or "", description="Class code",
                                       placeholder="e.g. LIB3", style={"description_width": "7rem"})
        self.display_name = widgets.Text(value="", description="Your name", placeholder="optional",
                                         style={"description_width": "7rem"})
        self._alias = widgets.HTML()
        self.another = widgets.Button(description="Another name", icon="refresh",
                                      tooltip="Pick a different made-up name")
        self.join_button = widgets.Button(description="Join", button_style="primary", icon="sign-in")
        self.message = widgets.HTML("", _dom_classes=("lk-status",))
        self.another.on_click(self._on_another)
        self.join_button.on_click(lambda _b: self.join())
        self._show_alias()
        intro = widgets.HTML("<h1 class='lk-title'>Join the class</h1><p>Enter the class code your trainer shows. "
                             "A name is optional: without one you appear under a made-up name.</p>")
        super().__init__(children=(intro, self.class_code, self.display_name,
                                   widgets.HBox([self._alias, self.another], _dom_classes=("lk-footer",)),
                                   widgets.HBox([self.join_button, self.message], _dom_classes=("lk-footer",))),
                         **kwargs)
        self.add_class("lk-join")

    @property
    def learner_id(self) -> str:
        """The generated pseudonym id this form will join with."""
        return self._learner_id

    def on_join(self, callback: Callable[[Learner], None], remove: bool = False) -> None:
        """Register a callback run with the new Learner when the learner joins."""
        self._join_handlers.register_callback(callback, remove=remove)

    def join(self) -> Learner | None:
        """Check the form; hand the Learner to the callbacks, or say what to fix."""
        code = normalise_class_code(self.class_code.value)
        if not code:
            self.message.value = ('<span class="lk-error" role="alert">Not joined: the class code is 3 to 12 '
                                  'letters or digits (ask your trainer).</span>')
            return None
        name = clean_display_name(self.display_name.value)
        if self._store is None:
            learner = Learner(code, self._learner_id, name, "form")
        else:
            from ..errors import StoreUnavailable

            try:
                learner_id, token = self._store.join(code, learner=self._learner_id, display_name=name)
            except (StoreUnavailable, ValueError) as exc:
                self.message.value = f'<span class="lk-error" role="alert">Not joined: {escape(str(exc))}.</span>'
                return None
            learner = Learner(code, learner_id, name, "link", token=token)
        self.message.value = ""
        self._join_handlers(learner)
        return learner

    def _on_another(self, _button: widgets.Button) -> None:
        self._learner_id = new_learner_id()
        self._show_alias()

    def _show_alias(self) -> None:
        self._alias.value = f"<span>Made-up name: <strong>{escape(pseudonym(self._learner_id))}</strong></span>"
