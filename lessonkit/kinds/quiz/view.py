"""Quiz: questions with per-question feedback, a score and a retry policy; quiz_page puts it behind a MediaGate."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any, TypeGuard

import ipywidgets as widgets
from traitlets import Int

from lessonkit.components.base import ANNOUNCE, LABEL_NEXT, ActivityView, markdown
from lessonkit.components.board import ClassBoard
from lessonkit.components.media import MediaGate
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import quiz_board
from .model import Quiz as QuizContent
from .model import QuizQuestion
from .questions import Control
from .scoring import QuizScore, quiz_score, took_quiz

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["Quiz", "quiz_boards", "quiz_page", "ATTEMPTS_ITEM"]

ATTEMPTS_ITEM = "attempts"   # store item holding how many times the learner has submitted


class Quiz(ActivityView):
    """Single-choice, tick-all, number and short-text questions; Submit scores them and shows feedback.

    Every submission is an attempt; the number of attempts comes from the content. The kernel checks
    the attempt count in the store, so a forged click on a disabled Submit button saves nothing.
    """

    content: QuizContent
    children: tuple[widgets.Widget, ...]   # the VBox trait, for the type checker
    attempts_used = Int(0, help="How many times this learner has submitted (from the store; not synced).")

    def __init__(self, content: QuizContent, store: LearnerStore, learner: Learner, *, intro: bool = True,
                 **kwargs: Any) -> None:
        self._restoring = False
        self._last: dict[str, Any] = {}      # the last saved answers, as stored
        super().__init__(content, store, learner, **kwargs)
        self.add_class("lk-quiz-view")
        if not intro:  # the page shows the title and instructions above the clip instead
            self.children = tuple(c for c in self.children if c is not self._title and c is not self._instructions)

    # ---- what the learner sees and does
    @property
    def score(self) -> QuizScore | None:
        """The score of the last saved answers (None before the first submission)."""
        return quiz_score(self.content.questions, self._last) if self._last else None

    @property
    def attempts_left(self) -> int | None:
        """Submissions left (None: unlimited)."""
        most = self.content.max_attempts
        return None if most is None else max(0, most - self.attempts_used)

    @property
    def done(self) -> bool:
        """True once there is nothing left to try: every answer right, or no attempts left."""
        score = self.score
        return score is not None and (score.right == score.total or self.attempts_left == 0)

    def answer(self, question_id: str, value: Any) -> None:
        """Answer one question as the learner would: an option, a list of options to tick, or typed text."""
        q = self.content.question(question_id)
        if q is None:
            raise KeyError(question_id)
        q.question_type.enter(self._controls[q.id], value)

    # ---- ActivityView
    def _build_body(self) -> widgets.Widget:
        c = self.content
        self._controls: dict[str, Control] = {}
        self.inputs: dict[str, widgets.Widget] = {}                 # what each question is answered in
        self.ticks: dict[str, dict[str, widgets.Checkbox]] = {}     # a tick-all question's boxes, by option
        self.feedback: dict[str, widgets.HTML] = {}
        head = markdown(c.questions_intro) + f"<p class='lk-quiz-policy'>{escape(self._policy())}</p>"
        rows: list[widgets.Widget] = [widgets.HTML(head, _dom_classes=("lk-quiz-intro",))]
        for n, q in enumerate(c.questions, start=1):
            prompt = widgets.HTML(f"<div class='lk-quiz-prompt'><span class='lk-quiz-number'>Question {n} of "
                                  f"{len(c.questions)}</span> {escape(q.prompt)}</div>", _dom_classes=(LABEL_NEXT,))
            self.feedback[q.id] = widgets.HTML("", _dom_classes=("lk-quiz-feedback",))
            rows.append(widgets.VBox([prompt, self._control(q), self.feedback[q.id]],
                                     _dom_classes=("lk-quiz-question", f"lk-quiz-type-{q.type}")))
        self.score_line = widgets.HTML("", _dom_classes=("lk-quiz-score", ANNOUNCE))
        rows.append(self.score_line)
        return widgets.VBox(rows, _dom_classes=("lk-quiz",))

    def _control(self, q: QuizQuestion) -> widgets.Widget:
        control = self._controls[q.id] = q.question_type.render(q, partial(self._on_change, q.id))
        self.inputs[q.id] = control.input
        if control.ticks:
            self.ticks[q.id] = control.ticks
        return control.box

    def _collect(self) -> dict[str, Any]:
        return {q.id: q.question_type.read(self._controls[q.id]) for q in self.content.questions}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        c = self.content
        if set(answers) - {q.id for q in c.questions}:
            raise AnswerRejected("that answer does not belong to this quiz; reload the page and try again")
        used = self._stored_attempts()
        if c.max_attempts is not None and used >= c.max_attempts:
            self._put_back()  # undo whatever a forged message changed on screen
            raise AnswerRejected(f"no attempts left ({_plural(c.max_attempts, 'attempt')} used). "
                                 "Your last answers and score stand.")
        missing = [n for n, q in enumerate(c.questions, start=1) if _blank(answers.get(q.id))]
        if missing:
            which = "the questions" if len(missing) == len(c.questions) else _numbered(missing)
            raise AnswerRejected(f"answer {which} first")
        out = {q.id: q.question_type.accept(q, n, answers[q.id]) for n, q in enumerate(c.questions, start=1)}
        out[ATTEMPTS_ITEM] = used + 1
        return out

    def _show(self, answers: dict[str, Any]) -> None:
        questions = self.content.questions
        used: Any = answers.get(ATTEMPTS_ITEM)
        if not _is_count(used):
            used = 1 if took_quiz(questions, answers) else 0
        self._fill(answers)
        self.attempts_used = used
        self._last = {q.id: answers[q.id] for q in questions if q.id in answers}
        if took_quiz(questions, answers):
            self._last[ATTEMPTS_ITEM] = used
            self._show_results(self._last)

    def restore(self) -> bool:
        """Show the learner's earlier answers with their feedback; True when something was restored."""
        restored = super().restore()
        if restored and self._last:
            self.status = f"Your earlier answers and their feedback are back. {self._outcome()}"
        return restored

    # ---- private
    def _after_save(self, answers: dict[str, Any]) -> None:
        # Runs before any on_submit handler, so results are on screen before a page's own handlers run.
        self._last = dict(answers)
        self.attempts_used = answers[ATTEMPTS_ITEM]
        self._show_results(self._last)
        when = self.status.split(". ")[0] if self.status.startswith("Saved at") else "Saved"
        self.status = f"{when}. {self._outcome()}"

    def _stored_attempts(self) -> int:
        # The store, not this kernel's memory, is the truth: another tab may have submitted, and a
        # trainer's reset gives everyone their attempts back.
        stored = self._store.answers_for(self._learner.class_code, self._activity, self._learner.learner)
        used = stored.get(ATTEMPTS_ITEM)
        if _is_count(used):
            return used
        return 1 if took_quiz(self.content.questions, stored) else 0

    @property
    def _activity(self) -> str:
        return getattr(self, "activity_id", None) or self.content.slug

    def _policy(self) -> str:
        most = self.content.max_attempts
        if most is None:
            return "Submit as often as you like: each time you see which answers are right."
        after = " After it, the right answers are shown." if most == 1 else \
            " After the last one, the right answers are shown."
        return ("You have one attempt." if most == 1 else f"You have {most} attempts.") + \
            (after if self.content.reveal_answers else "")

    def _outcome(self) -> str:
        score = self.score
        head = f"{score}." if score else ""
        if score and score.right == score.total:
            return f"All {score.total} right: well done!"
        left = self.attempts_left
        if left is None:
            tail = "Change any answer and submit again as often as you like."
        elif left == 0:
            tail = ("That was your last attempt: the right answers are shown under each question."
                    if self.content.reveal_answers else "That was your last attempt.")
        else:
            tail = f"You have {_plural(left, 'attempt')} left: change your answers and submit again."
        return f"{head} {tail}".strip()

    def _show_results(self, answers: dict[str, Any]) -> None:
        c = self.content
        exhausted = self.attempts_left == 0
        reveal = exhausted and c.reveal_answers
        score = quiz_score(c.questions, answers)
        for q in c.questions:
            self.feedback[q.id].value = _feedback_html(q, answers.get(q.id), score.is_right(q.id), reveal)
        attempt = f" <span class='lk-quiz-attempt'>(attempt {self.attempts_used} of {c.max_attempts})</span>" \
            if c.max_attempts is not None else ""
        self.score_line.value = f"<p><strong>{score}</strong>{attempt}</p>"
        self._set_locked(exhausted)

    def _set_locked(self, locked: bool) -> None:
        for control in self._controls.values():
            for w in control.widgets:
                w.disabled = locked
        self.submit_button.disabled = locked

    def _put_back(self) -> None:
        if self._last:
            self._fill(self._last)
            self._show_results(self._last)
        else:
            self._set_locked(True)

    def _fill(self, answers: dict[str, Any]) -> None:
        self._restoring = True
        try:
            for q in self.content.questions:
                q.question_type.show(q, self._controls[q.id], answers.get(q.id))
        finally:
            self._restoring = False

    def _on_change(self, question_id: str, _change: dict) -> None:
        if self._restoring:
            return
        self.feedback[question_id].value = ""   # the feedback was for the answer that was there before
        if self.saved:
            self.saved = False
            left = self.attempts_left
            more = "" if left is None else f" ({_plural(left, 'attempt')} left)"
            self.status = f"Changed: press Submit to check your answers again{more}."


def _feedback_html(q: QuizQuestion, answer: Any, right: bool, reveal: bool) -> str:
    said = q.question_type.feedback(q, answer, right, reveal)
    note = q.feedback_right if right else q.feedback_wrong
    if note:
        said.append(escape(note))
    mark = "\u2713 Right." if right else "\u2717 Not quite."
    html = f"<p><strong class='lk-quiz-mark'>{mark}</strong> {' '.join(said)}</p>"
    if not right and reveal:
        html += f"<p class='lk-quiz-answer'><strong>The answer:</strong> {escape(q.right_answer)}</p>"
    if (right or reveal) and q.explanation:
        html += f"<div class='lk-quiz-explain'>{markdown(q.explanation)}</div>"
    return f"<div class='{'lk-quiz-right' if right else 'lk-quiz-wrong'}'>{html}</div>"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, tuple))
                                                                               and not value)


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _numbered(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"question {numbers[0]}"
    return "questions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


# ---------------------------------------------------------------- the page for kind: quiz

def quiz_boards(content: QuizContent, store: LearnerStore, class_code: str, *, learner: str | None = None,
                show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """The quiz's class board, for the page (learner: who is "you") or the trainer (learner=None)."""
    sample = content.sample_class
    return [ClassBoard(
        store, class_code, content.slug,
        render=partial(quiz_board, content.questions, lesson_html=markdown(content.lesson)),
        learner=learner, title=content.board_title, show_names=show_names, live=live,
        sample={f"sample-{i}": {k: v for k, v in row.items() if k != "learner"}
                for i, row in enumerate(sample.rows if sample else ())},
        sample_label=sample.label if sample else "No sample class",
    )]


def quiz_page(content: QuizContent, store: LearnerStore, learner: Learner, *,
              settings: Settings | None = None) -> QuizPage:
    """The clip (if any) behind a MediaGate, then the quiz and the live class board."""
    quiz = Quiz(content, store, learner, intro=content.media is None)
    [board] = quiz_boards(content, store, learner.class_code, learner=learner.learner)
    after = widgets.VBox([quiz, board], _dom_classes=("lk-quiz-after",))
    if content.media is None:
        return QuizPage([after], quiz=quiz, board=board)
    intro = widgets.HTML(f"<h1 class='lk-title'>{escape(content.title)}</h1>"
                         f"<div class='lk-instructions'>{markdown(content.instructions)}</div>")
    # Someone who has already submitted goes straight to the quiz; once it is done they may re-open the clip.
    gate = MediaGate(content.media, after, finished=quiz.attempts_used > 0, can_reopen=quiz.done)
    quiz.on_submit(lambda _view, _answers: setattr(gate, "can_reopen", quiz.done))
    return QuizPage([intro, gate], quiz=quiz, board=board, gate=gate)


class QuizPage(ActivityPage):
    """The quiz page: when a prebuilt page gets its learner, the clip (its `gate`) follows their quiz."""

    gate: MediaGate | None

    def __init__(self, parts: list[widgets.Widget], *, quiz: Quiz, board: ClassBoard,
                 gate: MediaGate | None = None) -> None:
        super().__init__(parts, feeds=[(quiz, board)], classes=("lk-quiz-page",))
        self._quiz = quiz
        self.gate = gate

    def bind_learner(self, _learner: Learner) -> None:
        # runs after the quiz inside has restored this learner's attempts (bind_learner binds children first)
        if self.gate is not None:
            self.gate.finished, self.gate.can_reopen = self._quiz.attempts_used > 0, self._quiz.done
