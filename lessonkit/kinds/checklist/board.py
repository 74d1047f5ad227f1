"""The checklist's class board: anonymous averages per category, and you beside the class (pure HTML).

Okabe-Ito blue for the class (charts.CHECK_CLASS), orange for "you" beside it: the pair stays distinct
with every common colour-vision deficiency, and every bar is also labelled in words and numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from lessonkit.charts import CHECK_CLASS, _class_summary, and_list, plural, rating_text

from .scoring import class_category_means, strengths_and_gaps

__all__ = ["checklist_board", "CHECK_YOU"]

CHECK_YOU = "#E69F00"


def _bar_row(who: str, mean: float | None, colour: str, points: int, extra: str = "") -> str:
    width = 0 if mean is None else round(max(0.0, min(1.0, (mean - 1) / (points - 1))) * 100)
    spoken = f"{who}: {rating_text(mean)}" + ("" if mean is None else f" of {points}")
    return (f'<div class="lk-check-bar-row{extra}"><span class="lk-check-who">{escape(who)}</span>'
            f'<span class="lk-check-track" role="img" aria-label="{escape(spoken)}">'
            f'<span class="lk-check-fill" style="width:{width}%;background:{colour}"></span></span>'
            f'<span class="lk-check-num">{escape(rating_text(mean))}</span></div>')


def checklist_board(
    categories: Sequence[tuple[str, str]],
    statement_category: Mapping[str, str],
    answers: Mapping[str, Mapping[str, object]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
    sample: Mapping[str, Mapping[str, object]] | None = None,
    sample_note: str = "Sample class (synthetic)",
    min_group: int = 3,
    points: int = 5,
) -> str:
    """HTML of a class's self-assessment: anonymous averages per category, and you vs the class.

    categories: (id, name) in order; statement_category: statement id -> category id; answers:
    learner -> {statement id -> rating 1..points, other items ignored}. Never shows a name, a single
    learner's ratings or any free text: `names` is accepted (the ClassBoard passes it) and ignored.
    Until `min_group` learners have answered, averages could give someone's ratings away, so the
    `sample` (labelled `sample_note`, your ratings beside it, not in it) is shown instead, when there is one.
    """
    n, scores = class_category_means(categories, statement_category, answers, points)
    notes: list[str] = []
    if sample_label is None and 0 < n < min_group and sample is not None:
        notes.append(f"{n} {'person' if n == 1 else 'people'} in your class {'has' if n == 1 else 'have'} "
                     f"answered so far. Class averages appear once {min_group} have, so that nobody's ratings "
                     "can be worked out.")
        mixed = dict(sample)
        if you is not None and you in answers:
            mixed[you] = answers[you]
        answers, sample_label = mixed, sample_note
    mine = None
    if you is not None and you in answers:
        _, mine = class_category_means(categories, statement_category, {you: answers[you]}, points)
        if all(s.mean is None for s in mine):
            mine = None
    if sample_label:   # the sample's bars are the sample's alone: yours are shown beside them, not mixed in
        n, scores = class_category_means(categories, statement_category,
                                         {lrn: a for lrn, a in answers.items() if lrn != you}, points)
    group = "the sample" if sample_label else "the class"
    parts = ['<div class="lk-board lk-check-board">']
    parts += [f'<p class="lk-sample" role="note">{escape(t)}</p>' for t in (*notes, sample_label) if t]
    if not n and mine is None:
        parts.append('<p class="lk-summary">No answers yet. The board fills in as the class submits.</p></div>')
        return "\n".join(parts)
    if sample_label:
        summary = (f"The sample has {plural(n, 'learner')}." if n else
                   "The sample is empty, so there is nothing to compare your ratings with yet.")
    else:
        summary = _class_summary(n)
    best, worst = strengths_and_gaps(scores, k=1)
    if n and best and worst:
        summary += (f" {'The sample' if sample_label else 'The class'} rated itself highest on "
                    f"<strong>{and_list([escape(s.name) for s in best])}</strong> "
                    f"({rating_text(best[0].mean)}) and lowest on "
                    f"<strong>{and_list([escape(s.name) for s in worst])}</strong> ({rating_text(worst[0].mean)}).")
    parts.append(f'<p class="lk-summary">{summary}</p>')
    if mine is None and you is None:   # the trainer's dashboard or the projector: nobody here is "you"
        parts.append('<p class="lk-check-hint">On their own page, each learner also sees their ratings beside '
                     f'{group} average.</p>')
    elif mine is None:
        parts.append(f'<p class="lk-check-hint">Submit your ratings to compare yourself with {group}.</p>')
    for i, s in enumerate(scores):
        rows = [_bar_row("Class" if not sample_label else "Sample", s.mean, CHECK_CLASS, points)] if n else []
        if mine is not None:
            m = mine[i].mean
            rows.append(_bar_row("You", m, CHECK_YOU, points, " lk-check-you-row"))
            if m is not None and s.mean is not None:
                d = m - s.mean
                where = ("about the same as" if abs(d) < 0.05 else
                         f"{rating_text(abs(d))} {'above' if d > 0 else 'below'}")
                rows.append(f'<div class="lk-check-diff">You: {where} {group} average</div>')
        parts.append(f'<div class="lk-check-cat" role="group" aria-label="{escape(s.name)}">'
                     f'<div class="lk-check-cat-name">{escape(s.name)}</div>{"".join(rows)}</div>')
    parts.append(f'<p class="lk-check-footnote">Bars run from the lowest rating (1) to the highest ({points}). '
                 "Averages only: no names, nobody's individual ratings and no action plans are shown.</p>")
    parts.append("</div>")
    return "\n".join(parts)
