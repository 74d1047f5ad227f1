"""The one call each notebook makes: content + store + learner -> the page to display."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from . import kinds
from .components.base import PLACEHOLDER_ID, bind_learner, close_tree, markdown, send_a11y_script, stylesheet
from .components.join import JoinForm
from .content import activities, load, load_lesson
from .datafiles import activity_path, data_dir
from .deploy import on_binder
from .errors import ContentError, StoreUnavailable
from .identity import Learner, may_remember, normalise_class_code, remember, resolve, under_voila
from .model import Activity, Lesson
from .service import open_store
from .settings import Settings, process_settings, settings_for

if TYPE_CHECKING:
    from .protocols import LearnerStore

__all__ = ["activity", "boards", "builder", "overview", "Page", "BINDER_NOTE"]

# Binder has no class store: answers go to a SQLite file inside the temporary Binder session.
BINDER_NOTE = ("Practice copy on Binder: your answers are kept only in this temporary session. They are not "
               "shared with a class or a trainer, and they vanish when the session ends. The class boards "
               "compare your answers with a sample class.")
# Binder has no trainer to give out a class code, so its join form offers one.
BINDER_CLASS = "PRACTICE"

# (content, store, learner, *, settings=None) -> the learner's page (lessonkit.kinds.Kind: the contract)
Builder = Callable[..., widgets.Widget]
# (content, store, class_code, *, learner=None, show_names=True, live=True) -> the activity's class boards
Boards = Callable[..., list[widgets.Widget]]


def builder(kind: str) -> Builder:
    """The page builder for an activity kind (its registered "page" part, imported on first use)."""
    return kinds.get(kind).part("page")


def boards(content: Activity, store: LearnerStore, class_code: str, *, show_names: bool = True,
           live: bool = True) -> list[widgets.Widget]:
    """The class boards of one activity for the trainer (nobody highlighted as "you"), in page order,
    including a read-only discussion wall where the page has a discussion.

    show_names=False hides learners' names (boards that are anonymous on the page stay anonymous either
    way); live=False draws once and does not poll the store.
    """
    return kinds.get(content.kind).part("boards")(content, store, class_code, learner=None,
                                                  show_names=show_names, live=live)


class Page(widgets.VBox):
    """A page for one learner: a header saying who they are, then the content (after a join form if needed).

    prebuild=True (kinds registered as `prebuilt`: every view can take its learner later): in a
    preheated Voila kernel the whole page is built before any learner arrives, for a placeholder,
    and the arriving learner is only bound to it (their earlier answers, their class board), so a
    class arriving at once waits for a few store reads, not for ~100 widgets to be built each.
    """

    def __init__(self, build: Callable[[Learner], widgets.Widget], store: LearnerStore, *,
                 env: Mapping[str, str] | None = None, overview_link: bool = True, prebuild: bool = False,
                 settings: Settings | None = None) -> None:
        settings = self._settings = settings_for(settings, env)
        _replace_shown(self)
        send_a11y_script(under_voila(settings))
        self._build = build
        self._store = store
        self._overview_link = overview_link
        self.learner: Learner | None = None
        self.content_widget: widgets.Widget | None = None
        self._prebuilt: widgets.Widget | None = None
        self._sheet = stylesheet()
        self._header = widgets.HTML("")
        if settings.request_pending:
            # A preheated kernel waits for its learner below: connect to the store (and build the
            # page) first, so the learner does not wait for them after arriving.
            store.warm()
            if prebuild:
                self._prebuilt = build(placeholder_learner(settings))
        self.join_form: JoinForm | None = None
        self._note = binder_note(store, settings)
        super().__init__(children=(self._sheet,))
        self.add_class("lk-page")
        try:
            learner, class_code = resolve(settings, store)
        except StoreUnavailable as exc:   # the session cannot be checked: say so, never make a new learner
            self.children = (self._sheet, widgets.HTML(
                f"<p class='lk-error' role='alert'>Your place in the class cannot be checked right now: "
                f"{escape(str(exc))}. Reload this page in a moment.</p>"))
            return
        if learner is not None:
            self._enter(learner)
        else:
            self.join_form = JoinForm(class_code or (BINDER_CLASS if self._note else None), store=store)
            self.join_form.on_join(partial(self._joined, settings))
            self.children = (self._sheet, *self._note_widget(), self.join_form)

    def _note_widget(self) -> tuple[widgets.Widget, ...]:
        return (widgets.HTML(self._note),) if self._note else ()

    def _joined(self, settings: Settings, learner: Learner) -> None:
        """A learner joined with the form: in their own JupyterLab (or Binder) the session is remembered for
        the account, so every other notebook, a re-run and a kernel restart find them without asking."""
        if learner.token and may_remember(settings) and remember(self._store, learner.token, settings):
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
        self._header.value = _header(learner, self._overview_link, self._settings) + note
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


def placeholder_learner(settings: Settings | None = None) -> Learner:
    """Who a prebuilt page is built for: nobody, in the class `lessonkit serve` was started for (its settings;
    without them, this process's)."""
    settings = settings if settings is not None else process_settings()
    return Learner(normalise_class_code(settings.class_code) or "NOBODY", PLACEHOLDER_ID, None, "placeholder")


def binder_note(store: LearnerStore, settings: Settings | Mapping[str, str]) -> str:
    """On Binder with its local store, the note that answers stay in this session (HTML), else ''."""
    if not (on_binder(settings) and store.kind == "sqlite"):
        return ""
    return f"<p class='lk-note lk-binder-note' role='note'><strong>{escape(BINDER_NOTE)}</strong></p>"


def _header(learner: Learner, overview_link: bool, settings: Settings) -> str:
    who = f"You are <strong>{escape(learner.name)}</strong> in class <strong>{escape(learner.class_code)}</strong>."
    extra = ""
    if learner.source == "link" and settings.under_voila:
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


def activity(slug: str, *, store: LearnerStore | None = None, env: Mapping[str, str] | None = None,
             settings: Settings | None = None) -> Page:
    """Build the page for one activity from its YAML slug (e.g. 'colour-days') or path.

    Runs with `settings`, else those of `env`, else this process's environment."""
    settings = settings_for(settings, env)
    data = data_dir(settings)
    content = load(activity_path(slug, data), data=data)
    store = store or open_store(settings=settings)
    kind = kinds.get(content.kind)
    build = builder(content.kind)
    return Page(lambda learner: build(content, store, learner, settings=settings), store, settings=settings,
                prebuild=kind.prebuilt)


def overview(*, store: LearnerStore | None = None, env: Mapping[str, str] | None = None,
             settings: Settings | None = None) -> Page:
    """The session overview: outcomes, every activity (linked with the learner's identity), privacy."""
    settings = settings_for(settings, env)
    lesson = load_lesson(data_dir(settings) / "lesson.yaml")
    store = store or open_store(settings=settings)
    return Page(partial(_overview_body, lesson, store, settings=settings), store, settings=settings,
                overview_link=False)


def _overview_body(lesson: Lesson, store: LearnerStore, learner: Learner, *, links: bool = True,
                   settings: Settings | None = None) -> widgets.Widget:
    data = data_dir(settings if settings is not None else Settings())
    try:
        items = activities(data / "activities", data=data)
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
            f"{''.join(rows)}</ol><h2>Your privacy</h2>{markdown(lesson.privacy)}"
            f"{privacy_facts(store, settings=settings)}")
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


def privacy_facts(store: LearnerStore, env: Mapping[str, str] | None = None, *,
                  settings: Settings | None = None) -> str:
    """Where this lesson's answers are stored and for how long, from how it is actually run (`settings`, else
    those of `env`, else this process's)."""
    settings = settings_for(settings, env)
    if binder_note(store, settings):
        return ("<ul class='lk-privacy-facts'><li><strong>Stored:</strong> only in this temporary Binder "
                "session.</li><li><strong>Kept:</strong> until the session ends, then gone.</li>"
                "<li><strong>Shared:</strong> with nobody: no class or trainer sees them.</li></ul>")
    days = settings.keep_days
    where = ("in a database file on the computer running the lesson" if store.kind == "sqlite"
             else "in your organisation's own database server")
    keep = (f"for {days} days after your class's last answer, then deleted" if days
            else "until the trainer deletes them")
    return (f"<ul class='lk-privacy-facts'><li><strong>Stored:</strong> {where}.</li>"
            f"<li><strong>Kept:</strong> {keep}; the trainer can delete them sooner, and can delete one "
            "person's answers on request.</li>"
            "<li><strong>Shared:</strong> with your trainer and, on the class boards, with your class under "
            "your made-up name or the display name you chose. Nothing goes to an outside service.</li></ul>")
