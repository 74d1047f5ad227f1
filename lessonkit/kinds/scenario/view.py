"""Scenario: a branching role-play played with big buttons, then a debrief against the de-escalation steps."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from lessonkit.components.base import ANNOUNCE, ActivityView, markdown
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import ActivityPage
from lessonkit.errors import AnswerRejected
from lessonkit.identity import Learner

from .board import scenario_board
from .model import SCENARIO_MOODS, ScenarioChoice, ScenarioStep
from .model import Scenario as ScenarioContent
from .scoring import scenario_debrief

if TYPE_CHECKING:
    from lessonkit.protocols import LearnerStore
    from lessonkit.settings import Settings

__all__ = ["Scenario", "mood_html", "scenario_boards", "scenario_page"]

# A word, a simple drawn face and a level for each mood, so mood never relies on colour alone (inline SVG:
# emoji fonts are missing on some library PCs).
_MOUTHS = {"calm": "M8 15 Q12 19 16 15", "uneasy": "M8 16 L16 15", "upset": "M8 17 Q12 13 16 17",
           "angry": "M8 17 Q12 13 16 17"}


def _face(mood: str) -> str:
    brows = ('<path d="M7 8 L10.5 9.5 M17 8 L13.5 9.5" stroke="currentColor" stroke-width="1.5"/>'
             if mood == "angry" else "")
    return ('<svg class="lk-scn-face" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" '
            'focusable="false"><circle cx="12" cy="12" r="10.5" fill="none" stroke="currentColor" '
            'stroke-width="1.5"/><circle cx="9" cy="10.5" r="1.2" fill="currentColor"/>'
            '<circle cx="15" cy="10.5" r="1.2" fill="currentColor"/>'
            f'<path d="{_MOUTHS[mood]}" fill="none" stroke="currentColor" stroke-width="1.5" '
            f'stroke-linecap="round"/>{brows}</svg>')


def mood_html(mood: str) -> str:
    """'Mood: 😟 Upset ●●●○' (the dots give the level in a second, non-colour way)."""
    level = SCENARIO_MOODS.index(mood) + 1
    dots = "&#9679;" * level + "&#9675;" * (len(SCENARIO_MOODS) - level)
    return (f"<p class='lk-scn-mood lk-scn-mood-{mood}'>{_face(mood)} "
            f"Patron's mood: <strong>{escape(mood.capitalize())}</strong> "
            f"<span class='lk-scn-dots' role='img' aria-label='level {level} of {len(SCENARIO_MOODS)}'>"
            f"{dots}</span></p>")


def _change_text(before: str, after: str) -> str:
    if after == before:
        return f"The patron's mood stays {after}."
    calmer = SCENARIO_MOODS.index(after) < SCENARIO_MOODS.index(before)
    return f"The patron {'calms down' if calmer else 'gets more upset'}: {before} &rarr; {after}."


class Scenario(ActivityView):
    """Patron's words and mood, choices as buttons, feedback and Continue; an ending saves the path and debriefs.

    The play is stored as items `path` (["step/choice", ...]) and `ending` (the ending step id); a new
    finished play replaces the earlier one. Nothing is stored before an ending.
    """

    content: ScenarioContent

    def __init__(self, content: ScenarioContent, store: LearnerStore, learner: Learner, **kwargs: Any) -> None:
        self.moves: list[tuple[ScenarioStep, ScenarioChoice]] = []
        self.pending = False  # a choice was made; its feedback shows until Continue
        kwargs.setdefault("title", content.scenario_title)
        super().__init__(content, store, learner, **kwargs)
        self.submit_button.layout.display = "none"  # a play is saved when it reaches an ending
        if not self.moves:
            self._render()

    # ---- building
    def _build_body(self) -> widgets.Widget:
        self.progress = widgets.HTML("", _dom_classes=("lk-scn-progress",))
        self.mood = widgets.HTML("", _dom_classes=("lk-scn-mood-box",))
        self.patron = widgets.HTML("", _dom_classes=("lk-scn-patron", ANNOUNCE))
        self.choice_box = widgets.VBox([], _dom_classes=("lk-scn-choices",))
        self.feedback = widgets.HTML("", _dom_classes=("lk-scn-feedback", ANNOUNCE))
        self.continue_button = widgets.Button(description="Continue", button_style="primary", icon="arrow-right",
                                              tooltip="See what the patron does next")
        self.continue_button.add_class("lk-scn-continue")
        self.continue_button.on_click(lambda _b: self.go_on())
        self.debrief = widgets.HTML("", _dom_classes=("lk-scn-debrief",))
        self.back_button = widgets.Button(description="Back", icon="arrow-left", tooltip="Undo your last choice")
        self.restart_button = widgets.Button(description="Restart", icon="undo", tooltip="Start the role-play again")
        for b in (self.back_button, self.restart_button):
            b.add_class("lk-scn-nav-button")
        self.back_button.on_click(lambda _b: self.back())
        self.restart_button.on_click(lambda _b: self.restart())
        nav = widgets.HBox([self.back_button, self.restart_button], _dom_classes=("lk-scn-nav",))
        return widgets.VBox([self.progress, self.mood, self.patron, self.choice_box, self.feedback,
                             self.continue_button, self.debrief, nav], _dom_classes=("lk-scn",))

    # ---- state
    @property
    def here(self) -> ScenarioStep:
        """The step the play has reached (after the last choice)."""
        step = self.content.step(self.moves[-1][1].next if self.moves else self.content.start)
        assert step is not None   # the content was checked: every choice leads to a step
        return step

    @property
    def path(self) -> list[str]:
        """The play so far as 'step/choice' references."""
        return [f"{s.id}/{c.id}" for s, c in self.moves]

    @property
    def finished(self) -> bool:
        return not self.pending and self.here.ending is not None

    # ---- actions (the buttons call these)
    def choose(self, choice_id: str) -> None:
        """Take a choice at the current step and show its feedback."""
        if self.pending or self.finished:
            return
        choice = next((c for c in self.here.choices if c.id == choice_id), None)
        if choice is None:
            return
        self.moves.append((self.here, choice))
        self.pending = True
        self._render()

    def go_on(self) -> None:
        """Continue to the next step; at an ending, save the play and show the debrief."""
        if not self.pending:
            return
        self.pending = False
        if self.here.ending is not None:
            self.submit()
        self._render()

    def back(self) -> None:
        """Undo the last choice."""
        if self.moves:
            self.moves.pop()
        self.pending = False
        self._render()

    def restart(self) -> None:
        """Start again from the first step; a saved play stays saved until a new ending replaces it."""
        was_finished = self.finished
        self.moves = []
        self.pending = False
        if was_finished and self.saved:
            self.status = "Playing again: your last finished play stays on the board until you reach a new ending."
        self._render()

    # ---- ActivityView
    def _collect(self) -> dict[str, Any]:
        return {"path": self.path, "ending": self.here.id}

    def _validate(self, answers: dict[str, Any]) -> dict[str, Any]:
        if set(answers) != {"path", "ending"}:
            raise AnswerRejected("a play is a path and an ending; use the buttons to play")
        try:
            moves = self.content.walk(answers["path"])
        except ValueError as exc:
            raise AnswerRejected(f"that is not a way through the role-play ({exc}); use the buttons to play") \
                from None
        end = self.content.step(moves[-1][1].next) if moves else None
        if end is None or end.ending is None or answers["ending"] != end.id:
            raise AnswerRejected("the play has not reached an ending yet; keep going")
        return {"path": list(answers["path"]), "ending": end.id}

    def _show(self, answers: dict[str, Any]) -> None:
        try:
            self._validate(dict(answers))
            self.moves = self.content.walk(answers["path"])
        except AnswerRejected:  # the role-play changed since this play: start afresh
            self.moves = []
        self.pending = False
        self._render()

    def _after_save(self, answers: dict[str, Any]) -> None:
        self.status = self.status.split(".")[0] + ": your play is on the class board. Play again to try another way."

    # ---- drawing
    def _render(self) -> None:
        step = self.here
        c = self.content
        mood = c.mood_after(self.moves)
        n_choices = sum(1 for s, _ in self.moves)
        self.progress.value = (f"<p class='lk-scn-step-no'>Decision {n_choices + (0 if self.pending else 1)}</p>"
                               if not self.finished else "")
        self.back_button.disabled = not self.moves
        self.restart_button.description = "Play again" if self.finished else "Restart"
        self.restart_button.button_style = "primary" if self.finished else ""
        if self.pending:
            before = c.mood_after(self.moves[:-1])
            _s, choice = self.moves[-1]
            self.mood.value = mood_html(mood)
            self.patron.value = ""
            self.choice_box.children = ()
            self.feedback.value = (f"<div class='lk-scn-said'><strong>You said:</strong> {escape(choice.text)}</div>"
                                   f"<p class='lk-scn-change' role='status'><strong>{_change_text(before, mood)}"
                                   f"</strong></p><p>{escape(choice.explanation)}</p>")
            self.continue_button.layout.display = None
            self.debrief.value = ""
            return
        self.feedback.value = ""
        self.continue_button.layout.display = "none"
        if step.ending is not None:
            self.mood.value = mood_html(mood)
            self.patron.value = ""
            self.choice_box.children = ()
            self.debrief.value = self._debrief_html()
            return
        self.debrief.value = ""
        self.mood.value = mood_html(mood)
        self.patron.value = f"<blockquote class='lk-scn-says'>{escape(step.patron)}</blockquote>"
        buttons = []
        for choice in step.choices:
            b = widgets.Button(description=choice.text, tooltip=choice.text,
                               layout=widgets.Layout(width="100%", height="auto"))
            b.add_class("lk-scn-choice")
            b.choice_id = choice.id
            b.on_click(partial(lambda cid, _b: self.choose(cid), choice.id))
            buttons.append(b)
        self.choice_box.children = buttons

    def _debrief_html(self) -> str:
        end = self.here
        assert end.ending is not None   # shown only once the play has finished
        steps = scenario_debrief([c.tags for _s, c in self.moves])
        shown = [d for d in steps if d.shown_at]
        rows = []
        for d in steps:
            if d.shown_at:
                at = " and ".join(map(str, d.shown_at))
                word = "decisions" if len(d.shown_at) > 1 else "decision"
                rows.append(f"<li class='lk-scn-shown'><strong>&#10003; {escape(d.name)}</strong>: you did this "
                            f"({word} {at}).</li>")
            else:
                rows.append(f"<li class='lk-scn-missed'><strong>&#10007; {escape(d.name)}</strong>: missed on "
                            f"this path. Next time, {escape(d.what)}.</li>")
        moves = "".join(f"<li>{escape(c.text)}</li>" for _s, c in self.moves)
        return (f"<div class='lk-scn-end' role='status'><h3>Ending: {escape(end.ending.title)}</h3>"
                f"{markdown(end.ending.summary)}</div>"
                f"<h4>Debrief: you showed {len(shown)} of the {len(steps)} de-escalation steps</h4>"
                f"<ul class='lk-scn-steps'>{''.join(rows)}</ul>"
                f"<details class='lk-scn-your-path'><summary>What you said</summary><ol>{moves}</ol></details>")


def scenario_boards(content: ScenarioContent, store: LearnerStore, class_code: str, *, learner: str | None = None,
                    show_names: bool = True, live: bool = True) -> list[widgets.Widget]:
    """The class's endings, anonymous (show_names cannot turn names on); learner: who is "you", None: trainer."""
    return [ClassBoard(
        store, class_code, content.slug,
        render=partial(scenario_board, [(s.id, s.ending.title) for s in content.endings if s.ending is not None]),
        learner=learner, title=content.board_title, show_names=False, live=live,
        sample_label="Nobody else in your class has finished the role-play yet: this board fills in as they do.",
    )]


def scenario_page(content: ScenarioContent, store: LearnerStore, learner: Learner, *,
                  settings: Settings | None = None) -> ActivityPage:
    """Tips (intro), the trainer's clip (optional, never blocking), the role-play, then the class board.

    The clip is a MediaGate with nothing behind it: learners can watch it, read its description or skip
    it; the role-play below is always there, because the video is the trainer's and may not be set.
    """
    parts: list[widgets.Widget] = [widgets.HTML(f"<h1 class='lk-title'>{escape(content.title)}</h1>"
                                                f"<div class='lk-instructions'>{markdown(content.intro)}</div>")]
    if content.media is not None:
        from lessonkit.components.media import MediaGate  # only pages with a clip load it

        parts.append(MediaGate(content.media, None, can_reopen=True))
    scenario = Scenario(content, store, learner)
    [board] = scenario_boards(content, store, learner.class_code, learner=learner.learner)
    parts += [scenario, board]
    return ActivityPage(parts, feeds=[(scenario, board)], classes=("lk-scn-page",))
