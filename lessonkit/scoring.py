"""Pure functions that turn class answers into numbers: no widgets, no store, no I/O."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["Agreement", "agreement", "normalise_text", "parse_number", "tally"]


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


def tally(values: Iterable[str | None]) -> list[tuple[str, int]]:
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


# ---------------------------------------------------------------- typed answers: short texts and numbers

_NUMBER_RE = re.compile(r"\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*([^\d\s.,+-][^\d]{0,19})?")


def normalise_text(text: str) -> str:
    """How short text answers are compared: case, spaces and end punctuation do not matter."""
    return "".join(str(text).casefold().split()).strip(".!?,;:'\"")


def parse_number(text: Any) -> float | None:
    """One number as a learner types it ('170', '170 °C', '1,000', '2.5 cups'); None when it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str) or len(text) > 40:
        return None
    m = _NUMBER_RE.fullmatch(text)
    return float(m.group(1).replace(",", "")) if m else None


# ---------------------------------------------------------------- legislation: matching and ranking
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


__all__ += ["BordaScore", "LawMatch", "ScenarioShare", "borda", "class_matching", "exact_matches", "match_laws",
            "valid_ranking"]


# ---------------------------------------------------------------- discussion: common words

# Small, plain English stop-word list: words that say nothing about what the class thinks.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's
her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
itself just let's like make makes me more most much must mustn't my myself no nor not of off on once only
or other ought our ours ourselves out over own really same shan't she she'd she'll she's should shouldn't
so some such than that that's the their theirs them themselves then there there's these they they'd
they'll they're they've this those through to too under until up us very was wasn't we we'd we'll we're
we've were weren't what what's when when's where where's which while who who's whom why why's will with
won't would wouldn't you you'd you'll you're you've your yours yourself yourselves think thing things
""".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def common_words(texts: Iterable[str], stop_words: Iterable[str] = STOP_WORDS, top: int = 15,
                 min_length: int = 2) -> list[tuple[str, int]]:
    """The most used words across texts as (word, count), most used first, stop words left out.

    Words are lower-cased (curly apostrophes read as straight ones); each text counts a word every
    time it is used. Ties are broken alphabetically so the view does not jump between refreshes.
    """
    stop = {w.lower() for w in stop_words}
    counts: dict[str, int] = {}
    for text in texts:
        for word in _WORD.findall(str(text).lower().replace("’", "'")):
            if len(word) >= min_length and word not in stop:
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:top]


__all__ += ["STOP_WORDS", "common_words"]


# ---------------------------------------------------------------- role-play debrief (kind: scenario)

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


__all__ += ["DEESCALATION_STEPS", "DebriefStep", "scenario_debrief"]
