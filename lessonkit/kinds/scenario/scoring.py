"""Pure scoring for the scenario kind: the role-play's debrief against the de-escalation steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEESCALATION_STEPS", "DebriefStep", "scenario_debrief"]


DEESCALATION_STEPS = (
    ("listen", "Listen", "let the patron finish and say back what you heard"),
    ("empathise", "Empathise", "name the feeling without blaming anyone"),
    ("explain-policy", "Explain the policy", "give the rule briefly, with its reason"),
    ("offer-options", "Offer options", "say what you can do, ideally more than one thing"),
    ("escalate-safely", "Escalate safely", "bring in a team leader, explaining what you are doing and why"),
)


@dataclass(frozen=True)
class DebriefStep:
    tag: str
    name: str
    what: str
    shown_at: tuple[int, ...]      # 1-based numbers of the moves that showed it (empty: missed)


def scenario_debrief(tags_per_move: Sequence[Sequence[str]]) -> tuple[DebriefStep, ...]:
    """For each de-escalation step, which moves of a play showed it (by the choices' tags)."""
    return tuple(DebriefStep(tag, name, what,
                             tuple(n for n, tags in enumerate(tags_per_move, start=1) if tag in tags))
                 for tag, name, what in DEESCALATION_STEPS)
