"""Errors a learner, trainer or educator may meet, each with a message that says what to do."""

from __future__ import annotations


class LessonkitError(Exception):
    """Base for lessonkit errors."""


class StoreUnavailable(LessonkitError):
    """The class store could not be reached or refused the write."""


class StoreNeedsUpgrade(StoreUnavailable):
    """The store was made by an earlier lessonkit and this process may not upgrade it (a learner's kernel)."""


class StoreTooNew(StoreUnavailable):
    """The store was made by a newer lessonkit than this one: nothing is read or written."""


class AnswerRejected(LessonkitError, ValueError):
    """A learner's answer failed kernel-side validation; the message is shown to the learner."""


class ActivityLocked(AnswerRejected):
    """The trainer has locked the activity: the store refuses learners' answers until it is unlocked."""

    def __init__(self, activity: str) -> None:
        self.activity = activity
        super().__init__("the trainer has closed this activity for now, so answers are not being taken. "
                         "Your answer is still here; it can be saved if the trainer opens the activity again")


class ContentError(LessonkitError, ValueError):
    """Activity content (YAML/CSV) is invalid; the message names file, line, field and expectation."""

    def __init__(self, file, field: str, expected: str, *, line: int | None = None, got: object = None,
                 detail: str | None = None) -> None:
        self.file = str(file)
        self.field = field
        self.expected = expected
        self.line = line
        self.got = got
        where = self.file if line is None else f"{self.file}:{line}"
        if detail is not None:
            msg = f"{where}: {field}: {detail}"
        else:
            msg = f"{where}: field '{field}': expected {expected}"
            if got is not None:
                msg += f", got {_describe(got)}"
        super().__init__(msg)


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


class FeedbackDataError(LessonkitError, ValueError):
    """A feedback survey file or its column mapping cannot be used; the message says which and why."""

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        self.problems = tuple(problems) or (message,)
        super().__init__(message)
