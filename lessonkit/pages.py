"""The one call each notebook makes: content + store + learner -> the page to display."""

from __future__ import annotations

import importlib
from functools import partial
from html import escape
from typing import Any, Callable, Mapping

import ipywidgets as widgets

from . import charts
from .components.base import markdown, stylesheet
from .components.board import ClassBoard
from .components.colour_poll import ColourPoll
from .components.join import JoinForm
from .content import Activity, ColourDays, Lesson, activities, activity_path, load, load_lesson
from .errors import ContentError, StoreUnavailable
from .identity import Learner, resolve, under_voila
from .store import ResponseStore

__all__ = ["activity", "overview", "Page", "BUILDERS"]

Builder = Callable[[Any, ResponseStore, Learner], widgets.Widget]


def colour_days(content: ColourDays, store: ResponseStore, learner: Learner) -> widgets.Widget:
    """Class Activity 3: the poll, then the live class board."""
    poll = ColourPoll(content, store, learner)
    palette = {c.name: c.hex for c in content.colours}
    sample = content.sample_class
    board = ClassBoard(
        store, learner.class_code, content.slug,
        render=partial(charts.colour_days_board, content.days, palette, lesson_html=markdown(content.lesson)),
        learner=learner.learner, title=content.board_title,
        sample={f"sample-{i}": {k: v for k, v in row.items() if k != "learner"}
                for i, row in enumerate(sample.rows if sample else ())},
        sample_label=sample.label if sample else "No sample class",
    )
    poll.on_submit(lambda _view, _answers: board.refresh(force=True))
    box = widgets.VBox([poll, board])
    box.poll, box.board = poll, board  # handles for tests and the trainer's tools
    return box


# kind -> page builder; "module:function" strings are imported on first use, so a page only loads
# the components it shows (each builder returns one widget: the activity plus its class board).
BUILDERS: dict[str, Builder | str] = {
    "colour-days": colour_days,
    "quiz": "lessonkit.components.quiz:quiz_page",
    "checklist": "lessonkit.components.checklist:checklist_page",
    "sorter": "lessonkit.components.sorter:sorter_page",
    "legislation": "lessonkit.components.legislation:legislation_page",
    "form-evaluation": "lessonkit.components.forms:forms_page",
    "charter-gallery": "lessonkit.components.charters:charters_page",
    "comments": "lessonkit.components.comments:comments_page",
    "scenario": "lessonkit.components.scenario:scenario_page",
}


def builder(kind: str) -> Builder:
    """The page builder for an activity kind."""
    found = BUILDERS[kind]
    if isinstance(found, str):
        module, _, name = found.partition(":")
        found = BUILDERS[kind] = getattr(importlib.import_module(module), name)
    return found


class Page(widgets.VBox):
    """A page for one learner: a header saying who they are, then the content (after a join form if needed)."""

    def __init__(self, build: Callable[[Learner], widgets.Widget], store: ResponseStore, *,
                 env: Mapping[str, str] | None = None, overview_link: bool = True) -> None:
        self._build = build
        self._store = store
        self._overview_link = overview_link
        self.learner: Learner | None = None
        self.content_widget: widgets.Widget | None = None
        learner, class_code = resolve() if env is None else resolve(env)
        self.join_form: JoinForm | None = None
        super().__init__(children=(stylesheet(),))
        self.add_class("lk-page")
        if learner is not None:
            self._enter(learner)
        else:
            self.join_form = JoinForm(class_code)
            self.join_form.on_join(self._enter)
            self.children = (stylesheet(), self.join_form)

    def _enter(self, learner: Learner) -> None:
        note = ""
        try:
            if learner.display_name:
                self._store.set_display_name(learner.class_code, learner.learner, learner.display_name)
            else:
                stored = self._store.display_names(learner.class_code).get(learner.learner)
                learner = learner.with_display_name(stored)
        except StoreUnavailable as exc:
            note = f" <span class='lk-error'>({escape(str(exc))})</span>"
        self.learner = learner
        self.content_widget = self._build(learner)
        self.children = (stylesheet(), widgets.HTML(_header(learner, self._overview_link) + note),
                         self.content_widget)


def _header(learner: Learner, overview_link: bool) -> str:
    who = f"You are <strong>{escape(learner.name)}</strong> in class <strong>{escape(learner.class_code)}</strong>."
    extra = ""
    if learner.source == "form" and under_voila():
        extra = (f" To come back as yourself, use <a href='?{escape(learner.query())}'>this page's "
                 f"personal link</a> (bookmark it).")
    if overview_link:
        extra += f" <a href='00-overview.ipynb?{escape(learner.query())}'>Session overview</a>"
    return f"<div class='lk-header' role='banner'>{who}{extra}</div>"


def activity(slug: str, *, store: ResponseStore | None = None, env: Mapping[str, str] | None = None) -> Page:
    """Build the page for one activity from its YAML slug (e.g. 'colour-days') or path."""
    content = load(activity_path(slug))
    store = store or ResponseStore()
    build = builder(content.kind)
    return Page(lambda learner: build(content, store, learner), store, env=env)


def overview(*, store: ResponseStore | None = None, env: Mapping[str, str] | None = None) -> Page:
    """The session overview: outcomes, every activity (linked with the learner's identity), privacy."""
    lesson = load_lesson()
    store = store or ResponseStore()
    return Page(partial(_overview_body, lesson, store), store, env=env, overview_link=False)


def _overview_body(lesson: Lesson, store: ResponseStore, learner: Learner) -> widgets.Widget:
    try:
        items = activities()
        problem = ""
    except ContentError as exc:  # one broken file must not hide the rest of the overview
        items, problem = [], f"<p class='lk-error' role='alert'>{escape(str(exc))}</p>"
    outcomes = "".join(f"<li><strong>{escape(o.code)}</strong> {escape(o.text)}</li>" for o in lesson.outcomes)
    rows = []
    for a in items:
        done = _done(store, learner, a)
        mark = " <span class='lk-ok'>(done)</span>" if done else ""
        rows.append(
            f"<li><a href='{escape(a.notebook)}?{escape(learner.query())}'><strong>{a.number:02d}. "
            f"{escape(a.title)}</strong></a>{mark}<br><span>{escape(a.seed_section)} &middot; {a.minutes} min "
            f"&middot; outcomes {escape(', '.join(a.outcomes))}</span></li>")
    html = (f"<h1 class='lk-title'>{escape(lesson.title)}</h1><p>{escape(lesson.course)}</p>"
            f"{markdown(lesson.welcome)}<h2>{escape(lesson.element)}</h2><ul>{outcomes}</ul>"
            f"<h2>Activities</h2>{problem}<ol class='lk-activity-list' style='list-style:none;padding-left:0'>"
            f"{''.join(rows)}</ol><h2>Your privacy</h2>{markdown(lesson.privacy)}")
    return widgets.HTML(html)


def _done(store: ResponseStore, learner: Learner, a: Activity) -> bool:
    # An activity whose only answer is a post (the comments wall) stores it under "<slug>.discussion".
    keys = (a.slug, f"{a.slug}.discussion") if getattr(a, "discussion", None) is not None else (a.slug,)
    try:
        return any(store.answers_for(learner.class_code, key, learner.learner) for key in keys)
    except StoreUnavailable:
        return False
