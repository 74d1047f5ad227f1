"""The sorter's content: statements to sort into named categories, each with why it belongs there."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lessonkit.convert import Ctx, field_meta, id_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, Discussion, Media, Reflection, SampleClass
from lessonkit.yamllines import line_of

__all__ = ["Sorter", "SortCategory", "SortItem"]


@dataclass(frozen=True)
class SortCategory:
    """A named box learners sort items into."""

    id: str = field(metadata=id_meta("short id used in answers", "barrier"))
    name: str = field(metadata=field_meta("name shown on the button", max_len=40))


@dataclass(frozen=True)
class SortItem:
    """One statement to sort, with where it belongs and why."""

    id: str = field(metadata=id_meta("short id used in answers", "eye-contact", max_len=40))
    text: str = field(metadata=field_meta("the statement the learner sorts", max_len=300))
    category: str = field(metadata=field_meta("id of the category it belongs in"))
    explanation: str = field(metadata=field_meta("why it belongs there, shown as feedback", max_len=600))


@dataclass(frozen=True)
class Sorter(Activity):
    """Sort statements into named categories, with feedback per item."""

    categories: tuple[SortCategory, ...] = field(default=(), metadata=field_meta(
        "the boxes to sort into", required=True, min_items=2, max_items=6, unique_by="id"))
    items: tuple[SortItem, ...] = field(default=(), metadata=field_meta(
        "the statements to sort", required=True, min_items=2, max_items=30, unique_by="id"))
    intro: str = field(default="", metadata=field_meta("Markdown shown before the instructions"))
    media: Media | None = field(default=None, metadata=field_meta("a clip to watch after sorting"))
    reflection: Reflection | None = field(default=None, metadata=field_meta("a prompt answered after the clip"))
    board_title: str = field(default="How the class sorted each item",
                             metadata=field_meta("heading of the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=field_meta("sample shown before anyone answers"))
    discussion: Discussion | None = field(default=None, metadata=field_meta(
        "a question the class answers on a live discussion board, shown after the class board"))

    def _finish(self, data: dict, ctx: Ctx) -> Sorter:
        if not self.categories or not self.items:
            missing = "categories" if not self.categories else "items"
            ctx.fail(missing, "a list", getattr(data, "line", 1),
                     detail=f"missing; expected a list of {missing}")
        ids = {c.id for c in self.categories}
        for i, item in enumerate(self.items):
            if item.category not in ids:
                ctx.fail(f"items[{i}].category", "", line_of(data, "items", i, "category"),
                         detail=f"item '{item.id}' is in category '{item.category}', which is not one of the "
                                f"categories ({', '.join(sorted(ids))})")
        for c in self.categories:
            if not any(item.category == c.id for item in self.items):
                ctx.fail("categories", "", line_of(data, "categories"),
                         detail=f"category '{c.id}' has no items; expected at least one item in each category")
        if self.sample_class is None:
            return self
        rows = read_sample_csv(resolve_data_file(self, self.sample_class.file, ctx.data), ["learner"],
                               {item.id: ids for item in self.items})
        return dataclasses.replace(self, sample_class=dataclasses.replace(self.sample_class, rows=rows))

    def category(self, category_id: str) -> SortCategory | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)
