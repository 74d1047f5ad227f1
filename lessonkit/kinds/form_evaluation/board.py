"""The form-evaluation board: the class's evaluated forms, best total first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lessonkit.charts import _short, pct, plural, web_link

__all__ = ["form_evaluation_board"]


def form_evaluation_board(criteria: Sequence[tuple[str, str, int]], answers: Mapping[str, Mapping[str, Any]],
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
