"""The sorter's pure scoring: how one learner sorted, and how many of the class sorted an item as expected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SortOutcome", "share_matching", "sort_outcome"]


@dataclass(frozen=True)
class SortOutcome:
    """How one learner sorted: which items matched the expected category."""

    right: tuple[str, ...]
    wrong: tuple[str, ...]
    unsorted: tuple[str, ...]

    @property
    def total(self) -> int:
        """How many items there are."""
        return len(self.right) + len(self.wrong) + len(self.unsorted)


def sort_outcome(expected: dict[str, str], answers: dict[str, str]) -> SortOutcome:
    """Compare a learner's sorting ({item: category}) with the expected one, in the items' order."""
    right = tuple(i for i, c in expected.items() if answers.get(i) == c)
    unsorted = tuple(i for i in expected if answers.get(i) is None)
    wrong = tuple(i for i in expected if i not in right and i not in unsorted)
    return SortOutcome(right, wrong, unsorted)


def share_matching(expected: str, values: Iterable[str | None]) -> tuple[int, int]:
    """(how many chose the expected value, how many answered)."""
    values = [v for v in values if v is not None]
    return sum(v == expected for v in values), len(values)
