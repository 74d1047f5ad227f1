"""When the page in the browser has the kernel's widgets.

A browser opening a kernel's page subscribes to the kernel's messages, then asks once for the state of
every widget (ipywidgets' "request_states" on its control channel) and builds them. A widget the kernel
creates while that is under way can be lost for good: the page hears of a new widget that contains one
whose creation it missed (sent before it subscribed) and had no state for yet, and shows "widget model not
found" ("Click to show javascript error") in its place. Widgets created while a cell runs are safe (the
page connects after the run); the danger is work a kernel does on its own time while a page connects: a
pooled kernel drawing the page of the learner who has just arrived, or building the next activity ahead.
Such work waits for `page_has_widgets()`.
"""

from __future__ import annotations

import asyncio

__all__ = ["watch", "page_has_widgets", "answered"]

_answered = False        # the kernel has sent a page the state of every widget
_waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = []
_watching = False


def watch() -> None:
    """Note when a page has asked for (and been sent) every widget's state; once, before any page connects."""
    global _watching
    if _watching:
        return
    from ipywidgets import Widget

    original = Widget._handle_control_comm_msg.__func__

    def handle_control_comm_msg(cls, msg):
        original(cls, msg)   # replies with every widget's state
        data = (msg.get("content") or {}).get("data") or {}
        if data.get("method") == "request_states":
            _mark_answered()

    Widget._handle_control_comm_msg = classmethod(handle_control_comm_msg)
    _watching = True


def answered() -> bool:
    """True once a page has been sent the state of every widget."""
    return _answered


def _mark_answered() -> None:
    global _answered
    _answered = True
    waiters, _waiters[:] = list(_waiters), []
    for loop, future in waiters:
        loop.call_soon_threadsafe(lambda f=future: f.done() or f.set_result(None))


async def page_has_widgets(timeout: float = 20.0) -> bool:
    """Wait until a page has been sent every widget's state (True), or `timeout` seconds (False).

    After that, widgets the kernel creates reach the page in order. The timeout is for a page that never
    asks (an older front end): its work goes ahead rather than waiting for ever.
    """
    if _answered:
        return True
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    _waiters.append((loop, future))
    try:
        await asyncio.wait_for(asyncio.shield(future), timeout)
    except (asyncio.TimeoutError, TimeoutError):
        return _answered
    finally:
        if (loop, future) in _waiters:
            _waiters.remove((loop, future))
    return True
