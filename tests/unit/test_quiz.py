"""The Quiz: scoring (pure), content checks (`lessonkit check`), the widget, the board and the page."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets import TraitError

from lessonkit import AnswerRejected, ContentError
from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.quiz.board import quiz_board
from lessonkit.kinds.quiz.model import Quiz as QuizContent
from lessonkit.kinds.quiz.questions import QUESTION_TYPES, QuestionType, question_type
from lessonkit.kinds.quiz.scoring import (
    hardest_questions,
    median_score,
    question_shares,
    quiz_score,
    score_distribution,
    score_question,
)
from lessonkit.kinds.quiz.view import Quiz, quiz_page
from lessonkit.scoring import normalise_text, parse_number
from lessonkit.store import ResponseStore
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, me, session_env

YAML = ROOT / "data" / "activities" / "listening-quiz.yaml"
GOOD = YAML.read_text()
ACTIVITY = "listening-quiz"

# What the learner types or picks, question by question: 8 of 10 right (3 and 6 are wrong).
EIGHT_RIGHT = {
    "oven-temp": "170 °C",
    "base-biscuits": "  Chocolate   BISCUITS. ",
    "filling-chocolates": ["Dark chocolate", "White chocolate"],
    "melt-method": "In a heatproof bowl over barely simmering water",
    "eggs": "3",
    "last-in": "The melted chocolate",
    "bake-time": "38",
    "done-test": "The edges are set but the centre still wobbles slightly",
    "topping-cream": "thickened",
    "serving-tips": ["Take it out of the fridge about 20 minutes before serving",
                     "Cut it with a knife dipped in hot water and wiped dry", "Serve fresh raspberries on the side"],
}


@pytest.fixture
def quiz_content() -> QuizContent:
    return load(YAML)


def fill(quiz: Quiz, answers: dict) -> None:
    """Set the real widgets, as clicks and typing in the browser do."""
    for qid, value in answers.items():
        if isinstance(value, list):
            for text, box in quiz.ticks[qid].items():
                box.value = text in value
        else:
            quiz.inputs[qid].value = value


def stored(store, who="teal-wombat-42"):
    return store.answers_for("LIB3", ACTIVITY, who)


# ---------------------------------------------------------------- pure scoring

def q(**fields):
    base = dict(id="q", type="single", options=(), answer=None, answers=(), tolerance=0.0, accept=())
    return SimpleNamespace(**{**base, **fields})


def test_parse_number_accepts_what_people_type_and_nothing_else():
    assert parse_number("170") == 170 and parse_number(" 170 °C ") == 170 and parse_number("2.5 cups") == 2.5
    assert parse_number("1,000") == 1000 and parse_number("-3") == -3 and parse_number(35) == 35
    for bad in ("", "about 170", "170-180", "1,5", "1e3", "three", None, True, float("nan"), "9" * 41):
        assert parse_number(bad) is None, bad


def test_score_question_for_each_type():
    single = q(type="single", answer="B")
    assert score_question(single, "B") and not score_question(single, "b") and not score_question(single, None)
    multi = q(type="multiple", answers=("A", "C"))
    assert score_question(multi, ["C", "A"]) and not score_question(multi, ["A"])
    assert not score_question(multi, ["A", "C", "D"]) and not score_question(multi, ["A", "A", "C"])
    assert not score_question(multi, "A, C")
    num = q(type="numeric", answer="35", tolerance=5)
    assert score_question(num, 30) and score_question(num, "40 minutes") and not score_question(num, 41)
    assert not score_question(q(type="numeric", answer="0.3"), 0.1 + 0.2 + 0.001)
    assert score_question(q(type="numeric", answer="0.3"), 0.1 + 0.2)          # float noise is not an error
    text = q(type="text", answer="thickened cream", accept=("thickened",))
    assert score_question(text, "  Thickened   Cream! ") and score_question(text, "THICKENED")
    assert not score_question(text, "cream") and not score_question(text, 42)
    assert normalise_text(" White  Chocolate. ") == "whitechocolate"


def test_quiz_score_distribution_median_and_hardest():
    qs = [q(id="a", type="single", answer="x"), q(id="b", type="numeric", answer="3"),
          q(id="c", type="text", answer="yes")]
    s = quiz_score(qs, {"a": "x", "b": 4})
    assert (s.right, s.total, str(s)) == (1, 3, "1 of 3 right") and s.is_right("a") and not s.is_right("b")
    assert score_distribution([0, 3, 3, 2, 9], 3) == [1, 0, 1, 3]
    assert median_score([1, 3, 2, 2]) == 2 and median_score([1, 2]) == 1.5 and median_score([]) is None
    answers = {"ann": {"a": "x", "b": 3, "c": "no"}, "bo": {"a": "x", "b": 2, "c": "no"},
               "cy": {"a": "y", "b": 3, "c": "yes"}, "idle": {"attempts": 1}}
    assert question_shares(qs, answers) == [("a", 2, 3), ("b", 2, 3), ("c", 1, 3)]   # 'idle' took no quiz
    assert hardest_questions(qs, answers) == (("c",), pytest.approx(1 / 3))
    assert hardest_questions(qs, {}) == ((), 1.0)


# ---------------------------------------------------------------- the board (pure HTML)

def test_board_shows_distribution_hardest_question_and_you_vs_median(quiz_content):
    qs = quiz_content.questions
    right = {x.id: x.answer if x.type != "multiple" else list(x.answers) for x in qs}
    wrong_last = {**right, "last-in": "Brown sugar"}
    answers = {"me": {**right}, "bo": wrong_last, "cy": {**wrong_last, "eggs": 2}}
    html = quiz_board(qs, answers, "me", names={"me": "Sam", "bo": HOSTILE, "cy": "Cy"})
    assert "3 people have taken the quiz. Median score: <strong>9 of 10</strong>." in html
    assert "you got 10 of 10; the median is 9 of 10, so you are above the median." in html
    assert "only 1 of 3 (33%) got question 6 right: <q>What is the last thing folded into the filling?</q>" in html
    row_10 = html.split('lk-quiz-dist-label">10 right')[1].split("</div>")[0]
    assert "lk-quiz-dist-count\">1 (you)" in row_10                          # my row, marked in words
    assert "width:100%" in html.split('lk-quiz-dist-label">9 right')[1].split("</div>")[0]   # 1 person, the most
    assert "width:0%" in html.split('lk-quiz-dist-label">7 right')[1].split("</div>")[0]     # nobody
    assert HOSTILE_ESCAPED in html and "<img" not in html
    low = quiz_board(qs, answers, "cy")
    assert "so you are below the median" in low


def test_board_names_hardest_questions_in_plain_words_and_counts_each_question(quiz_content):
    qs = quiz_content.questions
    right = {x.id: x.answer if x.type != "multiple" else list(x.answers) for x in qs}
    prompt = {x.id: x.prompt for x in qs}
    # Nobody got questions 1, 9 and 10 right (a tie of three): one sentence, the list joined with commas and "and".
    missed = [qs[0].id, qs[8].id, qs[9].id]
    answers = {who: {**right, **{m: "not this" for m in missed}} for who in ("ann", "bo")}
    html = quiz_board(qs, answers, "ann")
    hardest = html.split('<p class="lk-quiz-hardest">')[1].split("</p>")[0]
    assert hardest.startswith("<strong>Hardest questions:</strong> nobody got questions 1, 9 and 10 right: ")
    assert "0%" not in hardest and " and 9 and " not in hardest
    quoted = [f"<q>{prompt[m]}</q>" for m in missed]
    assert hardest.index(quoted[0]) < hardest.index(quoted[1]) < hardest.index(quoted[2])
    assert hardest.count("<q>") == 3 and hardest.count(", <q>") == 1 and hardest.count(" and <q>") == 1
    # A tie that some got right: "each of", with the count.
    some = {"cy": {**right}, "di": {**right, qs[1].id: "no", qs[2].id: "no"},
            "ed": {**right, qs[1].id: "no", qs[2].id: "no"}}
    tie = quiz_board(qs, some, "cy").split('<p class="lk-quiz-hardest">')[1].split("</p>")[0]
    assert tie.startswith("<strong>Hardest questions:</strong> only 1 of 3 (33%) got each of questions 2 and 3 right")
    # Question by question: the count beside the percentage.
    each = quiz_board(qs, some, "cy").split("Right answers, question by question")[1]
    assert "2. " in each and "(1 of 3 right)" in each and "(3 of 3 right)" in each
    assert each.count("of 3 right)") == len(qs) and ">33%</span>" in each and ">100%</span>" in each


def test_trainer_board_speaks_to_the_trainer(quiz_content):
    qs = quiz_content.questions
    right = {x.id: x.answer if x.type != "multiple" else list(x.answers) for x in qs}
    html = quiz_board(qs, {"ann": right, "bo": {**right, "eggs": "2"}}, None)   # you=None: the trainer's board
    assert "each learner also sees their score beside the median" in html
    for learner_words in ("Submit your", "you compare", "You vs", "(you)"):
        assert learner_words not in html


def test_board_with_sample_is_labelled_and_empty_board_says_so(quiz_content):
    qs = quiz_content.questions
    sample = {f"sample-{i}": {k: v for k, v in r.items() if k != "learner"}
              for i, r in enumerate(quiz_content.sample_class.rows)}
    html = quiz_board(qs, sample, "me", sample_label="Sample class (synthetic)")
    assert 'class="lk-sample"' in html and f"The sample has {len(sample)} results." in html
    assert "Submit your answers to see how you compare with the sample." in html
    assert "No results yet" in quiz_board(qs, {}, "me")


def test_shipped_sample_class_is_synthetic_and_scored(quiz_content):
    sample = quiz_content.sample_class
    assert "synthetic" in sample.label.lower() and len(sample.rows) >= 12
    assert sample.rows[0]["filling-chocolates"] == ["Dark chocolate", "Milk chocolate"]   # '|' list, option order
    scores = {quiz_score(quiz_content.questions, r).right for r in sample.rows}
    assert len(scores) >= 4                                                   # a spread, not one score


# ---------------------------------------------------------------- content checks

def write(tmp_path: Path, text: str, name: str = "listening-quiz.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_shipped_quiz_loads_typed(quiz_content):
    c = quiz_content
    assert isinstance(c, QuizContent) and c.kind == "quiz" and c.number == 4 and c.notebook == "04-listening-quiz.ipynb"
    assert c.seed_section == "Class Activity 2: Triple choc mud pie" and c.max_attempts == 2 and c.reveal_answers
    assert 8 <= len(c.questions) <= 10 and {x.type for x in c.questions} == {"single", "multiple", "numeric", "text"}
    assert c.media is not None and c.media.url is None and "170 degrees Celsius" in c.media.transcript
    assert all(x.explanation for x in c.questions)


def test_check_refuses_a_right_answer_that_is_not_an_option(tmp_path, capsys):
    text = variant('answer: "In a heatproof bowl over barely simmering water"', 'answer: "In a double boiler"')
    bad = write(tmp_path, text)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line_of(text, 'In a double boiler')}:" in out                    # file and line
    assert "questions[3].answer" in out and "question 'melt-method'" in out           # the question, by id
    assert "'In a double boiler' is not among its options" in out                    # the reason


@pytest.mark.parametrize("old, new, needle, message", [
    ("  - id: eggs\n", "  - id: oven-temp   # twice\n", "# twice", "appears twice"),
    ('    answers: ["Dark chocolate", "Milk chocolate"]\n', "", "id: filling-chocolates",
     "question 'filling-chocolates': a multiple-choice question has no right option"),
    ("    answer: 3\n", "", "id: eggs", "question 'eggs': a numeric question needs an 'answer'"),
    ("    answer: 35\n", "    answer: about 35\n", "answer: about 35", "'about 35' is not a number"),
    ('answers: ["Dark chocolate", "Milk chocolate"]', 'answers: ["Dark chocolate", "Mint chocolate"]',
     "Mint chocolate", "'Mint chocolate' is not among its options"),
    ("  - id: eggs\n", "  - id: attempts\n", "id: attempts", "used by the quiz itself"),
    ("    unit: \"eggs\"\n", "    unit: \"eggs\"\n    options: [{text: three}, {text: four}]\n", "text: three",
     "a numeric question has no options"),
    ('    answer: "thickened cream"\n', '    answer: "thickened cream"\n    tolerance: 2\n', "tolerance: 2",
     "'tolerance' and 'unit' are for numeric questions only"),
    ("attempts: 2\n", "attempts: lots\n", "attempts: lots", "a whole number from 1 to 99, or 'unlimited'"),
    ("    type: numeric\n    prompt: \"How many eggs", "    type: essay\n    prompt: \"How many eggs", "type: essay",
     "one of 'single', 'multiple', 'numeric', 'text'"),
])
def test_check_refuses_broken_questions_naming_file_line_and_question(tmp_path, capsys, old, new, needle, message):
    text = variant(old, new)
    bad = write(tmp_path, text)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert message in out
    assert f"{bad}:{line_of(text, needle)}:" in out


def test_single_choice_with_one_option_and_answer_spelling_is_tolerant(tmp_path):
    text = variant('answer: "Plain flour and a pinch of salt"', 'answer: "plain flour and a  pinch of salt"')
    assert load(write(tmp_path, text)).question("last-in").answer == "Plain flour and a pinch of salt"
    one = textwrap.dedent("""\
        kind: quiz
        number: 4
        title: T
        notebook: 04-x.ipynb
        seed_section: S
        minutes: 5
        outcomes: ["3.4"]
        objectives: [O]
        instructions: I
        questions:
          - id: only
            type: single
            prompt: P?
            options: [{text: Sure}]
            answer: Sure
        """)
    with pytest.raises(ContentError, match="needs at least 2 options, has 1") as err:
        load(write(tmp_path, one, "one.yaml"))
    assert err.value.line == line_of(one, "options:")
    with pytest.raises(ContentError, match="missing or empty; expected a list of at least one question"):
        load(write(tmp_path, one.split("questions:")[0], "none.yaml"))


def test_sample_csv_with_an_unknown_option_names_csv_row_and_question(tmp_path):
    csv = tmp_path / "sample.csv"
    rows = (ROOT / "data" / "samples" / "listening-quiz-sample-class.csv").read_text().splitlines()
    rows[3] = rows[3].replace("In a heatproof bowl over barely simmering water", "In a slow cooker", 1)
    csv.write_text("\n".join(rows) + "\n")
    p = write(tmp_path, variant("file: samples/listening-quiz-sample-class.csv", f"file: {csv}"))
    with pytest.raises(ContentError) as err:
        load(p)
    assert str(csv) in str(err.value) and err.value.line == 4 and err.value.field == "melt-method"
    assert "In a slow cooker" in str(err.value)


def test_media_url_must_be_youtube_or_a_local_file(tmp_path):
    text = variant("  # url: https://www.youtube.com/watch?v=XXXXXXXXXXX", "  url: https://evil.example/clip.mp4")
    with pytest.raises(ContentError, match="a YouTube link") as err:
        load(write(tmp_path, text))
    assert err.value.field == "media.url"


# ---------------------------------------------------------------- the widget

def test_submit_scores_shows_feedback_and_stores_one_item_per_question(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    assert quiz.score_line.value == "" and quiz.attempts_used == 0
    assert "You have 2 attempts. After the last one, the right answers are shown." in quiz.body.children[0].value
    fill(quiz, EIGHT_RIGHT)
    quiz.submit_button.click()
    assert quiz.status.startswith("Saved at") and quiz.status.endswith(
        "8 of 10 right. You have 1 attempt left: change your answers and submit again.")
    assert "<strong>8 of 10 right</strong>" in quiz.score_line.value and "attempt 1 of 2" in quiz.score_line.value
    fb = {k: w.value for k, w in quiz.feedback.items()}
    assert "lk-quiz-right" in fb["oven-temp"] and "\u2713 Right." in fb["oven-temp"]
    assert "The presenter said <strong>170 °C</strong>" in fb["oven-temp"]            # explanation once right
    assert "lk-quiz-wrong" in fb["filling-chocolates"]
    assert "it goes on top, not in the filling" in fb["filling-chocolates"]          # the option's own feedback
    assert "You ticked 1 of the 2 right options and 1 option that is not right." in fb["filling-chocolates"]
    assert "The chocolate goes in before the last step." in fb["last-in"]
    assert "The answer:" not in fb["last-in"] and "Plain flour" not in fb["last-in"]  # not revealed yet
    assert "anything from 30 to 40 minutes counts" in fb["bake-time"]                 # feedback_right
    saved = stored(store)
    assert saved["attempts"] == 1 and saved["oven-temp"] == 170 and saved["bake-time"] == 38
    assert saved["base-biscuits"] == "Chocolate   BISCUITS." and saved["last-in"] == "The melted chocolate"
    assert saved["filling-chocolates"] == ["Dark chocolate", "White chocolate"]
    assert set(saved) == {x.id for x in quiz_content.questions} | {"attempts"}


def test_unanswered_questions_are_not_saved_and_answers_stay(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    quiz.submit_button.click()
    assert quiz.status == "Not saved: answer the questions first"
    fill(quiz, {k: v for k, v in EIGHT_RIGHT.items() if k not in ("base-biscuits", "serving-tips")})
    quiz.inputs["topping-cream"].value = "   "
    quiz.submit_button.click()
    assert quiz.status == "Not saved: answer questions 2, 9 and 10 first"
    assert "lk-error" in quiz._status_line.value and 'role="alert"' in quiz._status_line.value
    assert quiz.inputs["oven-temp"].value == "170 °C" and quiz.ticks["filling-chocolates"]["Dark chocolate"].value
    assert stored(store) == {} and quiz.attempts_used == 0


def test_not_a_number_and_too_long_text_are_refused(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    fill(quiz, {**EIGHT_RIGHT, "eggs": "a few"})
    quiz.submit_button.click()
    assert quiz.status == "Not saved: question 5 needs a number, like 12 or 2.5"
    fill(quiz, {**EIGHT_RIGHT, "topping-cream": "x" * 201})
    quiz.submit_button.click()
    assert quiz.status == ("Not saved: the answer to question 9 is 201 characters long; keep it to 200 or fewer")
    assert stored(store) == {}
    fill(quiz, {**EIGHT_RIGHT, "topping-cream": "y" * 200})
    assert quiz.submit() is True


def test_forged_values_are_refused_in_the_kernel(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    with pytest.raises(TraitError):
        quiz.inputs["last-in"].value = "<b>Cocoa nibs</b>"                 # the widget itself refuses it
    forged = dict(EIGHT_RIGHT, **{"last-in": "<b>Cocoa nibs</b>"})
    with pytest.raises(AnswerRejected, match="not one of its options"):
        quiz._validate(forged)
    with pytest.raises(AnswerRejected, match="question 3 is not one of its options"):
        quiz._validate(dict(EIGHT_RIGHT, **{"filling-chocolates": ["Dark chocolate", "Carob"]}))
    with pytest.raises(AnswerRejected, match="question 3 is not one of its options"):
        quiz._validate(dict(EIGHT_RIGHT, **{"filling-chocolates": ["Dark chocolate", "Dark chocolate"]}))
    with pytest.raises(AnswerRejected, match="does not belong to this quiz"):
        quiz._validate(dict(EIGHT_RIGHT, attempts=0))                          # a forged attempt count
    quiz._collect = lambda: forged                                             # as if the browser forged state
    assert quiz.submit() is False and quiz.status.startswith("Not saved: the answer to question 6 is not one")
    assert stored(store) == {}


def test_last_attempt_reveals_answers_and_locks_the_quiz(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    fill(quiz, EIGHT_RIGHT)
    quiz.submit_button.click()
    assert not quiz.done and not quiz.submit_button.disabled
    quiz.submit_button.click()                                                # same answers, second attempt
    assert quiz.status.endswith("8 of 10 right. That was your last attempt: the right answers are shown under "
                                "each question.")
    assert quiz.done and quiz.attempts_left == 0 and "attempt 2 of 2" in quiz.score_line.value
    assert quiz.submit_button.disabled and quiz.inputs["eggs"].disabled and quiz.inputs["last-in"].disabled
    assert all(box.disabled for box in quiz.ticks["serving-tips"].values())
    last_in = quiz.feedback["last-in"].value
    assert "<strong>The answer:</strong> Plain flour and a pinch of salt" in last_in
    assert "<strong>last of all</strong>" in last_in                           # the explanation, too
    assert "The answer:</strong> Dark chocolate; Milk chocolate" in quiz.feedback["filling-chocolates"].value
    assert "The answer:" not in quiz.feedback["eggs"].value                    # right answers are not "revealed"
    assert stored(store)["attempts"] == 2


def test_a_forged_click_after_the_last_attempt_saves_nothing(quiz_content, store):
    quiz = Quiz(quiz_content, store, me())
    fill(quiz, EIGHT_RIGHT)
    quiz.submit()
    quiz.submit()
    history = len(store.history("LIB3", ACTIVITY))
    # A forged browser re-enables the inputs and the button, changes an answer and clicks.
    quiz.submit_button.disabled = False
    quiz.inputs["last-in"].disabled = False
    quiz.inputs["last-in"].value = "Plain flour and a pinch of salt"
    quiz.submit_button._handle_button_msg(None, {"event": "click"}, [])       # the comm message a click sends
    assert quiz.status == "Not saved: no attempts left (2 attempts used). Your last answers and score stand."
    assert len(store.history("LIB3", ACTIVITY)) == history and stored(store)["last-in"] == "The melted chocolate"
    assert quiz.inputs["last-in"].value == "The melted chocolate"              # the screen shows what counts
    assert quiz.submit_button.disabled and quiz.inputs["last-in"].disabled
    assert "8 of 10 right" in quiz.score_line.value


def test_attempts_are_counted_in_the_store_not_the_tab(quiz_content, store):
    tab_a = Quiz(quiz_content, store, me())
    tab_b = Quiz(quiz_content, store, me())                               # same learner, second tab
    fill(tab_a, EIGHT_RIGHT)
    fill(tab_b, EIGHT_RIGHT)
    assert tab_a.submit() and tab_a.submit()
    assert not tab_b.submit_button.disabled                                    # tab B does not know yet ...
    tab_b.submit_button.click()
    assert tab_b.status.startswith("Not saved: no attempts left")             # ... but the kernel checks the store
    assert tab_b.submit_button.disabled and stored(store)["attempts"] == 2


def test_reload_restores_answers_feedback_and_attempts(quiz_content, store):
    first = Quiz(quiz_content, store, me())
    fill(first, EIGHT_RIGHT)
    first.submit()
    again = Quiz(quiz_content, store, me())                               # the learner reloads the page
    assert again.inputs["oven-temp"].value == "170" and again.inputs["last-in"].value == "The melted chocolate"
    assert again.ticks["filling-chocolates"]["White chocolate"].value is True
    assert again.inputs["base-biscuits"].value == "Chocolate   BISCUITS."
    assert again.status == ("Your earlier answers and their feedback are back. 8 of 10 right. "
                            "You have 1 attempt left: change your answers and submit again.")
    assert again.feedback["last-in"].value == first.feedback["last-in"].value
    assert again.attempts_used == 1 and again.score.right == 8 and not again.submit_button.disabled
    # Changing an answer clears that question's feedback and says the change is not saved yet.
    again.inputs["last-in"].value = "Plain flour and a pinch of salt"
    assert again.feedback["last-in"].value == "" and again.feedback["eggs"].value != ""
    assert again.status == "Changed: press Submit to check your answers again (1 attempt left)."
    again.submit_button.click()
    assert again.status.endswith("9 of 10 right. That was your last attempt: the right answers are shown under "
                                 "each question.")
    locked = Quiz(quiz_content, store, me())
    assert locked.submit_button.disabled and "last attempt" in locked.status


def test_unlimited_attempts_without_revealing_answers(tmp_path, store):
    text = variant("attempts: 2\nreveal_answers: true\n", "attempts: unlimited\nreveal_answers: false\n")
    content = load(write(tmp_path, text))
    quiz = Quiz(content, store, me())
    assert "Submit as often as you like" in quiz.body.children[0].value
    fill(quiz, EIGHT_RIGHT)
    for _ in range(1, 5):
        assert quiz.submit() is True
        assert quiz.status.endswith("8 of 10 right. Change any answer and submit again as often as you like.")
    assert stored(store)["attempts"] == 4 and not quiz.submit_button.disabled
    assert all("The answer:" not in w.value for w in quiz.feedback.values())
    assert "Plain flour" not in quiz.feedback["last-in"].value                # explanation only once right
    quiz.answer("last-in", "Plain flour and a pinch of salt")                 # the programmatic way
    quiz.answer("filling-chocolates", ["Dark chocolate", "Milk chocolate"])
    assert quiz.inputs["last-in"].value == "Plain flour and a pinch of salt"
    assert not quiz.ticks["filling-chocolates"]["White chocolate"].value
    quiz.submit()
    assert quiz.status.endswith("All 10 right: well done!") and quiz.done


def test_store_down_says_not_saved_and_keeps_answers(quiz_content, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    quiz = Quiz(quiz_content, ResponseStore(f"sqlite:///{blocker}/sub/r.db"), me())
    fill(quiz, EIGHT_RIGHT)
    quiz.submit_button.click()
    assert quiz.status.startswith("Not saved:") and "press Submit again" in quiz.status
    assert quiz.inputs["eggs"].value == "3" and quiz.attempts_used == 0 and quiz.score_line.value == ""


# ---------------------------------------------------------------- the page: MediaGate -> Quiz -> ClassBoard

def test_page_hides_the_quiz_until_finished_then_hides_the_recipe(quiz_content, store):
    box = quiz_page(quiz_content, store, me())
    board = find(box, ClassBoard).assert_single()
    board.stop()
    gate, quiz = box.gate, find(box, Quiz).assert_single()
    assert "Triple choc mud pie" in box.children[0].value and "listen for detail" in box.children[0].value
    assert quiz._title not in quiz.children                                     # shown once, above the clip
    assert gate.next_widget.layout.display == "none" and gate.clip.layout.display is None
    assert "170 degrees Celsius" in gate.text_html and gate.player_html == ""   # no URL: the script only
    gate.finished_button.click()
    assert gate.clip.layout.display == "none" and gate.next_widget.layout.display is None
    assert gate.reopen_button.layout.display == "none"                         # no peeking while answering
    assert gate.reopen() is False and gate.clip.layout.display == "none"
    assert "Sample class (synthetic" in board.html and board.learners == 0
    fill(quiz, EIGHT_RIGHT)
    quiz.submit_button.click()
    assert "The sample has 18 results, plus yours." in board.html
    assert "You vs the sample:</strong> you got 8 of 10" in board.html
    other = Quiz(quiz_content, store, me("amber-quokka-17"))
    store.set_display_name("LIB3", "amber-quokka-17", HOSTILE)
    fill(other, {**EIGHT_RIGHT, "eggs": "2"})
    other.submit()
    assert board.refresh() is True and board.learners == 2
    assert "2 people have taken the quiz. Median score: <strong>7.5 of 10</strong>." in board.html
    assert "so you are above the median" in board.html and "Sample class" not in board.html
    assert "<strong>Hardest questions:</strong> nobody got questions 3 and 6 right: <q>" in board.html
    assert HOSTILE_ESCAPED in board.html and HOSTILE not in board.html
    quiz.submit()                                                               # the last attempt: done
    assert quiz.done and gate.can_reopen and gate.reopen_button.layout.display is None
    assert gate.reopen() is True and gate.next_widget.layout.display == "none" and gate.clip.layout.display is None


def test_page_for_a_learner_who_submitted_opens_on_the_quiz(quiz_content, store):
    first = quiz_page(quiz_content, store, me())
    find(first, ClassBoard).assert_single().stop()
    fill(find(first, Quiz).assert_single(), EIGHT_RIGHT)
    find(first, Quiz).assert_single().submit()
    again = quiz_page(quiz_content, store, me())
    find(again, ClassBoard).assert_single().stop()
    assert again.gate.finished and again.gate.next_widget.layout.display is None
    assert again.gate.clip.layout.display == "none" and not again.gate.can_reopen   # one attempt left
    assert "8 of 10 right" in find(again, Quiz).assert_single().score_line.value


def test_quiz_without_media_shows_its_own_title(tmp_path, store):
    start = GOOD.index("media:")
    text = GOOD[:start] + GOOD[GOOD.index("questions_intro:"):]
    box = quiz_page(load(write(tmp_path, text)), store, me())
    find(box, ClassBoard).assert_single().stop()
    quiz = find(box, Quiz).assert_single()
    assert box.gate is None and quiz._title in quiz.children


def test_quiz_page_keeps_the_student_kernel_light(tmp_path):
    script = textwrap.dedent("""
        import os, sys
        os.environ.update(SERVER_SOFTWARE="voila/0.5", VOILA_PREHEAT="False")
        import lessonkit as lk
        from lessonkit.components.board import ClassBoard
        from lessonkit.components.page import find
        from lessonkit.kinds.quiz.view import Quiz
        page = lk.activity("listening-quiz")
        find(page.content_widget, ClassBoard).assert_single().stop()
        assert type(find(page.content_widget, Quiz).assert_single()).__name__ == "Quiz"
        heavy = sorted(m for m in ("voila", "pandas", "plotly", "numpy", "jupyter_server") if m in sys.modules)
        print(",".join(heavy) or "none")
    """)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    env = {"LESSONKIT_DB": db, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **session_env(db)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"


# ---------------------------------------------------------------- a question type is one class

TOY_TYPE = r'''
import sys
from lessonkit.kinds.quiz import questions as qs


@qs.question_type("yes-no")
class YesNo(qs.QuestionType):
    """Yes or No, answered with two toggle buttons."""

    help = "yes or no"
    label = "yes-or-no"
    wanted = "Yes or No"

    def check(self, q, fail):
        if q.answer not in ("Yes", "No"):
            fail("answer", f"the answer {q.answer!r} is not Yes or No")
        return q

    def from_text(self, q, value):
        return value.capitalize()

    def accept(self, q, n, value):
        if value not in ("Yes", "No"):
            raise qs.AnswerRejected(f"question {n} needs Yes or No")
        return value

    def is_right(self, q, answer):
        return answer == q.answer

    def render(self, q, on_change):
        import ipywidgets as widgets

        buttons = widgets.ToggleButtons(options=["Yes", "No"], value=None)
        buttons.observe(on_change, names="value")
        return qs.Control(buttons, buttons)

    def show(self, q, control, value):
        control.input.value = value if value in ("Yes", "No") else None


from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.identity import Learner
from lessonkit.kinds.quiz.scoring import score_question
from lessonkit.kinds.quiz.view import Quiz, quiz_page
from lessonkit.schema import schema
from lessonkit.store import ResponseStore

content = load(sys.argv[1])
q = content.question("renew-online")
assert q.question_type.name == "yes-no" and q.right_answer == "Yes"
assert score_question(q, "Yes") and not score_question(q, "No")
assert schema("quiz")["definitions"]["QuizQuestion"]["properties"]["type"]["enum"][-1] == "yes-no"
page = quiz_page(content, ResponseStore(sys.argv[2]), Learner("LIB3", "teal-wombat-42", None, "link"))
find(page, ClassBoard).assert_single().stop()
quiz = find(page, Quiz).assert_single()
quiz.answer("renew-online", "No")
quiz.submit()
assert "0 of 1 right" in quiz.score_line.value, quiz.status
quiz.answer("renew-online", "Yes")
quiz.submit()
assert quiz.done and "1 of 1 right" in quiz.score_line.value, quiz.status
print("ok")
'''


def test_a_new_question_type_is_one_registered_class(tmp_path):
    # In a fresh interpreter: a type is registered before the quiz's model is first imported.
    yaml_text = GOOD.split("media:")[0] + textwrap.dedent("""\
        questions:
          - id: renew-online
            type: yes-no
            prompt: "Can a patron renew a loan online?"
            answer: "Yes"
        """)
    path = write(tmp_path, yaml_text, "toy-quiz.yaml")
    db = f"sqlite:///{tmp_path / 'toy.db'}"
    out = subprocess.run([sys.executable, "-c", TOY_TYPE, str(path), db], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_question_type_registered_after_the_model_is_refused():
    with pytest.raises(RuntimeError, match="register it first"):
        question_type("late")(type("Late", (QuestionType,), {}))
    assert "late" not in QUESTION_TYPES
