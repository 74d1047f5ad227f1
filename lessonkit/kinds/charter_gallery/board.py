"""The charter gallery: the class's charters as cards, and the kinds of commitment they make."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lessonkit.charts import _short, pct, plural, web_link

__all__ = ["charter_gallery"]


def charter_gallery(kinds: Sequence[tuple[str, str]], types: Sequence[str],
                    answers: Mapping[str, Mapping[str, Any]], you: str | None = None, *,
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
    summary = (f"{plural(len(real), 'charter')} shared by {plural(people, 'learner')}" if real
               else "No charters shared yet")
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
                     f'aria-label="{escape(name)}: {text}">'
                     f'<span class="lk-chr-fill" style="width:{round(share * 100)}%">'
                     '</span></div></li>')
    parts.append("</ul></div>")
    return "\n".join(parts)
