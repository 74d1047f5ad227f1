"""The quiz's class board: the score distribution, the hardest question, you vs the median (pure HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from lessonkit.charts import _class_summary, _how_many_right, _sample_summary, _short, and_list, pct, plural

from .scoring import hardest_questions, median_score, question_shares, quiz_score, score_distribution, took_quiz

__all__ = ["quiz_board"]


def _score_text(score: float) -> str:
    return f"{score:g}"


def quiz_board(
    questions: Sequence,
    answers: Mapping[str, Mapping[str, object]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
    lesson_html: str = "",
) -> str:
    """HTML of a class's quiz results: the score distribution, the hardest question, you vs the median.

    questions: the quiz's questions (id, type, prompt, answer(s), ...); answers: learner -> {question id
    -> answer}; you: the viewing learner; names: learner -> name to list; sample_label: banner shown
    when the answers are a sample, not the class; lesson_html: trusted HTML shown at the end.
    """
    total = len(questions)
    takers = sorted(lrn for lrn, a in answers.items() if took_quiz(questions, a))
    scores = {lrn: quiz_score(questions, answers[lrn]).right for lrn in takers}
    n = len(takers)
    parts = ['<div class="lk-board lk-quiz-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    if not n:
        parts.append('<p class="lk-summary">No results yet. The board fills in as the class submits.</p>')
        if lesson_html:
            parts.append(f'<div class="lk-lesson">{lesson_html}</div>')
        parts.append("</div>")
        return "\n".join(parts)
    median = median_score(scores.values())
    assert median is not None   # somebody took the quiz
    group = "the sample" if sample_label else "the class"
    if sample_label:
        summary = _sample_summary(n - (1 if you in scores else 0), "result", you in scores)
    else:
        summary = _class_summary(n, "taken the quiz")
    summary += f" Median score: <strong>{_score_text(median)} of {total}</strong>."
    parts.append(f'<p class="lk-summary">{summary}</p>')
    if you in scores:
        mine = scores[you]
        where = ("above" if mine > median else "below" if mine < median else "right on")
        parts.append(f'<p class="lk-quiz-you"><strong>You vs {group}:</strong> you got {mine} of {total}; '
                     f'the median is {_score_text(median)} of {total}, so you are {where} the median.</p>')
    elif you is None:   # the trainer's dashboard or the projector: nobody here is "you"
        parts.append('<p class="lk-quiz-you">On their own page, each learner also sees their score '
                     'beside the median.</p>')
    else:
        parts.append(f'<p class="lk-quiz-you">Submit your answers to see how you compare with {group}.</p>')
    # Score distribution: one bar per possible score, highest first; the learner's own row is marked in words.
    counts = score_distribution(scores.values(), total)
    top = max(counts) or 1
    rows = []
    for score in range(total, -1, -1):
        k = counts[score]
        mine = you in scores and scores[you] == score
        tag = " lk-quiz-dist-you" if mine else ""
        rows.append(f'<div class="lk-quiz-dist-row{tag}"><span class="lk-quiz-dist-label">{score} right</span>'
                    f'<span class="lk-quiz-dist-track"><span class="lk-quiz-dist-bar" '
                    f'style="width:{round(100 * k / top)}%"></span></span>'
                    f'<span class="lk-quiz-dist-count">{k}{" (you)" if mine else ""}</span></div>')
    parts.append(f'<h3 class="lk-quiz-h">Scores out of {total}</h3>'
                 f'<div class="lk-quiz-dist" role="group" aria-label="How many people got each score">'
                 f'{"".join(rows)}</div>')
    # The hardest question, named in words.
    number = {q.id: i for i, q in enumerate(questions, start=1)}
    prompt = {q.id: q.prompt for q in questions}
    shares = question_shares(questions, answers)
    right_of = {qid: (right, m) for qid, right, m in shares}
    hardest, share = hardest_questions(questions, answers)
    if hardest and share < 1:
        shown = hardest[:3]
        more = len(hardest) - len(shown)
        which = and_list([str(number[h]) for h in shown] + ([plural(more, "other")] if more else []))
        quoted = and_list([f"<q>{escape(_short(prompt[h]))}</q>" for h in shown])
        who = _how_many_right(*right_of[hardest[0]])
        if len(hardest) == 1:
            sentence = f"<strong>Hardest question:</strong> {who} got question {which} right: {quoted}"
        else:
            each_of = "" if who == "nobody" else "each of "
            sentence = f"<strong>Hardest questions:</strong> {who} got {each_of}questions {which} right: {quoted}"
        parts.append(f'<p class="lk-quiz-hardest">{sentence}</p>')
    else:
        parts.append('<p class="lk-quiz-hardest"><strong>Hardest question:</strong> none yet: '
                     'every question was answered right.</p>')
    each = []
    for qid, right, m in shares:
        share_q = right / m if m else 0.0
        each.append(f'<div class="lk-quiz-q"><div class="lk-quiz-q-text">{number[qid]}. {escape(_short(prompt[qid]))} '
                    f'<span class="lk-quiz-q-count">({right} of {m} right)</span></div>'
                    f'<div class="lk-quiz-dist-row"><span class="lk-quiz-dist-track"><span class="lk-quiz-dist-bar" '
                    f'style="width:{round(100 * share_q)}%"></span></span>'
                    f'<span class="lk-quiz-dist-count">{pct(share_q)}</span></div></div>')
    parts.append('<details class="lk-quiz-each"><summary>Right answers, question by question</summary>'
                 f'<div class="lk-quiz-dist">{"".join(each)}</div></details>')
    if names is not None:
        listed = ", ".join(escape(names.get(lrn, lrn)) for lrn in takers)
        parts.append(f'<p class="lk-who"><strong>Who has taken the quiz ({n}):</strong> {listed}</p>')
    if lesson_html:
        parts.append(f'<div class="lk-lesson">{lesson_html}</div>')
    parts.append("</div>")
    return "\n".join(parts)
