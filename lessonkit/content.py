"""Load and validate lesson content: an activity's YAML into its kind's typed model, the lesson, `check`.

The generic pieces live in small modules: YAML with line numbers (yamllines), the type-hint converter
(convert), the shared models (model) and where files are (datafiles). Each kind's model is named by its
entry in lessonkit.kinds, so loading a quiz imports only the quiz's model.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import kinds
from .convert import Ctx as _Ctx
from .convert import build as _build
from .convert import field_meta as _meta
from .convert import id_meta as _id_meta
from .convert import public_fields as _public_fields
from .convert import read_sample_csv
from .datafiles import activity_path, data_dir, resolve_data_file
from .errors import ContentError
from .model import OUTCOME_CODES, Activity, Colour, Discussion, Lesson, Media, Outcome, Reflection, SampleClass
from .yamllines import line_at as _line_of
from .yamllines import line_of
from .yamllines import read_yaml as _read_yaml

__all__ = [
    "Activity", "Colour", "Media", "Reflection", "SortCategory", "SortItem", "Sorter", "line_of",
    "read_sample_csv", "resolve_data_file", "Lesson", "Outcome", "SampleClass",
    "ContentError", "load", "load_lesson", "activities", "data_dir", "activity_path", "check", "OUTCOME_CODES",
]


@dataclass(frozen=True)
class SortCategory:
    """A named box learners sort items into."""

    id: str = field(metadata=_id_meta("short id used in answers", "barrier"))
    name: str = field(metadata=_meta("name shown on the button", max_len=40))


@dataclass(frozen=True)
class SortItem:
    """One statement to sort, with where it belongs and why."""

    id: str = field(metadata=_id_meta("short id used in answers", "eye-contact", max_len=40))
    text: str = field(metadata=_meta("the statement the learner sorts", max_len=300))
    category: str = field(metadata=_meta("id of the category it belongs in"))
    explanation: str = field(metadata=_meta("why it belongs there, shown as feedback", max_len=600))


@dataclass(frozen=True)
class Sorter(Activity):
    """Sort statements into named categories, with feedback per item."""

    categories: tuple[SortCategory, ...] = field(default=(), metadata=_meta(
        "the boxes to sort into", required=True, min_items=2, max_items=6, unique_by="id"))
    items: tuple[SortItem, ...] = field(default=(), metadata=_meta(
        "the statements to sort", required=True, min_items=2, max_items=30, unique_by="id"))
    intro: str = field(default="", metadata=_meta("Markdown shown before the instructions"))
    media: Media | None = field(default=None, metadata=_meta("a clip to watch after sorting"))
    reflection: Reflection | None = field(default=None, metadata=_meta("a prompt answered after the clip"))
    board_title: str = field(default="How the class sorted each item", metadata=_meta("heading of the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))
    discussion: Discussion | None = field(default=None, metadata=_meta(
        "a question the class answers on a live discussion board, shown after the class board"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Sorter":
        if not self.categories or not self.items:
            missing = "categories" if not self.categories else "items"
            ctx.fail(missing, "a list", getattr(data, "line", 1),
                     detail=f"missing; expected a list of {missing}")
        ids = {c.id for c in self.categories}
        for i, item in enumerate(self.items):
            if item.category not in ids:
                ctx.fail(f"items[{i}].category", "", line_of(data, "items", i, "category"),
                         detail=f"item '{item.id}' is in category '{item.category}', which is not one of the "
                                f"categories ({', '.join(sorted(ids))})")
        for c in self.categories:
            if not any(item.category == c.id for item in self.items):
                ctx.fail("categories", "", line_of(data, "categories"),
                         detail=f"category '{c.id}' has no items; expected at least one item in each category")
        if self.sample_class is None:
            return self
        rows = read_sample_csv(resolve_data_file(self, self.sample_class.file), ["learner"],
                               {item.id: ids for item in self.items})
        return dataclasses.replace(self, sample_class=dataclasses.replace(self.sample_class, rows=rows))

    def category(self, category_id: str) -> SortCategory | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)




def load(path: str | os.PathLike) -> Activity:
    """Read one activity YAML into its typed content; raise ContentError naming what is wrong."""
    path = Path(path)
    ctx = _Ctx(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        ctx.fail("(top level)", "a mapping of fields (kind: ..., title: ...)", getattr(data, "line", 1), data)
    kind = data.get("kind")
    known = kinds.names()
    if kind not in known:
        ctx.fail("kind", "one of " + ", ".join(known), _line_of(data, "kind") if "kind" in data else 1,
                 kind if "kind" in data else None,
                 detail=None if "kind" in data else "missing; expected one of " + ", ".join(known))
    content = _build(kinds.get(kind).part("model"), data, "", 1, ctx, slug=path.stem, source=str(path))
    return content._finish(data, ctx)


def load_lesson(path: str | os.PathLike | None = None) -> Lesson:
    """Read the session description (data/lesson.yaml)."""
    path = Path(path) if path else data_dir() / "lesson.yaml"
    ctx = _Ctx(path)
    return _build(Lesson, _read_yaml(path), "", 1, ctx, source=str(path))


def activities(folder: str | os.PathLike | None = None) -> list[Activity]:
    """Every activity in data/activities, in session order."""
    folder = Path(folder) if folder else data_dir() / "activities"
    return sorted((load(p) for p in sorted(folder.glob("*.yaml"))), key=lambda a: (a.number, a.slug))


def check(paths: list[str | os.PathLike]) -> list[str]:
    """Validate content files or folders; return one message per problem (empty when all are fine)."""
    problems: list[str] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))
        else:
            files.append(p)
    for f in files:
        try:
            if f.name == "lesson.yaml":
                load_lesson(f)
            elif f.parent.name == "feedback" and f.name == "themes.yaml":  # comment themes, not an activity
                from .feedback.themes import load_themes

                load_themes(f)
            else:
                load(f)
        except ContentError as exc:
            problems.append(str(exc))
    from .wiring import check_wiring, notebooks_beside

    for p in map(Path, paths):   # a lesson's data folder: its activities and notebooks must fit together
        notebooks = notebooks_beside(p) if (p.is_dir() and (p / "activities").is_dir()) else None
        if notebooks is not None:
            problems += check_wiring(p, notebooks)
    return problems


# ---------------------------------------------------------------- quiz (kind: quiz)

QUIZ_TEXT_MAX = 200           # longest short-text answer a learner may submit (and longest option)
QUIZ_SEPARATOR = "|"          # between ticked options in a sample-class CSV cell
_QUIZ_RESERVED = ("attempts", "learner")   # store items / CSV columns the quiz uses itself


@dataclass(frozen=True)
class QuizOption:
    """One option of a single- or multiple-choice question, with feedback for a learner who picks it."""

    text: str = field(metadata=_meta("the option as the learner sees it", max_len=QUIZ_TEXT_MAX))
    feedback: str | None = field(default=None, metadata=_meta("shown when the learner picks this option",
                                                              max_len=400))


@dataclass(frozen=True)
class QuizQuestion:
    """One question: single choice, multiple choice (tick all that apply), a number, or a short text."""

    id: str = field(metadata=_id_meta("short id, also the store item", "oven-temp", max_len=40))
    type: Literal["single", "multiple", "numeric", "text"] = field(metadata=_meta(
        "single (pick one), multiple (tick all that apply), numeric or text"))
    prompt: str = field(metadata=_meta("the question as the learner reads it", max_len=300))
    options: tuple[QuizOption, ...] = field(default=(), metadata=_meta(
        "single and multiple: the options (2 to 8), each with text and optional feedback",
        max_items=8, unique_by="text"))
    answer: str | None = field(default=None, metadata=_meta(
        "the right answer: an option's text (single), a number (numeric) or the words (text)",
        max_len=QUIZ_TEXT_MAX,
        expected="the right answer as text or a number (a multiple-choice question lists its right options "
                 "under 'answers')"))
    answers: tuple[str, ...] = field(default=(), metadata=_meta(
        "multiple: the text of every right option", max_len=QUIZ_TEXT_MAX))
    tolerance: float = field(default=0.0, metadata=_meta(
        "numeric: how far from the answer still counts as right", min=0, max=1_000_000))
    unit: str | None = field(default=None, metadata=_meta("numeric: unit shown after the box, e.g. '°C'",
                                                          max_len=20))
    accept: tuple[str, ...] = field(default=(), metadata=_meta(
        "text: other wordings that count as right (case, spaces and end punctuation never matter)",
        max_len=QUIZ_TEXT_MAX, max_items=20))
    feedback_right: str | None = field(default=None, metadata=_meta("shown when the answer is right", max_len=400))
    feedback_wrong: str | None = field(default=None, metadata=_meta("shown when the answer is wrong", max_len=400))
    explanation: str | None = field(default=None, metadata=_meta(
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

    media: Media | None = field(default=None, metadata=_meta(
        "a clip (or a script the trainer reads) shown before the questions, then hidden"))
    questions_intro: str = field(default="", metadata=_meta("Markdown shown above the questions"))
    questions: tuple[QuizQuestion, ...] = field(default=(), metadata=_meta(
        "the questions, in order", required=True, max_items=30, unique_by="id"))
    attempts: str = field(default="2", metadata=_meta(
        "how many times a learner may submit: a whole number, or 'unlimited'",
        pattern=r"[1-9][0-9]?|[Uu]nlimited", expected="a whole number from 1 to 99, or 'unlimited'"))
    reveal_answers: bool = field(default=True, metadata=_meta(
        "after the last attempt, show the right answer under each question"))
    board_title: str = field(default="How the class did", metadata=_meta("heading of the class board"))
    lesson: str = field(default="", metadata=_meta("Markdown: the lesson shown with the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))

    @property
    def max_attempts(self) -> int | None:
        """How many submissions a learner gets (None: unlimited)."""
        return None if self.attempts.lower() == "unlimited" else int(self.attempts)

    def question(self, question_id: str) -> QuizQuestion | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def _finish(self, data: dict, ctx: "_Ctx") -> "Quiz":
        return _complete_quiz(self, data, ctx)


def _same_text(a: str) -> str:
    return " ".join(a.split()).casefold()


def _complete_quiz(quiz: Quiz, data: dict, ctx: _Ctx) -> Quiz:
    if not quiz.questions:
        ctx.fail("questions", "a list of questions", line_of(data, "questions") or getattr(data, "line", 1),
                 detail="missing or empty; expected a list of at least one question (id, type, prompt, ...)")
    questions = tuple(_check_question(q, i, data, ctx) for i, q in enumerate(quiz.questions))
    quiz = dataclasses.replace(quiz, questions=questions)
    if quiz.sample_class is None:
        return quiz
    rows = _read_quiz_sample(resolve_data_file(quiz, quiz.sample_class.file), quiz)
    return dataclasses.replace(quiz, sample_class=dataclasses.replace(quiz.sample_class, rows=rows))


def _check_question(q: QuizQuestion, i: int, data: dict, ctx: _Ctx) -> QuizQuestion:
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
        from .scoring import parse_number

        if parse_number(q.answer) is None:
            fail("answer", f"the answer {q.answer!r} is not a number; expected a number such as 170 or 2.5")
    return q


def quiz_answer_from_text(q: QuizQuestion, value: str) -> Any:
    """A typed answer in stored form (sample CSVs): option text, list of option texts, number or text.

    Raises ValueError saying what was expected.
    """
    from .scoring import parse_number

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
    ctx = _Ctx(path)
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


__all__ += ["Quiz", "QuizOption", "QuizQuestion", "quiz_answer_from_text"]


# ---------------------------------------------------------------- checklist (kind: checklist)

CHECKLIST_POINTS = 5                  # the rating scale always has five labelled points, stored as 1..5
CHECKLIST_PLAN_ITEM = "action-plan"   # store item holding the learner's action plan; no statement may use it


@dataclass(frozen=True)
class ChecklistCategory:
    """A group of self-assessment statements, scored together."""

    id: str = field(metadata=_id_meta("short id that statements refer to", "listening"))
    name: str = field(metadata=_meta("category name shown to the learner", max_len=50))
    about: str | None = field(default=None, metadata=_meta("one line shown under the category's heading",
                                                           max_len=200))


@dataclass(frozen=True)
class ChecklistStatement:
    """One practice the learner rates themselves on."""

    id: str = field(metadata=_id_meta("short id, also the store item", "listen-first", max_len=40))
    category: str = field(metadata=_meta("id of the category it belongs to"))
    text: str = field(metadata=_meta("the statement as the learner reads it", max_len=300))


@dataclass(frozen=True)
class Checklist(Activity):
    """A self-assessment: statements rated on a labelled 5-point scale, scored per category."""

    scale: tuple[str, ...] = field(default=(), metadata=_meta(
        "the 5 labels of the rating scale, lowest first (e.g. Rarely ... Always)", required=True, max_len=20,
        unique=True))
    categories: tuple[ChecklistCategory, ...] = field(default=(), metadata=_meta(
        "the categories (3 to 8; the radar chart needs at least 3)", required=True, min_items=3, max_items=8,
        unique_by="id"))
    statements: tuple[ChecklistStatement, ...] = field(default=(), metadata=_meta(
        "the statements to rate, each with id, category and text", required=True, max_items=60, unique_by="id"))
    action_plan_prompt: str = field(default="What will you do to develop your weakest areas?", metadata=_meta(
        "Markdown shown above the action-plan box"))
    action_plan_max_chars: int = field(default=1000, metadata=_meta("longest action plan accepted",
                                                                     min=100, max=5000))
    results_title: str = field(default="Your results", metadata=_meta("heading of the learner's results",
                                                                      max_len=80))
    board_title: str = field(default="How the class rated itself", metadata=_meta("heading of the class board"))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Checklist":
        return _complete_checklist(self, data, ctx)

    def category(self, category_id: str) -> ChecklistCategory | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)

    def statements_in(self, category_id: str) -> tuple[ChecklistStatement, ...]:
        """The statements of one category, in content order."""
        return tuple(s for s in self.statements if s.category == category_id)

    def label(self, rating: int) -> str:
        """The scale label for a rating 1..5."""
        return self.scale[rating - 1]


def _complete_checklist(content: Checklist, data: dict, ctx: _Ctx) -> Checklist:
    top = getattr(data, "line", 1)
    if len(content.scale) != CHECKLIST_POINTS:
        ctx.fail("scale", f"{CHECKLIST_POINTS} labels", line_of(data, "scale") if "scale" in data else top,
                 detail=(f"has {len(content.scale)} label(s)" if content.scale else "missing")
                 + f"; expected exactly {CHECKLIST_POINTS} labels, lowest first, e.g. "
                   "[Rarely, Sometimes, Often, Usually, Always]")
    for name in ("categories", "statements"):
        if not getattr(content, name):
            ctx.fail(name, "a list", line_of(data, name) if name in data else top,
                     detail=f"missing or empty; expected a list of {name}"
                            + (" (id, name)" if name == "categories" else " (id, category, text)"))
    ids = [c.id for c in content.categories]
    for i, s in enumerate(content.statements):
        if s.id == CHECKLIST_PLAN_ITEM:
            ctx.fail(f"statements[{i}].id", "", line_of(data, "statements", i, "id"),
                     detail=f"statement id '{s.id}' is where the learner's action plan is stored; choose another id")
        if s.category not in ids:
            ctx.fail(f"statements[{i}].category", "", line_of(data, "statements", i, "category"),
                     detail=f"statement '{s.id}' is in category '{s.category}', which is not one of the "
                            f"categories ({', '.join(ids)}); expected one of those ids")
    for j, c in enumerate(content.categories):
        if not content.statements_in(c.id):
            ctx.fail(f"categories[{j}]", "", line_of(data, "categories", j, "id"),
                     detail=f"category '{c.id}' has no statements; add statements with 'category: {c.id}' "
                            "or remove the category")
    if content.sample_class is None:
        return content
    ratings = {str(r): str(r) for r in range(1, CHECKLIST_POINTS + 1)}
    raw = read_sample_csv(resolve_data_file(content, content.sample_class.file), ["learner"],
                          {s.id: ratings for s in content.statements})
    rows = tuple({k: (v if k == "learner" else int(v)) for k, v in row.items()} for row in raw)
    return dataclasses.replace(content, sample_class=dataclasses.replace(content.sample_class, rows=rows))


__all__ += ["Checklist", "ChecklistCategory", "ChecklistStatement"]


