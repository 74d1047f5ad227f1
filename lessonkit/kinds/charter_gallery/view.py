"""Charters (notebook 01): learners share one library's Customer Service Charter; the class's charters
appear as a gallery of cards with a chart of which kinds of commitment appear most.

The learner's charter is one store item, `charter`, holding {library, type, link, commitments, feedback,
idea, kinds}. Every field is checked in the kernel (lengths, http(s) link, known type and kinds).
Until someone else in the class has shared a charter, the gallery shows the YAML's fictional sample
charters, each labelled as a sample.
"""

from __future__ import annotations

import re
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit import charts
from lessonkit.components.base import LABEL_NEXT, ActivityView
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import charter_gallery
from .model import CharterGallery

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["CharterForm", "charters_boards", "charters_page"]

TEXT_FIELDS = ("library", "link", "commitments", "feedback", "idea")
FIELDS = (*TEXT_FIELDS, "type", "kinds")
# Control characters other than tab and newline are dropped from text (NUL cannot be stored at all).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(description: str, placeholder: str, area: bool = False) -> widgets.Widget:
    if area:
        w = widgets.Textarea(value="", placeholder=placeholder, layout=widgets.Layout(width="100%", height="6rem"))
    else:
        w = widgets.Text(value="", placeholder=placeholder, layout=widgets.Layout(width="100%"))
    w.add_class("lk-chr-field")
    return w


def _label(text: str) -> widgets.HTML:
    return widgets.HTML(f"<span class='lk-chr-label'>{escape(text)}</span>", _dom_classes=(LABEL_NEXT,))


class CharterForm(ActivityView):
    """One library's charter: name, type, link, commitments, feedback, an idea, and the kinds of commitment."""

    content: CharterGallery

    def _build_body(self) -> widgets.Widget:
        c = self.content
        self.library = _text("Library", "e.g. Riverbend City Libraries")
        self.type = widgets.Dropdown(options=list(c.library_types), value=None, layout=widgets.Layout(width="auto"))
        self.type.add_class("lk-chr-type-pick")
        self.link = _text("Link", "https://...")
        self.preview = widgets.HTML("", _dom_classes=("lk-chr-preview",))
        self.commitments = _text("Key commitments", "What does it promise? Response times, standards...", area=True)
        self.feedback = _text("Feedback", "Surveys, forms, suggestion boxes, complaints...", area=True)
        self.idea = _text("Idea", "One thing your library could adopt")
        self.kind_boxes = {k.id: widgets.Checkbox(value=False, description=k.name, indent=False,
                                                  layout=widgets.Layout(width="auto"))
                           for k in c.commitment_kinds}
        for box in self.kind_boxes.values():
            box.add_class("lk-chr-kind")
        self.link.observe(self._on_link, names="value")
        for w in (self.library, self.type, self.link, self.commitments, self.feedback, self.idea,
                  *self.kind_boxes.values()):
            w.observe(self._on_change, names="value")
        return widgets.VBox([
            _label("Library name"), self.library,
            _label("Type of library"), self.type,
            _label("Link to the charter"), self.link, self.preview,
            _label("Key commitments and standards (in your own words)"), self.commitments,
            _label("How does the library seek feedback?"), self.feedback,
            _label("One idea you would adopt"), self.idea,
            _label("Which kinds of commitment does the charter make? Tick all that apply."),
            widgets.Box(list(self.kind_boxes.values()), _dom_classes=("lk-chr-kinds-pick",)),
        ], _dom_classes=("lk-chr-form",))

    # ---- ActivityView
    def _collect(self) -> dict[str, Any]:
        return {self.content.ITEM: {
            **{name: getattr(self, name).value for name in TEXT_FIELDS}, "type": self.type.value,
            "kinds": [kid for kid, box in self.kind_boxes.items() if box.value]}}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        c = self.content
        if not isinstance(answers, dict) or set(answers) != {c.ITEM}:
            raise AnswerRejected("those answers do not match this activity; reload the page and try again")
        ch = answers[c.ITEM]
        if not isinstance(ch, dict) or set(ch) - set(FIELDS):
            raise AnswerRejected("that charter does not match this activity; reload the page and try again")
        out: dict[str, Any] = {}
        limits = {"library": c.library_max_chars, "link": c.link_max_chars, "commitments": c.commitments_max_chars,
                  "feedback": c.feedback_max_chars, "idea": c.idea_max_chars}
        labels = {"library": "library name", "link": "link", "commitments": "key commitments",
                  "feedback": "how feedback is sought", "idea": "idea to adopt"}
        for name in TEXT_FIELDS:
            value = ch.get(name, "")
            if not isinstance(value, str):
                raise AnswerRejected(f"the {labels[name]} must be text; reload the page and type it again")
            value = _CONTROL.sub("", value).strip()
            if len(value) > limits[name]:
                raise AnswerRejected(f"the {labels[name]} is {len(value):,} characters long; shorten it to "
                                     f"{limits[name]:,} characters or fewer")
            if not value:
                raise AnswerRejected(f"fill in the {labels[name]}")
            out[name] = value
        if charts.web_link(out["link"], c.link_max_chars) is None:
            raise AnswerRejected("the link must be a web address starting with http:// or https://, with no "
                                 "spaces (copy it from the browser's address bar)")
        if ch.get("type") not in c.library_types:
            raise AnswerRejected("choose the type of library from the list")
        kinds = ch.get("kinds", [])
        if not isinstance(kinds, (list, tuple)) or any(not isinstance(k, str) or c.commitment(k) is None
                                                       for k in kinds):
            raise AnswerRejected("the kinds of commitment do not match this activity; reload the page and try again")
        if not kinds:
            raise AnswerRejected("tick at least one kind of commitment the charter makes")
        out["type"] = ch["type"]
        out["kinds"] = [k.id for k in c.commitment_kinds if k.id in kinds]   # YAML order, no repeats
        return {c.ITEM: out}

    def _show(self, answers: dict[str, Any]) -> None:
        ch = answers.get(self.content.ITEM)
        if not isinstance(ch, dict):
            return
        for name in TEXT_FIELDS:
            if isinstance(ch.get(name), str):
                getattr(self, name).value = ch[name]
        if ch.get("type") in self.content.library_types:
            self.type.value = ch["type"]
        kinds = ch.get("kinds")
        kinds = kinds if isinstance(kinds, list) else []
        for kid, box in self.kind_boxes.items():
            box.value = kid in kinds

    # ---- private
    def _on_link(self, change: dict) -> None:
        self.preview.value = charts.link_preview(change["new"], self.content.link_max_chars)

    def _on_change(self, _change: dict) -> None:
        self._mark_changed()


def charters_boards(content: CharterGallery, store: LearnerStore, class_code: str, *, learner: str | None = None,
                    show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """The class's charter gallery with the chart of commitment kinds (learner: who is "you", None: trainer)."""
    sample = {f"sample-{i}": {content.ITEM: {"library": s.library, "type": s.type, "commitments": s.commitments,
                                             "feedback": s.feedback, "idea": s.idea, "kinds": list(s.kinds),
                                             "sample": True}}
              for i, s in enumerate(content.samples, start=1)}
    return [ClassBoard(
        store, class_code, content.slug,
        render=partial(charter_gallery, [(k.id, k.name) for k in content.commitment_kinds],
                       content.library_types, sample_prefix=content.sample_label),
        learner=learner, title=content.board_title, sample=sample, show_names=show_names, live=live,
        sample_label=("Nobody else in your class has shared a charter yet, so these are samples of fictional "
                      "libraries, written for this lesson." if sample else
                      "Nobody else in your class has shared a charter yet."),
        trainer_sample_label=("Nobody in the class has shared a charter yet, so these are samples of fictional "
                              "libraries, written for this lesson."),
        items=[content.ITEM])]


def charters_page(content: CharterGallery, store: LearnerStore, learner: Learner, *,
                  settings: Settings | None = None) -> ActivityPage:
    """Notebook 01: the charter form, then the class's gallery and the chart of commitment kinds."""
    view = CharterForm(content, store, learner)
    [board] = charters_boards(content, store, learner.class_code, learner=learner.learner)
    return ActivityPage([view, board], feeds=[(view, board)])
