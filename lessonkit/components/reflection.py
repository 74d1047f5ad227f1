"""Reflection: a learner's answer in their own words, stored and restored, never shown as raw HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import AnswerRejected
from ..identity import Learner
from ..model import Activity
from .base import ActivityView

if TYPE_CHECKING:
    from ..protocols import LearnerStore

__all__ = ["Reflection"]


class Reflection(ActivityView):
    """A text box for the activity's `reflection` prompt, stored as its own part of the activity."""

    def __init__(self, content: Activity, store: LearnerStore, learner: Learner, **kwargs: Any) -> None:
        prompt = getattr(content, "reflection", None)   # the kinds that offer a reflection (sorter) have it
        if prompt is None:
            raise ValueError(f"{content.slug} has no reflection prompt")
        self.prompt = prompt
        super().__init__(content, store, learner, activity_id=f"{content.slug}.reflection", title="Reflect",
                         instructions=self.prompt.prompt, **kwargs)

    def _build_body(self) -> widgets.Widget:
        self.text = widgets.Textarea(placeholder="Write a few sentences in your own words",
                                     layout=widgets.Layout(width="100%", height="8rem"))
        self.text.add_class("lk-reflection-text")
        self.counter = widgets.HTML("")
        self.text.observe(self._on_text, names="value")
        self._on_text({})
        return widgets.VBox([self.text, self.counter])

    def _collect(self) -> dict[str, Any]:
        return {"text": self.text.value}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        text = answers.get("text")
        if not isinstance(text, str) or not text.strip():
            raise AnswerRejected("write something in the box first")
        text = text.strip()
        if len(text) > self.prompt.max_chars:
            raise AnswerRejected(f"that is {len(text)} characters; please keep it under {self.prompt.max_chars}")
        return {"text": text}

    def _show(self, answers: dict[str, Any]) -> None:
        if isinstance(answers.get("text"), str):
            self.text.value = answers["text"]

    def _on_text(self, _change: dict) -> None:
        used = len(self.text.value)
        over = " lk-error" if used > self.prompt.max_chars else ""
        self.counter.value = f"<span class='lk-count{over}'>{used} / {self.prompt.max_chars} characters</span>"
        if self.saved and _change:
            self.saved = False
            self.status = "Changed: press Submit to save."
