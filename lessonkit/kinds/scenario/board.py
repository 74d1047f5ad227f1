"""The scenario board: where the class's role-plays ended and the paths they took."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from lessonkit.charts import pct, plural

__all__ = ["scenario_board"]


def scenario_board(endings: Sequence[tuple[str, str]], answers: Mapping[str, Mapping[str, Any]],
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
