"""Load and validate lesson content: an activity's YAML into its kind's typed model, the lesson, `check`.

The generic pieces live in small modules: YAML with line numbers (yamllines), the type-hint converter
(convert), the shared models (model) and where files are (datafiles). Each kind's model is named by its
entry in lessonkit.kinds, so loading a quiz imports only the quiz's model.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import kinds
from .convert import Ctx as _Ctx
from .convert import build as _build
from .convert import field_meta as _meta
from .convert import id_meta as _id_meta
from .convert import public_fields as _public_fields
from .convert import read_sample_csv
from .datafiles import activity_path, data_dir, resolve_data_file
from .errors import ContentError
from .model import OUTCOME_CODES, Activity, Colour, Discussion, Lesson, Media, Outcome, Reflection, SampleClass
from .yamllines import line_at as _line_of
from .yamllines import line_of
from .yamllines import read_yaml as _read_yaml

__all__ = [
    "Activity", "Colour", "Media", "Reflection", "line_of",
    "read_sample_csv", "resolve_data_file", "ColourDays", "Lesson", "Outcome", "SampleClass",
    "ContentError", "load", "load_lesson", "activities", "data_dir", "activity_path", "check", "OUTCOME_CODES",
]


@dataclass(frozen=True)
class ColourDays(Activity):
    """Class Activity 3: a colour for each day of the week, compared across the class."""

    days: tuple[str, ...] = field(default=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                           "Saturday", "Sunday"),
                                  metadata=_meta("days to colour, in order", min_items=1, max_items=14,
                                                 unique=True))
    colours: tuple[Colour, ...] = field(default=(), metadata=_meta("the swatches offered", required=True,
                                                                   min_items=2, max_items=16, unique_by="name"))
    think_prompt: str = field(default="", metadata=_meta("first step: think of the days"))
    picture_prompt: str = field(default="", metadata=_meta("second step: picture them"))
    board_title: str = field(default="How the class pictured the week",
                             metadata=_meta("heading of the class board"))
    lesson: str = field(default="", metadata=_meta("Markdown: the empathy lesson shown with the board"))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "ColourDays":
        return _complete_colour_days(self, data, ctx)

    def colour(self, name: str) -> Colour | None:
        """The swatch called `name`, or None."""
        return next((c for c in self.colours if c.name == name), None)

    @staticmethod
    def item(day: str) -> str:
        """The store item id for a day ('Monday' -> 'monday')."""
        return day.strip().lower()



def load(path: str | os.PathLike) -> Activity:
    """Read one activity YAML into its typed content; raise ContentError naming what is wrong."""
    path = Path(path)
    ctx = _Ctx(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        ctx.fail("(top level)", "a mapping of fields (kind: ..., title: ...)", getattr(data, "line", 1), data)
    kind = data.get("kind")
    known = kinds.names()
    if kind not in known:
        ctx.fail("kind", "one of " + ", ".join(known), _line_of(data, "kind") if "kind" in data else 1,
                 kind if "kind" in data else None,
                 detail=None if "kind" in data else "missing; expected one of " + ", ".join(known))
    content = _build(kinds.get(kind).part("model"), data, "", 1, ctx, slug=path.stem, source=str(path))
    return content._finish(data, ctx)


def load_lesson(path: str | os.PathLike | None = None) -> Lesson:
    """Read the session description (data/lesson.yaml)."""
    path = Path(path) if path else data_dir() / "lesson.yaml"
    ctx = _Ctx(path)
    return _build(Lesson, _read_yaml(path), "", 1, ctx, source=str(path))


def activities(folder: str | os.PathLike | None = None) -> list[Activity]:
    """Every activity in data/activities, in session order."""
    folder = Path(folder) if folder else data_dir() / "activities"
    return sorted((load(p) for p in sorted(folder.glob("*.yaml"))), key=lambda a: (a.number, a.slug))


def check(paths: list[str | os.PathLike]) -> list[str]:
    """Validate content files or folders; return one message per problem (empty when all are fine)."""
    problems: list[str] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))
        else:
            files.append(p)
    for f in files:
        try:
            if f.name == "lesson.yaml":
                load_lesson(f)
            elif f.parent.name == "feedback" and f.name == "themes.yaml":  # comment themes, not an activity
                from .feedback.themes import load_themes

                load_themes(f)
            else:
                load(f)
        except ContentError as exc:
            problems.append(str(exc))
    from .wiring import check_wiring, notebooks_beside

    for p in map(Path, paths):   # a lesson's data folder: its activities and notebooks must fit together
        notebooks = notebooks_beside(p) if (p.is_dir() and (p / "activities").is_dir()) else None
        if notebooks is not None:
            problems += check_wiring(p, notebooks)
    return problems


def _complete_colour_days(content: ColourDays, data: dict, ctx: _Ctx) -> ColourDays:
    if not content.colours:
        ctx.fail("colours", "a list of at least 2 colours (name and hex)", getattr(data, "line", 1),
                 detail="missing; expected a list of at least 2 colours, each with name and hex")
    sample = content.sample_class
    if sample is None:
        return content
    csv_path = resolve_data_file(content, sample.file)
    rows = _read_sample_csv(csv_path, content)
    return dataclasses.replace(content, sample_class=dataclasses.replace(sample, rows=rows))


def _read_sample_csv(path: Path, content: ColourDays) -> tuple[dict[str, str], ...]:
    names = {c.name.lower(): c.name for c in content.colours}
    return read_sample_csv(path, ["learner"], {content.item(d): names for d in content.days})


# ---------------------------------------------------------------- legislation (kind: legislation)

LAW_SEPARATOR = "|"                                   # between law ids in a sample-class CSV cell
_LEGISLATION_COLUMNS = ("learner", "ranking", "reason")   # sample CSV columns no scenario id may take


@dataclass(frozen=True)
class Law:
    """One law or area of law: what it asks of a library, the Acts, an official link, how states differ."""

    id: str = field(metadata=_id_meta("short id that scenarios refer to", "privacy"))
    name: str = field(metadata=_meta("full name shown with the summary", max_len=80))
    short: str = field(metadata=_meta("short name shown on the choice boxes and the ranking", max_len=24))
    summary: str = field(metadata=_meta("Markdown: what it means for a library, in your own words",
                                        max_len=2000))
    acts: tuple[str, ...] = field(metadata=_meta("the main Acts, e.g. 'Privacy Act 1988 (Cth)'", min_items=1,
                                                 max_items=12, max_len=160))
    link: str = field(metadata=_meta("an official source", pattern=r"https://[A-Za-z0-9.-]+(/[^\s\"'<>]*)?",
                                     expected="an https:// link to an official source"))
    link_label: str = field(metadata=_meta("what the link is, shown as its text", max_len=120))
    states: str = field(default="", metadata=_meta("Markdown: where the rules differ by state or territory",
                                                   max_len=1200))


@dataclass(frozen=True)
class LawScenario:
    """A library situation and the law(s) that apply to it (more than one may be right)."""

    id: str = field(metadata=_id_meta("short id, also the store item", "loan-records", max_len=40))
    text: str = field(metadata=_meta("the situation as the learner reads it", max_len=400))
    laws: tuple[str, ...] = field(metadata=_meta("ids of every law that applies", min_items=1, unique=True))
    explanation: str = field(metadata=_meta("why those laws apply, shown as feedback", max_len=800))


@dataclass(frozen=True)
class Legislation(Activity):
    """Learn the laws, match library scenarios to the laws that apply, then rank the laws and say why."""

    intro: str = field(default="", metadata=_meta("Markdown shown above the law summaries"))
    laws: tuple[Law, ...] = field(default=(), metadata=_meta(
        "the laws (2 to 8), each with id, name, short, summary, acts, link, link_label, states", required=True,
        min_items=2, max_items=8, unique_by="id"))
    scenarios: tuple[LawScenario, ...] = field(default=(), metadata=_meta(
        "the situations to match, each with id, text, laws and explanation", required=True, min_items=1, max_items=30,
        unique_by="id"))
    matcher_title: str = field(default="Which law applies?", metadata=_meta("heading of the matcher",
                                                                           max_len=80))
    ranking_title: str = field(default="Rank the laws", metadata=_meta("heading of the ranking", max_len=80))
    ranking_prompt: str = field(default="Put the laws in order of importance for libraries, most important "
                                        "first, and say why.",
                                metadata=_meta("Markdown: the ranking question"))
    reason_prompt: str = field(default="Why did you rank them this way?",
                               metadata=_meta("label of the reason box", max_len=200))
    reason_max_chars: int = field(default=600, metadata=_meta("longest reason accepted", min=50, max=2000))
    matcher_board_title: str = field(default="How the class matched each situation",
                                     metadata=_meta("heading of the matcher's class board", max_len=80))
    ranking_board_title: str = field(default="The class's ranking",
                                     metadata=_meta("heading of the ranking's class board", max_len=80))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Legislation":
        return _complete_legislation(self, data, ctx)

    def law(self, law_id: str) -> Law | None:
        """The law with this id, or None."""
        return next((law for law in self.laws if law.id == law_id), None)

    def in_law_order(self, law_ids: Any) -> list[str]:
        """The given law ids in content order (unknown ids dropped)."""
        chosen = set(law_ids)
        return [law.id for law in self.laws if law.id in chosen]


def _complete_legislation(content: Legislation, data: dict, ctx: _Ctx) -> Legislation:
    top = getattr(data, "line", 1)
    for name, wanted in (("laws", "id, name, short, summary, acts, link, link_label"),
                         ("scenarios", "id, text, laws, explanation")):
        if not getattr(content, name):
            ctx.fail(name, "a list", line_of(data, name) if name in data else top,
                     detail=f"missing or empty; expected a list of {name} ({wanted})")
    ids = [law.id for law in content.laws]
    for i, s in enumerate(content.scenarios):
        if s.id in _LEGISLATION_COLUMNS:
            ctx.fail(f"scenarios[{i}].id", "", line_of(data, "scenarios", i, "id"),
                     detail=f"scenario id '{s.id}' is a column of the sample-class CSV; choose another id")
        for j, law_id in enumerate(s.laws):
            if law_id not in ids:
                ctx.fail(f"scenarios[{i}].laws[{j}]", "", line_of(data, "scenarios", i, "laws", j),
                         detail=f"scenario '{s.id}' names law '{law_id}', which is not one of the laws "
                                f"({', '.join(ids)}); expected one of those ids")
    if content.sample_class is None:
        return content
    path = resolve_data_file(content, content.sample_class.file)
    columns = ["learner", *(s.id for s in content.scenarios), "ranking", "reason"]
    raw = read_sample_csv(path, columns, {})
    sample_ctx = _Ctx(path)
    rows = []
    for n, row in enumerate(raw, start=2):
        out: dict[str, Any] = {"learner": row["learner"], "reason": row["reason"]}
        for column in [s.id for s in content.scenarios] + ["ranking"]:
            picked = [p.strip() for p in row[column].split(LAW_SEPARATOR) if p.strip()]
            bad = [p for p in picked if p not in ids]
            if not picked or bad or len(set(picked)) != len(picked) or (
                    column == "ranking" and sorted(picked) != sorted(ids)):
                what = ("every law id once, most important first" if column == "ranking"
                        else "one or more law ids")
                sample_ctx.fail(column, f"{what}, separated by '{LAW_SEPARATOR}' ({', '.join(ids)})", n,
                                row[column] or None)
            out[column] = picked if column == "ranking" else content.in_law_order(picked)
        rows.append(out)
    return dataclasses.replace(content, sample_class=dataclasses.replace(content.sample_class, rows=tuple(rows)))


__all__ += ["Law", "LawScenario", "Legislation"]




# ---------------------------------------------------------------- form evaluation (kind: form-evaluation)

@dataclass(frozen=True)
class FormCriterion:
    """One rubric criterion; a rating is the position of its label on the scale (0 = first label)."""

    id: str = field(metadata=_id_meta("short id used in answers", "privacy"))
    name: str = field(metadata=_meta("name shown above the rating buttons", max_len=60))
    description: str = field(metadata=_meta("what to look for, in a sentence or two", max_len=400))
    scale: tuple[str, ...] = field(default=("No", "Partly", "Yes"), metadata=_meta(
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
                       metadata=_meta("heading of the analysis section", max_len=120))
    instructions: str = field(default="", metadata=_meta("Markdown shown above the analysis"))
    sample_file: str = field(default="samples/library-feedback-sample.csv",
                             metadata=_meta("the synthetic survey offered as sample data, relative to data/"))
    themes_file: str = field(default="feedback/themes.yaml",
                             metadata=_meta("comment themes (keyword groups), relative to data/"))


@dataclass(frozen=True)
class FormEvaluation(Activity):
    """Class Activity 6: rate online customer feedback forms on a rubric, compared across the class."""

    intro: str = field(default="", metadata=_meta("Markdown shown before the instructions"))
    criteria: tuple[FormCriterion, ...] = field(default=(), metadata=_meta(
        "the rubric: each criterion with id, name, description and scale", required=True, min_items=2, max_items=10,
        unique_by="id"))
    forms: int = field(default=3, metadata=_meta("how many forms each learner evaluates", min=1, max=5))
    organisation_max_chars: int = field(default=120, metadata=_meta("longest organisation name", min=20, max=300))
    link_max_chars: int = field(default=500, metadata=_meta("longest link accepted", min=40, max=2000))
    note_max_chars: int = field(default=400, metadata=_meta("longest note per form", min=50, max=2000))
    board_title: str = field(default="The forms the class evaluated",
                             metadata=_meta("heading of the class board", max_len=80))
    discussion: Discussion | None = field(default=None, metadata=_meta(
        "a class discussion shown before the forms (the customer feedback questions)"))
    analysis: FeedbackAnalysis | None = field(default=None, metadata=_meta(
        "the survey analysis and report builder shown after the forms"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "FormEvaluation":
        if not self.criteria:
            ctx.fail("criteria", "a list", line_of(data, "criteria") if "criteria" in data else getattr(data, "line", 1),
                     detail="missing or empty; expected a list of criteria (id, name, description, scale)")
        if self.analysis is not None:
            for name in ("sample_file", "themes_file"):
                if not resolve_data_file(self, getattr(self.analysis, name)).exists():
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


__all__ += ["FormCriterion", "FormEvaluation"]


# ---------------------------------------------------------------- charter gallery (kind: charter-gallery)

@dataclass(frozen=True)
class CommitmentKind:
    """A kind of commitment a Customer Service Charter can make; learners tick the ones theirs has."""

    id: str = field(metadata=_id_meta("short id used in answers", "response-times"))
    name: str = field(metadata=_meta("label on the tick box and the chart", max_len=50))


@dataclass(frozen=True)
class SampleCharter:
    """An illustrative charter of a fictional library, shown (labelled as a sample) until the class shares its own."""

    library: str = field(metadata=_meta("the fictional library's name", max_len=120))
    type: str = field(metadata=_meta("one of library_types"))
    commitments: str = field(metadata=_meta("key commitments and standards, in your own words", max_len=1200))
    feedback: str = field(metadata=_meta("how the library seeks feedback", max_len=600))
    idea: str = field(metadata=_meta("one idea to adopt", max_len=200))
    kinds: tuple[str, ...] = field(default=(), metadata=_meta("ids of the commitment kinds it makes",
                                                              min_items=1, unique=True))


@dataclass(frozen=True)
class CharterGallery(Activity):
    """Notebook 01: share one library's Customer Service Charter; a gallery of the class's and a chart of kinds."""

    intro: str = field(default="", metadata=_meta("Markdown shown before the instructions"))
    library_types: tuple[str, ...] = field(default=("Public", "School", "Academic", "Special", "State"),
                                           metadata=_meta("choices for the library type", min_items=2,
                                                          max_items=10, max_len=30, unique=True))
    commitment_kinds: tuple[CommitmentKind, ...] = field(default=(), metadata=_meta(
        "the kinds of commitment learners tick", required=True, min_items=2, max_items=12, unique_by="id"))
    samples: tuple[SampleCharter, ...] = field(default=(), metadata=_meta(
        "illustrative charters of fictional libraries, shown until the class shares its own", max_items=5,
        unique_by="library"))
    sample_label: str = field(default="Sample (fictional)", metadata=_meta(
        "label put before each sample library's name", max_len=40))
    library_max_chars: int = field(default=120, metadata=_meta("longest library name", min=20, max=300))
    link_max_chars: int = field(default=500, metadata=_meta("longest link accepted", min=40, max=2000))
    commitments_max_chars: int = field(default=1200, metadata=_meta("longest commitments text", min=100, max=4000))
    feedback_max_chars: int = field(default=600, metadata=_meta("longest 'how feedback is sought' text",
                                                                min=50, max=2000))
    idea_max_chars: int = field(default=200, metadata=_meta("longest idea to adopt", min=40, max=600))
    board_title: str = field(default="The class's charters", metadata=_meta("heading of the gallery", max_len=80))

    def _finish(self, data: dict, ctx: "_Ctx") -> "CharterGallery":
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




# ---------------------------------------------------------------- comments wall (kind: comments)

@dataclass(frozen=True)
class Comments(Activity):
    """Notebook 10: an intro, then a class comments wall on the DiscussionBoard (trainer-moderated)."""

    intro: str = field(default="", metadata=_meta("Markdown shown before the instructions"))
    discussion: Discussion | None = field(default=None, metadata=_meta("the comments wall: prompt and limits",
                                                                      required=True))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Comments":
        if self.discussion is None:
            ctx.fail("discussion", "a discussion (prompt, limits)", getattr(data, "line", 1),
                     detail="missing; expected a discussion with at least a prompt")
        return self


__all__ += ["CommitmentKind", "SampleCharter", "CharterGallery", "Comments"]


# ---------------------------------------------------------------- branching role-play (kind: scenario)

SCENARIO_MOODS = ("calm", "uneasy", "upset", "angry")          # least to most agitated
SCENARIO_TAGS = ("listen", "empathise", "explain-policy", "offer-options", "escalate-safely")
_SCENARIO_ID = r"[a-z0-9][a-z0-9-]{0,39}"
_SCENARIO_ID_EXPECTED = "lower-case letters, digits and dashes, e.g. 'hours-complaint'"


@dataclass(frozen=True)
class ScenarioChoice:
    """One thing the learner can say at a step, where it leads and why it helps (or doesn't)."""

    id: str = field(metadata=_meta("short id, unique within its step; stored in the learner's path",
                                   pattern=_SCENARIO_ID, expected=_SCENARIO_ID_EXPECTED))
    text: str = field(metadata=_meta("what the learner says or does", max_len=300))
    next: str = field(metadata=_meta("id of the step this choice leads to"))
    explanation: str = field(metadata=_meta("why this helps or not, shown after the choice", max_len=600))
    mood_change: str = field(default="0", metadata=_meta(
        "how the patron's mood moves: -1 (calmer), 0, +1 (more upset), or a mood (calm, uneasy, upset, angry)",
        pattern=r"[-+]?[0-3]|calm|uneasy|upset|angry",
        expected="-1, 0, +1 (or -2/+2), or one of calm, uneasy, upset, angry"))
    tags: tuple[str, ...] = field(default=(), metadata=_meta(
        "de-escalation steps this response shows", choices=SCENARIO_TAGS, unique=True))


@dataclass(frozen=True)
class ScenarioEnding:
    """Where a play ends: a title and what happened."""

    title: str = field(metadata=_meta("short name of the ending, shown on the class board", max_len=80))
    summary: str = field(metadata=_meta("Markdown: what happened and why", max_len=1200))


@dataclass(frozen=True)
class ScenarioStep:
    """One moment of the role-play: what the patron says, then choices, or an ending."""

    id: str = field(metadata=_meta("short id that choices lead to", pattern=_SCENARIO_ID,
                                   expected=_SCENARIO_ID_EXPECTED))
    patron: str = field(default="", metadata=_meta("what the patron says or does (may be left out at an ending)",
                                                   max_len=800))
    mood: str | None = field(default=None, metadata=_meta(
        "the patron's mood on arriving here (else it follows the mood changes)", choices=SCENARIO_MOODS))
    choices: tuple[ScenarioChoice, ...] = field(default=(), metadata=_meta(
        "responses to choose from (id, text, next, mood_change, explanation, tags)", max_items=5,
        unique_by="id"))
    ending: ScenarioEnding | None = field(default=None, metadata=_meta("set on a step where the play ends"))


@dataclass(frozen=True)
class Scenario(Activity):
    """A branching role-play: the patron speaks, the learner chooses a response, until an ending and a debrief."""

    intro: str = field(default="", metadata=_meta("Markdown shown at the top of the page (tips)"))
    media: Media | None = field(default=None, metadata=_meta("a clip shown before the role-play"))
    scenario_title: str = field(default="Role-play", metadata=_meta("heading of the role-play", max_len=80))
    start: str = field(default="", metadata=_meta("id of the first step", required=True))
    steps: tuple[ScenarioStep, ...] = field(default=(), metadata=_meta(
        "the steps (id, patron, mood, and choices or an ending)", required=True, max_items=60, unique_by="id"))
    board_title: str = field(default="Where the class's role-plays ended",
                             metadata=_meta("heading of the class board", max_len=80))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Scenario":
        return _complete_scenario(self, data, ctx)

    def step(self, step_id: str) -> ScenarioStep | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def endings(self) -> list[ScenarioStep]:
        """The ending steps, in file order."""
        return [s for s in self.steps if s.ending is not None]

    def walk(self, path: Any) -> list[tuple[ScenarioStep, ScenarioChoice]]:
        """Check a stored path ('step/choice' strings from the start) and return its moves; ValueError if invalid."""
        if not isinstance(path, list):
            raise ValueError("the path is not a list")
        moves: list[tuple[ScenarioStep, ScenarioChoice]] = []
        here = self.step(self.start)
        for n, ref in enumerate(path, start=1):
            if not isinstance(ref, str) or ref.count("/") != 1:
                raise ValueError(f"move {n} is not a 'step/choice' reference")
            step_id, choice_id = ref.split("/")
            if here is None or step_id != here.id:
                raise ValueError(f"move {n} is not at the step the play had reached")
            choice = next((c for c in here.choices if c.id == choice_id), None)
            if choice is None:
                raise ValueError(f"move {n} is not one of the choices at step '{here.id}'")
            moves.append((here, choice))
            here = self.step(choice.next)
        return moves

    def mood_after(self, moves: list[tuple[ScenarioStep, ScenarioChoice]]) -> str:
        """The patron's mood at the step the moves lead to."""
        mood = self.step(self.start).mood or "upset"
        for step, choice in moves:
            mood = step.mood or mood
            mood = apply_mood_change(mood, choice.mood_change)
            arrived = self.step(choice.next)
            if arrived is not None and arrived.mood:
                mood = arrived.mood
        return mood


def apply_mood_change(mood: str, change: str) -> str:
    """A mood after a change: '-1' is one step calmer, '+1' one step more upset, a mood name sets it."""
    if change in SCENARIO_MOODS:
        return change
    i = SCENARIO_MOODS.index(mood) + int(change)
    return SCENARIO_MOODS[max(0, min(len(SCENARIO_MOODS) - 1, i))]


def _complete_scenario(content: Scenario, data: dict, ctx: _Ctx) -> Scenario:
    top = getattr(data, "line", 1)
    if not content.steps:
        ctx.fail("steps", "a list", line_of(data, "steps") if "steps" in data else top,
                 detail="missing or empty; expected a list of steps (id, patron, and choices or an ending)")
    ids = {s.id: i for i, s in enumerate(content.steps)}
    if content.start not in ids:
        ctx.fail("start", "", line_of(data, "start") if "start" in data else top,
                 detail=f"the start step '{content.start}' is not one of the steps; expected one of "
                        f"{', '.join(ids)}" if content.start else "missing; expected the id of the first step")
    for i, s in enumerate(content.steps):
        if bool(s.choices) == (s.ending is not None):
            ctx.fail(f"steps[{i}]", "", line_of(data, "steps", i, "id"),
                     detail=f"step '{s.id}' has " + ("both choices and an ending" if s.choices else
                                                     "neither choices nor an ending")
                            + "; expected exactly one of them")
        if s.choices and not s.patron:
            ctx.fail(f"steps[{i}].patron", "", line_of(data, "steps", i, "id"),
                     detail=f"step '{s.id}' has choices but no 'patron'; expected what the patron says or does")
        for j, c in enumerate(s.choices):
            if c.next not in ids:
                ctx.fail(f"steps[{i}].choices[{j}].next", "", line_of(data, "steps", i, "choices", j, "next"),
                         detail=f"dangling link: step '{s.id}', choice '{c.id}' leads to '{c.next}', which is "
                                f"not a step; expected one of {', '.join(ids)}")
    if not content.endings:
        ctx.fail("steps", "", line_of(data, "steps"),
                 detail="no step has an ending; expected at least one step with 'ending: {title, summary}'")
    reached, todo = {content.start}, [content.start]
    while todo:
        for c in content.step(todo.pop()).choices:
            if c.next not in reached:
                reached.add(c.next)
                todo.append(c.next)
    for i, s in enumerate(content.steps):
        if s.id not in reached:
            ctx.fail(f"steps[{i}]", "", line_of(data, "steps", i, "id"),
                     detail=f"step '{s.id}' is unreachable: no choice leads to it from the start "
                            f"'{content.start}'; link it from a choice or remove it")
    ends = {s.id for s in content.endings}
    can_end = set(ends)
    changed = True
    while changed:
        changed = False
        for s in content.steps:
            if s.id not in can_end and any(c.next in can_end for c in s.choices):
                can_end.add(s.id)
                changed = True
    for i, s in enumerate(content.steps):
        if s.id not in can_end:
            ctx.fail(f"steps[{i}]", "", line_of(data, "steps", i, "id"),
                     detail=f"no ending is reachable from step '{s.id}'; every path must be able to reach "
                            "an ending")
    return content


__all__ += ["Scenario", "ScenarioChoice", "ScenarioEnding", "ScenarioStep", "SCENARIO_MOODS", "SCENARIO_TAGS",
            "apply_mood_change"]
