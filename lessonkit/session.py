"""The lesson as one page: one learner, one kernel for the whole session, paced by the trainer.

`lk.session()` (notebooks/lesson.ipynb) shows the session overview and then each activity in place,
built with the same page builders as the single-activity notebooks. Moving to another activity swaps
what the page shows; it loads no new page and starts no new kernel. The trainer moves the class from
the dashboard (the store's pace record). Every page follows within a second or two, and while the
class works, each page quietly builds the next activity ahead, so the move itself is only a swap.
With "let learners move freely" on, learners may also move by themselves.

In a kernel that Voila starts before anyone arrives (the pool of `lessonkit serve`), the page is
drawn at once and builds the activity the class is on for a placeholder learner. The learner who
arrives is then bound to it (their answers, their board), and the page follows the trainer even
while it waits.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import OrderedDict
from collections.abc import Mapping
from html import escape
from typing import Any

import ipywidgets as widgets
from traitlets import Bool, Unicode

from .components.base import ANNOUNCE, bind_learner, close_tree, stylesheet, walk
from .components.board import LivePolling
from .content import activities, load_lesson
from .datafiles import data_dir
from .errors import ContentError, StoreUnavailable
from .frontend import on_screen, track
from .identity import Learner, clean_display_name, resolve
from .model import Activity, Lesson
from .records import Pace
from .settings import Settings, settings_for

__all__ = ["SessionPage", "session", "HOME", "wait_pace", "close_tree", "set_live"]

HOME = ""            # the session overview, shown before the first activity
KEEP_PAGES = 2       # activities kept built in a kernel: the one on screen and the one built ahead (a page of
#                      a few hundred widgets is several MB; 30 kernels keeping one more would cost ~150 MB)
AHEAD_DELAY = (2.0, 15.0)  # s after a move before the next activity is built: spread over the class, as
#                            building sends the browser every widget of the page (hundreds of messages).
#                            30 kernels building 07 together take up to ~10 s each (0.45 CPU-s at nice 10 on a
#                            busy 2-core laptop), so the last is ready ~25 s after a move: before the next one.
RESUME_DELAY = (0.1, 1.2)   # s after a move before the new page's boards redraw from the store
POLL_SECONDS = 1.5   # how often a kernel that opens the database itself reads the pace
RECENT_BUILD = 2.0   # s: a pooled kernel's page rebuilt this shortly before its learner's request was read may
#                      have been building while the browser connected (lessonkit/frontend.py): built again


def set_live(root: widgets.Widget, live: bool) -> None:
    """Pause (or resume and redraw) every live board in a page: only the page on screen polls the store."""
    for w in walk(root):
        if isinstance(w, LivePolling):
            if not live:
                w.stop()
            elif w.live:
                w.refresh(force=True)
                w.start()


async def wait_pace(store: Any, class_code: str, seq: int, timeout: float = 25.0) -> Pace:
    """The class's pace once it differs from `seq` (or after `timeout` seconds, whatever it is then).

    Under `lessonkit serve` the store service holds the request until the trainer moves the class;
    a kernel that opens the database itself reads it every POLL_SECONDS.
    """
    waiter = getattr(store, "wait_pace_async", None)
    if waiter is not None:
        return await waiter(class_code, seq, timeout=timeout)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pace = store.pace(class_code)
        if pace.seq != seq or loop.time() >= deadline:
            return pace
        await asyncio.sleep(POLL_SECONDS)


class SessionPage(widgets.VBox):
    """The whole lesson for one learner (see the module docstring)."""

    current = Unicode(HOME, help="The activity on screen (its slug; '' for the session overview).")
    following = Unicode(HOME, help="The activity the trainer has the class on ('' before the first).")
    free = Bool(True, help="Learners may move between activities by themselves.")

    def __init__(self, store: Any, *, lesson: Lesson | None = None, items: list[Activity] | None = None,
                 env: Mapping[str, str] | None = None, live: bool = True, settings: Settings | None = None) -> None:
        self._store = store
        self._settings = settings_for(settings, env)   # a pooled kernel gets its request in _arrive
        self._live = live
        self._problem = ""
        data = data_dir(self._settings)
        try:
            self._lesson: Lesson | None = lesson or load_lesson(data / "lesson.yaml")
            self._items = list(items) if items is not None else activities(data / "activities", data=data)
        except ContentError as exc:   # one broken file must not take the whole lesson down
            self._lesson, self._items, self._problem = lesson, list(items or ()), str(exc)
        self._by_slug = {a.slug: a for a in self._items}
        self._order = [HOME] + [a.slug for a in self._items]
        self._pages: OrderedDict[str, widgets.Widget] = OrderedDict()
        self._placeholder: tuple[str, widgets.Widget] | None = None
        self._tasks: set[asyncio.Task] = set()
        self._ahead: asyncio.Task | None = None
        self._rebuild: asyncio.Task | None = None
        self._closed = False
        self._arrived = False        # a pooled kernel: its learner's request has come
        self._shown = False          # a browser has shown this page (lessonkit/frontend.py)
        self._rebuilt_at = -1e9      # when a pooled kernel last rebuilt its page for a move (monotonic)
        self.learner: Learner | None = None
        self.pace = Pace(None, True, 0)

        self._sheet = stylesheet()
        self._header = widgets.HTML("", _dom_classes=("lk-header",))
        self._where = widgets.HTML("", _dom_classes=("lk-session-where", ANNOUNCE))
        self.go_button = widgets.Button(description="Go to the class's activity", icon="arrow-right")
        self.go_button.on_click(lambda _b: self.show(self.following))
        self._go_row = widgets.HBox([self.go_button], _dom_classes=("lk-footer",),
                                    layout=widgets.Layout(display="none"))
        self.previous_button = widgets.Button(description="Previous", icon="arrow-left")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.picker = widgets.Dropdown(options=self._options(), description="Activity",
                                       layout=widgets.Layout(width="auto", max_width="100%"))
        self.previous_button.on_click(lambda _b: self._step(-1))
        self.next_button.on_click(lambda _b: self._step(+1))
        self.picker.observe(self._on_pick, names="value")
        self._nav = widgets.HBox([self.previous_button, self.picker, self.next_button],
                                 _dom_classes=("lk-footer", "lk-session-nav"))
        self._tools = widgets.VBox([], _dom_classes=("lk-session-tools",))
        self._stage = widgets.VBox([], _dom_classes=("lk-session-stage",))
        super().__init__(children=(self._sheet, self._header, self._where, self._go_row, self._nav,
                                   self._stage, self._tools))
        self.add_class("lk-page")
        self.add_class("lk-session")

        preheated = self._settings.request_pending
        if live and self._settings.under_voila:
            track(self)   # the browser says when it shows the page: work done later waits for that
        if preheated:
            self._waiting()
        else:
            learner, class_code = resolve(self._settings, store)
            self._read_pace(class_code)
            if learner is not None:
                self._enter(learner)
            else:
                self._join_form(class_code)
        if live:
            if preheated:
                self._spawn(self._arrive())
            self._spawn(self._follow())

    # ---- who the page is for
    def _waiting(self) -> None:
        """A pooled kernel before its learner arrives: build the class's activity for a placeholder."""
        from .pages import placeholder_learner

        self._store.warm()
        placeholder = placeholder_learner(self._settings)
        self._read_pace(placeholder.class_code)
        self._stage.children = (widgets.HTML("<p class='lk-note'>Getting your lesson ready…</p>"),)
        self._prebuild(placeholder)

    def _prebuild(self, placeholder: Learner) -> None:
        from . import kinds

        if self._placeholder is not None:
            close_tree(self._placeholder[1])
            self._placeholder = None
        slug = self.pace.activity or HOME
        content = self._by_slug.get(slug)
        if content is not None and kinds.get(content.kind).prebuilt:
            page = self._build(content, placeholder)
            set_live(page, False)
            self._placeholder = (slug, page)

    def _join_form(self, class_code: str | None) -> None:
        from .components.join import JoinForm
        from .pages import BINDER_CLASS, binder_note

        note = binder_note(self._store, self._settings)
        form = JoinForm(class_code or (BINDER_CLASS if note else None), store=self._store)
        form.on_join(self._enter)
        self.join_form = form
        self._stage.children = ((widgets.HTML(note),) if note else ()) + (form,)
        self._nav.layout.display = "none"

    def _enter(self, learner: Learner) -> None:
        note = ""
        try:
            stored = self._store.display_names(learner.class_code).get(learner.learner)
            learner = learner.with_display_name(learner.display_name or stored)
        except StoreUnavailable as exc:
            note = f" <span class='lk-error'>({escape(str(exc))})</span>"
        self.learner = learner
        self._note = note
        self._draw_header()
        self._tools.children = self._make_tools()
        target = self.following if (self.following or not self.free) else HOME
        if self._placeholder is not None:
            slug, page = self._placeholder
            self._placeholder = None
            bind_learner(page, learner)   # theirs now, shown at once if the class is on it, else kept for later
            self._pages[slug] = page
        self.show(target)

    def _draw_header(self) -> None:
        learner = self.learner
        if learner is None:
            return
        self._header.value = (f"You are <strong>{escape(learner.name)}</strong> in class "
                              f"<strong>{escape(learner.class_code)}</strong>.{self._note}")

    def _me(self) -> Learner:
        """The learner this page is for; only asked for once they have arrived."""
        if self.learner is None:
            raise RuntimeError("the session page has no learner yet")
        return self.learner

    # ---- the learner's own tools: their name, their personal link, leaving a shared computer
    def _make_tools(self) -> tuple[widgets.Widget, ...]:
        learner = self._me()
        self.name_box = widgets.Text(value=learner.display_name or "", description="Your name",
                                     placeholder="optional", style={"description_width": "initial"})
        self.name_button = widgets.Button(description="Save name", icon="check")
        self.name_status = widgets.HTML("", _dom_classes=("lk-status",))
        self.name_button.on_click(lambda _b: self.rename(self.name_box.value))
        tools: list[widgets.Widget] = [
            widgets.HTML("<h2>You in this class</h2>"),
            widgets.HBox([self.name_box, self.name_button, self.name_status], _dom_classes=("lk-footer",)),
        ]
        link = self.personal_link()
        if link:
            self.link_button = widgets.ToggleButton(description="Continue on another device", icon="mobile",
                                                    value=False,   # its whole label, also on a 320 px phone
                                                    layout=widgets.Layout(width="auto", max_width="100%"))
            self.link_box = widgets.HTML("")
            self.link_button.observe(lambda c: self._show_link(c["new"]), names="value")
            tools += [self.link_button, self.link_box]
        if learner.source == "session":
            tools.append(widgets.HTML("<p><a href='/leave'>Leave the lesson on this device</a> (on a shared "
                                      "computer)</p>"))
        return tuple(tools)

    def rename(self, name: str) -> bool:
        """The learner changes their own display name (blank: the made-up name again)."""
        learner = self.learner
        if learner is None:
            return False
        cleaned = clean_display_name(name)
        try:
            self._store.set_display_name(learner.class_code, learner.learner, cleaned)
        except (StoreUnavailable, ValueError) as exc:
            self.name_status.value = f"<span class='lk-error' role='alert'>Not saved: {escape(str(exc))}</span>"
            return False
        self.learner = learner.with_display_name(cleaned)
        self.name_box.value = cleaned or ""
        self._draw_header()
        shown = escape(self.learner.name)
        self.name_status.value = f"<span class='lk-ok' role='status'>Saved: the class now sees you as {shown}.</span>"
        return True

    def personal_link(self) -> str | None:
        """The secret address that brings this learner back on another device (None without a session)."""
        learner = self.learner
        if learner is None or not learner.token:
            return None
        settings = self._settings
        host = settings.server_name
        port = settings.server_port
        script = settings.script_name or "/voila/render/lesson.ipynb"
        origin = f"http://{host}:{port}" if host else ""
        return f"{origin}{script}?s={learner.token}"

    def _show_link(self, shown: bool) -> None:
        if not shown:
            self.link_box.value = ""
            return
        from .charts import qr_svg

        link = self.personal_link() or ""
        self.link_box.value = (
            "<div class='lk-personal-link'><p>Open this link on your other device to carry on as yourself. "
            "Keep it to yourself: anyone with it can answer as you.</p>"
            f"<p class='lk-dash-url'><code>{escape(link)}</code></p>"
            f"<div class='lk-qr'>{qr_svg(link, label='QR code for your personal link')}</div></div>")

    # ---- what is on screen
    def _options(self) -> list[tuple[str, str]]:
        return [("Session overview", HOME)] + [(f"{a.number:02d}. {a.title}", a.slug) for a in self._items]

    def show(self, slug: str) -> bool:
        """Put an activity (or the overview, '') on screen; True when it is there."""
        if self.learner is None or (slug and slug not in self._by_slug):
            return False
        old = self._pages.get(self.current) if self.current != slug else None
        page = self._page(slug)
        if old is not None:
            set_live(old, False)
        # The swap first: it is one message, and a class's 30 kernels send it at the same moment. What
        # can wait (the board's redraw, closing an old page: hundreds of messages) follows a moment later,
        # spread over the class.
        self._stage.children = (page,)
        self.current = slug
        self._pages.move_to_end(slug)
        self._sync_nav()
        if self._live:
            self._spawn(self._after_move(page))
        else:
            set_live(page, True)
            self._evict()
        self._plan_ahead()
        return True

    async def _after_move(self, page: widgets.Widget) -> None:
        await asyncio.sleep(random.uniform(*RESUME_DELAY))
        await self._page_ready()
        if self._stage.children and self._stage.children[0] is page:
            set_live(page, True)
        await asyncio.sleep(random.uniform(*AHEAD_DELAY))
        self._evict()

    def _page(self, slug: str) -> widgets.Widget:
        if slug == HOME:   # the overview's progress changes as the learner answers: drawn afresh each time
            old = self._pages.pop(HOME, None)
            if old is not None:
                close_tree(old)
            self._pages[HOME] = self._home()
            return self._pages[HOME]
        page = self._pages.get(slug)
        if page is None:
            page = self._pages[slug] = self._build(self._by_slug[slug], self._me())
        return page

    def _home(self) -> widgets.Widget:
        from .pages import _overview_body

        problem = f"<p class='lk-error' role='alert'>{escape(self._problem)}</p>" if self._problem else ""
        if self._lesson is None:
            return widgets.HTML(problem)
        return widgets.VBox([widgets.HTML(problem), _overview_body(self._lesson, self._store, self._me(),
                                                                  links=False, settings=self._settings)])

    def _build(self, content: Activity, learner: Learner) -> widgets.Widget:
        from .pages import builder

        try:
            return builder(content.kind)(content, self._store, learner, settings=self._settings)
        except Exception as exc:  # noqa: BLE001 - one broken activity must not end the learner's session
            return widgets.HTML(f"<h1 class='lk-title'>{escape(content.title)}</h1><p class='lk-error' role='alert'>"
                                f"This activity cannot be shown: {escape(str(exc))}. Tell your trainer.</p>")

    def _evict(self) -> None:
        keep = {self.current, self._next_slug()}
        closed = False
        for slug in list(self._pages):
            if len(self._pages) <= KEEP_PAGES:
                break
            if slug not in keep:
                close_tree(self._pages.pop(slug))
                closed = True
        if closed and self._live:
            from .memory import give_back

            give_back()   # a closed page's memory back to the machine (this runs apart from the move itself)

    def _next_slug(self) -> str | None:
        base = self.following if not self.free else self.current
        i = self._order.index(base) if base in self._order else 0
        return self._order[i + 1] if i + 1 < len(self._order) else None

    def _plan_ahead(self) -> None:
        """Build the next activity a few seconds from now, so the trainer's next move is only a swap."""
        if not self._live:
            return
        if self._ahead is not None and not self._ahead.done():
            self._ahead.cancel()
        self._ahead = self._spawn(self._build_ahead())

    async def _build_ahead(self) -> None:
        await asyncio.sleep(random.uniform(*AHEAD_DELAY))
        await self._page_ready()
        slug = self._next_slug()
        if slug and slug not in self._pages and self.learner is not None and not self._closed:
            self.build_ahead(slug)
            from .memory import give_back

            give_back()   # what building left behind (the class is working, nobody waits on this kernel)

    def build_ahead(self, slug: str) -> widgets.Widget:
        """Build an activity now without showing it (its boards wait until it is on screen)."""
        page = self._pages.get(slug)
        if page is None:
            page = self._pages[slug] = self._build(self._by_slug[slug], self._me())
            set_live(page, False)
            self._pages.move_to_end(self.current)   # the page on screen stays the newest
            self._evict()
        return page

    # ---- moving: by the trainer, or by the learner when the trainer lets them
    def _step(self, by: int) -> None:
        i = self._order.index(self.current) + by
        if self.free and 0 <= i < len(self._order):
            self.show(self._order[i])

    def _on_pick(self, change: dict) -> None:
        if self._syncing or change["new"] == self.current:
            return
        if self.free:
            self.show(change["new"])
        else:
            self._sync_nav()

    _syncing = False

    def _sync_nav(self) -> None:
        i = self._order.index(self.current)
        self._syncing = True
        try:
            self.picker.value = self.current
        finally:
            self._syncing = False
        self.previous_button.disabled = i == 0
        self.next_button.disabled = i == len(self._order) - 1
        self._nav.layout.display = None if self.free and self.learner is not None else "none"
        trainer = self._by_slug.get(self.following)
        away = self.free and trainer is not None and self.current != self.following
        self._go_row.layout.display = None if away else "none"
        if trainer is None:
            where = ("Move between the activities as you like." if self.free
                     else "Your trainer will start the first activity soon.")
        elif self.free:
            where = f"The class is on <strong>{trainer.number:02d}. {escape(trainer.title)}</strong>. " \
                    "You can also move between the activities yourself."
        else:
            where = f"Your trainer moves the class on. Now: <strong>{trainer.number:02d}. " \
                    f"{escape(trainer.title)}</strong>."
        self._where.value = f"<p>{where}</p>"

    def _read_pace(self, class_code: str | None) -> None:
        if not class_code:
            return
        try:
            self._apply(self._store.pace(class_code), first=True)
        except StoreUnavailable:
            pass

    def apply_pace(self, pace: Pace) -> None:
        """Follow the trainer: a move takes everyone there; "move freely" lets learners go where they like."""
        self._apply(pace)

    def _apply(self, pace: Pace, *, first: bool = False) -> None:
        moved = pace.activity != self.pace.activity
        self.pace = pace
        self.free = pace.free
        self.following = pace.activity if pace.activity in self._by_slug else HOME
        if first:
            return
        if self.learner is None:
            if moved:   # a pooled kernel follows what the trainer is teaching (the pool spread over a few seconds)
                if self._live:
                    if self._rebuild is not None and not self._rebuild.done():
                        self._rebuild.cancel()
                    self._rebuild = self._spawn(self._prebuild_later())
                else:
                    from .pages import placeholder_learner

                    self._prebuild(placeholder_learner(self._settings))
            return
        if moved or (not self.free and self.current != self.following):
            self.show(self.following)
        else:
            self._sync_nav()
            self._plan_ahead()

    async def _prebuild_later(self) -> None:
        from .pages import placeholder_learner

        await asyncio.sleep(random.uniform(0.0, 8.0))
        if self.learner is None and not self._arrived:   # after the request, the learner's own page is drawn
            self._prebuild(placeholder_learner(self._settings))
            self._rebuilt_at = time.monotonic()

    async def _arrive(self) -> None:
        """A pooled kernel: the learner's request arrives (any time later), and the page becomes theirs."""
        from .identity import wait_for_request_async

        info = await wait_for_request_async(self._settings)
        self._arrived = True
        if self._placeholder is not None and time.monotonic() - self._rebuilt_at < RECENT_BUILD:
            close_tree(self._placeholder[1])   # perhaps built while the browser connected: not to be trusted
            self._placeholder = None
        self._settings = self._settings.with_request(info)
        try:
            learner, code = resolve(self._settings, self._store)
        except StoreUnavailable as exc:
            await self._page_ready()
            self._stage.children = (widgets.HTML(
                f"<p class='lk-error' role='alert'>Your place in the class cannot be checked right now: "
                f"{escape(str(exc))}. Reload this page in a moment.</p>"),)
            return
        await self._page_ready()   # the browser is connecting now: what the learner's page adds must reach it
        if learner is not None:
            self._enter(learner)
        else:
            self._join_form(code)

    async def _page_ready(self) -> None:
        """Under Voila, wait until the browser shows the page before changing it (lessonkit/frontend.py)."""
        if self._live and not self._shown and self._view_count is not None:
            await on_screen(self)
            self._shown = True   # or waited long enough: a page closed at once, a front end that does not say

    async def _follow(self) -> None:
        """Follow the trainer for as long as the page is open (a pooled kernel already while it waits)."""
        while not self._closed:
            code = (self.learner.class_code if self.learner is not None
                    else normalise_class_code(self._settings.class_code))
            if not code:
                return
            try:
                pace = await wait_pace(self._store, code, self.pace.seq)
            except StoreUnavailable:
                await asyncio.sleep(5)
                continue
            except asyncio.CancelledError:
                raise
            if pace.seq != self.pace.seq:
                if self.learner is not None:
                    await self._page_ready()   # a move just after the page was drawn: its browser may be connecting
                self._apply(pace)

    def _spawn(self, job) -> asyncio.Task | None:
        try:
            task = asyncio.get_running_loop().create_task(job)
        except RuntimeError:   # no running loop (plain Python, tests): the page still works by hand
            job.close()
            return None
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for page in self._pages.values():
            close_tree(page)
        self._pages.clear()
        if self._placeholder is not None:
            close_tree(self._placeholder[1])
            self._placeholder = None
        for w in reversed(walk(self)[1:]):   # its header, navigation, stage and tools too: no live widget is
            w.close()                        # left holding a closed one (the browser could not be sent it)
        super().close()


def normalise_class_code(code: str | None) -> str | None:
    from .identity import normalise_class_code as _normalise

    return _normalise(code)


def session(*, store: Any = None, env: Mapping[str, str] | None = None,
            settings: Settings | None = None) -> SessionPage:
    """The whole lesson as one page (notebooks/lesson.ipynb), run with `settings`, else those of `env`, else
    this process's environment (a page of its own runs live; one for given settings only under Voila)."""
    from .service import open_store

    given = settings is not None or env is not None
    settings = settings_for(settings, env)
    return SessionPage(store or open_store(settings=settings), settings=settings,
                       live=not given or settings.under_voila)
