"""The serving process's side of sessions, without a browser: limits, redirects, cache lifetimes, pace wake-ups."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from lessonkit.records import Pace
from lessonkit.server import sessions as S
from lessonkit.server.app import HOUR, YEAR, cache_lifetime
from lessonkit.server.service import PaceWatch
from tests.helpers import run_async


class Manager:
    """Stands in for the kernel manager: which kernels have a page connected, and which were shut down."""

    def __init__(self) -> None:
        self._kernel_connections: dict[str, int] = {}
        self.shut: list[str] = []

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id not in self.shut

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.shut.append(kernel_id)


def sessions(per_learner: int = 2, max_kernels: int = 4) -> S.Sessions:
    return S.Sessions(S.SessionSettings(class_code="LIB3", port=8866, per_learner=per_learner,
                                        max_kernels=max_kernels))


def test_a_learner_gets_a_few_pages_and_then_the_full_page():
    s, m = sessions(), Manager()
    for kid in ("k1", "k2"):
        assert run_async(s.admit("tok-a", m)) is None
        s.own(kid, "tok-a")
        m._kernel_connections[kid] = 1            # both pages open and connected
    refused = run_async(s.admit("tok-a", m))
    assert refused and "already open in 2 tabs or devices" in refused
    assert run_async(s.admit("tok-b", m)) is None  # someone else is not held up by it
    assert s.owns("tok-a", "k1") and not s.owns("tok-b", "k1") and not s.owns(None, "k1")


def test_a_page_that_has_gone_makes_room(monkeypatch):
    s, m = sessions(), Manager()
    s.own("k1", "tok-a")
    s.own("k2", "tok-a")
    m._kernel_connections["k2"] = 1
    old = time.monotonic() - S.STALE_SECONDS - 5     # k1's page went away (no connection) a while ago
    s.kernels["k1"].since = s.kernels["k1"].seen = old
    assert run_async(s.admit("tok-a", m)) is None
    assert m.shut == ["k1"] and "k1" not in s.kernels


def test_the_whole_class_has_a_limit_too():
    s, m = sessions(per_learner=3, max_kernels=3), Manager()
    for i, tok in enumerate(("tok-a", "tok-b", "tok-c")):
        s.own(f"k{i}", tok)
        m._kernel_connections[f"k{i}"] = 1
    refused = run_async(s.admit("tok-d", m))
    assert refused and "All 3 places on this computer are taken" in refused
    assert m.shut == []                              # nobody connected was thrown out


def test_the_join_page_sends_learners_only_to_lesson_pages():
    default = "/voila/render/lesson.ipynb"
    assert S.safe_next("/", "/voila/render/05-colour-days.ipynb", default) == "/voila/render/05-colour-days.ipynb"
    for bad in ("https://evil.example/", "//evil.example/x", "/voila/render/../../etc/passwd", "/leave",
                "/voila/files/responses.db", None, ""):
        assert S.safe_next("/", bad, default) == default, bad
    assert S.join_url("/", next_path="/voila/render/x.ipynb", class_code="LIB3") == \
        "/join?next=%2Fvoila%2Frender%2Fx.ipynb&class=LIB3"


def test_the_server_pages_escape_what_they_show():
    html = S.render_page("join.html", base="/", xsrf="<input name=_xsrf>", class_code="<b>X</b>", name="\"><script>",
                         next="/voila/render/lesson.ipynb", learner="teal-wombat-42", made_up="Teal Wombat 42",
                         message="")
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<script>" not in html and "<input name=_xsrf>" in html
    assert 'lang="en-AU"' in html and "<main>" in html


def test_versioned_files_are_kept_a_year_the_rest_an_hour():
    assert cache_lifetime("/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/32.3281b05d23655ae8.js",
                          "v=3281b05d23655ae8") == YEAR
    assert cache_lifetime("/voila/static/voila.js", "v=8a2f1c0b9d7e6a5b") == YEAR
    assert cache_lifetime("/voila/static/5764.voila.js", "") == HOUR
    assert cache_lifetime("/voila/render/lesson.ipynb", "") is None      # pages are never cached
    assert cache_lifetime("/api/kernels/abc", "") is None


def test_pages_waiting_on_the_pace_wake_when_it_changes():
    class Store:
        def __init__(self):
            self.value = Pace(None, True, 0)

        def pace(self, class_code):
            return self.value

    store = Store()
    watch = PaceWatch(store, "LIB3", interval=0.05).start()
    try:
        threading.Timer(0.3, lambda: setattr(store, "value", Pace("colour-days", False, 1))).start()
        t0 = time.perf_counter()
        assert watch.wait(0, timeout=5) == Pace("colour-days", False, 1)
        assert 0.25 < time.perf_counter() - t0 < 1.5
        t0 = time.perf_counter()
        assert watch.wait(1, timeout=0.3) == Pace("colour-days", False, 1)   # nothing new: after the timeout
        assert time.perf_counter() - t0 >= 0.28
    finally:
        watch.stop()


@pytest.mark.parametrize("closing", [3, 30])
def test_closed_pages_are_shut_down_in_turn(closing):
    queue, m = S.ShutdownQueue(spacing=0.01), Manager()

    async def run():
        for i in range(closing):
            queue.put(m, f"k{i}")
        await asyncio.sleep(0.02 * closing + 0.2)

    run_async(run())
    assert m.shut == [f"k{i}" for i in range(closing)]
