"""The one call each notebook makes: content + store + learner -> the page to display."""

from __future__ import annotations

import importlib
import os
from dataclasses import replace
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any, Callable, Mapping

import ipywidgets as widgets

from . import charts
from .components.base import PLACEHOLDER_ID, bind_learner, close_tree, markdown, send_a11y_script, stylesheet
from .components.board import ClassBoard
from .components.colour_poll import ColourPoll
from .components.join import JoinForm
from .content import Activity, ColourDays, Lesson, activities, activity_path, load, load_lesson
from .deploy import on_binder
from .errors import ContentError, StoreUnavailable
from .identity import Learner, may_remember, normalise_class_code, remember, resolve, under_voila
from .service import open_store

if TYPE_CHECKING:
    from .store import ResponseStore

__all__ = ["activity", "boards", "overview", "Page", "BUILDERS", "BOARDS", "BINDER_NOTE"]

# Binder has no class store: answers go to a SQLite file inside the temporary Binder session.
BINDER_NOTE = ("Practice copy on Binder: your answers are kept only in this temporary session. They are not "
               "shared with a class or a trainer, and they vanish when the session ends. The class boards "
               "compare your answers with a sample class.")
# Binder has no trainer to give out a class code, so its join form offers one.
BINDER_CLASS = "PRACTICE"

Builder = Callable[[Any, "ResponseStore", Learner], widgets.Widget]
# (content, store, class_code, *, learner=None, show_names=True, live=True) -> the activity's class boards
Boards = Callable[..., list[widgets.Widget]]


def colour_days_boards(content: ColourDays, store: ResponseStore, class_code: str, *, learner: str | None = None,
                       show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """Class Activity 3's class board (learner: who is "you", None for the trainer)."""
    palette = {c.name: c.hex for c in content.colours}
    sample = content.sample_class
    return [ClassBoard(
        store, class_code, content.slug,
        render=partial(charts.colour_days_board, content.days, palette, lesson_html=markdown(content.lesson)),
        learner=learner, title=content.board_title, show_names=show_names, live=live,
        sample={f"sample-{i}": {k: v for k, v in row.items() if k != "learner"}
                for i, row in enumerate(sample.rows if sample else ())},
        sample_label=sample.label if sample else "No sample class",
    )]


def colour_days(content: ColourDays, store: ResponseStore, learner: Learner) -> widgets.Widget:
    """Class Activity 3: the poll, then the live class board."""
    poll = ColourPoll(content, store, learner)
    [board] = colour_days_boards(content, store, learner.class_code, learner=learner.learner)
    poll.on_submit(lambda _view, _answers: board.refresh(force=True))
    box = widgets.VBox([poll, board])
    box.poll, box.board = poll, board  # handles for tests and the trainer's tools
    return box


# kind -> page builder; "module:function" strings are imported on first use, so a page only loads
# the components it shows (each builder returns one widget: the activity plus its class board).
BUILDERS: dict[str, Builder | str] = {
    "colour-days": colour_days,
    "quiz": "lessonkit.kinds.quiz.view:quiz_page",
    "checklist": "lessonkit.kinds.checklist.view:checklist_page",
    "sorter": "lessonkit.kinds.sorter.view:sorter_page",
    "legislation": "lessonkit.components.legislation:legislation_page",
    "form-evaluation": "lessonkit.components.forms:forms_page",
    "charter-gallery": "lessonkit.components.charters:charters_page",
    "comments": "lessonkit.components.comments:comments_page",
    "scenario": "lessonkit.components.scenario:scenario_page",
}


# kind -> the function building that kind's class boards alone (no activity form), for the trainer's
# dashboard; each page builder builds its own boards with the same function. Imported on first use.
BOARDS: dict[str, Boards | str] = {
    "colour-days": colour_days_boards,
    "quiz": "lessonkit.kinds.quiz.view:quiz_boards",
    "checklist": "lessonkit.kinds.checklist.view:checklist_boards",
    "sorter": "lessonkit.kinds.sorter.view:sorter_boards",
    "legislation": "lessonkit.components.legislation:legislation_boards",
    "form-evaluation": "lessonkit.components.forms:forms_boards",
    "charter-gallery": "lessonkit.components.charters:charters_boards",
    "comments": "lessonkit.components.comments:comments_boards",
    "scenario": "lessonkit.components.scenario:scenario_boards",
}


# Kinds whose pages can be built before the learner is known and bound to them on arrival (every
# view in them has bind_learner); tests/unit/test_prebuild.py checks each gives the same page as
# building for the learner directly.
PREBUILT_KINDS: frozenset[str] = frozenset({"colour-days", "quiz", "checklist", "sorter", "legislation"})


def _registered(registry: dict[str, Any], kind: str) -> Any:
    """registry[kind], importing a "module:function" entry on first use (and keeping what it imported)."""
    found = registry[kind]
    if isinstance(found, str):
        module, _, name = found.partition(":")
        found = registry[kind] = getattr(importlib.import_module(module), name)
    return found


def builder(kind: str) -> Builder:
    """The page builder for an activity kind."""
    return _registered(BUILDERS, kind)


def boards(content: Activity, store: ResponseStore, class_code: str, *, show_names: bool = True,
           live: bool = True) -> list[widgets.Widget]:
    """The class boards of one activity for the trainer (nobody highlighted as "you"), in page order,
    including a read-only discussion wall where the page has a discussion.

    show_names=False hides learners' names (boards that are anonymous on the page stay anonymous either
    way); live=False draws once and does not poll the store.
    """
    return _registered(BOARDS, content.kind)(content, store, class_code, learner=None, show_names=show_names,
                                             live=live)


class Page(widgets.VBox):
    """A page for one learner: a header saying who they are, then the content (after a join form if needed).

    prebuild=True (activities whose views can take their learner later, see PREBUILT_KINDS): in a
    preheated Voila kernel the whole page is built before any learner arrives, for a placeholder,
    and the arriving learner is only bound to it (their earlier answers, their class board), so a
    class arriving at once waits for a few store reads, not for ~100 widgets to be built each.
    """

    def __init__(self, build: Callable[[Learner], widgets.Widget], store: ResponseStore, *,
                 env: Mapping[str, str] | None = None, overview_link: bool = True, prebuild: bool = False) -> None:
        _replace_shown(self)
        send_a11y_script(under_voila(os.environ if env is None else env))
        self._build = build
        self._store = store
        self._overview_link = overview_link
        self.learner: Learner | None = None
        self.content_widget: widgets.Widget | None = None
        self._prebuilt: widgets.Widget | None = None
        self._sheet = stylesheet()
        self._header = widgets.HTML("")
        if env is None and os.environ.get("VOILA_PREHEAT") == "True":
            # A preheated kernel waits for its learner below: connect to the store (and build the
            # page) first, so the learner does not wait for them after arriving.
            store.warm()
            if prebuild:
                self._prebuilt = build(placeholder_learner())
        self.join_form: JoinForm | None = None
        self._note = binder_note(store, os.environ if env is None else env)
        super().__init__(children=(self._sheet,))
        self.add_class("lk-page")
        try:
            learner, class_code = resolve(os.environ if env is None else env, store)
        except StoreUnavailable as exc:   # the session cannot be checked: say so, never make a new learner
            self.children = (self._sheet, widgets.HTML(
                f"<p class='lk-error' role='alert'>Your place in the class cannot be checked right now: "
                f"{escape(str(exc))}. Reload this page in a moment.</p>"))
            return
        if learner is not None:
            self._enter(learner)
        else:
            self.join_form = JoinForm(class_code or (BINDER_CLASS if self._note else None), store=store)
            self.join_form.on_join(partial(self._joined, os.environ if env is None else env))
            self.children = (self._sheet, *self._note_widget(), self.join_form)

    def _note_widget(self) -> tuple[widgets.Widget, ...]:
        return (widgets.HTML(self._note),) if self._note else ()

    def _joined(self, env: Mapping[str, str], learner: Learner) -> None:
        """A learner joined with the form: in their own JupyterLab (or Binder) the session is remembered for
        the account, so every other notebook, a re-run and a kernel restart find them without asking."""
        if learner.token and may_remember(env) and remember(self._store, learner.token, env):
            learner = replace(learner, source="remembered")
        self._enter(learner)

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
        if self._prebuilt is not None:
            self.content_widget, self._prebuilt = self._prebuilt, None
            bind_learner(self.content_widget, learner)
        else:
            self.content_widget = self._build(learner)
        self._header.value = _header(learner, self._overview_link) + note
        self.children = (self._sheet, self._header, *self._note_widget(), self.content_widget)


# In a notebook kernel: the page each cell last showed, so running the cell again closes the old page's
# widgets and stops its boards' polling (otherwise every re-run leaves another poller querying the store).
_SHOWN: dict[str, Any] = {}


def _cell_key() -> str | None:
    """The running cell (JupyterLab sends its id), or None outside a notebook kernel (tests, scripts)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return None
    try:
        parent = kernel.get_parent("shell")
    except Exception:   # noqa: BLE001 - an older ipykernel: one page per kernel then
        parent = {}
    return str(((parent or {}).get("metadata") or {}).get("cellId") or "cell")


def _replace_shown(page: widgets.Widget) -> None:
    import weakref

    key = _cell_key()
    if key is None:
        return
    old = _SHOWN.get(key)
    old = old() if old is not None else None
    if old is not None and old is not page:
        close_tree(old)   # the old page, its content and boards (their polling stops when closed)
    _SHOWN[key] = weakref.ref(page)


def placeholder_learner() -> Learner:
    """Who a prebuilt page is built for: nobody, in the class `lessonkit serve` was started for."""
    return Learner(normalise_class_code(os.environ.get("LESSONKIT_CLASS")) or "NOBODY", PLACEHOLDER_ID, None,
                   "placeholder")


def binder_note(store: ResponseStore, env: Mapping[str, str]) -> str:
    """On Binder with its local store, the note that answers stay in this session (HTML), else ''."""
    if not (on_binder(env) and store.kind == "sqlite"):
        return ""
    return f"<p class='lk-note lk-binder-note' role='note'><strong>{escape(BINDER_NOTE)}</strong></p>"


def _header(learner: Learner, overview_link: bool) -> str:
    who = f"You are <strong>{escape(learner.name)}</strong> in class <strong>{escape(learner.class_code)}</strong>."
    extra = ""
    if learner.source == "link" and under_voila():
        extra = (f" To come back as yourself, use <a href='?{escape(learner.query())}'>this page's "
                 f"personal link</a> (bookmark it, and keep it to yourself).")
    if overview_link:
        extra += f" <a href='{escape(overview_href(learner))}'>Session overview</a>"
    return f"<div class='lk-header'>{who}{extra}</div>"


def overview_href(learner: Learner) -> str:
    """Where the "Session overview" link goes: the whole lesson under `lessonkit serve`, else the overview."""
    if learner.source == "session":
        return "lesson.ipynb"
    query = learner.query()
    return "00-overview.ipynb" + (f"?{query}" if query else "")


def _activity_href(a: Activity, learner: Learner) -> str:
    query = learner.query()
    return a.notebook + (f"?{query}" if query else "")


def activity(slug: str, *, store: ResponseStore | None = None, env: Mapping[str, str] | None = None) -> Page:
    """Build the page for one activity from its YAML slug (e.g. 'colour-days') or path."""
    content = load(activity_path(slug))
    store = store or open_store()
    build = builder(content.kind)
    return Page(lambda learner: build(content, store, learner), store, env=env,
                prebuild=content.kind in PREBUILT_KINDS)


def overview(*, store: ResponseStore | None = None, env: Mapping[str, str] | None = None) -> Page:
    """The session overview: outcomes, every activity (linked with the learner's identity), privacy."""
    lesson = load_lesson()
    store = store or open_store()
    return Page(partial(_overview_body, lesson, store), store, env=env, overview_link=False)


def _overview_body(lesson: Lesson, store: ResponseStore, learner: Learner, *, links: bool = True) -> widgets.Widget:
    try:
        items = activities()
        problem = ""
    except ContentError as exc:  # one broken file must not hide the rest of the overview
        items, problem = [], f"<p class='lk-error' role='alert'>{escape(str(exc))}</p>"
    outcomes = "".join(f"<li><strong>{escape(o.code)}</strong> {escape(o.text)}</li>" for o in lesson.outcomes)
    try:
        answered, locked, offline = (store.learner_activities(learner.class_code, learner.learner),
                                     store.locked(learner.class_code), "")
    except StoreUnavailable as exc:
        answered, locked = set(), set()
        offline = f"<p class='lk-error' role='alert'>Your progress cannot be shown: {escape(str(exc))}.</p>"
    rows, done_count = [], 0
    for a in items:
        state = progress(a, answered)
        done_count += state == "done"
        label = {"done": "Done", "started": "Started", "todo": "Not started"}[state]
        closed = " <span class='lk-progress-closed'>closed by the trainer</span>" if a.slug in locked else ""
        title = f"<strong>{a.number:02d}. {escape(a.title)}</strong>"
        if links:   # on the session page the activities open in place, not as pages of their own
            title = f"<a href='{escape(_activity_href(a, learner))}'>{title}</a>"
        rows.append(
            f"<li class='lk-progress-{state}'><span class='lk-progress-mark'>{label}</span> "
            f"{title}{closed}<br><span>{escape(a.seed_section)} &middot; {a.minutes} min "
            f"&middot; outcomes {escape(', '.join(a.outcomes))}</span></li>")
    summary = ""
    if items:
        summary = (f"<p class='lk-progress-summary'><label for='lk-progress-bar'>Your progress: <strong>{done_count} "
                   f"of {len(items)}</strong> activities done</label> <progress id='lk-progress-bar' "
                   f"max='{len(items)}' value='{done_count}'>{done_count} of {len(items)}</progress></p>")
    html = (f"<h1 class='lk-title'>{escape(lesson.title)}</h1><p>{escape(lesson.course)}</p>"
            f"{markdown(lesson.welcome)}<h2>{escape(lesson.element)}</h2><ul>{outcomes}</ul>"
            f"<h2>Activities</h2>{problem}{offline}{summary}<ol class='lk-activity-list'>"
            f"{''.join(rows)}</ol><h2>Your privacy</h2>{markdown(lesson.privacy)}{privacy_facts(store)}")
    return widgets.HTML(html)


def progress(a: Activity, answered: set[str]) -> str:
    """'done' (the main answer given, or for a comments-only activity a post), 'started' (another part), 'todo'."""
    # An activity whose only answer is a post (the comments wall) stores it under "<slug>.discussion".
    main = (a.slug, f"{a.slug}.discussion") if getattr(a, "discussion", None) is not None else (a.slug,)
    if any(key in answered for key in main):
        return "done"
    if any(key.split(".", 1)[0] == a.slug for key in answered):
        return "started"
    return "todo"


def privacy_facts(store: ResponseStore, env: Mapping[str, str] | None = None) -> str:
    """Where this lesson's answers are stored and for how long, from how it is actually run."""
    from .trainer import keep_days

    env = os.environ if env is None else env
    if binder_note(store, env):
        return ("<ul class='lk-privacy-facts'><li><strong>Stored:</strong> only in this temporary Binder "
                "session.</li><li><strong>Kept:</strong> until the session ends, then gone.</li>"
                "<li><strong>Shared:</strong> with nobody: no class or trainer sees them.</li></ul>")
    days = keep_days(env)
    where = ("in a database file on the computer running the lesson" if store.kind == "sqlite"
             else "in your organisation's own database server")
    keep = (f"for {days} days after your class's last answer, then deleted" if days
            else "until the trainer deletes them")
    return (f"<ul class='lk-privacy-facts'><li><strong>Stored:</strong> {where}.</li>"
            f"<li><strong>Kept:</strong> {keep}; the trainer can delete them sooner, and can delete one "
            "person's answers on request.</li>"
            "<li><strong>Shared:</strong> with your trainer and, on the class boards, with your class under "
            "your made-up name or the display name you chose. Nothing goes to an outside service.</li></ul>")
