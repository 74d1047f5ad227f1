"""MediaGate: a clip (or a script the trainer reads aloud), then "I've finished watching" reveals what comes next."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlparse

import ipywidgets as widgets
from ipywidgets.widgets.widget import CallbackDispatcher
from traitlets import Bool

from ..model import Media
from .base import markdown

__all__ = ["MediaGate", "youtube_embed_url", "media_kind"]

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com")
# Where Voila serves files beside the notebooks, relative to a page at /voila/render/<notebook>.
FILES_URL = "../files/"


def youtube_embed_url(url: str) -> str | None:
    """The privacy-enhanced embed address for a YouTube link (youtube-nocookie.com), or None if it is not one."""
    parsed = urlparse(url)
    if parsed.scheme != "https":
        return None
    query = parse_qs(parsed.query)
    if parsed.hostname in _YOUTUBE_HOSTS and parsed.path == "/watch":
        video = (query.get("v") or [""])[0]
    elif parsed.hostname == "youtu.be":
        video = parsed.path.lstrip("/")
    else:
        return None
    if not _YOUTUBE_ID.fullmatch(video):
        return None
    start = _seconds((query.get("t") or query.get("start") or [""])[0])
    return f"https://www.youtube-nocookie.com/embed/{video}?rel=0" + (f"&start={start}" if start else "")


def _seconds(value: str) -> int:
    """'90', '90s' or '1m30s' -> 90; anything else -> 0."""
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value or "")
    if not m or not value:
        return 0
    h, mins, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mins * 60 + s


def media_kind(media: Media) -> str:
    """'youtube', 'video', 'audio' or 'text' (no URL: the transcript is the script)."""
    if not media.url:
        return "text"
    if youtube_embed_url(media.url):
        return "youtube"
    return "audio" if media.url.lower().endswith(".mp3") else "video"


class MediaGate(widgets.VBox):
    """Shows a clip with its transcript as the fallback; the finished button hides it and reveals `next_widget`.

    The clip and what comes next are never on screen together: a listening quiz must not be
    answerable by reading the recipe. Re-opening the clip (when allowed) hides what comes next again.
    """

    finished = Bool(False, help="True once the learner pressed the finished button: the clip is hidden.")
    can_reopen = Bool(False, help="Offer a button to open the clip again after finishing (hides the next part).")

    def __init__(self, media: Media, next_widget: widgets.Widget | None = None, *, finished: bool = False,
                 can_reopen: bool = False, files_url: str = FILES_URL, **kwargs: Any) -> None:
        self.media = media
        self.next_widget = next_widget
        self.kind = media_kind(media)
        self._files_url = files_url
        self._finished_handlers = CallbackDispatcher()
        heading = widgets.HTML(f"<h2 class='lk-media-title'>{escape(media.title)}</h2>")
        self._player = widgets.HTML("", _dom_classes=("lk-media-player",))
        self._text = widgets.HTML(self._transcript_html(), _dom_classes=("lk-media-text",))
        parts: list[widgets.Widget] = [heading, self._player, self._text]
        if media.credit:
            parts.append(widgets.HTML(f"<div class='lk-media-credit'>{markdown(media.credit)}</div>"))
        self.finished_button = widgets.Button(description=media.finished_label, button_style="success",
                                              icon="check", tooltip="Hide the clip and go on")
        self.finished_button.add_class("lk-media-done")
        self.finished_button.on_click(lambda _b: self.finish())
        parts.append(self.finished_button)
        self.clip = widgets.VBox(parts, _dom_classes=("lk-media",))
        self.reopen_button = widgets.Button(description=_reopen_label(self.kind), icon="undo",
                                            tooltip="Show the clip again (the questions are hidden meanwhile)")
        self.reopen_button.add_class("lk-media-reopen")
        self.reopen_button.on_click(lambda _b: self.reopen())
        # Once the clip is hidden, the button sits in a line that says what it opens again (not a bare button).
        done = "Finished reading" if self.kind == "text" else "Finished watching"
        self.reopen_row = widgets.HBox(
            [widgets.HTML(f"<p class='lk-media-closed'>{done}: <strong>{escape(media.title)}</strong></p>"),
             self.reopen_button], _dom_classes=("lk-footer", "lk-media-reopen-row"))
        children = [self.clip, self.reopen_row] + ([next_widget] if next_widget is not None else [])
        super().__init__(children=children, **kwargs)
        self.add_class("lk-media-gate")
        self.finished = finished
        self.can_reopen = can_reopen
        self.observe(self._apply, names=["finished", "can_reopen"])
        self._apply()

    # ---- public API
    def on_finished(self, callback: Callable[[MediaGate], None], remove: bool = False) -> None:
        """Register a callback run when the learner finishes watching, with (gate)."""
        self._finished_handlers.register_callback(callback, remove=remove)

    def finish(self) -> None:
        """Hide the clip and show what comes next, as the finished button does."""
        self.finished = True
        self._finished_handlers(self)

    def reopen(self) -> bool:
        """Show the clip again and hide what comes next; False when re-opening is not allowed."""
        if not self.can_reopen:  # the button is hidden then; a forged click still gets nothing
            return False
        self.finished = False
        return True

    @property
    def player_html(self) -> str:
        """The player as drawn now (empty while the clip is hidden, so nothing keeps playing)."""
        return self._player.value

    @property
    def text_html(self) -> str:
        """The transcript block as drawn."""
        return self._text.value

    # ---- private
    def _apply(self, _change: dict | None = None) -> None:
        done = self.finished
        self.clip.layout.display = "none" if done else None
        # Emptying the player stops a playing video; it is drawn again if the clip is re-opened.
        self._player.value = "" if done else self._player_html()
        self.reopen_button.layout.display = None if done and self.can_reopen else "none"
        self.reopen_row.layout.display = self.reopen_button.layout.display
        if self.next_widget is not None:
            self.next_widget.layout.display = None if done else "none"

    def _player_html(self) -> str:
        m = self.media
        title = escape(m.title)
        if self.kind == "youtube":
            src = escape(youtube_embed_url(m.url or "") or "")
            return (f'<div class="lk-media-frame"><iframe src="{src}" title="{title}" loading="lazy" '
                    'allow="accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture" '
                    'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></div>')
        if self.kind in ("video", "audio"):
            src = escape(self._files_url + (m.url or "").lstrip("/"))
            return (f'<{self.kind} class="lk-media-{self.kind}" controls preload="metadata" src="{src}" '
                    f'aria-label="{title}">Your browser cannot play this clip: read it below instead.'
                    f'</{self.kind}>')
        return ""

    def _transcript_html(self) -> str:
        body = markdown(self.media.transcript)
        if self.kind == "text":
            return ('<p class="lk-media-note">There is no recording for this one: your trainer may read it '
                    'aloud. Listen, or read it here.</p>'
                    f'<div class="lk-media-script">{body}</div>')
        return ('<details class="lk-media-fallback"><summary>Can\'t play it? Read it instead</summary>'
                f'<div class="lk-media-script">{body}</div></details>')


def _reopen_label(kind: str) -> str:
    return "Read it again" if kind == "text" else "Watch it again"
