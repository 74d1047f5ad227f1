"""The charter-gallery content: the commitment kinds learners tick, and sample charters."""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonkit.convert import Ctx, field_meta, id_meta
from lessonkit.model import Activity
from lessonkit.yamllines import line_of

__all__ = ["CommitmentKind", "SampleCharter", "CharterGallery"]


@dataclass(frozen=True)
class CommitmentKind:
    """A kind of commitment a Customer Service Charter can make; learners tick the ones theirs has."""

    id: str = field(metadata=id_meta("short id used in answers", "response-times"))
    name: str = field(metadata=field_meta("label on the tick box and the chart", max_len=50))


@dataclass(frozen=True)
class SampleCharter:
    """An illustrative charter of a fictional library, shown (labelled as a sample) until the class shares its own."""

    library: str = field(metadata=field_meta("the fictional library's name", max_len=120))
    type: str = field(metadata=field_meta("one of library_types"))
    commitments: str = field(metadata=field_meta("key commitments and standards, in your own words", max_len=1200))
    feedback: str = field(metadata=field_meta("how the library seeks feedback", max_len=600))
    idea: str = field(metadata=field_meta("one idea to adopt", max_len=200))
    kinds: tuple[str, ...] = field(default=(), metadata=field_meta("ids of the commitment kinds it makes",
                                                                   min_items=1, unique=True))


@dataclass(frozen=True)
class CharterGallery(Activity):
    """Notebook 01: share one library's Customer Service Charter; a gallery of the class's and a chart of kinds."""

    intro: str = field(default="", metadata=field_meta("Markdown shown before the instructions"))
    library_types: tuple[str, ...] = field(default=("Public", "School", "Academic", "Special", "State"),
                                           metadata=field_meta("choices for the library type", min_items=2,
                                                               max_items=10, max_len=30, unique=True))
    commitment_kinds: tuple[CommitmentKind, ...] = field(default=(), metadata=field_meta(
        "the kinds of commitment learners tick", required=True, min_items=2, max_items=12, unique_by="id"))
    samples: tuple[SampleCharter, ...] = field(default=(), metadata=field_meta(
        "illustrative charters of fictional libraries, shown until the class shares its own", max_items=5,
        unique_by="library"))
    sample_label: str = field(default="Sample (fictional)", metadata=field_meta(
        "label put before each sample library's name", max_len=40))
    library_max_chars: int = field(default=120, metadata=field_meta("longest library name", min=20, max=300))
    link_max_chars: int = field(default=500, metadata=field_meta("longest link accepted", min=40, max=2000))
    commitments_max_chars: int = field(default=1200, metadata=field_meta("longest commitments text", min=100, max=4000))
    feedback_max_chars: int = field(default=600, metadata=field_meta("longest 'how feedback is sought' text",
                                                                     min=50, max=2000))
    idea_max_chars: int = field(default=200, metadata=field_meta("longest idea to adopt", min=40, max=600))
    board_title: str = field(default="The class's charters", metadata=field_meta("heading of the gallery", max_len=80))

    def _finish(self, data: dict, ctx: Ctx) -> CharterGallery:
        if not self.commitment_kinds:
            ctx.fail("commitment_kinds", "a list", line_of(data, "commitment_kinds") if "commitment_kinds" in data
                     else getattr(data, "line", 1), detail="missing or empty; expected a list of kinds (id, name)")
        known = [k.id for k in self.commitment_kinds]
        for i, s in enumerate(self.samples):
            if s.type not in self.library_types:
                ctx.fail(f"samples[{i}].type", "one of " + ", ".join(self.library_types),
                         line_of(data, "samples", i, "type"), s.type)
            for j, kid in enumerate(s.kinds):
                if kid not in known:
                    ctx.fail(f"samples[{i}].kinds[{j}]", "one of " + ", ".join(known),
                             line_of(data, "samples", i, "kinds", j),
                             detail=f"unknown commitment kind {kid!r}; expected one of {', '.join(known)}")
        return self

    def commitment(self, kind_id: str) -> CommitmentKind | None:
        """The commitment kind with this id, or None."""
        return next((k for k in self.commitment_kinds if k.id == kind_id), None)

    ITEM = "charter"   # the one store item: the learner's charter
