"""Steps 1 and 2 of the feedback explorer: load a survey file, map its columns and scales, analyse."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ...errors import FeedbackDataError
from ._common import _FULL, ALL_GROUPS, MAX_UPLOAD_BYTES, NONE, _clip, _sample_path, _State


class _Loading(_State):
    """FeedbackExplorer's loading, column mapping and Analyse (its widgets live on FeedbackExplorer)."""

    if TYPE_CHECKING:   # the widgets and state live on FeedbackExplorer (its __init__), which mypy sees there
        def __getattr__(self, name: str) -> Any: ...

    # ================================================================ messages

    def _say(self, text: str, *, ok: bool = False) -> None:
        kind, role = ("lk-ok", "status") if ok else ("lk-error", "alert")
        self.message.value = f'<span class="{kind}" role="{role}">{escape(text)}</span>' if text else ""

    # ================================================================ 1 load

    def use_sample(self) -> bool:
        """Load the shipped synthetic sample; True when it loaded."""
        path = self._sample or _sample_path(self._settings)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._say(f"The sample data could not be opened ({exc.strerror or exc}).")
            return False
        return self.load_bytes(data, path.name, label="the synthetic sample")

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = str(item.get("name") or "upload.csv")
        size = item.get("size") or len(item.get("content") or b"")
        if size > MAX_UPLOAD_BYTES:
            self._say(f"The file '{name}' is {size / 1024 / 1024:.0f} MB; upload a CSV file smaller than "
                      f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
            return
        self.load_bytes(bytes(item.get("content") or b""), name)

    def load_bytes(self, data: bytes, name: str, *, label: str | None = None) -> bool:
        """Read a CSV file's bytes; on success offer its columns. On failure only the message changes."""
        from ...feedback import read_survey, suggest_mapping

        try:
            raw = read_survey(data, name=name)
        except FeedbackDataError as exc:
            self._say(f"{exc} Nothing else has changed.")
            return False
        except Exception as exc:  # noqa: BLE001 - a learner's file must never give a traceback
            self._say(f"The file '{name}' could not be read ({type(exc).__name__}). Upload a CSV file exported "
                      "from your survey tool. Nothing else has changed.")
            return False
        self._raw = raw
        previous = self._mapping_values()
        kept = [previous[k] for k in ("date", "group", "recommend", "comment") if previous[k]]
        kept += list(previous["items"]) + list(previous["multi"])
        missing = [c for c in kept if c not in raw.columns]
        keep = bool(kept) and len(missing) < len(kept)   # the learner's choices fit this file at least in part
        what = label or f"'{name}'"
        self.source.value = (f"<p class='lk-fx-source'>Loaded {escape(what)}: {len(raw)} responses, "
                             f"{len(raw.columns)} columns.</p>")
        if keep:
            self._set_mapping_options(raw.columns, previous)
            if missing:
                cols = ", ".join(f"'{c}'" for c in missing)
                self._say(f"This file has no column {cols}, which you chose before. Choose again, then press "
                          "Analyse.")
            else:
                self._say("File loaded; your column choices are kept. Press Analyse.", ok=True)
        else:
            m = suggest_mapping(raw)
            self._set_mapping_options(raw.columns, {"date": m.date, "group": m.group, "recommend": m.recommend,
                                                    "comment": m.comment, "items": m.items,
                                                    "multi": tuple(getattr(m, "multi", ())),
                                                    "scales": dict(getattr(m, "scales", {}))})
            self._say("File loaded. Check the column choices below, then press Analyse.", ok=True)
        return True

    # ================================================================ 2 mapping

    def _mapping_values(self) -> dict[str, Any]:
        out = {name: getattr(self, name).value or None for name in ("date", "group", "recommend", "comment")}
        items = tuple(self.items.value)
        out["items"] = items
        out["multi"] = tuple(self.multi.value)
        out["scales"] = {item: dd.value for item, dd in self.scale_choices.items() if dd.value and item in items}
        return out

    def _set_mapping_options(self, columns: tuple[str, ...], chosen: dict[str, Any]) -> None:
        chosen_cols = [chosen[k] for k in ("date", "group", "recommend", "comment") if chosen.get(k)]
        chosen_cols += list(chosen.get("items") or ()) + list(chosen.get("multi") or ())
        absent = [c for c in dict.fromkeys(chosen_cols) if c not in columns]
        pairs = [(c, c) for c in columns] + [(f"{c} (not in this file)", c) for c in absent]
        for key in ("date", "group", "recommend", "comment"):
            dd = getattr(self, key)
            dd.options = [("(none)", NONE)] + pairs
            dd.value = chosen.get(key) or NONE
        self._scales_wanted = dict(chosen.get("scales") or {})
        self.items.options = pairs
        self.items.value = tuple(c for c in (chosen.get("items") or ()) if c in {v for _l, v in pairs})
        self.multi.options = pairs
        self.multi.value = tuple(c for c in (chosen.get("multi") or ()) if c in {v for _l, v in pairs})
        self._show_scale_choices()

    def _show_scale_choices(self, detected: dict[str, Any] | None = None, problems: frozenset = frozenset()) -> None:
        """One scale dropdown per chosen item (choices kept across changes); after Analyse, "Read from the
        answers" says what was read, and an item whose answers did not fit is marked."""
        from ...feedback import SCALES

        wanted = {**self._scales_wanted, **{i: dd.value for i, dd in self.scale_choices.items()}}
        detected = detected if detected is not None else self._detected
        self._detected = detected
        boxes, choices = [], {}
        for item in self.items.value:
            found = detected.get(item)
            auto = f"Read from the answers ({found.label})" if found is not None else "Read from the answers"
            options = [(auto, "")] + [(sc.label, key) for key, sc in SCALES.items()]
            value = wanted.get(item) or ""
            dd = self.scale_choices.get(item)
            if dd is None:
                dd = widgets.Dropdown(options=options, value=value if value in SCALES else "", layout=_FULL,
                                      description=_clip(f"Scale of '{item}'", 60),
                                      style={"description_width": "initial"})
            else:
                dd.options = options
                dd.value = value if value in SCALES else ""
            if item in problems:
                dd.add_class("lk-fx-scale-problem")
            else:
                dd.remove_class("lk-fx-scale-problem")
            choices[item] = dd
            boxes.append(dd)
        self.scale_choices = choices
        self.scale_box.children = tuple(boxes)

    def mapping(self):
        """The ColumnMapping on screen."""
        from ...feedback import ColumnMapping

        v = self._mapping_values()
        return ColumnMapping(date=v["date"], group=v["group"], items=v["items"], recommend=v["recommend"],
                             comment=v["comment"], scales=v["scales"], multi=v["multi"])

    def analyse(self) -> bool:
        """Apply the mapping (values that cannot be used are left out and listed) and show the analysis."""
        from ...feedback import apply_mapping

        if self._raw is None:
            self._say("Load the sample data or upload a CSV file first.")
            return False
        try:
            survey = apply_mapping(self._raw, self.mapping(), strict=False)
        except FeedbackDataError as exc:
            self._say(f"{exc} Nothing else has changed.")
            return False
        self._survey = survey
        from ...feedback import csat

        problems = frozenset(c.item for c in csat(survey) if c.problem)
        self._show_scale_choices(dict(survey.scales), problems)
        if survey.notes:
            items = "".join(f"<li>{escape(n)}</li>" for n in survey.notes)
            self.notes.value = (f"<div class='lk-fx-notes'><p>Some values were left out of the figures:</p>"
                                f"<ul>{items}</ul></div>")
        else:
            self.notes.value = ""
        groups = sorted({str(g) for g in survey.frame["group"].dropna()}) if survey.mapping.group else []
        current = self.group_filter.value
        with self.group_filter.hold_trait_notifications():
            self.group_filter.options = [("All responses", ALL_GROUPS)] + [(g, g) for g in groups]
            self.group_filter.value = current if current in groups else ALL_GROUPS
        self.group_filter.disabled = not groups
        method = self._method_sentence(survey)
        if not self.report_method.value.strip() or self.report_method.value == self._auto_method:
            self.report_method.value = method
        self._auto_method = method
        self._render_analysis()
        self._say(f"Analysed {len(survey)} responses from '{survey.source}'.", ok=True)
        return True

    def _method_sentence(self, survey) -> str:
        from ...feedback import comment_summary

        m = survey.mapping
        by_rule: dict[str, list[str]] = {}
        for item in m.items:
            by_rule.setdefault(survey.scale_of(item).rule, []).append(item)
        items = "; ".join(f"{', '.join(names)} [{rule}]" for rule, names in by_rule.items())
        said = comment_summary(survey) if m.comment else None
        nil = (f"; {said.nil} saying nothing, such as 'nil' or 'no', left out" if said and said.nil else "")
        parts = [f"satisfaction items: {items}" if m.items else None,
                 f"recommend score: {m.recommend} (0–10; Net Promoter Score)" if m.recommend else None,
                 f"date: {m.date}" if m.date else None, f"group: {m.group}" if m.group else None,
                 f"tick-all-that-apply: {', '.join(m.multi)} (share choosing each option)"
                 if getattr(m, "multi", ()) else None,
                 f"comments: {m.comment} (grouped into keyword themes{nil})" if m.comment else None]
        left_out = (f" {len(survey.notes)} column(s) had values that could not be read; those values were left "
                    "out.") if survey.notes else ""
        text = (f"Survey responses from the file '{survey.source}' ({len(survey)} responses), analysed in "
                f"lessonkit. Columns used: {'; '.join(p for p in parts if p)}.{left_out}")
        return _clip(text, 2000)

