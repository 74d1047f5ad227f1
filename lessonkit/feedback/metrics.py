"""Satisfaction figures over a Survey; every result carries its n and the filter it was computed on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import SupportsFloat, SupportsInt

import pandas as pd

from ..errors import FeedbackDataError
from .scales import SATISFIED_RULE, SCALES, Scale
from .survey import PROBLEM_SHARE, Survey, choice_separator, split_choices

NPS_DEFINITION = ("Net Promoter Score (NPS) is the percentage of people who answered 9 or 10 (promoters) minus the "
                  "percentage who answered 0 to 6 (detractors), of everyone who gave a 0-10 score; it runs from "
                  "-100 to +100.")
CSAT_DEFINITION = ("Satisfaction (CSAT) is the percentage of people who answered an item who chose one of the "
                   "top points of its scale: " + SATISFIED_RULE + ". Each figure states its own rule. \"N/A\" and "
                   "\"Don't know\" answers are not counted.")
ALL_ITEMS = "all items"


@dataclass(frozen=True)
class Count:
    n: int
    filter: str


@dataclass(frozen=True)
class Csat:
    """Share of an item's answers on the satisfied points of its scale.

    percent is None when nobody answered, or when problem is set: then too many answers could not be read
    on the scale for a figure to be fair, and problem says which, how many, and what to do.
    """

    item: str
    percent: float | None
    satisfied: int
    n: int
    filter: str
    group: str | None = None
    scale: str = "1-5"
    rule: str = "satisfied = 4 or 5 on the 1-5 scale"
    unreadable: int = 0
    problem: str | None = None


@dataclass(frozen=True)
class Nps:
    """Net Promoter Score (score is None when nobody gave a 0-10 score)."""

    score: float | None
    n: int
    promoters: int
    passives: int
    detractors: int
    filter: str = "all responses"
    definition: str = NPS_DEFINITION
    unreadable: int = 0
    problem: str | None = None


@dataclass(frozen=True)
class MonthTrend:
    month: str  # "2026-03"
    responses: int
    csat: Csat
    nps: Nps
    filter: str


def response_count(survey: Survey) -> Count:
    """How many responses the survey holds."""
    return Count(len(survey.frame), survey.scope)


def csat_of(values: Iterable[SupportsInt | None], *, scale: Scale | None = None, item: str = ALL_ITEMS,
            filter: str = "all responses", group: str | None = None, unreadable: int = 0,
            examples: Sequence[str] = ()) -> Csat:
    """CSAT of ratings on a scale (1-5 when none is given); missing values (None/NA) are not counted.

    unreadable: answers left out because they could not be read; above PROBLEM_SHARE of all non-empty
    answers the result has a problem (naming the item, the count and the examples) and no percent.
    """
    scale = scale or SCALES["1-5"]
    answered = [int(v) for v in values if v is not None and not pd.isna(v)]
    satisfied = sum(v in scale.satisfied for v in answered)
    n = len(answered)
    problem = _problem(item, unreadable, n + unreadable, examples, scale.label) if unreadable else None
    percent = 100 * satisfied / n if n and problem is None else None
    return Csat(item, percent, satisfied, n, filter, group, scale.label, scale.rule, unreadable, problem)


def _problem(column: str, bad: int, total: int, examples: Sequence[str], label: str) -> str | None:
    if not total or bad <= PROBLEM_SHARE * total:
        return None
    shown = ", ".join(f"'{e}'" for e in dict.fromkeys(str(x) for x in examples)) or "(none kept)"
    values = "1 answer" if bad == 1 else f"{bad} answers"
    return (f"Column '{column}': {values} of {total} ({100 * bad / total:.0f}%) could not be read on the {label} "
            f"scale, for example {shown}. No figure is shown, because it would rest on the answers that could be "
            f"read only. {_ADVICE}")


_ADVICE = "Choose this item's scale in the mapping (or correct those answers in the file) to see it."
_ADVICE_CHOSEN = ("They do not fit the scale chosen for it either: correct those answers in the file, or choose "
                  "another scale, to see it.")


def nps_of(scores: Iterable[SupportsFloat | None], *, filter: str = "all responses", unreadable: int = 0,
           examples: Sequence[str] = (), column: str = "recommend") -> Nps:
    """NPS of 0-10 scores; missing values (None/NA) are not counted; too many unreadable: a problem, no score."""
    answered = [float(v) for v in scores if v is not None and not pd.isna(v)]
    promoters = sum(v >= 9 for v in answered)
    detractors = sum(v < 7 for v in answered)
    n = len(answered)
    problem = _problem(column, unreadable, n + unreadable, examples, "0-10") if unreadable else None
    if problem:
        problem = problem.replace("this item's scale in the mapping", "the right recommend column")
    score = 100 * (promoters - detractors) / n if n and problem is None else None
    return Nps(score, n, promoters, n - promoters - detractors, detractors, filter, NPS_DEFINITION, unreadable,
               problem)


def _item_csat(survey: Survey, item: str, rows=None, *, filter: str, group: str | None = None) -> Csat:
    values = survey.ratings[item] if rows is None else survey.ratings.loc[rows, item]
    bad = _bad(survey, item, rows)
    result = csat_of(values, scale=survey.scale_of(item), item=item, filter=filter, group=group,
                     unreadable=len(bad), examples=bad[:3])
    if result.problem and item in survey.mapping.scales:     # the learner chose this scale: the answers are at fault
        result = replace(result, problem=result.problem.replace(_ADVICE, _ADVICE_CHOSEN))
    return result


def _bad(survey: Survey, item: str, rows=None) -> list[str]:
    if survey.unread is None or item not in survey.unread:
        return []
    col = survey.unread[item] if rows is None else survey.unread.loc[rows, item]
    return [str(v) for v in col.dropna()]


def _pooled(survey: Survey, rows=None, *, filter: str) -> Csat:
    """All items' answers pooled, each judged on its own scale; items with a problem are left out."""
    per = [_item_csat(survey, item, rows, filter=filter) for item in survey.items]
    usable = [c for c in per if c.problem is None]
    satisfied, n = sum(c.satisfied for c in usable), sum(c.n for c in usable)
    left_out = [c.item for c in per if c.problem is not None]
    item = ALL_ITEMS if not left_out else ALL_ITEMS + " except " + ", ".join(f"'{i}'" for i in left_out)
    labels = list(dict.fromkeys(c.scale for c in usable)) or [SCALES["1-5"].label]
    rules = list(dict.fromkeys(c.rule for c in usable)) or [SCALES["1-5"].rule]
    unreadable = sum(c.unreadable for c in usable)
    return Csat(item, 100 * satisfied / n if n else None, satisfied, n, filter, None, "; ".join(labels),
                "; ".join(rules), unreadable, None)


def csat(survey: Survey, *, overall: bool = False) -> tuple[Csat, ...]:
    """CSAT per item, in mapping order; with overall=True, one more row pooling every item's answers
    (each on its own scale; items with a problem are left out of the pool and named in its item)."""
    rows = [_item_csat(survey, item, filter=survey.scope) for item in survey.items]
    if overall and survey.items:
        rows.append(_pooled(survey, filter=survey.scope))
    return tuple(rows)


def csat_by_group(survey: Survey, *, overall: bool = False) -> tuple[Csat, ...]:
    """CSAT per group and item (groups in alphabetical order, items in mapping order).

    With overall=True, each group's rows end with one pooling its items' answers (as csat(overall=True):
    items with a problem in that group are left out of the pool and named in its item)."""
    if not survey.mapping.group:
        raise FeedbackDataError("Choose a group column (such as branch or service) to compare groups.")
    groups = survey.frame["group"]
    rows = []
    for name in sorted(groups.dropna().unique(), key=str):
        scope = _narrow(survey.scope, f"{survey.mapping.group} = {name}")
        mask = groups == name
        rows += [_item_csat(survey, item, mask, filter=scope, group=str(name)) for item in survey.items]
        if overall and survey.items:
            rows.append(replace(_pooled(survey, mask, filter=scope), group=str(name)))
    return tuple(rows)


def nps(survey: Survey) -> Nps:
    """NPS of the recommend column."""
    if not survey.mapping.recommend:
        raise FeedbackDataError("Choose the 0-10 recommend column to work out the Net Promoter Score.")
    return _nps(survey, None, filter=survey.scope)


def _nps(survey: Survey, rows, *, filter: str) -> Nps:
    frame = survey.frame if rows is None else survey.frame.loc[rows]
    bad = [str(v) for v in frame["recommend_unread"].dropna()] if "recommend_unread" in frame else []
    return nps_of(frame["recommend"], filter=filter, unreadable=len(bad), examples=bad[:3],
                  column=survey.mapping.recommend or "recommend")


def trend_by_month(survey: Survey) -> tuple[MonthTrend, ...]:
    """Responses, CSAT (all items pooled) and NPS per calendar month, oldest first; undated rows are left out."""
    if not survey.mapping.date:
        raise FeedbackDataError("Choose the date column to see the trend by month.")
    dated = survey.frame["date"].notna()
    months = survey.frame.loc[dated, "date"].dt.to_period("M").astype(str)
    rows = []
    for month in sorted(months.unique()):
        idx = months.index[months == month]
        scope = _narrow(survey.scope, f"month = {month}")
        pooled = _pooled(survey, idx, filter=scope) if survey.items else csat_of([], filter=scope)
        recommend = _nps(survey, idx, filter=scope) if survey.mapping.recommend else nps_of([], filter=scope)
        rows.append(MonthTrend(month, len(idx), pooled, recommend, scope))
    return tuple(rows)


def weakest_areas(survey: Survey, k: int = 3) -> tuple[Csat, ...]:
    """The k items with the lowest CSAT, lowest first; items tied with the k-th are included too.

    Items without a figure (nobody answered, or a problem) are left out."""
    answered = sorted(((c.percent, c) for c in csat(survey) if c.n and c.percent is not None),
                      key=lambda pc: (pc[0], pc[1].item))
    if len(answered) <= k:
        return tuple(c for _, c in answered)
    cut = answered[k - 1][0]
    return tuple(c for percent, c in answered if percent <= cut + 1e-9)


@dataclass(frozen=True)
class ChoiceShare:
    """How many respondents ticked one option of a multi-select question, of n who answered that question."""

    column: str
    option: str
    chosen: int
    n: int
    percent: float | None
    filter: str = "all responses"


# More distinct options than this in one multi-select column: those ticked by one respondent only are the
# words typed into an "Other" box (Google Forms puts them among the options), so they are shown as one row.
MANY_OPTIONS = 12
OTHER_OPTION = "Other answers (each given by one respondent)"


def choice_shares(survey: Survey) -> tuple[ChoiceShare, ...]:
    """Share choosing each option of each multi-select column (mapping order; most chosen first).

    n is the number of respondents who ticked at least one option of that question.
    """
    rows: list[ChoiceShare] = []
    for column in survey.mapping.multi:
        cells = survey.choices[column].dropna() if survey.choices is not None else pd.Series(dtype=object)
        sep = choice_separator(cells)
        picked = [set(split_choices(c, sep)) for c in cells]
        picked = [p for p in picked if p]
        n = len(picked)
        counts: dict[str, int] = {}
        for options in picked:
            for option in options:
                counts[option] = counts.get(option, 0) + 1
        if len(counts) > MANY_OPTIONS:
            once = {o for o, k in counts.items() if k == 1}
            if len(once) > 1:
                counts = {o: k for o, k in counts.items() if o not in once}
                counts[OTHER_OPTION] = sum(bool(options & once) for options in picked)
        order = sorted(counts.items(), key=lambda kv: (kv[0] == OTHER_OPTION, -kv[1], kv[0].lower()))
        for option, chosen in order:
            rows.append(ChoiceShare(column, option, chosen, n, 100 * chosen / n if n else None, survey.scope))
    return tuple(rows)


def _narrow(scope: str, part: str) -> str:
    return part if scope == "all responses" else f"{scope}; {part}"
