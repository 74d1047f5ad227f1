"""The legislation content: the laws, library situations to match to them, and a ranking."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from lessonkit.convert import Ctx, field_meta, id_meta, read_sample_csv
from lessonkit.datafiles import resolve_data_file
from lessonkit.model import Activity, SampleClass
from lessonkit.yamllines import line_of

__all__ = ["Law", "LawScenario", "Legislation", "LAW_SEPARATOR"]


LAW_SEPARATOR = "|"                                   # between law ids in a sample-class CSV cell
_LEGISLATION_COLUMNS = ("learner", "ranking", "reason")   # sample CSV columns no scenario id may take


@dataclass(frozen=True)
class Law:
    """One law or area of law: what it asks of a library, the Acts, an official link, how states differ."""

    id: str = field(metadata=id_meta("short id that scenarios refer to", "privacy"))
    name: str = field(metadata=field_meta("full name shown with the summary", max_len=80))
    short: str = field(metadata=field_meta("short name shown on the choice boxes and the ranking", max_len=24))
    summary: str = field(metadata=field_meta("Markdown: what it means for a library, in your own words",
                                             max_len=2000))
    acts: tuple[str, ...] = field(metadata=field_meta("the main Acts, e.g. 'Privacy Act 1988 (Cth)'", min_items=1,
                                                      max_items=12, max_len=160))
    link: str = field(metadata=field_meta("an official source", pattern=r"https://[A-Za-z0-9.-]+(/[^\s\"'<>]*)?",
                                          expected="an https:// link to an official source"))
    link_label: str = field(metadata=field_meta("what the link is, shown as its text", max_len=120))
    states: str = field(default="", metadata=field_meta("Markdown: where the rules differ by state or territory",
                                                        max_len=1200))


@dataclass(frozen=True)
class LawScenario:
    """A library situation and the law(s) that apply to it (more than one may be right)."""

    id: str = field(metadata=id_meta("short id, also the store item", "loan-records", max_len=40))
    text: str = field(metadata=field_meta("the situation as the learner reads it", max_len=400))
    laws: tuple[str, ...] = field(metadata=field_meta("ids of every law that applies", min_items=1, unique=True))
    explanation: str = field(metadata=field_meta("why those laws apply, shown as feedback", max_len=800))


@dataclass(frozen=True)
class Legislation(Activity):
    """Learn the laws, match library scenarios to the laws that apply, then rank the laws and say why."""

    intro: str = field(default="", metadata=field_meta("Markdown shown above the law summaries"))
    laws: tuple[Law, ...] = field(default=(), metadata=field_meta(
        "the laws (2 to 8), each with id, name, short, summary, acts, link, link_label, states", required=True,
        min_items=2, max_items=8, unique_by="id"))
    scenarios: tuple[LawScenario, ...] = field(default=(), metadata=field_meta(
        "the situations to match, each with id, text, laws and explanation", required=True, min_items=1, max_items=30,
        unique_by="id"))
    matcher_title: str = field(default="Which law applies?", metadata=field_meta("heading of the matcher",
                                                                                max_len=80))
    ranking_title: str = field(default="Rank the laws", metadata=field_meta("heading of the ranking", max_len=80))
    ranking_prompt: str = field(default="Put the laws in order of importance for libraries, most important "
                                        "first, and say why.",
                                metadata=field_meta("Markdown: the ranking question"))
    reason_prompt: str = field(default="Why did you rank them this way?",
                               metadata=field_meta("label of the reason box", max_len=200))
    reason_max_chars: int = field(default=600, metadata=field_meta("longest reason accepted", min=50, max=2000))
    matcher_board_title: str = field(default="How the class matched each situation",
                                     metadata=field_meta("heading of the matcher's class board", max_len=80))
    ranking_board_title: str = field(default="The class's ranking",
                                     metadata=field_meta("heading of the ranking's class board", max_len=80))
    sample_class: SampleClass | None = field(default=None, metadata=field_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: Ctx) -> Legislation:
        return _complete_legislation(self, data, ctx)

    def law(self, law_id: str) -> Law | None:
        """The law with this id, or None."""
        return next((law for law in self.laws if law.id == law_id), None)

    def in_law_order(self, law_ids: Any) -> list[str]:
        """The given law ids in content order (unknown ids dropped)."""
        chosen = set(law_ids)
        return [law.id for law in self.laws if law.id in chosen]


def _complete_legislation(content: Legislation, data: dict, ctx: Ctx) -> Legislation:
    top = getattr(data, "line", 1)
    for name, wanted in (("laws", "id, name, short, summary, acts, link, link_label"),
                         ("scenarios", "id, text, laws, explanation")):
        if not getattr(content, name):
            ctx.fail(name, "a list", line_of(data, name) if name in data else top,
                     detail=f"missing or empty; expected a list of {name} ({wanted})")
    ids = [law.id for law in content.laws]
    for i, s in enumerate(content.scenarios):
        if s.id in _LEGISLATION_COLUMNS:
            ctx.fail(f"scenarios[{i}].id", "", line_of(data, "scenarios", i, "id"),
                     detail=f"scenario id '{s.id}' is a column of the sample-class CSV; choose another id")
        for j, law_id in enumerate(s.laws):
            if law_id not in ids:
                ctx.fail(f"scenarios[{i}].laws[{j}]", "", line_of(data, "scenarios", i, "laws", j),
                         detail=f"scenario '{s.id}' names law '{law_id}', which is not one of the laws "
                                f"({', '.join(ids)}); expected one of those ids")
    if content.sample_class is None:
        return content
    path = resolve_data_file(content, content.sample_class.file, ctx.data)
    columns = ["learner", *(s.id for s in content.scenarios), "ranking", "reason"]
    raw = read_sample_csv(path, columns, {})
    sample_ctx = Ctx(path)
    rows = []
    for n, row in enumerate(raw, start=2):
        out: dict[str, Any] = {"learner": row["learner"], "reason": row["reason"]}
        for column in [s.id for s in content.scenarios] + ["ranking"]:
            picked = [p.strip() for p in row[column].split(LAW_SEPARATOR) if p.strip()]
            bad = [p for p in picked if p not in ids]
            if not picked or bad or len(set(picked)) != len(picked) or (
                    column == "ranking" and sorted(picked) != sorted(ids)):
                what = ("every law id once, most important first" if column == "ranking"
                        else "one or more law ids")
                sample_ctx.fail(column, f"{what}, separated by '{LAW_SEPARATOR}' ({', '.join(ids)})", n,
                                row[column] or None)
            out[column] = picked if column == "ranking" else content.in_law_order(picked)
        rows.append(out)
    return dataclasses.replace(content, sample_class=dataclasses.replace(content.sample_class, rows=tuple(rows)))
