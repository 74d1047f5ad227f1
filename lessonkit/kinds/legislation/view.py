"""Notebook 07: the laws, a scenario matcher (tick every law that applies), then a ranking of the laws."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit.components.base import ANNOUNCE, LABEL_NEXT, ActivityView, markdown
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import law_matching_board, ranking_board
from .model import Legislation
from .ranking import Ranking, ranking_activity
from .scoring import LawMatch, match_laws

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["LawMatcher", "laws_html", "legislation_boards", "legislation_page"]


class LawMatcher(ActivityView):
    """One card per scenario with a tick box per law; Submit marks each card right, partly right or not."""

    content: Legislation

    def _build_body(self) -> widgets.Widget:
        c = self.content
        self.ticks: dict[str, dict[str, widgets.Checkbox]] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.summary = widgets.HTML("", _dom_classes=("lk-law-summary", ANNOUNCE))
        cards: list[widgets.Widget] = []
        for n, s in enumerate(c.scenarios, start=1):
            boxes = {}
            for law in c.laws:
                box = widgets.Checkbox(value=False, description=law.short, indent=False,
                                       layout=widgets.Layout(width="auto"))
                box.observe(partial(self._on_tick, s.id), names="value")
                boxes[law.id] = box
            self.ticks[s.id] = boxes
            self.feedback[s.id] = widgets.HTML("", _dom_classes=("lk-law-feedback",))
            text = widgets.HTML(f"<p class='lk-law-text'><strong>{n}.</strong> {escape(s.text)}</p>",
                                _dom_classes=(LABEL_NEXT,))
            group = widgets.Box(list(boxes.values()), _dom_classes=("lk-law-ticks",))
            cards.append(widgets.VBox([text, group, self.feedback[s.id]], _dom_classes=("lk-law-card",)))
        return widgets.VBox([*cards, self.summary], _dom_classes=("lk-law-matcher",))

    def _collect(self) -> dict[str, Any]:
        return {sid: [law_id for law_id, box in boxes.items() if box.value] for sid, boxes in self.ticks.items()}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        c = self.content
        known = {law.id for law in c.laws}
        if set(answers) != {s.id for s in c.scenarios}:
            raise AnswerRejected("those are not the situations on this page; reload the page and try again")
        for value in answers.values():
            if (not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v in known for v in value)
                    or len(set(value)) != len(value)):
                raise AnswerRejected("that is not one of the laws; use the boxes under each situation")
        missing = [n for n, s in enumerate(c.scenarios, start=1) if not answers[s.id]]
        if missing:
            listed = ", ".join(map(str, missing[:8])) + (" ..." if len(missing) > 8 else "")
            raise AnswerRejected(f"tick at least one law for every situation (still to do: {listed})")
        return {s.id: c.in_law_order(answers[s.id]) for s in c.scenarios}

    def _show(self, answers: dict[str, Any]) -> None:
        for sid, boxes in self.ticks.items():
            value = answers.get(sid)
            if isinstance(value, list):
                for law_id, box in boxes.items():
                    box.value = law_id in value
        self._give_feedback(answers)

    def _after_save(self, answers: dict[str, Any]) -> None:
        self._give_feedback(answers)

    def _give_feedback(self, answers: dict[str, Any]) -> None:
        c = self.content
        results = match_laws({s.id: s.laws for s in c.scenarios}, answers)
        for s, m in zip(c.scenarios, results):
            self.feedback[s.id].value = _feedback_html(c, s.explanation, tuple(c.in_law_order(s.laws)), m)
        exact = sum(m.exact for m in results)
        self.summary.value = (f"<p class='lk-law-score' role='status'><strong>{exact} of {len(results)} "
                              f"matched exactly.</strong></p>")

    def _on_tick(self, scenario_id: str, _change: dict) -> None:
        self.feedback[scenario_id].value = ""  # feedback was about the old ticks
        self._mark_changed("press Submit to save and see the feedback")


def _feedback_html(c: Legislation, explanation: str, laws: tuple[str, ...], m: LawMatch) -> str:
    short = {law.id: law.short for law in c.laws}

    def names(ids: tuple[str, ...]) -> str:
        return escape(", ".join(short[i] for i in ids))

    if not m.answered:
        return ""
    if m.exact:
        head = f"<strong>&#10003; Right: {names(laws)}.</strong>"
        kind = "lk-right"
    elif m.partly:
        bits = []
        if m.missed:
            bits.append(f"you missed {names(m.missed)}")
        if m.extra:
            bits.append(f"{names(m.extra)} {'does' if len(m.extra) == 1 else 'do'} not apply here")
        head = f"<strong>&#9680; Partly right:</strong> {'; '.join(bits)}."
        kind = "lk-partly"
    else:
        head = f"<strong>&#10007; Not quite: this is {names(laws)}.</strong>"
        kind = "lk-wrong"
    return f"<p class='lk-feedback {kind}'>{head} {escape(explanation)}</p>"


def laws_html(content: Legislation) -> str:
    """The law summaries: name, summary, main Acts, how states differ, official link (one <details> each)."""
    out = ["<div class='lk-law-list'>"]
    for law in content.laws:
        acts = "".join(f"<li>{escape(a)}</li>" for a in law.acts)
        states = (f"<div class='lk-law-states'><strong>Across states and territories:</strong>"
                  f"{markdown(law.states)}</div>" if law.states else "")
        out.append(
            f"<details class='lk-law-card-info'><summary>{escape(law.name)}</summary>"
            f"<div class='lk-law-body'>{markdown(law.summary)}"
            f"<p class='lk-law-acts-title'><strong>Main Acts:</strong></p><ul class='lk-law-acts'>{acts}</ul>"
            f"{states}<p class='lk-law-link'>Official source: <a href=\"{escape(law.link, quote=True)}\" "
            f"target='_blank' rel='noopener noreferrer'>{escape(law.link_label)}</a></p></div></details>")
    out.append("</div>")
    return "".join(out)


def legislation_boards(content: Legislation, store: LearnerStore, class_code: str, *, learner: str | None = None,
                       show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """The scenario matcher's class board, then the ranking's (learner: who is "you", None for the trainer)."""
    sample = content.sample_class
    rows = sample.rows if sample else ()
    label = sample.label if sample else "No sample class"
    scenario_ids = [s.id for s in content.scenarios]
    laws = [(law.id, law.short) for law in content.laws]
    matcher_board = ClassBoard(
        store, class_code, content.slug,
        render=partial(law_matching_board, laws, [(s.id, s.text, s.laws) for s in content.scenarios]),
        learner=learner, title=content.matcher_board_title, show_names=show_names, live=live,
        sample={row["learner"]: {sid: row[sid] for sid in scenario_ids} for row in rows},
        sample_label=label, items=scenario_ids,
    )
    rank_board = ClassBoard(
        store, class_code, ranking_activity(content.slug), render=partial(ranking_board, laws),
        learner=learner, title=content.ranking_board_title, show_names=show_names, live=live,
        sample={row["learner"]: {"order": row["ranking"], "reason": row["reason"]} for row in rows},
        sample_label=label, items=["order", "reason", "at"],
    )
    return [matcher_board, rank_board]


def legislation_page(content: Legislation, store: LearnerStore, learner: Learner, *,
                     settings: Settings | None = None) -> ActivityPage:
    """Law summaries, the scenario matcher and its board, then the ranking and its board."""
    header = widgets.HTML(
        f"<h1 class='lk-title'>{escape(content.title)}</h1>"
        f"<div class='lk-instructions'>{markdown(content.intro)}"
        f"<p class='lk-law-hint'>Tap or click a law to read about it.</p></div>{laws_html(content)}",
        _dom_classes=("lk-law-intro",))
    matcher = LawMatcher(content, store, learner, title=content.matcher_title)
    matcher_board, rank_board = legislation_boards(content, store, learner.class_code, learner=learner.learner)
    items = [(law.id, law.short) for law in content.laws]
    ranking = Ranking(content, store, learner, items=items, prompt=content.ranking_prompt,
                      reason_prompt=content.reason_prompt, reason_max_chars=content.reason_max_chars,
                      title=content.ranking_title)
    return ActivityPage([header, matcher, matcher_board, ranking, rank_board],
                        feeds=[(matcher, matcher_board), (ranking, rank_board)], classes=("lk-law-page",))
