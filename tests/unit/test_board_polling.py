"""A live board redraws from the store on its own, and while a class's answers stream in it waits a little
after each redraw (`settle`), so 30 kernels do not redraw their copies for every single answer."""

from __future__ import annotations

import asyncio

from lessonkit.components.board import ClassBoard
from tests.helpers import run_async


def _board(store, settle: float) -> ClassBoard:
    render = lambda answers, me, names=None, sample_label=None: f"<p>{len(answers)} answered</p>"  # noqa: E731
    return ClassBoard(store, "LIB3", "colour-days", render, learner="teal-wombat-42", interval=0.5, settle=settle)


def _stream(store, settle: float) -> tuple[int, str]:
    """Answers arrive every 0.2 s for 3 s while the board polls; (redraws, what the board shows after)."""
    async def go() -> tuple[int, str]:
        board = _board(store, settle)
        drawn = []
        board.refresh = _counting(board.refresh, drawn)
        board.start()
        for n in range(15):
            store.submit("LIB3", "colour-days", f"busy-bee-{n:02d}", "monday", "Blue")
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5 + settle + 0.3)   # the last answer shows within interval + settle
        board.stop()
        html = board.html
        board.close()
        return len(drawn), html
    return run_async(go())


def _counting(real, drawn):
    def refresh(force: bool = False) -> bool:
        done = real(force)
        if done:
            drawn.append(1)
        return done
    return refresh


def test_a_board_shows_every_answer_and_redraws_less_while_they_stream_in(store):
    eager, eager_html = _stream(store, settle=0.0)
    assert "15 answered" in eager_html and eager >= 5
    store.reset("LIB3", "colour-days")
    calm, calm_html = _stream(store, settle=1.5)
    assert "15 answered" in calm_html           # nothing is lost: the last answer is on the board
    assert calm <= 3 < eager                      # but far fewer redraws on the way
