"""The colour-days content: a colour for each day of the week (Class Activity 3)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from lessonkit.convert import Ctx, field_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, Colour, SampleClass

__all__ = ["ColourDays"]


@dataclass(frozen=True)
class ColourDays(Activity):
    """Class Activity 3: a colour for each day of the week, compared across the class."""

    days: tuple[str, ...] = field(default=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                           "Saturday", "Sunday"),
                                  metadata=field_meta("days to colour, in order", min_items=1, max_items=14,
                                                      unique=True))
    colours: tuple[Colour, ...] = field(default=(), metadata=field_meta("the swatches offered", required=True,
                                                                        min_items=2, max_items=16, unique_by="name"))
    think_prompt: str = field(default="", metadata=field_meta("first step: think of the days"))
    picture_prompt: str = field(default="", metadata=field_meta("second step: picture them"))
    board_title: str = field(default="How the class pictured the week",
                             metadata=field_meta("heading of the class board"))
    lesson: str = field(default="", metadata=field_meta("Markdown: the empathy lesson shown with the board"))
    sample_class: SampleClass | None = field(default=None, metadata=field_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: Ctx) -> ColourDays:
        return _complete_colour_days(self, data, ctx)

    def colour(self, name: str) -> Colour | None:
        """The swatch called `name`, or None."""
        return next((c for c in self.colours if c.name == name), None)

    @staticmethod
    def item(day: str) -> str:
        """The store item id for a day ('Monday' -> 'monday')."""
        return day.strip().lower()


def _complete_colour_days(content: ColourDays, data: dict, ctx: Ctx) -> ColourDays:
    if not content.colours:
        ctx.fail("colours", "a list of at least 2 colours (name and hex)", getattr(data, "line", 1),
                 detail="missing; expected a list of at least 2 colours, each with name and hex")
    sample = content.sample_class
    if sample is None:
        return content
    csv_path = resolve_data_file(content, sample.file, ctx.data)
    rows = _read_sample_csv(csv_path, content)
    return dataclasses.replace(content, sample_class=dataclasses.replace(sample, rows=rows))


def _read_sample_csv(path: Path, content: ColourDays) -> tuple[dict[str, str], ...]:
    names = {c.name.lower(): c.name for c in content.colours}
    return read_sample_csv(path, ["learner"], {content.item(d): names for d in content.days})
