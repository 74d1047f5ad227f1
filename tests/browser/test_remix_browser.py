"""docs/educators.md's worked example, end to end: its commands and YAML edits (read from the guide) in a
copy of data/ and notebooks/, then its `lessonkit serve --data ...`, then the new quiz in real Chromium."""

from __future__ import annotations

import pytest

from lessonkit.content import load
from lessonkit.kinds.quiz.model import quiz_answer_from_text
from lessonkit.store import ResponseStore
from tests.browser.conftest import start_serve, stop_serve
from tests.remix_guide import run_guide, workspace

pytestmark = pytest.mark.browser


def test_the_guides_new_quiz_is_served_answered_and_saved(tmp_path, chromium_path, new_page):
    work = workspace(tmp_path / "work")
    serve_args = run_guide(work)          # copy, `lessonkit new`, the YAML edits, `lessonkit check`
    quiz = load(work / "my-lesson" / "data" / "activities" / "returns-fines.yaml")
    [notebook] = (work / "my-lesson" / "notebooks").glob("*-returns-fines.ipynb")
    assert notebook.name == quiz.notebook

    proc, server = start_serve(tmp_path / "serve", *serve_args)   # the guide's --data and --notebooks win
    try:
        banner = server.output.read_text()
        assert f"/voila/render/{quiz.notebook}?class=TEST1  (Returns and overdue fines)" in banner
        assert "content problem" not in banner

        page = new_page(width=375, height=740)
        server.goto(page, quiz.notebook, learner="keen-wombat-12", name="Sam")
        page.get_by_text(quiz.questions[0].prompt).wait_for()
        typed = page.locator(".lk-quiz-input input")
        n_typed = 0
        for q in quiz.questions:   # the right answer to each, as a learner would give it
            if q.type == "single":
                page.get_by_role("radio", name=q.answer).check()
            elif q.type == "multiple":
                for text in q.answers:
                    page.get_by_role("checkbox", name=text).check()
            else:
                typed.nth(n_typed).fill(q.answer)
                n_typed += 1
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Saved").first.wait_for()
        page.get_by_text(f"{len(quiz.questions)} of {len(quiz.questions)} right").first.wait_for()
        assert page.dialogs == []
        assert page.offsite == []
    finally:
        stop_serve(proc)

    store = ResponseStore(server.db_url)
    mine = store.answers_for("TEST1", "returns-fines", "keen-wombat-12")
    store.close()
    assert mine["attempts"] == 1
    for q in quiz.questions:
        assert mine[q.id] == quiz_answer_from_text(q, q.answer if q.type != "multiple" else "|".join(q.answers))
