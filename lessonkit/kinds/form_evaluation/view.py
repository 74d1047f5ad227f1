"""FormEvaluation (Class Activity 6): learners rate online customer feedback forms they found on a rubric,
and the class's forms are compared on a board.

Each form is one store item (`form-1`, `form-2`, ...) holding {organisation, link, ratings, note}, or
None when the learner left that form blank, so clearing a form on resubmission clears it for the class too.
Ratings are ToggleButtons whose labels come from the rubric; they wrap onto a second row on a phone.
"""

from __future__ import annotations

import re
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit import charts
from lessonkit.components.base import LABEL_NEXT, ActivityView, markdown
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import form_evaluation_board
from .model import FormCriterion
from .model import FormEvaluation as FormEvaluationContent

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["FormEvaluation", "forms_boards", "forms_page"]

FIELDS = ("organisation", "link", "ratings", "note")
# Control characters other than tab and newline are dropped from text (NUL cannot be stored at all).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _FormCard:
    """The widgets of one form: organisation, link (with a preview), a rating per criterion, a note."""

    def __init__(self, n: int, content: FormEvaluationContent) -> None:
        self.n = n
        self.organisation = widgets.Text(value="", description=f"Form {n}: organisation",
                                         placeholder="e.g. Riverbend City Libraries",
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="100%"))
        self.link = widgets.Text(value="", description="Link to the form", placeholder="https://...",
                                 style={"description_width": "initial"}, layout=widgets.Layout(width="100%"))
        for w in (self.organisation, self.link):
            w.add_class("lk-form-field")
        self.preview = widgets.HTML("", _dom_classes=("lk-form-preview",))
        self.ratings: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        for c in content.criteria:
            picker = widgets.ToggleButtons(options=[(label, i) for i, label in enumerate(c.scale)], value=None,
                                           tooltips=[f"Form {n}, {c.name}: {label}" for label in c.scale],
                                           style={"button_width": "auto"}, layout=widgets.Layout(width="auto"))
            picker.add_class("lk-form-scale")
            self.ratings[c.id] = picker
            name = widgets.HTML(f"<span class='lk-form-criterion'>{escape(c.name)}</span>", _dom_classes=(LABEL_NEXT,))
            rows.append(widgets.VBox([name, picker], _dom_classes=("lk-form-rating",)))
        self.note = widgets.Textarea(value="", placeholder="Optional: what stood out, good or bad?",
                                     layout=widgets.Layout(width="100%", height="4.5rem"))
        self.note.add_class("lk-form-note-box")
        self.box = widgets.VBox([widgets.HTML(f"<h2 class='lk-form-heading'>Form {n}</h2>"), self.organisation,
                                 self.link, self.preview, *rows, self.note], _dom_classes=("lk-form-card",))

    def inputs(self) -> list[widgets.Widget]:
        return [self.organisation, self.link, self.note, *self.ratings.values()]

    def collect(self) -> dict[str, Any]:
        return {"organisation": self.organisation.value, "link": self.link.value,
                "ratings": {cid: p.value for cid, p in self.ratings.items() if p.value is not None},
                "note": self.note.value}


class FormEvaluation(ActivityView):
    """Up to `content.forms` feedback forms, each with organisation, link, rubric ratings and a note."""

    content: FormEvaluationContent

    def _build_body(self) -> widgets.Widget:
        c = self.content
        key = "".join(f"<li><strong>{escape(cr.name)}</strong> ({escape(' / '.join(cr.scale))}): "
                      f"{escape(cr.description)}</li>" for cr in c.criteria)
        rubric = widgets.HTML(f"<div class='lk-form-rubric'><h2>The rubric</h2><ul>{key}</ul></div>")
        self.cards = [_FormCard(n, c) for n in range(1, c.forms + 1)]
        for card in self.cards:
            card.link.observe(partial(self._on_link, card), names="value")
            for w in card.inputs():
                w.observe(self._on_change, names="value")
        return widgets.VBox([rubric, *(card.box for card in self.cards)], _dom_classes=("lk-form-eval",))

    # ---- ActivityView
    def _collect(self) -> dict[str, Any]:
        return {self.content.item(card.n): card.collect() for card in self.cards}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        c = self.content
        items = [c.item(card.n) for card in self.cards]
        if not isinstance(answers, dict) or set(answers) != set(items):
            raise AnswerRejected("those answers do not match this activity; reload the page and try again")
        out: dict[str, Any] = {}
        for n, item in enumerate(items, start=1):
            out[item] = self._check_form(n, answers[item])
        if all(v is None for v in out.values()):
            raise AnswerRejected("fill in at least one form (organisation, link and a rating for each "
                                 "criterion), then press Submit")
        return out

    def _show(self, answers: dict[str, Any]) -> None:
        for card in self.cards:
            form = answers.get(self.content.item(card.n))
            if not isinstance(form, dict):
                continue
            for name in ("organisation", "link", "note"):
                if isinstance(form.get(name), str):
                    getattr(card, name).value = form[name]
            ratings = form.get("ratings")
            ratings = ratings if isinstance(ratings, dict) else {}
            for cid, picker in card.ratings.items():
                if _is_mark(ratings.get(cid), self._criterion(cid).top):
                    picker.value = ratings[cid]

    # ---- public API
    def fill(self, n: int, organisation: str = "", link: str = "", ratings: dict[str, str] | None = None,
             note: str = "") -> None:
        """Fill form n (1-based) as a learner would; ratings map criterion id -> scale label."""
        card = self.cards[n - 1]
        card.organisation.value, card.link.value, card.note.value = organisation, link, note
        for cid, label in (ratings or {}).items():
            card.ratings[cid].value = self._criterion(cid).scale.index(label)

    # ---- private
    def _criterion(self, criterion_id: str) -> FormCriterion:
        """A criterion of the rubric (ids come from the rubric itself, or were checked against it)."""
        found = self.content.criterion(criterion_id)
        if found is None:
            raise KeyError(criterion_id)
        return found

    def _check_form(self, n: int, form: Any) -> dict[str, Any] | None:
        c = self.content
        if form is None:
            return None
        if not isinstance(form, dict) or set(form) - set(FIELDS):
            raise AnswerRejected(f"form {n} does not match this activity; reload the page and try again")
        text = {}
        for name, limit in (("organisation", c.organisation_max_chars), ("link", c.link_max_chars),
                            ("note", c.note_max_chars)):
            value = form.get(name, "")
            if not isinstance(value, str):
                raise AnswerRejected(f"form {n}: the {name} must be text; reload the page and type it again")
            value = _CONTROL.sub("", value).strip()
            if len(value) > limit:
                raise AnswerRejected(f"form {n}: the {name} is {len(value):,} characters long; shorten it to "
                                     f"{limit:,} characters or fewer")
            text[name] = value
        ratings = form.get("ratings", {})
        if not isinstance(ratings, dict):
            raise AnswerRejected(f"form {n}: the ratings do not match the rubric; reload the page and try again")
        unknown = [k for k in ratings if c.criterion(k) is None]
        if unknown:
            raise AnswerRejected(f"form {n}: the ratings do not match the rubric; reload the page and try again")
        for cid, mark in ratings.items():
            if not _is_mark(mark, self._criterion(cid).top):
                raise AnswerRejected(f"form {n}: a rating for {self._criterion(cid).name} is not one of the choices; "
                                     "use the buttons")
        if not any(text.values()) and not ratings:
            return None                      # a blank form: skipped
        if not text["organisation"]:
            raise AnswerRejected(f"form {n}: write the organisation's name (or clear the whole form to skip it)")
        if not text["link"]:
            raise AnswerRejected(f"form {n}: paste the link to the form (starting with https://)")
        if charts.web_link(text["link"], c.link_max_chars) is None:
            raise AnswerRejected(f"form {n}: the link must be a web address starting with http:// or https://, "
                                 "with no spaces (copy it from the browser's address bar)")
        missing = [cr.name for cr in c.criteria if cr.id not in ratings]
        if missing:
            raise AnswerRejected(f"form {n}: rate every criterion (still to rate: {', '.join(missing)})")
        return {**text, "ratings": {cr.id: ratings[cr.id] for cr in c.criteria}}

    def _on_link(self, card: _FormCard, change: dict) -> None:
        card.preview.value = charts.link_preview(change["new"], self.content.link_max_chars)

    def _on_change(self, _change: dict) -> None:
        self._mark_changed()


def _is_mark(value: Any, top: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top


def forms_boards(content: FormEvaluationContent, store: LearnerStore, class_code: str, *, learner: str | None = None,
                 show_names: bool = True, live: bool = True, discussion: bool = True) -> list[widgets.Widget]:
    """In page order: the discussion wall, read-only (if the YAML has one and discussion=True), then the
    class's forms compared.

    learner: who is "you" (None for the trainer). The page passes discussion=False: it shows the learner's
    own DiscussionBoard (post form and wall) in that place instead.
    """
    boards: list[widgets.Widget] = []
    if discussion and content.discussion is not None:
        from lessonkit.components.discussion import class_wall

        boards.append(class_wall(content, store, class_code, learner=learner, show_names=show_names, live=live))
    boards.append(ClassBoard(
        store, class_code, content.slug,
        render=partial(form_evaluation_board, [(c.id, c.name, c.top) for c in content.criteria]),
        learner=learner, title=content.board_title, show_names=show_names, live=live,
        sample_label="Nobody else in your class has shared a form yet, so only yours are shown.",
        items=[content.item(n) for n in range(1, content.forms + 1)]))
    return boards


# With the class discussion first, the page's own title (its h1) and intro head the page above it, and
# the forms follow under this heading.
FORMS_HEADING = "Find and rate the forms"


def forms_page(content: FormEvaluationContent, store: LearnerStore, learner: Learner, *,
               settings: Settings | None = None) -> ActivityPage:
    """Class Activity 6: the page's title, the discussion (if any), the form evaluation, then the class's forms
    (and, with an analysis, the feedback explorer, run with `settings`: the page's)."""
    talk_first = content.discussion is not None   # the class talks about feedback before evaluating forms
    view = FormEvaluation(content, store, learner, **({"title": FORMS_HEADING} if talk_first else {}))
    [board] = forms_boards(content, store, learner.class_code, learner=learner.learner, discussion=False)
    parts: list[widgets.Widget] = []
    if talk_first:
        from lessonkit.components.discussion import DiscussionBoard

        parts.append(widgets.HTML(f"<h1 class='lk-title'>{escape(content.title)}</h1>"
                                  f"<div class='lk-instructions'>{markdown(content.intro)}</div>",
                                  _dom_classes=("lk-form-intro",)))
        parts.append(DiscussionBoard(content, store, learner))
    parts += [view, board]
    if content.analysis is not None:  # monitor and report: the survey analysis and report builder
        from lessonkit.components.feedback_explorer import FeedbackExplorer
        from lessonkit.datafiles import data_dir, resolve_data_file
        from lessonkit.settings import Settings

        a = content.analysis
        parts.append(widgets.HTML(f"<h2 class='lk-title'>{escape(a.title)}</h2>{markdown(a.instructions)}"))
        # the page's settings: its content folder, plotly.js's address, and LESSONKIT_FEEDBACK_CHARTS=off (the
        # analysis without plotly, for benchmarks/page_load.py's "before"); without them, the defaults
        settings = settings if settings is not None else Settings()
        data = data_dir(settings)
        parts.append(FeedbackExplorer(sample_path=resolve_data_file(content, a.sample_file, data),
                                      themes_path=resolve_data_file(content, a.themes_file, data),
                                      charts=settings.feedback_charts, settings=settings))
    return ActivityPage(parts, feeds=[(view, board)])
