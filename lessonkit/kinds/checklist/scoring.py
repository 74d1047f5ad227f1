"""The checklist's pure scoring: category means, strengths and areas to develop, the class's means.

Categories are (id, name) pairs and statements a mapping statement id -> category id, so these
functions need no content objects and are tested with plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CategoryScore", "category_scores", "class_category_means", "strengths_and_gaps", "valid_rating"]


def valid_rating(value: Any, points: int = 5) -> bool:
    """True for a whole-number rating from 1 to `points` (bools, floats and text are not ratings)."""
    return type(value) is int and 1 <= value <= points


@dataclass(frozen=True)
class CategoryScore:
    """One category's mean rating on a 1..points scale."""

    id: str
    name: str
    mean: float | None     # None when nothing in the category was rated
    rated: int             # how many ratings (or, for a class, learners) the mean is over
    points: int = 5

    @property
    def percent(self) -> float | None:
        """Where the mean sits on the scale: the lowest label is 0%, the highest 100% (None when unrated)."""
        return None if self.mean is None else (self.mean - 1) / (self.points - 1) * 100


def category_scores(categories: Sequence[tuple[str, str]], statement_category: Mapping[str, str],
                    ratings: Mapping[str, Any], points: int = 5) -> tuple[CategoryScore, ...]:
    """Mean rating per category, in the categories' order; ratings that are not 1..points are ignored."""
    out = []
    for cid, name in categories:
        values = [ratings[s] for s, c in statement_category.items()
                  if c == cid and valid_rating(ratings.get(s), points)]
        out.append(CategoryScore(cid, name, sum(values) / len(values) if values else None, len(values), points))
    return tuple(out)


def strengths_and_gaps(scores: Sequence[CategoryScore], k: int = 2
                       ) -> tuple[tuple[CategoryScore, ...], tuple[CategoryScore, ...]]:
    """The k strongest categories (highest first) and the k weakest (lowest first).

    Ties are kept together, so more than k may be named: a category tied with the k-th is named too.
    When ties run through the middle (so a category would be both), only the top and bottom scores
    are named; when every category scores the same, neither list names any.
    """
    rated = [s for s in scores if s.mean is not None]
    if not rated:
        return (), ()
    key = {s.id: round(s.mean, 9) for s in rated if s.mean is not None}
    high = sorted(rated, key=lambda s: -key[s.id])      # stable: ties keep content order
    low = sorted(rated, key=lambda s: key[s.id])
    top, bottom = key[high[0].id], key[low[0].id]
    if top == bottom:
        return (), ()
    hi_cut, lo_cut = key[high[min(k, len(high)) - 1].id], key[low[min(k, len(low)) - 1].id]
    strengths = [s for s in high if key[s.id] >= hi_cut]
    gaps = [s for s in low if key[s.id] <= lo_cut]
    if {s.id for s in strengths} & {s.id for s in gaps}:
        strengths = [s for s in high if key[s.id] == top]
        gaps = [s for s in low if key[s.id] == bottom]
    return tuple(strengths), tuple(gaps)


def class_category_means(categories: Sequence[tuple[str, str]], statement_category: Mapping[str, str],
                         answers: Mapping[str, Mapping[str, Any]], points: int = 5
                         ) -> tuple[int, tuple[CategoryScore, ...]]:
    """(how many learners rated anything, the class mean per category).

    A category's class mean is the mean of each learner's own mean for it, so everyone counts once
    however many statements they rated; CategoryScore.rated is then a count of learners.
    """
    per_learner = [category_scores(categories, statement_category, a, points) for a in answers.values()]
    per_learner = [p for p in per_learner if any(s.mean is not None for s in p)]
    out = []
    for i, (cid, name) in enumerate(categories):
        means = [m for p in per_learner if (m := p[i].mean) is not None]
        out.append(CategoryScore(cid, name, sum(means) / len(means) if means else None, len(means), points))
    return len(per_learner), tuple(out)
