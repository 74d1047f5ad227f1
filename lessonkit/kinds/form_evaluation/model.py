"""The form-evaluation content: a rubric for online feedback forms, and the survey analysis."""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.convert import Ctx, field_meta, id_meta
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, Discussion
from lessonkit.yamllines import line_of

__all__ = ["FeedbackAnalysis", "FormCriterion", "FormEvaluation"]


@dataclass(frozen=True)
class FormCriterion:
    """One rubric criterion; a rating is the position of its label on the scale (0 = first label)."""

    id: str = field(metadata=id_meta("short id used in answers", "privacy"))
    name: str = field(metadata=field_meta("name shown above the rating buttons", max_len=60))
    description: str = field(metadata=field_meta("what to look for, in a sentence or two", max_len=400))
    scale: tuple[str, ...] = field(default=("No", "Partly", "Yes"), metadata=field_meta(
        "button labels from worst to best; scored 0, 1, 2, ...", min_items=2, max_items=5, max_len=16,
        unique=True))

    @property
    def top(self) -> int:
        """The highest mark on this criterion's scale."""
        return len(self.scale) - 1


@dataclass(frozen=True)
class FeedbackAnalysis:
    """The survey-analysis part of notebook 08: where its sample data and comment themes live."""

    title: str = field(default="Monitor and report: analyse customer feedback",
                       metadata=field_meta("heading of the analysis section", max_len=120))
    instructions: str = field(default="", metadata=field_meta("Markdown shown above the analysis"))
    sample_file: str = field(default="samples/library-feedback-sample.csv",
                             metadata=field_meta("the synthetic survey offered as sample data, relative to data/"))
    themes_file: str = field(default="feedback/themes.yaml",
                             metadata=field_meta("comment themes (keyword groups), relative to data/"))


@dataclass(frozen=True)
class FormEvaluation(Activity):
    """Class Activity 6: rate online customer feedback forms on a rubric, compared across the class."""

    intro: str = field(default="", metadata=field_meta("Markdown shown before the instructions"))
    criteria: tuple[FormCriterion, ...] = field(default=(), metadata=field_meta(
        "the rubric: each criterion with id, name, description and scale", required=True, min_items=2, max_items=10,
        unique_by="id"))
    forms: int = field(default=3, metadata=field_meta("how many forms each learner evaluates", min=1, max=5))
    organisation_max_chars: int = field(default=120, metadata=field_meta("longest organisation name", min=20, max=300))
    link_max_chars: int = field(default=500, metadata=field_meta("longest link accepted", min=40, max=2000))
    note_max_chars: int = field(default=400, metadata=field_meta("longest note per form", min=50, max=2000))
    board_title: str = field(default="The forms the class evaluated",
                             metadata=field_meta("heading of the class board", max_len=80))
    discussion: Discussion | None = field(default=None, metadata=field_meta(
        "a class discussion shown before the forms (the customer feedback questions)"))
    analysis: FeedbackAnalysis | None = field(default=None, metadata=field_meta(
        "the survey analysis and report builder shown after the forms"))

    def _finish(self, data: dict, ctx: Ctx) -> FormEvaluation:
        if not self.criteria:
            line = line_of(data, "criteria") if "criteria" in data else getattr(data, "line", 1)
            ctx.fail("criteria", "a list", line,
                     detail="missing or empty; expected a list of criteria (id, name, description, scale)")
        if self.analysis is not None:
            for name in ("sample_file", "themes_file"):
                if not resolve_data_file(self, getattr(self.analysis, name), ctx.data).exists():
                    ctx.fail(f"analysis.{name}", "an existing file under data/", line_of(data, "analysis", name),
                             detail=f"file {getattr(self.analysis, name)!r} not found under data/")
        return self

    def criterion(self, criterion_id: str) -> FormCriterion | None:
        """The criterion with this id, or None."""
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def max_total(self) -> int:
        """The best total one form can score."""
        return sum(c.top for c in self.criteria)

    @staticmethod
    def item(n: int) -> str:
        """The store item of the learner's n-th form (1-based): 'form-1'."""
        return f"form-{n}"
