"""The checklist's content: statements in categories, rated on a labelled 5-point scale, and an action plan."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lessonkit.convert import Ctx, field_meta, id_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, SampleClass
from lessonkit.yamllines import line_of

__all__ = ["Checklist", "ChecklistCategory", "ChecklistStatement", "CHECKLIST_POINTS", "CHECKLIST_PLAN_ITEM"]

CHECKLIST_POINTS = 5                  # the rating scale always has five labelled points, stored as 1..5
CHECKLIST_PLAN_ITEM = "action-plan"   # store item holding the learner's action plan; no statement may use it


@dataclass(frozen=True)
class ChecklistCategory:
    """A group of self-assessment statements, scored together."""

    id: str = field(metadata=id_meta("short id that statements refer to", "listening"))
    name: str = field(metadata=field_meta("category name shown to the learner", max_len=50))
    about: str | None = field(default=None, metadata=field_meta("one line shown under the category's heading",
                                                           max_len=200))


@dataclass(frozen=True)
class ChecklistStatement:
    """One practice the learner rates themselves on."""

    id: str = field(metadata=id_meta("short id, also the store item", "listen-first", max_len=40))
    category: str = field(metadata=field_meta("id of the category it belongs to"))
    text: str = field(metadata=field_meta("the statement as the learner reads it", max_len=300))


@dataclass(frozen=True)
class Checklist(Activity):
    """A self-assessment: statements rated on a labelled 5-point scale, scored per category."""

    scale: tuple[str, ...] = field(default=(), metadata=field_meta(
        "the 5 labels of the rating scale, lowest first (e.g. Rarely ... Always)", required=True, max_len=20,
        unique=True))
    categories: tuple[ChecklistCategory, ...] = field(default=(), metadata=field_meta(
        "the categories (3 to 8; the radar chart needs at least 3)", required=True, min_items=3, max_items=8,
        unique_by="id"))
    statements: tuple[ChecklistStatement, ...] = field(default=(), metadata=field_meta(
        "the statements to rate, each with id, category and text", required=True, max_items=60, unique_by="id"))
    action_plan_prompt: str = field(default="What will you do to develop your weakest areas?", metadata=field_meta(
        "Markdown shown above the action-plan box"))
    action_plan_max_chars: int = field(default=1000, metadata=field_meta("longest action plan accepted",
                                                                     min=100, max=5000))
    results_title: str = field(default="Your results", metadata=field_meta("heading of the learner's results",
                                                                      max_len=80))
    board_title: str = field(default="How the class rated itself", metadata=field_meta("heading of the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=field_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: Ctx) -> Checklist:
        return _complete_checklist(self, data, ctx)

    def category(self, category_id: str) -> ChecklistCategory | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)

    def statements_in(self, category_id: str) -> tuple[ChecklistStatement, ...]:
        """The statements of one category, in content order."""
        return tuple(s for s in self.statements if s.category == category_id)

    def label(self, rating: int) -> str:
        """The scale label for a rating 1..5."""
        return self.scale[rating - 1]


def _complete_checklist(content: Checklist, data: dict, ctx: Ctx) -> Checklist:
    top = getattr(data, "line", 1)
    if len(content.scale) != CHECKLIST_POINTS:
        ctx.fail("scale", f"{CHECKLIST_POINTS} labels", line_of(data, "scale") if "scale" in data else top,
                 detail=(f"has {len(content.scale)} label(s)" if content.scale else "missing")
                 + f"; expected exactly {CHECKLIST_POINTS} labels, lowest first, e.g. "
                   "[Rarely, Sometimes, Often, Usually, Always]")
    for name in ("categories", "statements"):
        if not getattr(content, name):
            ctx.fail(name, "a list", line_of(data, name) if name in data else top,
                     detail=f"missing or empty; expected a list of {name}"
                            + (" (id, name)" if name == "categories" else " (id, category, text)"))
    ids = [c.id for c in content.categories]
    for i, s in enumerate(content.statements):
        if s.id == CHECKLIST_PLAN_ITEM:
            ctx.fail(f"statements[{i}].id", "", line_of(data, "statements", i, "id"),
                     detail=f"statement id '{s.id}' is where the learner's action plan is stored; choose another id")
        if s.category not in ids:
            ctx.fail(f"statements[{i}].category", "", line_of(data, "statements", i, "category"),
                     detail=f"statement '{s.id}' is in category '{s.category}', which is not one of the "
                            f"categories ({', '.join(ids)}); expected one of those ids")
    for j, c in enumerate(content.categories):
        if not content.statements_in(c.id):
            ctx.fail(f"categories[{j}]", "", line_of(data, "categories", j, "id"),
                     detail=f"category '{c.id}' has no statements; add statements with 'category: {c.id}' "
                            "or remove the category")
    if content.sample_class is None:
        return content
    ratings = {str(r): str(r) for r in range(1, CHECKLIST_POINTS + 1)}
    raw = read_sample_csv(resolve_data_file(content, content.sample_class.file, ctx.data), ["learner"],
                          {s.id: ratings for s in content.statements})
    rows = tuple({k: (v if k == "learner" else int(v)) for k, v in row.items()} for row in raw)
    return dataclasses.replace(content, sample_class=dataclasses.replace(content.sample_class, rows=rows))

