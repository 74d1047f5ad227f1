"""Pure functions that turn class answers into numbers: no widgets, no store, no I/O."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

__all__ = ["Agreement", "agreement", "tally"]


@dataclass(frozen=True)
class Agreement:
    """How much a class agreed on one question."""

    n: int                      # how many answered
    top: tuple[str, ...]        # the most chosen answer(s), ties in first-seen order
    top_count: int              # how many chose each of the top answer(s)
    distinct: int               # how many different answers were given

    @property
    def share(self) -> float:
        """Share of the class that chose the most common answer (0 when nobody answered)."""
        return self.top_count / self.n if self.n else 0.0


def tally(values: Iterable[str]) -> list[tuple[str, int]]:
    """Count answers, most common first (ties keep first-seen order)."""
    return Counter(v for v in values if v is not None).most_common()


def agreement(values: Iterable[str]) -> Agreement:
    """Agreement on one question: the modal answer's share of everyone who answered."""
    counts = tally(values)
    if not counts:
        return Agreement(0, (), 0, 0)
    top_count = counts[0][1]
    return Agreement(sum(c for _, c in counts), tuple(v for v, c in counts if c == top_count), top_count,
                     len(counts))
