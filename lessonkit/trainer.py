"""The trainer dashboard (notebook 11): join link and QR code, live counts, boards, lock/reset, export, privacy.

`lessonkit serve` runs it in a second Voila instance that listens on this computer only (127.0.0.1)
and serves nothing but the trainer folder, so no student URL reaches it; the dashboard kernel also
checks the trainer key from the page's address. Every action runs in this kernel against the store:
the students' kernels have no code path to lock, reset, export or delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any, cast

import ipywidgets as widgets

from .charts import download_link, plural, qr_svg
from .components.base import ANNOUNCE, local_time, stylesheet
from .components.board import LivePolling
from .content import activities
from .datafiles import data_dir
from .errors import ContentError, StoreUnavailable
from .export import export_file, reset_with_copy
from .identity import normalise_class_code, pseudonym
from .service import open_store
from .settings import DEFAULT_KEEP_DAYS, Settings, settings_for
from .trainer_gate import refusal, trainer_allowed

if TYPE_CHECKING:
    from .protocols import TrainerStore

__all__ = ["Dashboard", "dashboard", "keep_days", "DEFAULT_KEEP_DAYS"]


def keep_days(settings: Settings | Mapping[str, str]) -> int:
    """How many days a class's answers are kept (`lessonkit serve --keep-days`, default 30)."""
    return Settings.of(settings).keep_days


_MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _reach_note(join_url: str) -> str:
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(join_url).hostname or ""
    if host in ("127.0.0.1", "localhost", "::1"):
        return ("Only this computer can open this address. To let phones and laptops join, start the lesson "
                "with make serve (or lessonkit serve --host 0.0.0.0).")
    try:
        on_this_network = ipaddress.ip_address(host).is_private
    except ValueError:   # a name: this computer on the local network (.local), or a hub on the internet
        on_this_network = host.endswith(".local") or "." not in host
    if not on_this_network:
        return "They open it in their own browser and log in with their own account."
    return "They need to be on the same Wi-Fi network as this computer."


class Dashboard(LivePolling, widgets.VBox):
    """Everything the trainer runs the class from, redrawn live from the store."""

    def __init__(self, store: TrainerStore, class_code: str, join_url: str | None = None, *,
                 live: bool = True, max_minutes: float = 300, keep: int = DEFAULT_KEEP_DAYS,
                 settings: Settings | None = None, **kwargs: Any) -> None:
        self._store = store
        self._settings = settings if settings is not None else Settings()
        self.class_code = class_code
        self.join_url = join_url
        self.keep_days = keep
        self._max_minutes = max_minutes
        self._version: tuple | None = None
        self._pending: tuple[str, str] | None = None  # ("reset", slug) / ("delete", learner) / ("purge", "")
        data = data_dir(self._settings)
        try:
            self.activities = activities(data / "activities", data=data)
            problem = ""
        except ContentError as exc:
            self.activities, problem = [], str(exc)
        self._by_slug = {a.slug: a for a in self.activities}
        self.counts: dict[str, int] = {}
        self.locked: set[str] = set()
        self.learners: list[str] = []
        self.boards: list[widgets.Widget] = []

        self.anonymise = widgets.Checkbox(value=True, description="Hide learners' names (for projecting)",
                                          indent=False, _dom_classes=("lk-dash-anon",))
        self.anonymise.observe(self._on_anonymise, names="value")
        self._live_line = widgets.HTML("", _dom_classes=("lk-live",))
        self.message = widgets.HTML("", _dom_classes=("lk-dash-message", ANNOUNCE))
        self._confirm_text = widgets.HTML("")
        self.confirm_button = widgets.Button(description="Yes, do it", button_style="danger", icon="check")
        self.cancel_button = widgets.Button(description="Cancel", icon="times")
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.confirm_box = widgets.VBox(
            [self._confirm_text, widgets.HBox([self.confirm_button, self.cancel_button], _dom_classes=("lk-footer",))],
            _dom_classes=("lk-dash-confirm",), layout=widgets.Layout(display="none"))

        self.rows: dict[str, dict[str, widgets.Widget]] = {}
        row_widgets = []
        for a in self.activities:
            label = widgets.HTML("", _dom_classes=("lk-dash-label",))
            lock = widgets.ToggleButton(value=False, description="Lock", icon="lock",
                                        tooltip=f"Stop taking answers for {a.title}")
            reset = widgets.Button(description="Reset", icon="undo", tooltip=f"Delete the class's answers to {a.title}")
            lock.observe(lambda c, slug=a.slug: self._on_lock_toggle(slug, c["new"]), names="value")
            reset.on_click(lambda _b, slug=a.slug: self.ask_reset(slug))
            self.rows[a.slug] = {"label": label, "lock": lock, "reset": reset}
            row_widgets.append(widgets.HBox([label, widgets.HBox([lock, reset], _dom_classes=("lk-dash-actions",))],
                                            _dom_classes=("lk-dash-row",)))
        self.total = widgets.HTML("", _dom_classes=(ANNOUNCE,))
        table = widgets.VBox([self.total, *row_widgets], _dom_classes=("lk-dash-table",))

        self.board_picker = widgets.Dropdown(
            options=[(f"{a.number:02d}. {a.title}", a.slug) for a in self.activities],
            description="Show the board for", style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"))
        self.board_area = widgets.VBox([], _dom_classes=("lk-dash-boards",))
        self.post_picker = widgets.Dropdown(options=[], description="Post", layout=widgets.Layout(width="auto"))
        self.hide_button = widgets.Button(description="Hide post", icon="eye-slash",
                                          tooltip="Hide this post on every board (learners and projector)")
        self.hide_button.on_click(lambda _b: self.toggle_post(self.post_picker.value))
        self.post_picker.observe(lambda _c: self._label_hide_button(), names="value")
        self.moderation = widgets.VBox(
            [widgets.HTML("<h3>Moderate posts</h3>"), widgets.HBox([self.post_picker, self.hide_button],
                                                                   _dom_classes=("lk-footer",))],
            _dom_classes=("lk-dash-moderation",), layout=widgets.Layout(display="none"))

        wide = widgets.Layout(width="auto")
        self.export_csv = widgets.Button(description="Export answers (CSV)", icon="download", layout=wide)
        self.export_xlsx = widgets.Button(description="Export answers (Excel)", icon="download", layout=wide)
        self.export_csv.on_click(lambda _b: self.export("csv"))
        self.export_xlsx.on_click(lambda _b: self.export("xlsx"))
        self.download = widgets.HTML("", _dom_classes=("lk-dash-download",))

        self.learner_picker = widgets.Dropdown(options=[], description="Learner",
                                               layout=widgets.Layout(width="auto"))
        self.delete_button = widgets.Button(description="Delete this learner's answers", icon="trash",
                                            button_style="warning", layout=wide)
        self.delete_button.on_click(lambda _b: self.ask_delete(self.learner_picker.value))
        self.purge_button = widgets.Button(description=f"Delete classes older than {keep} days",
                                           icon="trash", button_style="warning", layout=wide)
        self.purge_button.on_click(lambda _b: self.ask_purge())

        header = widgets.HTML(self._header_html(problem), _dom_classes=("lk-dash-header",))
        from .present import PaceControls

        self.pacing = PaceControls(store, class_code, self.activities,
                                   on_change=lambda pace: self.show_board(pace.activity) if pace.activity else None)
        present = self._settings.present_url
        present_link = (f"<p>For the projector, open the <a href='{escape(present)}' target='_blank' rel='noopener'>"
                        "present view</a> in another window: the class's activity in large type, with its live "
                        "board.</p>" if present else "")
        super().__init__(children=(
            stylesheet(), header, self.message, self.confirm_box,
            widgets.HTML("<h2>Pace the class</h2><p>Move the class from one activity to the next: every learner's "
                         f"page shows it within a couple of seconds, without reloading.</p>{present_link}"),
            self.pacing,
            widgets.HTML("<h2>Activities</h2><p>Learners who have answered each activity, live. Lock stops "
                         "new answers (learners see why); Reset deletes the class's answers after saving a "
                         "copy.</p>"),
            table, self._live_line,
            widgets.HTML("<h2>Class results</h2>"), self.anonymise, self.board_picker, self.board_area,
            self.moderation,
            widgets.HTML("<h2>Export</h2><p>Every answer the class has given, one row per learner and question. "
                         "Files are saved on this computer only.</p>"),
            widgets.HBox([self.export_csv, self.export_xlsx], _dom_classes=("lk-footer",)), self.download,
            widgets.HTML("<h2>Privacy</h2>" + self._privacy_html()),
            widgets.HBox([self.learner_picker, self.delete_button], _dom_classes=("lk-footer",)),
            self.purge_button,
        ), **kwargs)
        self.add_class("lk-page")
        self.add_class("lk-dash")
        self.refresh(force=True)
        if self.activities:  # the first activity the class has answered, else the first one
            answered = [a.slug for a in self.activities if self.counts.get(a.slug)]
            self.show_board((answered or [self.activities[0].slug])[0])
        self.board_picker.observe(lambda c: self.show_board(c["new"]), names="value")
        self.live = live
        if live:
            self.start()

    # ---- drawing
    def _header_html(self, problem: str) -> str:
        code = escape(self.class_code)
        if self.join_url:
            url = escape(self.join_url)
            join = (f"<div class='lk-qr'>{qr_svg(self.join_url, label='QR code for the join address')}</div>"
                    f"<div><p class='lk-dash-big'>Class code <strong>{code}</strong></p>"
                    f"<p>Students scan the code, or type this address:</p>"
                    f"<p class='lk-dash-url'><a href='{url}' target='_blank' rel='noopener'>{url}</a></p>"
                    f"<p>{escape(_reach_note(self.join_url))}</p></div>")
        else:
            join = (f"<div><p class='lk-dash-big'>Class code <strong>{code}</strong></p><p>Start the lesson "
                    "with <code>lessonkit serve</code> to get a join address and QR code for students.</p></div>")
        err = f"<p class='lk-error' role='alert'>{escape(problem)}</p>" if problem else ""
        return (f"<h1 class='lk-title'>Trainer dashboard</h1>{err}<div class='lk-dash-join'>{join}</div>")

    def _privacy_html(self) -> str:
        keep = (f"kept for {self.keep_days} days after the class's last answer, then deleted when "
                "<code>lessonkit serve</code> next starts" if self.keep_days else "kept until you delete them")
        return (f"<p>Answers are stored under made-up names in the class store on this computer "
                f"(<code>{escape(self._store.url)}</code>) and {keep}. Nothing is sent to any outside service. "
                "A learner may ask for their answers to be deleted:</p>")

    def _row_html(self, slug: str) -> str:
        a = self._by_slug[slug]
        n = self.counts.get(slug, 0)
        state = ("<span class='lk-dash-locked'>Locked</span>" if slug in self.locked
                 else "<span class='lk-dash-open'>Open</span>")
        return (f"<strong>{a.number:02d}. {escape(a.title)}</strong> "
                f"<span class='lk-dash-count'>{plural(n, 'learner')}</span> {state}")

    # ---- live
    def refresh(self, force: bool = False) -> bool:
        """Redraw counts, locks and learner lists if the class changed (or when forced)."""
        self.pacing.read()   # a move made on the projector view shows here too
        try:
            version = self._store.class_version(self.class_code)
            if not force and version == self._version:
                return False
            by_activity = self._store.activity_learners(self.class_code)
            names = self._store.display_names(self.class_code)
        except StoreUnavailable as exc:
            self._live_line.value = f"<span role='status'>Paused: {escape(str(exc))}.</span>"
            return False
        self._version = version
        self.locked = set(version[2])
        self.counts = {slug: len(by_activity.get(slug, ())) for slug in self._by_slug}
        everyone = sorted(set().union(*by_activity.values()) if by_activity else set())
        self.learners = everyone
        for slug, row in self.rows.items():
            row["label"].value = self._row_html(slug)
            locked = slug in self.locked
            if row["lock"].value != locked:
                row["lock"].value = locked  # _on_lock_toggle ignores a value that matches the store
            row["lock"].description = "Unlock" if locked else "Lock"
            row["lock"].icon = "unlock" if locked else "lock"
            row["lock"].button_style = "warning" if locked else ""
        self.total.value = (f"<p><strong>{plural(len(everyone), 'learner')}</strong> in class "
                            f"{escape(self.class_code)} so far.</p>")
        hide = self.anonymise.value
        self.learner_picker.options = [((pseudonym(lrn) if hide or lrn not in names
                                         else f"{names[lrn]} ({pseudonym(lrn)})"), lrn) for lrn in everyone]
        self.delete_button.disabled = not everyone
        self._fill_posts()
        self._live_line.value = (f"<span>Live: updated {local_time(datetime.now().astimezone())}.</span>"
                                 if self.live else "")
        return True

    # ---- boards
    def _on_anonymise(self, _change: Any) -> None:
        self.show_board(self.board_picker.value)
        self.refresh(force=True)

    def show_board(self, slug: str | None) -> None:
        """Show an activity's class results (names hidden while 'Hide names' is ticked)."""
        from .pages import boards

        for old in self.boards:
            old.close()
        self.boards = []
        a = self._by_slug.get(slug or "")
        if a is None:
            self.board_area.children = ()
            return
        if self.board_picker.value != slug:
            self.board_picker.value = slug
        self.boards = boards(a, self._store, self.class_code, show_names=not self.anonymise.value, live=self.live)
        self.board_area.children = tuple(self.boards)
        self._fill_posts()

    def _discussions(self) -> list:
        from .components.discussion import DiscussionBoard

        return [b for b in self.boards if isinstance(b, DiscussionBoard)]

    def _fill_posts(self) -> None:
        options = []
        for board in self._discussions():
            for post in board.moderation_list():
                mark = "[hidden] " if post["hidden"] else ""
                text = " ".join(post["text"].split())
                options.append((f"{mark}{post['when']} · {text[:70]}{'…' if len(text) > 70 else ''}",
                                f"{board.activity_id}|{post['id']}"))
        self.moderation.layout.display = None if self._discussions() else "none"
        current = self.post_picker.value
        self.post_picker.options = options
        if current in dict((v, k) for k, v in options):
            self.post_picker.value = current
        self._label_hide_button()

    def _label_hide_button(self) -> None:
        label = dict((v, k) for k, v in self.post_picker.options).get(self.post_picker.value, "")
        self.hide_button.disabled = not self.post_picker.options
        self.hide_button.description = "Show post again" if label.startswith("[hidden]") else "Hide post"

    def toggle_post(self, value: str | None) -> None:
        """Hide a visible post, or show a hidden one again, on every board."""
        if not value:
            return
        activity, _, post_id = value.partition("|")
        for board in self._discussions():
            if board.activity_id == activity:
                hidden = any(p["id"] == post_id and p["hidden"] for p in board.moderation_list())
                try:
                    board.hide(post_id, not hidden)
                except StoreUnavailable as exc:
                    self._say(f"Not done: {exc}.", error=True)
                    return
                self._say("Post shown again." if hidden else "Post hidden on every board.")
        self._fill_posts()

    # ---- lock
    def _on_lock_toggle(self, slug: str, locked: bool) -> None:
        if (slug in self.locked) != locked:
            self.lock(slug, locked)

    def lock(self, slug: str, locked: bool = True) -> None:
        """Lock (stop taking answers) or unlock an activity for this class."""
        a = self._by_slug[slug]
        try:
            self._store.lock(self.class_code, slug, locked)
        except StoreUnavailable as exc:
            self._say(f"Not done: {exc}.", error=True)
        else:
            self._say(f"{a.title} is locked: learners' answers are refused until you unlock it." if locked
                      else f"{a.title} is open again.")
        self.refresh(force=True)

    # ---- confirmations
    def _ask(self, what: tuple[str, str], text: str, action: str) -> None:
        self._pending = what
        self._confirm_text.value = f"<p role='alert'><strong>{escape(text)}</strong></p>"
        self.confirm_button.description = action
        self.confirm_box.layout.display = None

    def cancel(self) -> None:
        """Forget the action waiting for confirmation."""
        self._pending = None
        self.confirm_box.layout.display = "none"
        self._say("Cancelled: nothing was changed.")

    def confirm(self) -> None:
        """Carry out the action waiting for confirmation."""
        pending, self._pending = self._pending, None
        self.confirm_box.layout.display = "none"
        if pending is None:
            return
        kind, target = pending
        if kind == "reset":
            self.reset(target)
        elif kind == "delete":
            self.delete_learner(target)
        elif kind == "purge":
            self.purge()

    def ask_reset(self, slug: str) -> None:
        """Ask before resetting an activity."""
        a = self._by_slug[slug]
        n = self.counts.get(slug, 0)
        self._ask(("reset", slug), f"Reset {a.number:02d}. {a.title}? This deletes the answers of "
                  f"{plural(n, 'learner')} in class {self.class_code}. A copy is saved first.", "Yes, reset")

    def ask_delete(self, learner: str | None) -> None:
        """Ask before deleting one learner's answers."""
        if learner:
            self._ask(("delete", learner), f"Delete every answer from {pseudonym(learner)} in class "
                      f"{self.class_code}? This cannot be undone.", "Yes, delete")

    def ask_purge(self) -> None:
        """Ask before deleting classes older than the retention period."""
        self._ask(("purge", ""), f"Delete every class whose last answer is more than {self.keep_days} days "
                  "old? This cannot be undone.", "Yes, delete old classes")

    # ---- actions
    def reset(self, slug: str) -> bool:
        """Save a copy of the activity's answers, then delete them (both parts of the trainer's reset)."""
        a = self._by_slug[slug]
        try:
            path, rows = reset_with_copy(self._store, self.class_code, slug, settings=self._settings)
        except (StoreUnavailable, OSError) as exc:
            self._say(f"Not reset: {exc}. Nothing was deleted.", error=True)
            return False
        self.refresh(force=True)
        self.show_board(self.board_picker.value)
        self._say(f"{a.title} was reset: {plural(rows, 'answer')} deleted. A copy was saved first to {path}.")
        self.download.value = download_link(path.read_bytes(), path.name, _MIME["csv"],
                                         f"Download the copy ({path.name})")
        return True

    def export(self, fmt: str = "csv") -> str | None:
        """Save the class's answers to a file on this computer and offer it as a download; returns the path."""
        try:
            done = export_file(self._store, self.class_code, fmt=fmt, settings=self._settings)
        except (StoreUnavailable, OSError) as exc:
            self._say(f"Not exported: {exc}.", error=True)
            return None
        path = done.path
        records = (f" and {plural(done.trainer_records, 'record')} of yours (hidden posts)"
                   if done.trainer_records else "")
        self._say(f"Exported {plural(done.answers, 'current answer')} (each learner's latest answer to each "
                  f"question; earlier ones stay in the store){records} to {path}.")
        self.download.value = download_link(path.read_bytes(), path.name, _MIME[fmt], f"Download {path.name}")
        return str(path)

    def delete_learner(self, learner: str) -> bool:
        """Delete everything stored about one learner in this class."""
        try:
            n = self._store.delete_learner(self.class_code, learner)
        except StoreUnavailable as exc:
            self._say(f"Not deleted: {exc}.", error=True)
            return False
        self.refresh(force=True)
        self.show_board(self.board_picker.value)
        self._say(f"Deleted {plural(n, 'answer')} from {pseudonym(learner)}.")
        return True

    def purge(self) -> list:
        """Delete classes older than the retention period (never this class while it is active)."""
        try:
            gone = self._store.purge(self.keep_days)
        except StoreUnavailable as exc:
            self._say(f"Not deleted: {exc}.", error=True)
            return []
        self.refresh(force=True)
        codes = ", ".join(c.class_code for c in gone)
        self._say(f"Deleted {plural(len(gone), 'old class')}{': ' + codes if codes else ''}.")
        return gone

    def _say(self, text: str, *, error: bool = False) -> None:
        kind, role = ("lk-error", "alert") if error else ("lk-ok", "status")
        self.message.value = f"<p class='{kind}' role='{role}'>{escape(text)}</p>"

    def close(self) -> None:
        for board in self.boards:
            board.close()
        super().close()


def dashboard(*, store: TrainerStore | None = None, env: Mapping[str, str] | None = None,
              settings: Settings | None = None) -> widgets.Widget:
    """The trainer dashboard page, or a refusal when the kernel is not the trainer's.

    Runs with `settings`, else those of `env`, else this process's environment."""
    settings = settings_for(settings, env)
    allowed, why = trainer_allowed(settings)
    if not allowed:
        return refusal("Trainer dashboard", why)
    # The trainer's kernel opens the database itself (never the learners' store service), and may bring an
    # older store up to date.
    store = store or cast("TrainerStore", open_store(upgrade=True, settings=settings))
    class_code = normalise_class_code(settings.class_code)
    if class_code is None:  # opened outside `lessonkit serve`: the most recently active class
        try:
            known = store.classes()
        except StoreUnavailable:
            known = []
        class_code = known[0].class_code if known else "DEMO"
    return Dashboard(store, class_code, settings.join_url, keep=settings.keep_days, settings=settings)
