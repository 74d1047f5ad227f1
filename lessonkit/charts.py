"""Pure functions from class answers to something to look at.

The colour board is drawn as plain HTML/CSS rather than a plotly figure: the bars must be painted in
the colours the class chose, it has to read well on a 375 px phone, and it keeps pandas and plotly
out of every student kernel (see README, Performance). Every learner string is escaped here.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Iterable, Mapping, Sequence

from .scoring import share_matching, tally

__all__ = ["sorter_board", "text_colour_for", "pct", "download_link", "plural", "and_list"]


def download_link(data: bytes | str, filename: str, mime: str, text: str, *, note: str = "",
                  css_class: str = "") -> str:
    """An <a download> link carrying `data` as a base64 data: URL (no server round trip, no file served)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    encoded = base64.b64encode(raw).decode("ascii")
    cls = f' class="{escape(css_class)}"' if css_class else ""
    link = f'<a{cls} download="{escape(filename)}" href="data:{escape(mime)};base64,{encoded}">{escape(text)}</a>'
    return link + (f" <span class='lk-note'>{escape(note)}</span>" if note else "")


def plural(n: int, word: str) -> str:
    """'1 answer', '3 answers'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def and_list(items: Sequence[str], last: str = "and") -> str:
    """'Monday', 'Monday and Friday', 'Monday, Friday and Sunday' ('' for none); items are used as given."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _sample_summary(others: int, noun: str, you_in: bool) -> str:
    """The first sentence of a board showing a sample: how many it holds, and whether yours is added."""
    if not others:
        return "Only yours so far: the sample is empty." if you_in else "The sample is empty."
    return f"The sample has {plural(others, noun)}{', plus yours' if you_in else ''}."


def _class_summary(n: int, done: str = "answered") -> str:
    """'1 person has answered.', '3 people have answered.'"""
    return f"{n} {'person has' if n == 1 else 'people have'} {done}."


def _how_many_right(right: int, n: int) -> str:
    """How many got something right, in words: 'nobody', 'only 2 of 6 (33%)'."""
    return "nobody" if right == 0 else f"only {right} of {n} ({pct(right / n)})"


def pct(share: float) -> str:
    """A share as a whole percentage: 0.4166 -> '42%'."""
    return f"{int(share * 100 + 0.5)}%"  # halves round up (round() would give 62% for 62.5%)


def text_colour_for(hex_colour: str) -> str:
    """Black or white, whichever reads better on the given background (WCAG relative luminance)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


def answers_by_learner(rows: Iterable) -> dict[str, dict[str, str]]:
    """Group store rows (learner, item, answer, ...) into learner -> {item -> answer}."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = row[2]
    return out


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


# ---------------------------------------------------------------- quiz (kind: quiz)

def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


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
    from .scoring import hardest_questions, median_score, question_shares, quiz_score, score_distribution, took_quiz

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
            each = "" if who == "nobody" else "each of "
            sentence = f"<strong>Hardest questions:</strong> {who} got {each}questions {which} right: {quoted}"
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


__all__ += ["quiz_board"]


# ---------------------------------------------------------------- checklist (kind: checklist)
# Okabe-Ito blue for the learner's own scores on the radar and the class on the board, orange for
# "you" beside the class: the pair stays distinct with every common colour-vision deficiency, and
# every bar and axis is also labelled in words and numbers.
CHECK_YOU = "#E69F00"
CHECK_CLASS = "#0072B2"
CHECK_RADAR = "#0072B2"


def rating_text(mean: float | None) -> str:
    """A mean rating as shown: 4 -> '4.0', 4.25 -> '4.25', 3.8333 -> '3.83', None -> 'not rated'."""
    if mean is None:
        return "not rated"
    text = f"{mean:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar_svg(axes: Sequence[tuple[str, float | None]], *, low: float = 1, high: float = 5,
              label: str = "Radar chart", colour: str = CHECK_RADAR) -> str:
    """An inline SVG radar (spider) chart: one axis per (name, value), the lowest value at the centre.

    Each axis is labelled with its name and value, so the chart reads without colour; `label` and
    every value also go into the SVG's aria-label. Text is escaped; `colour` must be a
    trusted CSS colour. Scales to its container's width (viewBox), for a 375 px phone.
    """
    import math

    n = len(axes)
    if n < 3:
        raise ValueError(f"a radar chart needs at least 3 axes, got {n}")
    r, gap, line_h, font = 74.0, 12.0, 14.5, 13

    def frac(v: float | None) -> float:
        return 0.0 if v is None else max(0.0, min(1.0, (v - low) / (high - low)))

    def pts(coords: Iterable[tuple[float, float]]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)

    def point(i: int, share: float, radius: float = r) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        # + 0.0 turns -0.0 into 0.0, so the centre is written the same way on every axis
        return round(radius * share * math.cos(a), 1) + 0.0, round(radius * share * math.sin(a), 1) + 0.0

    described = "; ".join(f"{name}: {rating_text(v)}" + ("" if v is None else f" of {high:g}")
                          for name, v in axes)
    aria = escape(f"{label}. {described}.")
    parts = [f'<svg class="lk-check-radar-svg" viewBox="-180 -140 360 268" role="img" aria-label="{aria}" '
             f'font-family="inherit" font-size="{font}">']
    steps = int(high - low)
    for k in range(1, steps + 1):                                   # grid rings, one per scale point
        ring = pts(point(i, k / steps) for i in range(n))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#BBBBBB" stroke-width="1"/>')
    for i in range(n):
        x, y = point(i, 1)
        parts.append(f'<line x1="0" y1="0" x2="{x:.1f}" y2="{y:.1f}" stroke="#BBBBBB" stroke-width="1"/>')
    for k in range(0, steps + 1):                                   # scale numbers up the first axis
        x, y = point(0, k / steps)
        parts.append(f'<text x="{x - 6:.1f}" y="{y + 3:.1f}" text-anchor="end" font-size="9" fill="currentColor" fill-opacity="0.8">'
                     f'{low + k:g}</text>')
    shape = pts(point(i, frac(v)) for i, (_, v) in enumerate(axes))
    parts.append(f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.22" stroke="{colour}" '
                 f'stroke-width="2.5" stroke-linejoin="round"/>')
    for i, (_, v) in enumerate(axes):
        x, y = point(i, frac(v))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" stroke="#FFFFFF" stroke-width="1.5"/>')
    for i, (name, v) in enumerate(axes):
        x, y = point(i, 1, r + gap)
        a = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(a), math.sin(a)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = [escape(t) for t in _wrap(name, 14)]
        block = (len(lines) + 1) * line_h
        # the label block sits above a top axis, below a bottom one, and level with a side one
        top = (y - block if sin < -0.5 else y if sin > 0.5 else y - block / 2) + line_h * 0.8
        spans = "".join(f'<tspan x="{x:.1f}" y="{top + j * line_h:.1f}">{t}</tspan>' for j, t in enumerate(lines))
        spans += (f'<tspan x="{x:.1f}" y="{top + len(lines) * line_h:.1f}" font-weight="700">'
                  f'{escape(rating_text(v))}</tspan>')
        parts.append(f'<text text-anchor="{anchor}" fill="currentColor">{spans}</text>')
    parts.append("</svg>")
    return "".join(parts)


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
    from .scoring import class_category_means, strengths_and_gaps

    n, scores = class_category_means(categories, statement_category, answers, points)
    notes: list[str] = []
    if sample_label is None and 0 < n < min_group and sample is not None:
        notes.append(f"{n} {'person' if n == 1 else 'people'} in your class {'has' if n == 1 else 'have'} "
                     f"answered so far. Class averages appear once {min_group} have, so that nobody's ratings "
                     "can be worked out.")
        mixed = dict(sample)
        if you in answers:
            mixed[you] = answers[you]
        answers, sample_label = mixed, sample_note
    mine = None
    if you in answers:
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


__all__ += ["checklist_board", "radar_svg", "rating_text"]


# ---------------------------------------------------------------- discussion board

def discussion_wall(posts: Sequence[Mapping[str, object]], words: Sequence[tuple[str, int]], *,
                    empty: str = "No posts yet. Be the first to answer: your post appears here for everyone.",
                    words_title: str = "Common words") -> str:
    """Posts (newest first, as given) beside the class's common words; every string is escaped.

    Each post is a mapping with `name`, `text`, `when` (already formatted) and `mine` (bool).
    """
    if posts:
        items = []
        for p in posts:
            mine = " lk-disc-mine" if p.get("mine") else ""
            you = ' <span class="lk-disc-you">(you)</span>' if p.get("mine") else ""
            items.append(f'<li class="lk-disc-post{mine}"><p class="lk-disc-meta"><strong class="lk-disc-name">'
                         f'{escape(str(p.get("name", "")))}</strong>{you} <span class="lk-disc-when">'
                         f'{escape(str(p.get("when", "")))}</span></p>'
                         f'<p class="lk-disc-text">{escape(str(p.get("text", "")))}</p></li>')
        count = f'<p class="lk-disc-count">{plural(len(posts), "post")}, newest first.</p>'
        listing = f'{count}<ul class="lk-disc-list">{"".join(items)}</ul>'
    else:
        listing = f'<p class="lk-disc-empty">{escape(empty)}</p>'
    if words:
        top = words[0][1]
        cloud = "".join(
            f'<li class="lk-disc-word" style="font-size:{0.9 + (count / top if top else 0) * 0.5:.2f}em">'
            f'{escape(word)} <span class="lk-disc-word-n">{count}</span></li>' for word, count in words)
        word_part = f'<ul class="lk-disc-words-list" aria-label="{escape(words_title)} and how often each is used">{cloud}</ul>'
    else:
        word_part = '<p class="lk-disc-empty">The words the class uses most will appear here.</p>'
    return (f'<div class="lk-disc-wall"><div class="lk-disc-posts">{listing}</div>'
            f'<div class="lk-disc-words"><h3>{escape(words_title)}</h3>{word_part}</div></div>')


__all__ += ["discussion_wall"]


# ---------------------------------------------------------------- feedback: bar charts and the form evaluation board

def bar_chart_svg(labels: Sequence[str], values: Sequence[float | None], *, max_value: float = 100,
                  unit: str = "%", title: str) -> str:
    """A horizontal bar chart as standalone inline SVG (no scripts, no external references); text escaped.

    A None value is drawn as an empty track marked 'no data'. Values are clamped to 0..max_value.
    """
    if len(labels) != len(values):
        raise ValueError(f"bar_chart_svg: {len(labels)} labels but {len(values)} values")
    top = max_value if max_value and max_value > 0 else 1
    row, label_w, bar_w, pad = 30, 190, 300, 8
    width = label_w + bar_w + 70
    height = 34 + row * len(labels) + pad
    parts = [f'<svg class="lk-bar-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<text x="0" y="18" font-size="14" font-weight="bold" fill="currentColor">{escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 30 + i * row
        short = _short(str(label), 25)  # ~7 px a character at 12 px: fits the 184 px label column
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" font-size="12" text-anchor="end" fill="currentColor">'
                     f'{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" style="fill:var(--lk-track,#e8e8e8)"/>')
        if value is None:
            text = "no data"
            end = label_w
        else:
            share = min(max(float(value), 0.0), float(top)) / top
            end = label_w + round(share * bar_w)
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{end - label_w}" height="18" '
                         f'fill="{CHECK_CLASS}"/>')
            text = f"{value:g}{unit}" if isinstance(value, int) or float(value).is_integer() else f"{value:.1f}{unit}"
        parts.append(f'<text x="{end + 4}" y="{y + 17}" font-size="12" fill="currentColor">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def link_preview(text: str, max_chars: int = 2000) -> str:
    """HTML under a link field: the link (only when it is a web link) or what is wrong with it."""
    value = text.strip()
    url = web_link(value, max_chars)
    if url:
        return (f"<span class='lk-ok'>Link: <a href=\"{escape(url)}\" target=\"_blank\" "
                f"rel=\"noopener noreferrer\">{escape(url)}</a></span>")
    if value:
        return ("<span class='lk-error'>Not a web link yet: it should start with https:// "
                f"(you typed {escape(value[:80])})</span>")
    return ""


def web_link(text: object, max_chars: int = 2000) -> str | None:
    """The text as an http(s) link when it is one (scheme, host, no spaces or quotes), else None."""
    from urllib.parse import urlsplit

    if not isinstance(text, str):
        return None
    url = text.strip()
    if not url or len(url) > max_chars or any(ch.isspace() or ord(ch) < 32 or ch in "\"'<>\\`" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "." not in host or host.startswith(".") \
            or not all(ch.isalnum() or ch in ".-" for ch in host):
        return None
    return url


__all__ += ["bar_chart_svg", "web_link"]
