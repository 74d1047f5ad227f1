"""The scenario content: a branching role-play of steps, choices, moods and endings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lessonkit.convert import Ctx, field_meta
from lessonkit.model import Activity, Media
from lessonkit.yamllines import line_of

__all__ = ["Scenario", "ScenarioChoice", "ScenarioEnding", "ScenarioStep", "SCENARIO_MOODS", "SCENARIO_TAGS",
           "apply_mood_change"]


SCENARIO_MOODS = ("calm", "uneasy", "upset", "angry")          # least to most agitated
SCENARIO_TAGS = ("listen", "empathise", "explain-policy", "offer-options", "escalate-safely")
_SCENARIO_ID = r"[a-z0-9][a-z0-9-]{0,39}"
_SCENARIO_ID_EXPECTED = "lower-case letters, digits and dashes, e.g. 'hours-complaint'"


@dataclass(frozen=True)
class ScenarioChoice:
    """One thing the learner can say at a step, where it leads and why it helps (or doesn't)."""

    id: str = field(metadata=field_meta("short id, unique within its step; stored in the learner's path",
                                        pattern=_SCENARIO_ID, expected=_SCENARIO_ID_EXPECTED))
    text: str = field(metadata=field_meta("what the learner says or does", max_len=300))
    next: str = field(metadata=field_meta("id of the step this choice leads to"))
    explanation: str = field(metadata=field_meta("why this helps or not, shown after the choice", max_len=600))
    mood_change: str = field(default="0", metadata=field_meta(
        "how the patron's mood moves: -1 (calmer), 0, +1 (more upset), or a mood (calm, uneasy, upset, angry)",
        pattern=r"[-+]?[0-3]|calm|uneasy|upset|angry",
        expected="-1, 0, +1 (or -2/+2), or one of calm, uneasy, upset, angry"))
    tags: tuple[str, ...] = field(default=(), metadata=field_meta(
        "de-escalation steps this response shows", choices=SCENARIO_TAGS, unique=True))


@dataclass(frozen=True)
class ScenarioEnding:
    """Where a play ends: a title and what happened."""

    title: str = field(metadata=field_meta("short name of the ending, shown on the class board", max_len=80))
    summary: str = field(metadata=field_meta("Markdown: what happened and why", max_len=1200))


@dataclass(frozen=True)
class ScenarioStep:
    """One moment of the role-play: what the patron says, then choices, or an ending."""

    id: str = field(metadata=field_meta("short id that choices lead to", pattern=_SCENARIO_ID,
                                        expected=_SCENARIO_ID_EXPECTED))
    patron: str = field(default="", metadata=field_meta("what the patron says or does (may be left out at an ending)",
                                                        max_len=800))
    mood: str | None = field(default=None, metadata=field_meta(
        "the patron's mood on arriving here (else it follows the mood changes)", choices=SCENARIO_MOODS))
    choices: tuple[ScenarioChoice, ...] = field(default=(), metadata=field_meta(
        "responses to choose from (id, text, next, mood_change, explanation, tags)", max_items=5,
        unique_by="id"))
    ending: ScenarioEnding | None = field(default=None, metadata=field_meta("set on a step where the play ends"))


@dataclass(frozen=True)
class Scenario(Activity):
    """A branching role-play: the patron speaks, the learner chooses a response, until an ending and a debrief."""

    intro: str = field(default="", metadata=field_meta("Markdown shown at the top of the page (tips)"))
    media: Media | None = field(default=None, metadata=field_meta("a clip shown before the role-play"))
    scenario_title: str = field(default="Role-play", metadata=field_meta("heading of the role-play", max_len=80))
    start: str = field(default="", metadata=field_meta("id of the first step", required=True))
    steps: tuple[ScenarioStep, ...] = field(default=(), metadata=field_meta(
        "the steps (id, patron, mood, and choices or an ending)", required=True, max_items=60, unique_by="id"))
    board_title: str = field(default="Where the class's role-plays ended",
                             metadata=field_meta("heading of the class board", max_len=80))

    def _finish(self, data: dict, ctx: Ctx) -> Scenario:
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
        start = self.step(self.start)
        mood = (start.mood if start is not None else None) or "upset"
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


def _complete_scenario(content: Scenario, data: dict, ctx: Ctx) -> Scenario:
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
        step = content.step(todo.pop())
        assert step is not None   # every choice's `next` and the start were checked above
        for c in step.choices:
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
