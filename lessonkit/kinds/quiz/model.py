"""The quiz's content: questions of four types with feedback, a retry policy and an optional clip first."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lessonkit.convert import Ctx, field_meta, id_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, Media, SampleClass
from lessonkit.scoring import parse_number
from lessonkit.yamllines import line_of

__all__ = ["Quiz", "QuizOption", "QuizQuestion", "quiz_answer_from_text", "QUIZ_TEXT_MAX", "QUIZ_SEPARATOR"]

QUIZ_TEXT_MAX = 200           # longest short-text answer a learner may submit (and longest option)
QUIZ_SEPARATOR = "|"          # between ticked options in a sample-class CSV cell
_QUIZ_RESERVED = ("attempts", "learner")   # store items / CSV columns the quiz uses itself


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
    type: Literal["single", "multiple", "numeric", "text"] = field(metadata=field_meta(
        "single (pick one), multiple (tick all that apply), numeric or text"))
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
    def right_answer(self) -> str:
        """The right answer in words, as revealed after the last attempt."""
        if self.type == "multiple":
            return "; ".join(self.answers)
        text = self.answer or ""
        if self.type == "numeric":
            if self.tolerance:
                text += f" (give or take {self.tolerance:g})"
            if self.unit:
                text += f" {self.unit}"
        return text


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


def _same_text(a: str) -> str:
    return " ".join(a.split()).casefold()


def _complete_quiz(quiz: Quiz, data: dict, ctx: Ctx) -> Quiz:
    if not quiz.questions:
        ctx.fail("questions", "a list of questions", line_of(data, "questions") or getattr(data, "line", 1),
                 detail="missing or empty; expected a list of at least one question (id, type, prompt, ...)")
    questions = tuple(_check_question(q, i, data, ctx) for i, q in enumerate(quiz.questions))
    quiz = dataclasses.replace(quiz, questions=questions)
    if quiz.sample_class is None:
        return quiz
    rows = _read_quiz_sample(resolve_data_file(quiz, quiz.sample_class.file), quiz)
    return dataclasses.replace(quiz, sample_class=dataclasses.replace(quiz.sample_class, rows=rows))


def _check_question(q: QuizQuestion, i: int, data: dict, ctx: Ctx) -> QuizQuestion:
    """Checks across one question's fields; returns it with answers spelt exactly as their options."""

    def fail(name: str, detail: str, *path: Any) -> None:
        where = f"questions[{i}]" + (f".{name}" if name else "")
        ctx.fail(where, "", line_of(data, "questions", i, *([name] if name else []), *path),
                 detail=f"question '{q.id}': {detail}")

    if q.id in _QUIZ_RESERVED:
        fail("id", f"the id '{q.id}' is used by the quiz itself; choose another id")
    choice = q.type in ("single", "multiple")
    texts = {_same_text(o.text): o.text for o in q.options}
    listed = ", ".join(repr(o.text) for o in q.options)
    if choice and len(q.options) < 2:
        fail("options" if q.options else "", f"a {q.type}-choice question needs at least 2 options, "
             f"has {len(q.options)}; add them under 'options' (each with text)")
    if not choice and q.options:
        fail("options", f"a {q.type} question has no options; remove 'options' or change its type to single "
                        "or multiple")
    if q.type != "multiple" and q.answers:
        fail("answers", "only multiple-choice questions list 'answers'; give the one right answer as 'answer'")
    if q.type != "numeric" and (q.tolerance or q.unit):
        fail("tolerance" if q.tolerance else "unit", "'tolerance' and 'unit' are for numeric questions only")
    if q.type != "text" and q.accept:
        fail("accept", "'accept' (other wordings) is for text questions only")
    if q.type == "multiple":
        if q.answer is not None:
            fail("answer", "a multiple-choice question lists its right options under 'answers' (a list), "
                           "not 'answer'")
        if not q.answers:
            fail("", "a multiple-choice question has no right option; list at least one option's text "
                     "under 'answers'")
        canon = []
        for j, a in enumerate(q.answers):
            if _same_text(a) not in texts:
                fail("answers", f"the right answer {a!r} is not among its options ({listed}); "
                                "expected the text of one of them", j)
            if texts[_same_text(a)] in canon:
                fail("answers", f"{a!r} is listed twice under 'answers'", j)
            canon.append(texts[_same_text(a)])
        return dataclasses.replace(q, answers=tuple(canon))
    if q.answer is None:
        wanted = {"single": "the text of the right option", "numeric": "the right number",
                  "text": "the right words"}[q.type]
        fail("", f"a {q.type} question needs an 'answer': {wanted}")
    if q.type == "single":
        if _same_text(q.answer) not in texts:
            fail("answer", f"the right answer {q.answer!r} is not among its options ({listed}); "
                           "expected the text of one of them")
        return dataclasses.replace(q, answer=texts[_same_text(q.answer)])
    if q.type == "numeric":
        if parse_number(q.answer) is None:
            fail("answer", f"the answer {q.answer!r} is not a number; expected a number such as 170 or 2.5")
    return q


def quiz_answer_from_text(q: QuizQuestion, value: str) -> Any:
    """A typed answer in stored form (sample CSVs): option text, list of option texts, number or text.

    Raises ValueError saying what was expected.
    """
    value = value.strip()
    if not value:
        raise ValueError("an answer")
    texts = {_same_text(o.text): o.text for o in q.options}
    if q.type == "single":
        if _same_text(value) not in texts:
            raise ValueError("one of " + ", ".join(repr(o.text) for o in q.options))
        return texts[_same_text(value)]
    if q.type == "multiple":
        picked = [p for p in (s.strip() for s in value.split(QUIZ_SEPARATOR)) if p]
        if not picked or any(_same_text(p) not in texts for p in picked):
            raise ValueError(f"options separated by '{QUIZ_SEPARATOR}', each one of "
                             + ", ".join(repr(o.text) for o in q.options))
        chosen = {texts[_same_text(p)] for p in picked}
        return [o.text for o in q.options if o.text in chosen]
    if q.type == "numeric":
        number = parse_number(value)
        if number is None:
            raise ValueError("a number")
        return int(number) if number.is_integer() else number
    if len(value) > QUIZ_TEXT_MAX:
        raise ValueError(f"text of at most {QUIZ_TEXT_MAX} characters")
    return value


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

