"""The colour-days class board: the week painted in the colours the class chose.

Plain HTML/CSS rather than a plotly figure: the bars must be painted in the colours the class chose, it has
to read well on a 375 px phone, and it keeps pandas and plotly out of every student kernel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lessonkit.charts import _class_summary, _sample_summary, and_list, pct, text_colour_for
from lessonkit.scoring import agreement, tally

__all__ = ["colour_days_board"]


def colour_days_board(
    days: Sequence[str],
    palette: Mapping[str, str],
    answers: Mapping[str, Mapping[str, str]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
    lesson_html: str = "",
) -> str:
    """HTML of the class colour board.

    days: day names in order; palette: colour name -> hex; answers: learner -> {day item -> colour};
    you: the viewing learner's id (their answers are compared with the class); names: learner ->
    name to list; sample_label: shown as a banner when the answers are a sample, not the class.
    """
    learners = sorted(answers)
    parts: list[str] = ['<div class="lk-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    n = len(learners)
    per_day = []
    for day in days:
        item = day.strip().lower()
        values = [answers[lrn][item] for lrn in learners if answers[lrn].get(item)]
        per_day.append((day, item, values, agreement(values)))
    answered = [a for a in per_day if a[3].n]
    if not n:
        parts.append('<p class="lk-summary">No answers yet. The board fills in as the class submits.</p>')
    else:
        if sample_label:
            summary = _sample_summary(n - (1 if you in answers else 0), "answer", you in answers)
        else:
            summary = _class_summary(n)
        if n > 1 and answered:
            summary += _agreement_summary([(day, agr) for day, _item, _values, agr in answered],
                                          "They" if sample_label else "The class")
        parts.append(f'<p class="lk-summary">{summary}</p>')
    mine = answers.get(you, {}) if you else {}
    for day, item, values, agr in per_day:
        parts.append(_day_html(day, values, agr, palette, mine.get(item)))
    if n and names is not None:
        listed = ", ".join(escape(names.get(lrn, lrn)) for lrn in learners)
        parts.append(f'<p class="lk-who"><strong>Who has answered ({n}):</strong> {listed}</p>')
    if lesson_html:
        parts.append(f'<div class="lk-lesson">{lesson_html}</div>')
    parts.append("</div>")
    return "\n".join(parts)


def _top_text(agr) -> str:
    """What was chosen most for one day, in words (HTML, escaped): 'everyone chose Blue', '60% chose Blue'."""
    tops = and_list([escape(t) for t in agr.top])
    if agr.n == 1:
        return f"the one answer was {tops}"
    if agr.share == 1:
        return f"everyone chose {tops}"
    if len(agr.top) > 1:
        return f"{tops} tied on {pct(agr.share)} each"
    return f"{pct(agr.share)} chose {tops}"


def _agreement_summary(answered: Sequence[tuple[str, Any]], group: str) -> str:
    """Where `group` agreed most and least, as a sentence starting with a space (HTML, escaped).

    answered: (day, Agreement) for each day with at least one answer, in order. One day, or every day
    agreed on alike, gets a sentence of its own: never "most" and "least" on the same day.
    """
    def days(which) -> str:
        return and_list([f"<strong>{escape(day)}</strong>" for day, _agr in which])

    def about(which) -> str:
        if len(which) == 1:
            return _top_text(which[0][1])
        share = which[0][1].share
        return "everyone agreed on each" if share == 1 else f"{pct(share)} chose the most common colour on each"

    if len(answered) == 1:
        return f" On {days(answered)}, {_top_text(answered[0][1])}."
    high = max(agr.share for _day, agr in answered)
    low = min(agr.share for _day, agr in answered)
    if high == low:
        if high == 1:
            return f" {group} agreed completely: everyone chose the same colour for each day."
        return f" {group} agreed as much on every day: on each, {pct(high)} chose the most common colour."
    most = [a for a in answered if a[1].share == high]
    least = [a for a in answered if a[1].share == low]
    return f" {group} agreed most on {days(most)} ({about(most)}) and least on {days(least)} ({about(least)})."


def _day_html(day: str, values: list[str], agr, palette: Mapping[str, str], mine: str | None) -> str:
    counts = tally(values)
    head = f'<span class="lk-day-name">{escape(day)}</span>'
    if agr.n == 1:
        head += f' <span class="lk-agree">1 answer: {escape(agr.top[0])}</span>'
    elif agr.n:
        tops = and_list([escape(t) for t in agr.top])
        said = (f"everyone chose {tops}" if agr.share == 1 else f"{tops} tied" if len(agr.top) > 1
                else f"most chose {tops}")
        head += f' <span class="lk-agree">Agreement {pct(agr.share)}: {said}</span>'
    else:
        head += ' <span class="lk-agree">No answers yet</span>'
    segs, legend = [], []
    for colour, count in counts:
        bg = palette.get(colour, "#BBBBBB")
        fg = text_colour_for(bg)
        label = f"{escape(colour)}: {count}"
        share = count / agr.n
        text = escape(colour) if share >= 0.18 else ""
        segs.append(f'<span class="lk-seg" style="flex:{count} 1 0;background:{bg};color:{fg}" '
                    f'title="{label}">{text}</span>')
        legend.append(f'<span class="lk-key"><span class="lk-chip" style="background:{bg}"></span>'
                      f'{escape(colour)} {count}</span>')
    bar_label = escape(f"{day}: " + ", ".join(f"{c} {k}" for c, k in counts)) if counts else escape(f"{day}: none")
    out = [f'<div class="lk-day" role="group" aria-label="{escape(day)}">',
           f'<div class="lk-day-head">{head}</div>',
           f'<div class="lk-bar" role="img" aria-label="{bar_label}">{"".join(segs)}</div>',
           f'<div class="lk-legend">{" ".join(legend)}</div>']
    if mine:
        same = dict(counts).get(mine, 0) - 1
        others = ("nobody else chose it" if same <= 0 else
                  f"{same} other{'s' if same != 1 else ''} chose it too")
        out.append(f'<div class="lk-you"><strong>You:</strong> {escape(mine)} ({others})</div>')
    out.append("</div>")
    return "".join(out)
