"""Pages built before the learner arrives (preheated kernels) must equal pages built for the learner.

A preheated kernel builds the page for a placeholder and binds the arriving learner to it
(`bind_learner`). For every kind registered as `prebuilt`, the bound page must show exactly what a page
built directly for that learner shows (every widget's synced state, recursively), and what the
learner then submits must be stored under their own id, never the placeholder's.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from lessonkit import kinds, pages
from lessonkit.components.base import PLACEHOLDER_ID, bind_learner
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import activities, load
from lessonkit.datafiles import activity_path
from lessonkit.kinds.colour_days.view import ColourPoll
from tests.helpers import me

KINDS = [kind.name for kind in kinds.all_kinds() if kind.prebuilt]
ME = me(display="Sam <b>")


def shown(widget: widgets.Widget, seen: frozenset[str] = frozenset()) -> object:
    """Everything a browser would be sent for this widget and its children/layout/style (no model ids)."""

    def value(v: object) -> object:
        if isinstance(v, str) and v.startswith("IPY_MODEL_"):
            return shown(_instances[v[len("IPY_MODEL_"):]], seen | {widget.model_id})
        if isinstance(v, (list, tuple)):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        return v

    if widget.model_id in seen:
        return "<cycle>"
    return {"type": type(widget).__name__,
            **{k: value(v) for k, v in widget.get_state().items() if k not in ("_view_count",)}}


def slug_of(kind: str) -> str:
    return next(a.slug for a in activities() if a.kind == kind)


def seed_class(store, content, *, mine: bool, locked: bool) -> None:
    """Classmates' answers from the sample class, the learner's own (first sample row) if `mine`."""
    sample = getattr(content, "sample_class", None)
    rows = list(sample.rows) if sample else []
    assert len(rows) >= 2, f"{content.slug}: no sample answers to restore, so this test would prove nothing"
    for i, row in enumerate(rows[:4]):
        answers = {k: v for k, v in row.items() if k != "learner"}
        if i == 0 and not mine:
            continue
        who = ME.learner if i == 0 else f"calm-koala-{10 + i}"
        store.submit_many("LIB3", content.slug, who, answers, force=True)
    if locked:
        store.lock("LIB3", content.slug)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mine,locked", [(False, False), (True, False), (True, True)])
def test_bound_page_equals_page_built_for_the_learner(kind, mine, locked, store, monkeypatch):
    monkeypatch.setenv("LESSONKIT_CLASS", "OTHER")   # the placeholder is built for another class
    content = load(activity_path(slug_of(kind)))
    seed_class(store, content, mine=mine, locked=locked)
    build = pages.builder(kind)

    direct = build(content, store, ME)
    prebuilt = build(content, store, pages.placeholder_learner())
    bind_learner(prebuilt, ME)

    assert shown(prebuilt) == shown(direct)
    assert PLACEHOLDER_ID not in repr(shown(prebuilt))


def test_prebuilt_page_binds_on_arrival_and_stores_under_the_learner(store, monkeypatch, colour_days):
    """The Page itself, as in a preheated kernel: built before resolve() returns, bound after it."""
    order: list[str] = []
    real_builder = pages.builder("colour-days")

    def resolve_later(*_args):
        order.append("request")
        return ME, ME.class_code

    def build(content, s, learner, *, settings=None):   # the page builder contract (lessonkit.kinds.Kind)
        order.append(f"build {learner.learner}")
        return real_builder(content, s, learner, settings=settings)

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(pages, "resolve", resolve_later)
    real = pages.builder
    monkeypatch.setattr(pages, "builder", lambda kind: build if kind == "colour-days" else real(kind))
    page = pages.activity("colour-days", store=store)

    assert order == [f"build {PLACEHOLDER_ID}", "request"]     # nothing built after the learner arrived
    assert page.learner.learner == ME.learner
    header = page.children[1].value
    assert "Sam &lt;b&gt;" in header and "LIB3" in header and "Sam <b>" not in header
    poll = find(page, ColourPoll).assert_single()
    for day in colour_days.days:
        poll.pick(day, colour_days.colours[0].name)
    poll.submit_button.click()
    assert "Saved at" in poll.status
    stored = store.answers_for("LIB3", "colour-days", ME.learner)
    assert stored == {colour_days.item(d): colour_days.colours[0].name for d in colour_days.days}
    assert store.activity_learners("LIB3")["colour-days"] == {ME.learner}
    assert store.answers_for("OTHER", "colour-days", PLACEHOLDER_ID) == {}
    assert store.answers_for("NOBODY", "colour-days", PLACEHOLDER_ID) == {}


def test_prebuilt_page_waits_for_the_join_form(store, monkeypatch, colour_days):
    """No learner in the link: the join form shows, and joining binds the prebuilt page."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(pages, "resolve", lambda *_a: (None, "LIB3"))
    page = pages.activity("colour-days", store=store)
    prebuilt = page._prebuilt
    assert prebuilt is not None and page.join_form in page.children
    page.join_form.display_name.value = "Alex"
    page.join_form.join_button.click()
    assert page.content_widget is prebuilt and page.learner.display_name == "Alex"
    assert find(page.content_widget, ClassBoard).assert_single()._learner == page.learner.learner
