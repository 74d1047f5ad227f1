"""Pure functions from class answers to something to look at.

The colour board is drawn as plain HTML/CSS rather than a plotly figure: the bars must be painted in
the colours the class chose, it has to read well on a 375 px phone, and it keeps pandas and plotly
out of every student kernel (see README, Performance). Every learner string is escaped here.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any, Iterable, Mapping, Sequence

from .scoring import agreement, tally

__all__ = ["colour_days_board", "text_colour_for", "pct", "download_link", "plural", "and_list"]


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


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


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


def answers_by_learner(rows: Iterable) -> dict[str, dict[str, str]]:
    """Group store rows (learner, item, answer, ...) into learner -> {item -> answer}."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = row[2]
    return out


# ---------------------------------------------------------------- radar chart and ratings
# Okabe-Ito blue for a learner's own scores on the radar and a class's bars: distinct with every common
# colour-vision deficiency, and every bar and axis is also labelled in words and numbers.
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


__all__ += ["radar_svg", "rating_text"]


# ---------------------------------------------------------------- legislation: matching and ranking

def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def law_matching_board(
    laws: Sequence[tuple[str, str]],
    scenarios: Sequence[tuple[str, str, Sequence[str]]],
    answers: Mapping[str, Mapping[str, object]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
) -> str:
    """HTML of how a class matched scenarios to laws: share who matched exactly, the most-missed law.

    laws: (id, name); scenarios: (id, text, law ids that apply); answers: learner -> {scenario -> [law ids]}.
    """
    from .scoring import class_matching, match_laws

    label = dict(laws)
    expected = {sid: list(want) for sid, _, want in scenarios}
    learners = [lrn for lrn in sorted(answers) if any(isinstance(answers[lrn].get(s), list) for s in expected)]
    parts = ['<div class="lk-board lk-law-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    if not learners:
        parts.append('<p class="lk-summary">No answers yet. The board fills in as the class submits.</p></div>')
        return "\n".join(parts)
    shares = class_matching(expected, {lrn: answers[lrn] for lrn in learners})
    mine = {m.scenario: m for m in match_laws(expected, answers.get(you, {}))} if you in answers else {}
    n = len(learners)
    if sample_label:
        summary = _sample_summary(n - (you in learners), "answer", you in learners)
    else:
        summary = _class_summary(n)
    answered = [s for s in shares if s.n]
    text_of = {sid: text for sid, text, _ in scenarios}
    if answered:
        hardest = min(answered, key=lambda s: s.share)
        if hardest.share < 1:
            summary += (f" Hardest: <strong>{escape(_short(text_of[hardest.scenario], 80))}</strong>, which "
                        f"{_how_many_right(hardest.exact, hardest.n)} matched exactly.")
    parts.append(f'<p class="lk-summary">{summary}</p>')
    for number, ((sid, text, want), share) in enumerate(zip(scenarios, shares), start=1):
        width = round(share.share * 100)
        laws_text = escape(" + ".join(label.get(w, w) for w in want))
        missed = ""
        if share.missed_count:
            missed = (f'<div class="lk-law-missed">Most missed: <strong>'
                      f'{escape(" / ".join(label.get(w, w) for w in share.most_missed))}</strong> '
                      f'({share.missed_count} of {share.n})</div>')
        you_line = ""
        m = mine.get(sid)
        if m is not None and m.answered:
            if m.exact:
                verdict = "matched exactly"
            else:
                bits = []
                if m.missed:
                    bits.append("missed " + ", ".join(label.get(w, w) for w in m.missed))
                if m.extra:
                    bits.append("added " + ", ".join(label.get(w, w) for w in m.extra))
                verdict = "; ".join(bits)
            you_line = f'<div class="lk-you"><strong>You:</strong> {escape(verdict)}</div>'
        parts.append(
            f'<div class="lk-law-row"><div class="lk-law-row-text">{number}. {escape(_short(text, 110))}</div>'
            f'<div class="lk-law-row-answer">Applies: <strong>{laws_text}</strong></div>'
            f'<div class="lk-law-track" role="img" aria-label="{pct(share.share)} matched exactly">'
            f'<span class="lk-law-fill" style="width:{width}%"></span></div>'
            f'<div class="lk-law-share">{share.exact} of {share.n} matched exactly ({pct(share.share)})</div>'
            f'{missed}{you_line}</div>')
    if names is not None:
        parts.append(f'<p class="lk-who"><strong>Who has answered ({n}):</strong> '
                     f'{", ".join(escape(names.get(lrn, lrn)) for lrn in learners)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def ranking_board(
    items: Sequence[tuple[str, str]],
    answers: Mapping[str, Mapping[str, object]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
    reasons: int = 10,
) -> str:
    """HTML of a class's aggregated ranking (Borda count), your ranking beside it, and the reasons given.

    items: (id, name) in content order; answers: learner -> {"order": [ids, first = most important],
    "reason": text, "at": ISO time}. Reasons are listed newest first (the latest `reasons` of them),
    each under the learner's name from `names`, "You", or (for a sample) the sample's own label.
    """
    from .scoring import borda, valid_ranking

    ids = [i for i, _ in items]
    label = dict(items)
    ranked = {lrn: list(a["order"]) for lrn, a in sorted(answers.items())
              if isinstance(a, Mapping) and valid_ranking(ids, a.get("order"))}
    parts = ['<div class="lk-board lk-rank-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    n = len(ranked)
    if not n:
        parts.append('<p class="lk-summary">No rankings yet. The board fills in as the class submits.</p></div>')
        return "\n".join(parts)
    scores = borda(ids, ranked.values())
    top = n * (len(ids) - 1) or 1
    if sample_label:
        summary = _sample_summary(n - (you in ranked), "ranking", you in ranked)
    else:
        summary = f"Ranked by {plural(n, 'learner')}."
    parts.append(f'<p class="lk-summary">{summary} Each first place scores {len(ids) - 1} points, '
                 f'each last place 0.</p>')
    place = {s.id: pos for pos, s in enumerate(scores, start=1)}
    mine = ranked.get(you) if you else None
    parts.append('<ol class="lk-rank-bars">')
    for pos, s in enumerate(scores, start=1):
        width = round(s.points / top * 100)
        yours = ""
        if mine:
            yours = f'<span class="lk-rank-yours">you: {_ordinal(mine.index(s.id) + 1)}</span>'
        parts.append(
            f'<li class="lk-rank-row"><div class="lk-rank-head"><span class="lk-rank-name">{pos}. '
            f'{escape(label[s.id])}</span> <span class="lk-rank-points">{plural(s.points, "point")}</span>'
            f'{yours}</div><div class="lk-rank-track" role="img" aria-label="{escape(label[s.id])}: '
            f'{plural(s.points, "point")}"><span class="lk-rank-fill" style="width:{width}%"></span></div></li>')
    parts.append("</ol>")
    if mine:
        same = sum(place[i] == pos for pos, i in enumerate(mine, start=1))
        listed = ", ".join(f"{pos}. {escape(label[i])}" for pos, i in enumerate(mine, start=1))
        parts.append(f'<p class="lk-you lk-rank-you"><strong>Your ranking:</strong> {listed}. '
                     f'{same} of {len(ids)} in the same place as the class.</p>')
    given = [(str(a.get("at") or ""), lrn, str(a["reason"])) for lrn, a in answers.items()
             if isinstance(a, Mapping) and isinstance(a.get("reason"), str) and a["reason"].strip()]
    given.sort(key=lambda g: g[0], reverse=True)   # ISO times sort as text; a sample (no time) goes last
    if given:
        shown = given[:max(0, reasons)]
        parts.append(f'<h3 class="lk-rank-reasons-title">Reasons given (newest first'
                     f'{f", latest {len(shown)} of {len(given)}" if len(shown) < len(given) else ""})</h3>')
        parts.append('<ul class="lk-rank-reasons">')
        for _at, lrn, reason in shown:
            who = "You" if lrn == you else (names.get(lrn, lrn) if names is not None
                                              else (lrn if sample_label else "A learner"))
            first = ranked.get(lrn, [None])[0]
            tag = f' <span class="lk-rank-first">(1st: {escape(label[first])})</span>' if first else ""
            parts.append(f'<li><strong>{escape(who)}</strong>{tag}: '
                         f'<span class="lk-rank-reason">{escape(reason)}</span></li>')
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


__all__ += ["law_matching_board", "ranking_board"]


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


def form_evaluation_board(criteria: Sequence[tuple[str, str, int]], answers: Mapping[str, Mapping[str, object]],
                          you: str | None = None, *, names: Mapping[str, str] | None = None,
                          sample_label: str | None = None) -> str:
    """HTML of the class's evaluated forms: a table (best total first) and the average mark per criterion.

    criteria: (id, name, top mark) in rubric order; answers: learner -> {'form-N': {organisation, link,
    ratings, note} or None}. Every string is escaped; a link is only a link when it is http(s).
    """
    best = sum(top for _id, _name, top in criteria) or 1
    forms = []
    for lrn in sorted(answers):
        for item in sorted(answers[lrn]):
            form = answers[lrn][item]
            if not isinstance(form, Mapping) or not isinstance(form.get("ratings"), Mapping):
                continue
            ratings = form["ratings"]
            marks = {cid: ratings[cid] for cid, _n, top in criteria
                     if isinstance(ratings.get(cid), int) and not isinstance(ratings.get(cid), bool)
                     and 0 <= ratings[cid] <= top}
            forms.append((sum(marks.values()), lrn, str(form.get("organisation") or ""), form.get("link"), marks,
                          str(form.get("note") or "")))
    parts = ['<div class="lk-board lk-form-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    if not forms:
        parts.append('<p class="lk-summary">No forms yet. The table fills in as the class submits.</p></div>')
        return "\n".join(parts)
    people = len({f[1] for f in forms})
    parts.append(f'<p class="lk-summary">{plural(len(forms), "form")} evaluated by '
                 f'{plural(people, "learner")}. Each form can score up to {best}.</p>')
    forms.sort(key=lambda f: (-f[0], f[2].lower()))
    head = "".join(f'<th scope="col">{escape(name)} <span class="lk-form-top">/{top}</span></th>'
                   for _cid, name, top in criteria)
    parts.append('<div class="lk-form-table-wrap"><table class="lk-form-table"><caption>The class\'s forms, '
                  'best total first</caption><thead><tr><th scope="col">Organisation</th><th scope="col">Total'
                  f'</th>{head}<th scope="col">Found by</th></tr></thead><tbody>')
    for total, lrn, org, link, marks, note in forms:
        url = web_link(link)
        org_html = escape(org)
        if url:
            org_html = (f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{org_html}</a>'
                        f'<br><span class="lk-form-url">{escape(_short(url, 60))}</span>')
        elif link:
            org_html += f'<br><span class="lk-form-url">{escape(_short(str(link), 60))} (not a web link)</span>'
        if note:
            org_html += f'<br><span class="lk-form-note">{escape(_short(note, 160))}</span>'
        cells = "".join(f'<td>{marks[cid] if cid in marks else "&ndash;"}</td>' for cid, _n, _t in criteria)
        who = "You" if lrn == you else (names.get(lrn, "A learner") if names is not None
                                        else (lrn if sample_label and lrn != you else "A learner"))
        mine = ' class="lk-form-mine"' if lrn == you else ""
        parts.append(f'<tr{mine}><th scope="row">{org_html}</th><td><strong>{total}</strong>/{best}</td>{cells}'
                     f'<td>{escape(who)}</td></tr>')
    parts.append("</tbody></table></div>")
    parts.append('<h3 class="lk-form-avg-title">Average mark per criterion (as % of the top mark)</h3>'
                 '<ul class="lk-form-avg">')
    for cid, name, top in criteria:
        given = [f[4][cid] for f in forms if cid in f[4]]
        n = len(given)
        share = (sum(given) / n / top) if n and top else None
        text = "no ratings" if share is None else f"{pct(share)} (n = {n})"
        width = 0 if share is None else round(share * 100)
        parts.append(f'<li class="lk-form-avg-row"><span class="lk-form-avg-name">{escape(name)}</span> '
                     f'<span class="lk-form-avg-value">{text}</span><div class="lk-form-track" role="img" '
                     f'aria-label="{escape(name)}: {text}"><span class="lk-form-fill" style="width:{width}%">'
                     '</span></div></li>')
    parts.append("</ul></div>")
    return "\n".join(parts)


__all__ += ["bar_chart_svg", "web_link", "form_evaluation_board"]


# ---------------------------------------------------------------- charter gallery (notebook 01)

def charter_gallery(kinds: Sequence[tuple[str, str]], types: Sequence[str],
                    answers: Mapping[str, Mapping[str, object]], you: str | None = None, *,
                    names: Mapping[str, str] | None = None, sample_label: str | None = None,
                    sample_prefix: str = "Sample (fictional)") -> str:
    """HTML of the class's charters as cards, then a bar chart of which kinds of commitment appear most.

    kinds: (id, name) of each commitment kind; answers: learner -> {'charter': {library, type, link,
    commitments, feedback, idea, kinds}}. A charter marked `sample: True` is only honoured on a sample
    board (sample_label set) and is labelled with `sample_prefix`. Every string is escaped; a link is
    only a link when it is http(s), and opens with rel="noopener noreferrer".
    """
    kind_names = dict(kinds)
    charters = []
    for lrn in answers:
        ch = answers[lrn].get("charter") if isinstance(answers[lrn], Mapping) else None
        if not isinstance(ch, Mapping) or not isinstance(ch.get("library"), str) or not ch["library"].strip():
            continue
        sample = bool(sample_label) and ch.get("sample") is True and lrn != you
        ticked = [k for k in kind_names if isinstance(ch.get("kinds"), (list, tuple)) and k in ch["kinds"]]
        charters.append((lrn, ch, sample, ticked))
    charters.sort(key=lambda c: (c[0] != you, c[2], str(c[1]["library"]).lower()))
    parts = ['<div class="lk-board lk-chr-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    if not charters:
        parts.append('<p class="lk-summary">No charters yet. The gallery fills in as the class submits.</p></div>')
        return "\n".join(parts)
    real = [c for c in charters if not c[2]]
    people = len({c[0] for c in real})
    summary = f"{plural(len(real), 'charter')} shared by {plural(people, 'learner')}" if real else "No charters shared yet"
    if len(real) < len(charters):
        summary += f", plus {plural(len(charters) - len(real), 'sample')} of fictional libraries"
    parts.append(f'<p class="lk-summary">{summary}.</p><ul class="lk-chr-gallery">')
    for lrn, ch, sample, ticked in charters:
        library = escape(str(ch["library"]).strip())
        if sample:
            library = f'<span class="lk-chr-sample-tag">{escape(sample_prefix)}:</span> {library}'
        url = web_link(ch.get("link"))
        link = ""
        if url:
            link = (f'<p class="lk-chr-link"><a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
                    f'{escape(_short(url, 60))}</a></p>')
        elif isinstance(ch.get("link"), str) and ch["link"].strip():
            link = f'<p class="lk-chr-link">{escape(_short(ch["link"], 60))} (not a web link)</p>'
        kind_type = ch.get("type")
        badge = f'<span class="lk-chr-type">{escape(str(kind_type))}</span>' if kind_type in types else ""
        chips = "".join(f'<li>{escape(kind_names[k])}</li>' for k in ticked)
        who = ("You" if lrn == you else "Sample" if sample
               else (names.get(lrn, "A learner") if names is not None else "A learner"))
        fields = []
        for key, label in (("commitments", "Key commitments and standards"), ("feedback", "How feedback is sought"),
                           ("idea", "An idea to adopt")):
            text = ch.get(key)
            if isinstance(text, str) and text.strip():
                fields.append(f'<dt>{label}</dt><dd>{escape(text.strip())}</dd>')
        cls = " lk-chr-mine" if lrn == you else " lk-chr-is-sample" if sample else ""
        parts.append(f'<li class="lk-chr-card{cls}"><h3 class="lk-chr-name">{library} {badge}</h3>{link}'
                     f'<dl class="lk-chr-fields">{"".join(fields)}</dl>'
                     + (f'<ul class="lk-chr-kinds" aria-label="Kinds of commitment">{chips}</ul>' if chips else "")
                     + f'<p class="lk-chr-who">Shared by {escape(who)}</p></li>')
    parts.append("</ul>")
    total = len(charters)
    counts = sorted(((sum(k in c[3] for c in charters), name, k) for k, name in kinds), key=lambda x: (-x[0], x[1]))
    parts.append(f'<h3 class="lk-chr-chart-title">Which kinds of commitment appear most (n = {plural(total, "charter")}'
                 f'{", including samples" if len(real) < total else ""})</h3><ul class="lk-chr-chart">')
    for n, name, _k in counts:
        share = n / total
        text = f"{n} of {total} ({pct(share)})"
        parts.append(f'<li class="lk-chr-row"><span class="lk-chr-row-name">{escape(name)}</span> '
                     f'<span class="lk-chr-row-value">{text}</span><div class="lk-chr-track" role="img" '
                     f'aria-label="{escape(name)}: {text}"><span class="lk-chr-fill" style="width:{round(share * 100)}%">'
                     '</span></div></li>')
    parts.append("</ul></div>")
    return "\n".join(parts)


__all__ += ["charter_gallery"]


def scenario_board(endings: Sequence[tuple[str, str]], answers: Mapping[str, Mapping[str, object]],
                   you: str | None = None, *, names: Mapping[str, str] | None = None,
                   sample_label: str | None = None) -> str:
    """HTML of where the class's role-plays ended, and which paths (choices in order) they took.

    endings: (step id, title) in order; answers: learner -> {"path": ["step/choice", ...], "ending": id}.
    Learners are counted, never named: a path is private practice. Every string is escaped.
    """
    titles = dict(endings)
    plays = {lrn: a for lrn, a in answers.items()
             if isinstance(a.get("path"), list) and a.get("ending") in titles}
    parts = ['<div class="lk-board lk-scn-board">']
    if sample_label:
        parts.append(f'<p class="lk-sample" role="note">{escape(sample_label)}</p>')
    n = len(plays)
    if not n:
        parts.append("<p>No finished role-plays yet. When someone reaches an ending it is counted here.</p></div>")
        return "\n".join(parts)
    mine = plays.get(you) if you else None
    parts.append(f"<p>{plural(n, 'finished play')}.</p><h3>Endings</h3><ul class='lk-scn-counts'>")
    for ending_id, title in endings:
        count = sum(1 for a in plays.values() if a["ending"] == ending_id)
        share = count / n
        yours = " <strong>(yours)</strong>" if mine and mine["ending"] == ending_id else ""
        parts.append(f"<li class='lk-scn-count'><span class='lk-scn-label'>{escape(title)}: "
                     f"<strong>{count}</strong> ({pct(share)}){yours}</span>"
                     f"<span class='lk-scn-track' aria-hidden='true'><span class='lk-scn-fill' "
                     f"style='width:{pct(share)}'></span></span></li>")
    parts.append("</ul><h3>Paths</h3><ol class='lk-scn-paths'>")
    paths: dict[tuple[tuple[str, ...], str], int] = {}
    for a in plays.values():
        key = (tuple(str(ref) for ref in a["path"]), str(a["ending"]))
        paths[key] = paths.get(key, 0) + 1
    for (path, ending_id), count in sorted(paths.items(), key=lambda kv: (-kv[1], kv[0])):
        moves = " &rarr; ".join(escape(ref.partition("/")[2].replace("-", " ")) for ref in path)
        yours = (" <strong>(yours)</strong>" if mine and tuple(mine["path"]) == path
                 and mine["ending"] == ending_id else "")
        parts.append(f"<li>{moves} &rarr; <em>{escape(titles[ending_id])}</em>: "
                     f"{plural(count, 'play')}{yours}</li>")
    parts.append("</ol></div>")
    return "\n".join(parts)


__all__ += ["scenario_board"]
