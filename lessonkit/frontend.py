"""When the browser is showing a kernel's page, so that what the kernel changes next reaches it.

A browser opening a kernel's page subscribes to the kernel's messages, asks once for the state of every
widget, registers them and then draws the page. What the kernel sends while that is under way can be lost
for good: a change to a widget the browser has not registered yet is dropped (the page keeps the old
state: a learner's header never appears), and a new widget containing one whose creation the browser
missed shows "widget model not found" ("Click to show javascript error") in its place. Widgets made
while a cell runs are safe (the page connects after the run). The danger is work a kernel does on its own
time while a page connects: a pooled kernel drawing the page of the learner who has just arrived, a move
the trainer makes just then, building the next activity ahead.

Such work waits for `on_screen(page)`: ipywidgets reports a widget's views back to the kernel when
`_view_count` is a number, and a page's first view is drawn only once the browser has every widget.
"""

from __future__ import annotations

import asyncio

import ipywidgets as widgets

__all__ = ["track", "on_screen"]


def track(widget: widgets.DOMWidget) -> None:
    """Ask the browser to say when it shows `widget` (before the browser connects: set while a cell runs)."""
    if widget._view_count is None:
        widget._view_count = 0


async def on_screen(widget: widgets.DOMWidget, timeout: float = 20.0) -> bool:
    """Wait until a browser shows `widget` (True), or `timeout` seconds (False: a page closed at once, or a
    front end that does not report views; the work then goes ahead rather than waiting for ever).

    `widget` must be tracked (`track`).
    """
    if (widget._view_count or 0) > 0:
        return True
    loop = asyncio.get_running_loop()
    seen = loop.create_future()

    def shown() -> None:
        if not seen.done():
            seen.set_result(None)

    def views(change: dict) -> None:
        if (change["new"] or 0) > 0:
            loop.call_soon_threadsafe(shown)

    widget.observe(views, names="_view_count")
    try:
        await asyncio.wait_for(seen, timeout)
    except (asyncio.TimeoutError, TimeoutError):
        return False
    finally:
        widget.unobserve(views, names="_view_count")
    return True
