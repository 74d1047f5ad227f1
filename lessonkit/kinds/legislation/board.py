"""The legislation boards: how the class matched situations to laws, and its ranking of the laws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lessonkit.charts import _class_summary, _how_many_right, _sample_summary, _short, pct, plural

from .scoring import borda, class_matching, match_laws, valid_ranking

__all__ = ["law_matching_board", "ranking_board"]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def law_matching_board(
    laws: Sequence[tuple[str, str]],
    scenarios: Sequence[tuple[str, str, Sequence[str]]],
    answers: Mapping[str, Mapping[str, Any]],
    you: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    sample_label: str | None = None,
) -> str:
    """HTML of how a class matched scenarios to laws: share who matched exactly, the most-missed law.

    laws: (id, name); scenarios: (id, text, law ids that apply); answers: learner -> {scenario -> [law ids]}.
    """
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
    mine = {m.scenario: m for m in match_laws(expected, answers[you])} if you is not None and you in answers else {}
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
    answers: Mapping[str, Mapping[str, Any]],
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
