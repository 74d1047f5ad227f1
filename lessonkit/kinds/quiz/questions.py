"""The quiz's question types: one class each, registered under the `type:` a question gives in the YAML.

A type says everything that differs between questions: how its fields are checked when the YAML loads
(`check`), how an answer reads from a sample-class CSV cell (`from_text`), how a learner's answer is
checked in the kernel before it is stored (`accept`), whether a stored answer is right (`is_right`), how it
is said in words (`right_answer`), and its widgets on the page (`render`, `read`, `show`, `enter`,
`feedback`). Adding a type is one subclass here:

    @question_type("scale")
    class Scale(QuestionType):
        label = "scale"
        ...

The model's `type` field, the JSON Schema and `lessonkit new` take the registered names from QUESTION_TYPES
when the quiz's model is first imported, so a type is registered before that (every type in this file is).
Nothing here imports ipywidgets until a page renders a question, so loading content stays light.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from lessonkit.charts import and_list, plural
from lessonkit.errors import AnswerRejected
from lessonkit.scoring import normalise_text, parse_number

if TYPE_CHECKING:
    import ipywidgets as widgets

    from .model import QuizQuestion

__all__ = ["QUESTION_TYPES", "QUIZ_SEPARATOR", "QUIZ_TEXT_MAX", "NUMBER_MAX_CHARS", "Control", "QuestionType",
           "check_common", "question_type", "same_text", "type_help", "type_names"]

QUIZ_TEXT_MAX = 200           # longest short-text answer a learner may submit (and longest option)
QUIZ_SEPARATOR = "|"          # between ticked options in a sample-class CSV cell
NUMBER_MAX_CHARS = 40         # a typed number ('1,250.5 grams') never needs more

# fail(field, detail, *path) refuses the question's content (it raises ContentError), naming one of its fields
# ("" for the question as a whole) and, in a list field, the item's path.
Fail = Callable[..., None]
T = TypeVar("T", bound="type[QuestionType]")


def same_text(text: str) -> str:
    """How an answer is matched to an option's text in the YAML and in CSVs: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


@dataclass
class Control:
    """A question's widgets on the page: `box` goes on the page, `input` is what the learner answers in (the
    radio buttons, the text box, or the group of tick boxes) and `ticks` the tick boxes by option text."""

    box: widgets.Widget
    input: widgets.Widget
    ticks: dict[str, widgets.Checkbox] = field(default_factory=dict)

    @property
    def widgets(self) -> list[widgets.Widget]:
        """What the learner can change (disabled together once no attempts are left)."""
        return list(self.ticks.values()) or [self.input]


class QuestionType:
    """One type of quiz question. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str] = ""                   # the YAML's `type:` (set by @question_type)
    help: ClassVar[str] = ""                   # a few words on the type, in the `type` field's help
    label: ClassVar[str] = ""                  # in messages: "a {label} question"
    has_options: ClassVar[bool] = False        # answered by picking among `options` (at least 2)
    uses: ClassVar[frozenset[str]] = frozenset()   # which of the fields only some types take it uses
    wanted: ClassVar[str | None] = None        # what its `answer` is, in words (None: it has no `answer`)

    # ---- content: the YAML and sample CSVs
    def check(self, q: QuizQuestion, fail: Fail) -> QuizQuestion:
        """Checks of this type's own fields, after the common ones; returns q with answers in canonical form."""
        return q

    def from_text(self, q: QuizQuestion, value: str) -> Any:
        """A sample-class CSV cell (stripped, not empty) in stored form; ValueError saying what was expected."""
        raise NotImplementedError

    def right_answer(self, q: QuizQuestion) -> str:
        """The right answer in words, as revealed after the last attempt."""
        return q.answer or ""

    def right_value(self, q: QuizQuestion) -> Any:
        """The right answer as a learner gives it (for `Quiz.answer`): the tests' and benchmarks' learner."""
        return q.answer

    # ---- the learner's answer, in the kernel
    def accept(self, q: QuizQuestion, n: int, value: Any) -> Any:
        """A submitted answer to question number n checked and put in stored form; AnswerRejected says why not."""
        raise NotImplementedError

    def is_right(self, q: Any, answer: Any) -> bool:
        """Whether a stored answer (never None) is right; q is any object with the QuizQuestion fields."""
        raise NotImplementedError

    # ---- the page
    def render(self, q: QuizQuestion, on_change: Callable[[dict], None]) -> Control:
        """The question's widgets, each calling on_change when the learner changes the answer."""
        raise NotImplementedError

    def read(self, control: Control) -> Any:
        """The answer on screen, as submitted."""
        return control.input.value

    def enter(self, control: Control, value: Any) -> None:
        """Answer as the learner would (an option, a list of options to tick, or typed text)."""
        control.input.value = value

    def show(self, q: QuizQuestion, control: Control, value: Any) -> None:
        """Put a stored answer back on screen (anything else that is stored clears the input)."""
        raise NotImplementedError

    def feedback(self, q: QuizQuestion, answer: Any, right: bool, reveal: bool) -> list[str]:
        """This type's own feedback sentences (HTML, escaped) after a submission."""
        return []


QUESTION_TYPES: dict[str, QuestionType] = {}
_names_read = False


def type_names() -> tuple[str, ...]:
    """The registered types' names, in registration order, for the model's `type` field (read once)."""
    global _names_read
    _names_read = True
    return tuple(QUESTION_TYPES)


def question_type(name: str) -> Callable[[T], T]:
    """Register a QuestionType subclass under the `type:` name questions use."""

    def register(cls: T) -> T:
        if _names_read:   # the quiz's model has built its `type` field from the names already
            raise RuntimeError(f"question type {name!r} is registered after the quiz's model was imported; "
                               "register it first (import its module before loading any quiz)")
        cls.name = name
        QUESTION_TYPES[name] = cls()
        return cls

    return register


# The fields only some types take, checked (in this order) on a question of a type that does not use them.
ONLY_SOME: tuple[tuple[tuple[str, ...], str], ...] = (
    (("answers",), "only {types} questions list 'answers'; give the one right answer as 'answer'"),
    (("tolerance", "unit"), "'tolerance' and 'unit' are for {types} questions only"),
    (("accept",), "'accept' (other wordings) is for {types} questions only"),
)


def check_common(t: QuestionType, q: QuizQuestion, fail: Fail) -> None:
    """The checks every type shares: options where a type picks among them, no fields of other types."""
    if t.has_options and len(q.options) < 2:
        fail("options" if q.options else "", f"a {t.label} question needs at least 2 options, "
             f"has {len(q.options)}; add them under 'options' (each with text)")
    if not t.has_options and q.options:
        pickers = and_list([n for n, other in QUESTION_TYPES.items() if other.has_options], "or")
        fail("options", f"a {t.label} question has no options; remove 'options' or change its type to {pickers}")
    for names, message in ONLY_SOME:
        given = [n for n in names if getattr(q, n)]
        if given and names[0] not in t.uses:
            types = and_list([other.label for other in QUESTION_TYPES.values() if names[0] in other.uses], "or")
            fail(given[0], message.format(types=types))
    if t.wanted is not None and q.answer is None:
        fail("", f"a {q.type} question needs an 'answer': {t.wanted}")


# ---------------------------------------------------------------- picking options

class _Choice(QuestionType):
    has_options = True

    def feedback(self, q: QuizQuestion, answer: Any, right: bool, reveal: bool) -> list[str]:
        chosen = _chosen(answer)
        return [escape(o.feedback) for o in q.options if o.text in chosen and o.feedback]


def _chosen(answer: Any) -> list[str]:
    return [answer] if isinstance(answer, str) else list(answer or [])


def _texts(q: QuizQuestion) -> dict[str, str]:
    return {same_text(o.text): o.text for o in q.options}


def _listed(q: QuizQuestion) -> str:
    return ", ".join(repr(o.text) for o in q.options)


@question_type("single")
class Single(_Choice):
    """Pick one option (radio buttons)."""

    help = "pick one"
    label = "single-choice"
    wanted = "the text of the right option"

    def check(self, q: QuizQuestion, fail: Fail) -> QuizQuestion:
        texts = _texts(q)
        answer = q.answer or ""
        if same_text(answer) not in texts:
            fail("answer", f"the right answer {answer!r} is not among its options ({_listed(q)}); "
                           "expected the text of one of them")
        return dataclasses.replace(q, answer=texts[same_text(answer)])

    def from_text(self, q: QuizQuestion, value: str) -> Any:
        texts = _texts(q)
        if same_text(value) not in texts:
            raise ValueError("one of " + _listed(q))
        return texts[same_text(value)]

    def accept(self, q: QuizQuestion, n: int, value: Any) -> Any:
        if not isinstance(value, str) or value not in [o.text for o in q.options]:
            raise AnswerRejected(f"the answer to question {n} is not one of its options; pick one of them")
        return value

    def is_right(self, q: Any, answer: Any) -> bool:
        return isinstance(answer, str) and answer == q.answer

    def render(self, q: QuizQuestion, on_change: Callable[[dict], None]) -> Control:
        import ipywidgets as widgets

        radio = widgets.RadioButtons(options=[o.text for o in q.options], value=None,
                                     layout=widgets.Layout(width="auto"))
        radio.add_class("lk-quiz-options")
        radio.observe(on_change, names="value")
        return Control(radio, radio)

    def show(self, q: QuizQuestion, control: Control, value: Any) -> None:
        control.input.value = value if value in {o.text for o in q.options} else None


@question_type("multiple")
class Multiple(_Choice):
    """Tick all that apply (tick boxes); right when exactly the right options are ticked."""

    help = "tick all that apply"
    label = "multiple-choice"
    uses = frozenset({"answers"})

    def check(self, q: QuizQuestion, fail: Fail) -> QuizQuestion:
        if q.answer is not None:
            fail("answer", "a multiple-choice question lists its right options under 'answers' (a list), "
                           "not 'answer'")
        if not q.answers:
            fail("", "a multiple-choice question has no right option; list at least one option's text "
                     "under 'answers'")
        texts, canon = _texts(q), []
        for j, a in enumerate(q.answers):
            if same_text(a) not in texts:
                fail("answers", f"the right answer {a!r} is not among its options ({_listed(q)}); "
                                "expected the text of one of them", j)
            if texts[same_text(a)] in canon:
                fail("answers", f"{a!r} is listed twice under 'answers'", j)
            canon.append(texts[same_text(a)])
        return dataclasses.replace(q, answers=tuple(canon))

    def from_text(self, q: QuizQuestion, value: str) -> Any:
        texts = _texts(q)
        picked = [p for p in (s.strip() for s in value.split(QUIZ_SEPARATOR)) if p]
        if not picked or any(same_text(p) not in texts for p in picked):
            raise ValueError(f"options separated by '{QUIZ_SEPARATOR}', each one of " + _listed(q))
        chosen = {texts[same_text(p)] for p in picked}
        return [o.text for o in q.options if o.text in chosen]

    def right_answer(self, q: QuizQuestion) -> str:
        return "; ".join(q.answers)

    def right_value(self, q: QuizQuestion) -> Any:
        return list(q.answers)

    def accept(self, q: QuizQuestion, n: int, value: Any) -> Any:
        texts = [o.text for o in q.options]
        if (not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v in texts for v in value)
                or len(set(value)) != len(value)):
            raise AnswerRejected(f"an answer to question {n} is not one of its options; tick from the list")
        return [t for t in texts if t in value]

    def is_right(self, q: Any, answer: Any) -> bool:
        return (isinstance(answer, (list, tuple)) and all(isinstance(a, str) for a in answer)
                and len(set(answer)) == len(answer) and set(answer) == set(q.answers))

    def render(self, q: QuizQuestion, on_change: Callable[[dict], None]) -> Control:
        import ipywidgets as widgets

        ticks = {}
        for o in q.options:
            box = widgets.Checkbox(value=False, description=o.text, indent=False, layout=widgets.Layout(width="auto"))
            box.observe(on_change, names="value")
            ticks[o.text] = box
        group = widgets.VBox(list(ticks.values()), _dom_classes=("lk-quiz-options", "lk-quiz-ticks"))
        return Control(group, group, ticks)

    def read(self, control: Control) -> Any:
        return [text for text, box in control.ticks.items() if box.value]

    def enter(self, control: Control, value: Any) -> None:
        for text, box in control.ticks.items():
            box.value = text in value

    def show(self, q: QuizQuestion, control: Control, value: Any) -> None:
        self.enter(control, set(value) if isinstance(value, list) else set())

    def feedback(self, q: QuizQuestion, answer: Any, right: bool, reveal: bool) -> list[str]:
        said = super().feedback(q, answer, right, reveal)
        if not right and not reveal:
            chosen = _chosen(answer)
            hits = len(set(chosen) & set(q.answers))
            extra = len(set(chosen) - set(q.answers))
            tally = f"You ticked {hits} of the {len(q.answers)} right options"
            if extra:
                tally += f" and {plural(extra, 'option')} that {'is' if extra == 1 else 'are'} not right"
            said.append(tally + ".")
        return said


# ---------------------------------------------------------------- typing the answer

class _Typed(QuestionType):
    placeholder: ClassVar[str] = "Type your answer"

    def accept(self, q: QuizQuestion, n: int, value: Any) -> Any:
        if not isinstance(value, str):
            raise AnswerRejected(f"the answer to question {n} must be typed in the box")
        return self.typed(q, n, value.strip())

    def typed(self, q: QuizQuestion, n: int, value: str) -> Any:
        """A typed answer (stripped) checked and put in stored form."""
        raise NotImplementedError

    def render(self, q: QuizQuestion, on_change: Callable[[dict], None]) -> Control:
        import ipywidgets as widgets

        text = widgets.Text(value="", placeholder=self.placeholder, layout=widgets.Layout(width="auto"))
        text.add_class("lk-quiz-input")
        text.observe(on_change, names="value")
        return Control(text, text)


@question_type("numeric")
class Numeric(_Typed):
    """A number, right within `tolerance` of the answer; typed with or without its unit ('170 °C')."""

    label = "numeric"
    uses = frozenset({"tolerance", "unit"})
    wanted = "the right number"
    placeholder = "Type a number"

    def check(self, q: QuizQuestion, fail: Fail) -> QuizQuestion:
        if parse_number(q.answer) is None:
            fail("answer", f"the answer {q.answer!r} is not a number; expected a number such as 170 or 2.5")
        return q

    def from_text(self, q: QuizQuestion, value: str) -> Any:
        number = parse_number(value)
        if number is None:
            raise ValueError("a number")
        return int(number) if number.is_integer() else number

    def right_answer(self, q: QuizQuestion) -> str:
        text = q.answer or ""
        if q.tolerance:
            text += f" (give or take {q.tolerance:g})"
        if q.unit:
            text += f" {q.unit}"
        return text

    def typed(self, q: QuizQuestion, n: int, value: str) -> Any:
        number = parse_number(value) if len(value) <= NUMBER_MAX_CHARS else None
        if number is None:
            raise AnswerRejected(f"question {n} needs a number, like 12 or 2.5")
        return int(number) if number.is_integer() else number

    def is_right(self, q: Any, answer: Any) -> bool:
        got, want = parse_number(answer), parse_number(q.answer)
        return got is not None and want is not None and abs(got - want) <= q.tolerance + 1e-9 * max(1, abs(want))

    def render(self, q: QuizQuestion, on_change: Callable[[dict], None]) -> Control:
        control = super().render(q, on_change)
        if q.unit:
            import ipywidgets as widgets

            unit = widgets.HTML(f"<span class='lk-quiz-unit'>{escape(q.unit)}</span>")
            control.box = widgets.HBox([control.input, unit], _dom_classes=("lk-quiz-answer-row",))
        return control

    def show(self, q: QuizQuestion, control: Control, value: Any) -> None:
        number = parse_number(value)
        control.input.value = "" if number is None else f"{number:g}"


@question_type("text")
class Text(_Typed):
    """A few words, right when they match the answer or one of `accept` (case, spaces, end punctuation aside)."""

    label = "text"
    uses = frozenset({"accept"})
    wanted = "the right words"

    def from_text(self, q: QuizQuestion, value: str) -> Any:
        if len(value) > QUIZ_TEXT_MAX:
            raise ValueError(f"text of at most {QUIZ_TEXT_MAX} characters")
        return value

    def typed(self, q: QuizQuestion, n: int, value: str) -> Any:
        if len(value) > QUIZ_TEXT_MAX:
            raise AnswerRejected(f"the answer to question {n} is {len(value)} characters long; "
                                 f"keep it to {QUIZ_TEXT_MAX} or fewer")
        return value

    def is_right(self, q: Any, answer: Any) -> bool:
        accepted = {normalise_text(a) for a in (q.answer, *q.accept) if a}
        return isinstance(answer, str) and normalise_text(answer) in accepted

    def show(self, q: QuizQuestion, control: Control, value: Any) -> None:
        control.input.value = value if isinstance(value, str) else ""


def type_help(types: Sequence[QuestionType]) -> str:
    """The `type` field's help: every type's name, with its few words where it has them."""
    return and_list([f"{t.name} ({t.help})" if t.help else t.name for t in types], "or")
