"""The sorter's class board: how the class sorted each item, the most debated one named (pure HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from lessonkit.charts import _class_summary, _how_many_right, _sample_summary, pct, text_colour_for
from lessonkit.scoring import tally

from .scoring import share_matching

__all__ = ["sorter_board", "CATEGORY_COLOURS"]

# Okabe-Ito: distinguishable with the common colour-vision deficiencies; names are always printed too.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


def sorter_board(
    items: Sequence[tuple[str, str, str]],
    categories: Sequence[tuple[str, str]],
    answers: Mapping[str, Mapping[str, str]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
) -> str:
    """HTML of how a class sorted each item.

    items: (id, text, expected category id); categories: (id, name); answers: learner -> {item -> category}.
    """
    colour = {cid: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, (cid, _) in enumerate(categories)}
    label = dict(categories)
    learners = [lrn for lrn in sorted(answers) if any(answers[lrn].get(i) for i, _, _ in items)]
    parts = ['<div class="lk-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    if not learners:
        parts.append('<p class="lk-summary">No answers yet. The board fills in as the class submits.</p></div>')
        return "\n".join(parts)
    rows, shares = [], []
    for item_id, text, expected in items:
        values = [answers[lrn].get(item_id) for lrn in learners]
        right, n = share_matching(expected, values)
        shares.append((right / n if n else 1.0, text, right, n))
        order = [cid for cid, _ in categories]  # same order on every row, so the colours line up
        counts = sorted(tally(values), key=lambda ck: order.index(ck[0]) if ck[0] in order else len(order))
        segs = "".join(
            f'<span class="lk-seg" style="flex:{k} 1 0;background:{colour.get(c, "#BBBBBB")};'
            f'color:{text_colour_for(colour.get(c, "#BBBBBB"))}" title="{escape(label.get(c, c))}: {k}">'
            f'{escape(label.get(c, c)) if k / n >= 0.25 else ""}</span>' for c, k in counts)
        legend = " ".join(f'<span class="lk-key"><span class="lk-chip" style="background:{colour.get(c, "#BBBBBB")}">'
                          f'</span>{escape(label.get(c, c))} {k}</span>' for c, k in counts)
        bar_label = escape(f"{text}: " + ", ".join(f"{label.get(c, c)} {k}" for c, k in counts))
        mine = answers.get(you, {}).get(item_id) if you else None
        you_line = ""
        if mine:
            verdict = "matches the answer" if mine == expected else f"the answer is {label.get(expected, expected)}"
            you_line = (f'<div class="lk-you"><strong>You:</strong> {escape(label.get(mine, mine))} '
                        f'({escape(verdict)})</div>')
        rows.append(f'<div class="lk-day"><div class="lk-day-head">{escape(text)} '
                    f'<span class="lk-agree">{pct(right / n if n else 0)} sorted it as '
                    f'{escape(label.get(expected, expected))}</span></div>'
                    f'<div class="lk-bar" role="img" aria-label="{bar_label}">{segs}</div>'
                    f'<div class="lk-legend">{legend}</div>{you_line}</div>')
    n = len(learners)
    hardest = min(shares)
    if sample_label:
        summary = _sample_summary(n - (you in learners), "answer", you in learners)
    else:
        summary = _class_summary(n)
    if hardest[0] < 1:
        summary += (f" Most debated: <strong>{escape(hardest[1])}</strong>, which "
                    f"{_how_many_right(hardest[2], hardest[3])} sorted as the answer says.")
    parts.append(f'<p class="lk-summary">{summary}</p>')
    parts.extend(rows)
    if names is not None:
        parts.append(f'<p class="lk-who"><strong>Who has answered ({n}):</strong> '
                     f'{", ".join(escape(names.get(lrn, lrn)) for lrn in learners)}</p>')
    parts.append("</div>")
    return "\n".join(parts)
