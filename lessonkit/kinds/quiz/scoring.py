"""The quiz's pure scoring: one answer right or not, one learner's score, the class's distribution.

A question is any object with the QuizQuestion fields (id, type, options, answer, answers, tolerance,
accept); these functions read nothing else, so they can be tested with plain stand-ins. Whether one answer is
right is its question type's to say (questions.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .questions import QUESTION_TYPES

__all__ = ["QuizScore", "hardest_questions", "median_score", "question_shares", "quiz_score", "score_distribution",
           "score_question", "took_quiz"]


def score_question(question: Any, answer: Any) -> bool:
    """True when `answer` (as stored: option text, list of option texts, number or text) is right."""
    kind = QUESTION_TYPES.get(question.type)
    return answer is not None and kind is not None and kind.is_right(question, answer)


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


def hardest_questions(questions: Sequence[Any], answers: Mapping[str, Mapping[str, Any]]
                      ) -> tuple[tuple[str, ...], float]:
    """The question id(s) with the lowest share right, and that share; ((), 1.0) when nobody took the quiz."""
    shares = [(qid, right / n) for qid, right, n in question_shares(questions, answers) if n]
    if not shares:
        return (), 1.0
    low = min(s for _, s in shares)
    return tuple(qid for qid, s in shares if s == low), low
