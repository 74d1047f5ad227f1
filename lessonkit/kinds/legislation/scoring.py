"""Pure scoring for the legislation kind: matching situations to laws, and ranking the laws."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BordaScore", "LawMatch", "ScenarioShare", "borda", "class_matching", "exact_matches", "match_laws",
           "valid_ranking"]


# Scenarios are a mapping scenario id -> the law ids that apply, and rankings plain lists of ids, so
# these functions need no content objects.

@dataclass(frozen=True)
class LawMatch:
    """How one learner matched one scenario: exactly, or which laws were missed or added."""

    scenario: str
    exact: bool
    missed: tuple[str, ...]     # laws that apply but were not ticked
    extra: tuple[str, ...]      # laws ticked that do not apply
    hit: tuple[str, ...] = ()   # laws that apply and were ticked
    answered: bool = True       # False when nothing (or not a list of ids) was given

    @property
    def partly(self) -> bool:
        """Some, but not exactly, the right laws were ticked."""
        return not self.exact and bool(self.hit)


def _law_ids(answer: Any) -> list[str] | None:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return None
    return list(answer)


def match_laws(expected: Mapping[str, Sequence[str]], answers: Mapping[str, Any]) -> tuple[LawMatch, ...]:
    """Compare ticked laws ({scenario: [law ids]}) with the expected ones, in the scenarios' order.

    missed and extra keep the order of the expected list and of the answer respectively.
    """
    out = []
    for scenario, want in expected.items():
        got = _law_ids(answers.get(scenario))
        if not got:
            out.append(LawMatch(scenario, False, tuple(want), (), answered=False))
            continue
        missed = tuple(w for w in want if w not in got)
        extra = tuple(dict.fromkeys(g for g in got if g not in want))
        hit = tuple(w for w in want if w in got)
        out.append(LawMatch(scenario, not missed and not extra, missed, extra, hit))
    return tuple(out)


def exact_matches(expected: Mapping[str, Sequence[str]], answers: Mapping[str, Any]) -> int:
    """How many scenarios a learner matched exactly."""
    return sum(m.exact for m in match_laws(expected, answers))


@dataclass(frozen=True)
class ScenarioShare:
    """How a class matched one scenario."""

    scenario: str
    exact: int                      # learners who ticked exactly the right laws
    n: int                          # learners who answered the scenario
    most_missed: tuple[str, ...]    # the right law(s) most often left out (ties in expected order)
    missed_count: int               # how many left out each of those (0: nobody missed any)

    @property
    def share(self) -> float:
        """Share who matched exactly (0 when nobody answered)."""
        return self.exact / self.n if self.n else 0.0


def class_matching(expected: Mapping[str, Sequence[str]],
                   answers: Mapping[str, Mapping[str, Any]]) -> tuple[ScenarioShare, ...]:
    """Per scenario, in order: exact matches, how many answered, and the most-missed law."""
    per_learner = [{m.scenario: m for m in match_laws(expected, a)} for a in answers.values()]
    out = []
    for scenario, want in expected.items():
        done = [p[scenario] for p in per_learner if p[scenario].answered]
        missed = {w: sum(w in m.missed for m in done) for w in want}
        top = max(missed.values(), default=0)
        out.append(ScenarioShare(scenario, sum(m.exact for m in done), len(done),
                                 tuple(w for w, k in missed.items() if k == top) if top else (), top))
    return tuple(out)


@dataclass(frozen=True)
class BordaScore:
    """One item's Borda count over a class's rankings."""

    id: str
    points: int                 # n-1 for each first place ... 0 for each last place
    places: tuple[int, ...]     # how many put it 1st, 2nd, ... last
    n: int                      # how many rankings were counted

    @property
    def mean_place(self) -> float | None:
        """Average place (1 = first), or None when nothing was counted."""
        return sum((i + 1) * k for i, k in enumerate(self.places)) / self.n if self.n else None


def valid_ranking(items: Sequence[str], ranking: Any) -> bool:
    """True when ranking is a list holding every item exactly once."""
    ids = _law_ids(ranking)
    return ids is not None and len(ids) == len(items) and sorted(ids) == sorted(items)


def borda(items: Sequence[str], rankings: Iterable[Any]) -> tuple[BordaScore, ...]:
    """Borda count: with n items, first place scores n-1 and last 0. Highest total first.

    Rankings that are not a complete ordering of `items` are left out. Ties go to the item placed
    first more often, then second more often, and so on; a full tie keeps the items' own order.
    """
    size = len(items)
    counted = [list(r) for r in rankings if valid_ranking(items, r)]
    places = {item: [0] * size for item in items}
    for ranking in counted:
        for pos, item in enumerate(ranking):
            places[item][pos] += 1
    scores = [BordaScore(item, sum(k * (size - 1 - pos) for pos, k in enumerate(places[item])),
                         tuple(places[item]), len(counted)) for item in items]
    order = {item: i for i, item in enumerate(items)}
    return tuple(sorted(scores, key=lambda s: (-s.points, tuple(-k for k in s.places), order[s.id])))
