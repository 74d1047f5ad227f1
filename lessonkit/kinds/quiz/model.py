"""The quiz's content: questions of the registered types (questions.py) with feedback, a retry policy and an
optional clip first."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lessonkit.convert import Ctx, field_meta, id_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, Media, SampleClass
from lessonkit.yamllines import line_of

from .questions import QUESTION_TYPES, QUIZ_TEXT_MAX, QuestionType, check_common, type_help, type_names

__all__ = ["Quiz", "QuizOption", "QuizQuestion", "quiz_answer_from_text"]

_QUIZ_RESERVED = ("attempts", "learner")   # store items / CSV columns the quiz uses itself

if TYPE_CHECKING:
    QuestionTypeName = str
else:   # the registered types' names, read from here by the loader, the JSON Schema and `lessonkit new`
    QuestionTypeName = Literal[type_names()]


@dataclass(frozen=True)
class QuizOption:
    """One option of a single- or multiple-choice question, with feedback for a learner who picks it."""

    text: str = field(metadata=field_meta("the option as the learner sees it", max_len=QUIZ_TEXT_MAX))
    feedback: str | None = field(default=None, metadata=field_meta("shown when the learner picks this option",
                                                              max_len=400))


@dataclass(frozen=True)
class QuizQuestion:
    """One question: single choice, multiple choice (tick all that apply), a number, or a short text."""

    id: str = field(metadata=id_meta("short id, also the store item", "oven-temp", max_len=40))
    type: QuestionTypeName = field(metadata=field_meta(type_help(list(QUESTION_TYPES.values()))))
    prompt: str = field(metadata=field_meta("the question as the learner reads it", max_len=300))
    options: tuple[QuizOption, ...] = field(default=(), metadata=field_meta(
        "single and multiple: the options (2 to 8), each with text and optional feedback",
        max_items=8, unique_by="text"))
    answer: str | None = field(default=None, metadata=field_meta(
        "the right answer: an option's text (single), a number (numeric) or the words (text)",
        max_len=QUIZ_TEXT_MAX,
        expected="the right answer as text or a number (a multiple-choice question lists its right options "
                 "under 'answers')"))
    answers: tuple[str, ...] = field(default=(), metadata=field_meta(
        "multiple: the text of every right option", max_len=QUIZ_TEXT_MAX))
    tolerance: float = field(default=0.0, metadata=field_meta(
        "numeric: how far from the answer still counts as right", min=0, max=1_000_000))
    unit: str | None = field(default=None, metadata=field_meta("numeric: unit shown after the box, e.g. '°C'",
                                                          max_len=20))
    accept: tuple[str, ...] = field(default=(), metadata=field_meta(
        "text: other wordings that count as right (case, spaces and end punctuation never matter)",
        max_len=QUIZ_TEXT_MAX, max_items=20))
    feedback_right: str | None = field(default=None, metadata=field_meta("shown when the answer is right", max_len=400))
    feedback_wrong: str | None = field(default=None, metadata=field_meta("shown when the answer is wrong", max_len=400))
    explanation: str | None = field(default=None, metadata=field_meta(
        "Markdown shown once the question is right, or when the answers are revealed", max_len=1000))

    @property
    def question_type(self) -> QuestionType:
        """What its `type` says about checking, scoring and showing it."""
        return QUESTION_TYPES[self.type]

    @property
    def right_answer(self) -> str:
        """The right answer in words, as revealed after the last attempt."""
        return self.question_type.right_answer(self)


@dataclass(frozen=True)
class Quiz(Activity):
    """Questions with feedback, a score and a retry policy, optionally after a clip (see MediaGate)."""

    media: Media | None = field(default=None, metadata=field_meta(
        "a clip (or a script the trainer reads) shown before the questions, then hidden"))
    questions_intro: str = field(default="", metadata=field_meta("Markdown shown above the questions"))
    questions: tuple[QuizQuestion, ...] = field(default=(), metadata=field_meta(
        "the questions, in order", required=True, max_items=30, unique_by="id"))
    attempts: str = field(default="2", metadata=field_meta(
        "how many times a learner may submit: a whole number, or 'unlimited'",
        pattern=r"[1-9][0-9]?|[Uu]nlimited", expected="a whole number from 1 to 99, or 'unlimited'"))
    reveal_answers: bool = field(default=True, metadata=field_meta(
        "after the last attempt, show the right answer under each question"))
    board_title: str = field(default="How the class did", metadata=field_meta("heading of the class board"))
    lesson: str = field(default="", metadata=field_meta("Markdown: the lesson shown with the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=field_meta("sample shown before anyone answers"))

    @property
    def max_attempts(self) -> int | None:
        """How many submissions a learner gets (None: unlimited)."""
        return None if self.attempts.lower() == "unlimited" else int(self.attempts)

    def question(self, question_id: str) -> QuizQuestion | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def _finish(self, data: dict, ctx: Ctx) -> Quiz:
        return _complete_quiz(self, data, ctx)


def _complete_quiz(quiz: Quiz, data: dict, ctx: Ctx) -> Quiz:
    if not quiz.questions:
        ctx.fail("questions", "a list of questions", line_of(data, "questions") or getattr(data, "line", 1),
                 detail="missing or empty; expected a list of at least one question (id, type, prompt, ...)")
    questions = tuple(_check_question(q, i, data, ctx) for i, q in enumerate(quiz.questions))
    quiz = dataclasses.replace(quiz, questions=questions)
    if quiz.sample_class is None:
        return quiz
    rows = _read_quiz_sample(resolve_data_file(quiz, quiz.sample_class.file, ctx.data), quiz)
    return dataclasses.replace(quiz, sample_class=dataclasses.replace(quiz.sample_class, rows=rows))


def _check_question(q: QuizQuestion, i: int, data: dict, ctx: Ctx) -> QuizQuestion:
    """Checks across one question's fields; returns it with answers spelt exactly as their options."""

    def fail(name: str, detail: str, *path: Any) -> None:
        where = f"questions[{i}]" + (f".{name}" if name else "")
        ctx.fail(where, "", line_of(data, "questions", i, *([name] if name else []), *path),
                 detail=f"question '{q.id}': {detail}")

    if q.id in _QUIZ_RESERVED:
        fail("id", f"the id '{q.id}' is used by the quiz itself; choose another id")
    check_common(q.question_type, q, fail)
    return q.question_type.check(q, fail)


def quiz_answer_from_text(q: QuizQuestion, value: str) -> Any:
    """A typed answer in stored form (sample CSVs): option text, list of option texts, number or text.

    Raises ValueError saying what was expected.
    """
    value = value.strip()
    if not value:
        raise ValueError("an answer")
    return q.question_type.from_text(q, value)


def _read_quiz_sample(path: Path, quiz: Quiz) -> tuple[dict[str, Any], ...]:
    ids = [q.id for q in quiz.questions]
    raw_rows = read_sample_csv(path, ["learner", *ids], {})
    ctx = Ctx(path)
    rows = []
    for n, raw in enumerate(raw_rows, start=2):
        out: dict[str, Any] = {"learner": raw["learner"]}
        for q in quiz.questions:
            try:
                out[q.id] = quiz_answer_from_text(q, raw[q.id])
            except ValueError as exc:
                ctx.fail(q.id, str(exc), n, raw[q.id] or None,
                         detail=None if raw[q.id] else f"empty; expected {exc} (answer every question)")
        rows.append(out)
    return tuple(rows)

