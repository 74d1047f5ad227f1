"""Pure functions that turn class answers into numbers: no widgets, no store, no I/O."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["Agreement", "SortOutcome", "agreement", "share_matching", "sort_outcome", "tally"]


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


def share_matching(expected: str, values: Iterable[str]) -> tuple[int, int]:
    """(how many chose the expected value, how many answered)."""
    values = [v for v in values if v is not None]
    return sum(v == expected for v in values), len(values)


# ---------------------------------------------------------------- quiz (kind: quiz)
# A question is any object with the QuizQuestion fields (id, type, options, answer, answers, tolerance,
# accept); these functions read nothing else, so they can be tested with plain stand-ins.

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


def score_question(question: Any, answer: Any) -> bool:
    """True when `answer` (as stored: option text, list of option texts, number or text) is right."""
    if answer is None:
        return False
    kind = question.type
    if kind == "single":
        return isinstance(answer, str) and answer == question.answer
    if kind == "multiple":
        return (isinstance(answer, (list, tuple)) and all(isinstance(a, str) for a in answer)
                and len(set(answer)) == len(answer) and set(answer) == set(question.answers))
    if kind == "numeric":
        got, want = parse_number(answer), parse_number(question.answer)
        return got is not None and want is not None and abs(got - want) <= question.tolerance + 1e-9 * max(1, abs(want))
    if kind == "text":
        accepted = {normalise_text(a) for a in (question.answer, *question.accept) if a}
        return isinstance(answer, str) and normalise_text(answer) in accepted
    return False


@dataclass(frozen=True)
class QuizScore:
    """One learner's result: how many right of how many, and which."""

    right: int
    total: int
    per_question: tuple[tuple[str, bool], ...]   # (question id, right?) in question order

    def __str__(self) -> str:
        return f"{self.right} of {self.total} right"

    def is_right(self, question_id: str) -> bool:
        """Whether the question with this id was answered right."""
        return dict(self.per_question).get(question_id, False)


def quiz_score(questions: Sequence[Any], answers: Mapping[str, Any]) -> QuizScore:
    """Score one learner's answers ({question id: answer}); unanswered questions count as wrong."""
    per = tuple((q.id, score_question(q, answers.get(q.id))) for q in questions)
    return QuizScore(sum(ok for _, ok in per), len(per), per)


def took_quiz(questions: Sequence[Any], answers: Mapping[str, Any]) -> bool:
    """True when a learner's answers include at least one of these questions."""
    return any(answers.get(q.id) is not None for q in questions)


def score_distribution(scores: Iterable[int], total: int) -> list[int]:
    """How many learners got each score: index k holds the count of 'k of total right'."""
    counts = [0] * (total + 1)
    for s in scores:
        counts[max(0, min(total, s))] += 1
    return counts


def median_score(scores: Iterable[int]) -> float | None:
    """The median score (None when nobody has a score)."""
    values = list(scores)
    return float(statistics.median(values)) if values else None


def question_shares(questions: Sequence[Any], answers: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, int, int]]:
    """Per question, in order: (id, how many got it right, how many took the quiz)."""
    takers = [a for a in answers.values() if took_quiz(questions, a)]
    return [(q.id, sum(score_question(q, a.get(q.id)) for a in takers), len(takers)) for q in questions]


def hardest_questions(questions: Sequence[Any], answers: Mapping[str, Mapping[str, Any]]) -> tuple[tuple[str, ...], float]:
    """The question id(s) with the lowest share right, and that share; ((), 1.0) when nobody took the quiz."""
    shares = [(qid, right / n) for qid, right, n in question_shares(questions, answers) if n]
    if not shares:
        return (), 1.0
    low = min(s for _, s in shares)
    return tuple(qid for qid, s in shares if s == low), low


__all__ += ["QuizScore", "hardest_questions", "median_score", "normalise_text", "parse_number",
            "question_shares", "quiz_score", "score_distribution", "score_question", "took_quiz"]


# ---------------------------------------------------------------- checklist (kind: checklist)
# Categories are (id, name) pairs and statements a mapping statement id -> category id, so these
# functions need no content objects and are tested with plain data.

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
    key = {s.id: round(s.mean, 9) for s in rated}
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
        means = [p[i].mean for p in per_learner if p[i].mean is not None]
        out.append(CategoryScore(cid, name, sum(means) / len(means) if means else None, len(means), points))
    return len(per_learner), tuple(out)


__all__ += ["CategoryScore", "category_scores", "class_category_means", "strengths_and_gaps", "valid_rating"]


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
