"""Checklist: a self-assessment on a labelled 5-point scale, with category scores, a radar chart,
strengths and areas to develop, an action plan and a downloadable summary; plus its class board.

Each statement is rated with ToggleButtons showing the five labels in one row: every label stays
visible, the row reads left to right as a scale, each button is a thumb-sized target (native radio
buttons are ~13 px circles), and buttons work from the keyboard (Tab, then Enter or Space).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit import charts
from lessonkit.components.base import (
    ANNOUNCE,
    LABEL_NEXT,
    ActivityView,
    markdown,
    stylesheet_text,
)
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import checklist_board
from .model import CHECKLIST_PLAN_ITEM
from .model import Checklist as ChecklistContent
from .scoring import CategoryScore, category_scores, strengths_and_gaps, valid_rating

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["Checklist", "checklist_boards", "checklist_page", "results_html", "summary_document", "download_link"]

PLAN = CHECKLIST_PLAN_ITEM
DOWNLOAD_NAME = "self-assessment.html"
# Control characters other than tab and newline are dropped from the plan (NUL cannot be stored at all).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Checklist(ActivityView):
    """Statements grouped by category, each rated on the content's five labels; results after Submit."""

    content: ChecklistContent
    children: tuple[widgets.Widget, ...]   # the VBox trait, for the type checker

    def __init__(self, content: ChecklistContent, store: LearnerStore, learner: Learner, **kwargs: Any) -> None:
        super().__init__(content, store, learner, **kwargs)   # builds the body and restores
        self.observe(self._mirror_status, names="status")
        self.on_submit(self._on_saved)
        self.observe(self._update_progress, names="saved")   # the progress line says whether it is saved
        self._update_progress()
        # Results come after Submit, where the learner is when they press it.
        self.children = (*self.children, self.results)
        self._mirror_status({"new": self.status})

    # ---- building
    def _build_body(self) -> widgets.Widget:
        c = self.content
        self.ratings: dict[str, widgets.ToggleButtons] = {}
        self.number = {s.id: i for i, s in enumerate(c.statements, start=1)}
        key = " &middot; ".join(f"{i}&nbsp;{escape(label)}" for i, label in enumerate(c.scale, start=1))
        rows: list[widgets.Widget] = [widgets.HTML(f"<p class='lk-check-key'><strong>Scale:</strong> {key}</p>")]
        for cat in c.categories:
            about = f"<p class='lk-check-about'>{escape(cat.about)}</p>" if cat.about else ""
            group: list[widgets.Widget] = [widgets.HTML(
                f"<h2 class='lk-check-heading'>{escape(cat.name)}</h2>{about}")]
            for s in c.statements_in(cat.id):
                n = self.number[s.id]
                text = widgets.HTML(f"<p class='lk-check-text'><span class='lk-check-n'>{n}.</span> "
                                    f"{escape(s.text)}</p>", _dom_classes=(LABEL_NEXT,))
                picker = widgets.ToggleButtons(
                    options=[(label, i) for i, label in enumerate(c.scale, start=1)], value=None,
                    tooltips=[f"Statement {n}: {label}" for label in c.scale],
                    style={"button_width": "auto"}, layout=widgets.Layout(width="auto"))
                picker.add_class("lk-check-scale")
                picker.observe(self._on_change, names="value")
                self.ratings[s.id] = picker
                group.append(widgets.VBox([text, picker], _dom_classes=("lk-check-statement",)))
            rows.append(widgets.VBox(group, _dom_classes=("lk-check-category",)))
        self.progress = widgets.HTML("", _dom_classes=("lk-check-progress", ANNOUNCE))
        rows.append(self.progress)
        self._build_results()
        self._update_progress()
        return widgets.VBox(rows, _dom_classes=("lk-check",))

    def _build_results(self) -> None:
        c = self.content
        self.results_html = widgets.HTML("", _dom_classes=("lk-check-results-html",))
        self.plan = widgets.Textarea(
            value="", placeholder="One or two specific steps: what, how, by when, who can help",
            layout=widgets.Layout(width="100%", height="9rem"))
        self.plan.add_class("lk-check-plan")
        self.plan.observe(self._on_plan, names="value")
        self.plan_count = widgets.HTML("", _dom_classes=("lk-check-count",))
        self.save_plan_button = widgets.Button(description="Save my plan", button_style="primary", icon="check",
                                               tooltip="Save your ratings and your action plan")
        self.save_plan_button.add_class("lk-submit")
        self.save_plan_button.on_click(lambda _button: self.submit())
        self.plan_status = widgets.HTML("", _dom_classes=("lk-status",))
        self.download = widgets.HTML("", _dom_classes=("lk-check-download-box",))
        self.results = widgets.VBox(
            [self.results_html,
             widgets.HTML(f"<div class='lk-check-plan-prompt'>{markdown(c.action_plan_prompt)}</div>",
                          _dom_classes=(LABEL_NEXT,)),
             self.plan, self.plan_count,
             widgets.HBox([self.save_plan_button, self.plan_status], _dom_classes=("lk-footer",)),
             self.download],
            layout=widgets.Layout(display="none"), _dom_classes=("lk-check-results",))
        self._update_count()

    # ---- ActivityView
    def _collect(self) -> dict[str, Any]:
        return {**{sid: picker.value for sid, picker in self.ratings.items()}, PLAN: self.plan.value}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        c = self.content
        if set(answers) - set(self.ratings) - {PLAN}:
            raise AnswerRejected("those answers do not match this checklist; reload the page and try again")
        if any(answers.get(sid) is not None and not valid_rating(answers[sid], len(c.scale)) for sid in self.ratings):
            raise AnswerRejected("a rating is not one of the choices; pick one of the five buttons under each "
                                 "statement")
        missing = [sid for sid in self.ratings if answers.get(sid) is None]
        if missing:
            raise AnswerRejected(self._missing_message(missing))
        plan = answers.get(PLAN) or ""
        if not isinstance(plan, str):
            raise AnswerRejected("the action plan must be text; reload the page and type it again")
        plan = _CONTROL.sub("", plan).strip()
        try:
            plan.encode("utf-8")
        except UnicodeEncodeError:
            raise AnswerRejected("your action plan contains characters that cannot be saved; retype it") from None
        limit = c.action_plan_max_chars
        if len(plan) > limit:
            raise AnswerRejected(f"your action plan is {len(plan):,} characters long; shorten it to {limit:,} "
                                 "characters or fewer")
        return {**{sid: answers[sid] for sid in self.ratings}, PLAN: plan}

    def _show(self, answers: dict[str, Any]) -> None:
        for sid, picker in self.ratings.items():
            if valid_rating(answers.get(sid), len(self.content.scale)):
                picker.value = answers[sid]
        if isinstance(answers.get(PLAN), str):
            self.plan.value = answers[PLAN]
        if all(valid_rating(answers.get(sid), len(self.content.scale)) for sid in self.ratings):
            self._show_results(answers)

    # ---- public API
    def rate(self, statement_id: str, label: str) -> None:
        """Rate a statement by its scale label, as a click on that button would."""
        self.ratings[statement_id].value = self.content.scale.index(label) + 1

    @property
    def scores(self) -> tuple[CategoryScore, ...]:
        """Category scores of the ratings on screen (unrated statements are left out)."""
        return _scores(self.content, self._collect())

    # ---- private
    def _missing_message(self, missing: list[str]) -> str:
        c = self.content
        if len(missing) == len(self.ratings):
            return "nothing is rated yet; pick one of the five buttons under each statement, then press Submit"
        where = []
        for cat in c.categories:
            nums = [self.number[s.id] for s in c.statements_in(cat.id) if s.id in missing]
            if nums:
                label = "no." if len(nums) == 1 else "nos."
                where.append(f"{cat.name} ({label} {charts.and_list([str(n) for n in nums])})")
        return (f"rate every statement first: {len(missing)} still to rate. " + "; ".join(where)
                + ". Then press Submit again.")

    def _on_saved(self, _view: ActivityView, answers: dict[str, Any]) -> None:
        self._show_results(answers)

    def _show_results(self, answers: dict[str, Any]) -> None:
        c = self.content
        self.results_html.value = results_html(c, answers)
        given = answers.get(PLAN)
        plan = given if isinstance(given, str) else ""
        document = summary_document(c, answers, plan, learner_name=self._learner.name,
                                    created=datetime.now().astimezone())
        self.download.value = download_link(document)
        self.results.layout.display = None

    def _on_change(self, _change: dict) -> None:
        self._update_progress()
        self._mark_changed()

    def _on_plan(self, _change: dict) -> None:
        self._update_count()
        self._mark_changed("press Save my plan to save it")

    def _update_progress(self, _change: dict | None = None) -> None:
        done = sum(p.value is not None for p in self.ratings.values())
        total = len(self.ratings)
        tail = ""
        if done == total:   # what is true now: saved, changed since the results, or not submitted yet
            if self.saved:
                tail = " All rated and saved. You can change any rating and press Submit again."
            elif self.results.layout.display is None:
                tail = " All rated: press Submit to save your changes and update your results."
            else:
                tail = " All rated: press Submit to see your results."
        self.progress.value = f"<p role='status'><strong>{done} of {total}</strong> statements rated.{tail}</p>"

    def _update_count(self) -> None:
        n, limit = len(self.plan.value.strip()), self.content.action_plan_max_chars
        over = f" Too long by {n - limit:,}: shorten it before saving." if n > limit else ""
        cls = "lk-error" if over else ""
        self.plan_count.value = f"<span class='{cls}'>{n:,} of {limit:,} characters.{over}</span>"

    def _mirror_status(self, change: dict) -> None:
        # The Save-my-plan button sits far below the main status line, so sighted learners get a copy
        # there; screen readers already hear the main line (a live region), so the copy is aria-hidden.
        kind = "lk-ok" if self.saved else "lk-error"
        self.plan_status.value = (f'<span class="{kind}" aria-hidden="true">{escape(change["new"])}</span>'
                                  if change["new"] else "")


# ---------------------------------------------------------------- pure helpers (no widgets)

def _scores(c: ChecklistContent, ratings: dict[str, Any]) -> tuple[CategoryScore, ...]:
    return category_scores([(k.id, k.name) for k in c.categories], {s.id: s.category for s in c.statements},
                           ratings, len(c.scale))


def _named(scores: Sequence[CategoryScore]) -> str:
    return charts.and_list([f"{escape(s.name)} ({charts.rating_text(s.mean)})" for s in scores])


def strengths_html(scores: Sequence[CategoryScore]) -> str:
    """The strongest and weakest categories named in words (HTML, escaped), ties handled."""
    strengths, gaps = strengths_and_gaps(scores, k=2)
    if not strengths:
        rated = [s for s in scores if s.mean is not None]
        same = charts.rating_text(rated[0].mean) if rated else "not rated"
        return (f"<p class='lk-check-even'><strong>All your areas have the same score ({same}),</strong> so none "
                "stands out as a strength or an area to develop. Use the statements you rated lowest "
                "to choose a focus.</p>")
    out = []
    for cls, title, group in (("lk-check-strengths", "Your strengths", strengths),
                              ("lk-check-gaps", "Areas to develop", gaps)):
        tie = (f" (tied scores, so {len(group)} are named)" if len(group) > 2 else "")
        out.append(f"<p class='{cls}'><strong>{title}:</strong> {_named(group)}{tie}.</p>")
    return "".join(out)


def _focus_statements(c: ChecklistContent, ratings: dict[str, Any], scores: Sequence[CategoryScore]) -> list:
    """The lowest-rated statements in the areas to develop (all areas when none stands out), 2 per area."""
    _, gaps = strengths_and_gaps(scores, k=2)
    areas = [s.id for s in gaps] or [k.id for k in c.categories]
    picked = []
    for cid in areas:
        rated = [s for s in c.statements_in(cid) if valid_rating(ratings.get(s.id), len(c.scale))]
        if not rated:
            continue
        low = min(ratings[s.id] for s in rated)
        if low < len(c.scale):
            picked += [s for s in rated if ratings[s.id] == low][:2]
    return picked


def results_html(c: ChecklistContent, ratings: dict[str, Any]) -> str:
    """The learner's results: radar chart with a table beside it, strengths, areas to develop, where to start."""
    scores = _scores(c, ratings)
    low, high = c.scale[0], c.scale[-1]
    radar = charts.radar_svg([(s.name, s.mean) for s in scores], high=len(c.scale),
                             label=f"Your self-assessment by area, 1 = {low}, {len(c.scale)} = {high}")
    rows = "".join(f"<tr><th scope='row'>{escape(s.name)}</th><td>{charts.rating_text(s.mean)}</td>"
                   f"<td>{'' if s.percent is None else charts.pct(s.percent / 100)}</td></tr>" for s in scores)
    table = (f"<table class='lk-check-table'><caption>Your score per area: the mean of your ratings, "
             f"from 1 ({escape(low)}) to {len(c.scale)} ({escape(high)})</caption>"
             "<thead><tr><th scope='col'>Area</th><th scope='col'>Score</th><th scope='col'>%</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    focus = _focus_statements(c, ratings, scores)
    focus_html = ""
    if focus:
        number = {s.id: i for i, s in enumerate(c.statements, start=1)}
        items = "".join(f"<li>{number[s.id]}. {escape(s.text)} <em>(you said: {escape(c.label(ratings[s.id]))})"
                        f"</em></li>" for s in focus)
        focus_html = ("<div class='lk-check-focus'><p><strong>Where to start:</strong> your lowest ratings "
                      f"in those areas.</p><ul>{items}</ul></div>")
    return (f"<div class='lk-check-results-body'><h2 class='lk-check-results-title'>{escape(c.results_title)}</h2>"
            f"<div class='lk-check-results-grid'><div class='lk-check-radar'>{radar}</div>{table}</div>"
            f"{strengths_html(scores)}{focus_html}"
            f"<p class='lk-check-note'>% shows where your score sits between {escape(low)} (0%) and "
            f"{escape(high)} (100%).</p></div>")


def summary_document(c: ChecklistContent, ratings: dict[str, Any], plan: str, *, learner_name: str,
                     created: datetime) -> str:
    """A self-contained HTML file of the learner's results, ratings and action plan (all text escaped)."""
    sections = []
    for cat in c.categories:
        items = "".join(f"<li><span>{escape(s.text)}</span> <strong>{escape(c.label(ratings[s.id]))}</strong></li>"
                        if valid_rating(ratings.get(s.id), len(c.scale)) else
                        f"<li><span>{escape(s.text)}</span> <em>not rated</em></li>"
                        for s in c.statements_in(cat.id))
        sections.append(f"<h3>{escape(cat.name)}</h3><ul class='lk-check-summary-list'>{items}</ul>")
    plan_html = (f"<div class='lk-check-summary-plan'>{escape(plan)}</div>" if plan.strip()
                 else "<p><em>No action plan written yet.</em></p>")
    when = created.strftime("%d %B %Y, %H:%M").lstrip("0")
    return ("<!DOCTYPE html>\n<html lang='en-AU'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(c.title)}: my summary</title><style>{stylesheet_text()}</style></head>"
            "<body class='lk-page lk-check-summary'>"
            f"<h1 class='lk-title'>{escape(c.title)}</h1>"
            f"<p>Summary for <strong>{escape(learner_name)}</strong>, saved {escape(when)}. "
            f"{escape(c.seed_section)}; outcomes {escape(', '.join(c.outcomes))}.</p>"
            f"{results_html(c, ratings)}"
            f"<h2>My action plan</h2>{plan_html}"
            f"<h2>My ratings</h2>{''.join(sections)}"
            "</body></html>\n")


def download_link(document: str, filename: str = DOWNLOAD_NAME) -> str:
    """The learner's summary as a download link (an HTML document in a data: URL)."""
    return charts.download_link(document, filename, "text/html", "Download your summary",
                                note="(an HTML file you can keep, print or share with your supervisor)",
                                css_class="lk-check-download")


# ---------------------------------------------------------------- page

def checklist_boards(content: ChecklistContent, store: LearnerStore, class_code: str, *, learner: str | None = None,
                     show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """The anonymous class averages per category (always anonymous: show_names cannot turn names on)."""
    sample_class = content.sample_class
    sample = {f"sample-{i}": {k: v for k, v in row.items() if k != "learner"}
              for i, row in enumerate(sample_class.rows if sample_class else ())}
    label = sample_class.label if sample_class else "No sample class"
    render = partial(checklist_board, [(k.id, k.name) for k in content.categories],
                     {s.id: s.category for s in content.statements}, sample=sample or None, sample_note=label,
                     points=len(content.scale))
    return [ClassBoard(store, class_code, content.slug, render=render, learner=learner, live=live,
                       title=content.board_title, sample=sample, sample_label=label, show_names=False,
                       items=[s.id for s in content.statements])]  # ratings only: plans never leave their kernel


def checklist_page(content: ChecklistContent, store: LearnerStore, learner: Learner, *,
                   settings: Settings | None = None) -> ActivityPage:
    """Class Activity 1: the self-assessment, then anonymous class averages per category."""
    view = Checklist(content, store, learner)
    [board] = checklist_boards(content, store, learner.class_code, learner=learner.learner)
    return ActivityPage([view, board], feeds=[(view, board)])
