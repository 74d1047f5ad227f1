"""Pure functions from class answers to something to look at.

The colour board is drawn as plain HTML/CSS rather than a plotly figure: the bars must be painted in
the colours the class chose, it has to read well on a 375 px phone, and it keeps pandas and plotly
out of every student kernel (see README, Performance). Every learner string is escaped here.
"""

from __future__ import annotations

from html import escape
from typing import Iterable, Mapping, Sequence

from .scoring import agreement, tally

__all__ = ["colour_days_board", "text_colour_for", "pct"]


def pct(share: float) -> str:
    """A share as a whole percentage: 0.4166 -> '42%'."""
    return f"{round(share * 100)}%"


def text_colour_for(hex_colour: str) -> str:
    """Black or white, whichever reads better on the given background (WCAG relative luminance)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


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
            summary = (f"The sample has {n - (1 if you in answers else 0)} answers"
                       f"{', plus yours' if you in answers else ''}.")
        else:
            summary = f"{n} {'person has' if n == 1 else 'people have'} answered."
        if n > 1 and answered:
            most = max(answered, key=lambda d: d[3].share)
            least = min(answered, key=lambda d: d[3].share)
            summary += (f" {'They' if sample_label else 'The class'} agreed most on <strong>{escape(most[0])}</strong> "
                        f"({pct(most[3].share)} chose {escape(' / '.join(most[3].top))}) and least on "
                        f"<strong>{escape(least[0])}</strong> ({pct(least[3].share)}).")
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


def _day_html(day: str, values: list[str], agr, palette: Mapping[str, str], mine: str | None) -> str:
    counts = tally(values)
    head = f'<span class="lk-day-name">{escape(day)}</span>'
    if agr.n:
        head += (f' <span class="lk-agree">Agreement {pct(agr.share)}: most chose '
                 f'{escape(" / ".join(agr.top))}</span>')
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


def answers_by_learner(rows: Iterable) -> dict[str, dict[str, str]]:
    """Group store rows (learner, item, answer, ...) into learner -> {item -> answer}."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = row[2]
    return out
