"""Satisfaction figures over a Survey; every result carries its n and the filter it was computed on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..errors import FeedbackDataError
from .survey import Survey

NPS_DEFINITION = ("Net Promoter Score (NPS) is the percentage of people who answered 9 or 10 (promoters) minus the "
                  "percentage who answered 0 to 6 (detractors), of everyone who gave a 0-10 score; it runs from "
                  "-100 to +100.")
CSAT_DEFINITION = ("Satisfaction (CSAT) is the percentage of people who answered an item who chose 4 or 5 "
                   "(Agree or Strongly agree).")
ALL_ITEMS = "all items"


@dataclass(frozen=True)
class Count:
    n: int
    filter: str


@dataclass(frozen=True)
class Csat:
    """Share of answers of 4-5 to one item (percent is None when nobody answered)."""

    item: str
    percent: float | None
    satisfied: int
    n: int
    filter: str
    group: str | None = None


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


def csat_of(values: Iterable[object], *, item: str = ALL_ITEMS, filter: str = "all responses",
            group: str | None = None) -> Csat:
    """CSAT of 1-5 ratings; missing values (None/NA) are not counted."""
    answered = [int(v) for v in values if v is not None and not pd.isna(v)]
    satisfied = sum(v >= 4 for v in answered)
    n = len(answered)
    return Csat(item, 100 * satisfied / n if n else None, satisfied, n, filter, group)


def nps_of(scores: Iterable[object], *, filter: str = "all responses") -> Nps:
    """NPS of 0-10 scores; missing values (None/NA) are not counted."""
    answered = [float(v) for v in scores if v is not None and not pd.isna(v)]
    promoters = sum(v >= 9 for v in answered)
    detractors = sum(v < 7 for v in answered)
    n = len(answered)
    score = 100 * (promoters - detractors) / n if n else None
    return Nps(score, n, promoters, n - promoters - detractors, detractors, filter)


def csat(survey: Survey, *, overall: bool = False) -> tuple[Csat, ...]:
    """CSAT per item, in mapping order; with overall=True, one more row pooling every item's answers."""
    rows = [csat_of(survey.ratings[item], item=item, filter=survey.scope) for item in survey.items]
    if overall and survey.items:
        pooled = survey.ratings[list(survey.items)].stack(future_stack=True)
        rows.append(csat_of(pooled, item=ALL_ITEMS, filter=survey.scope))
    return tuple(rows)


def csat_by_group(survey: Survey) -> tuple[Csat, ...]:
    """CSAT per group and item (groups in alphabetical order, items in mapping order)."""
    if not survey.mapping.group:
        raise FeedbackDataError("Choose a group column (such as branch or service) to compare groups.")
    groups = survey.frame["group"]
    rows = []
    for name in sorted(groups.dropna().unique(), key=str):
        scope = _narrow(survey.scope, f"{survey.mapping.group} = {name}")
        mask = groups == name
        rows += [csat_of(survey.ratings.loc[mask, item], item=item, filter=scope, group=str(name))
                 for item in survey.items]
    return tuple(rows)


def nps(survey: Survey) -> Nps:
    """NPS of the recommend column."""
    if not survey.mapping.recommend:
        raise FeedbackDataError("Choose the 0-10 recommend column to work out the Net Promoter Score.")
    return nps_of(survey.frame["recommend"], filter=survey.scope)


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
        pooled = survey.ratings.loc[idx, list(survey.items)].stack(future_stack=True) if survey.items else []
        recommend = survey.frame.loc[idx, "recommend"] if survey.mapping.recommend else []
        rows.append(MonthTrend(month, len(idx), csat_of(pooled, filter=scope), nps_of(recommend, filter=scope),
                               scope))
    return tuple(rows)


def weakest_areas(survey: Survey, k: int = 3) -> tuple[Csat, ...]:
    """The k items with the lowest CSAT, lowest first; items tied with the k-th are included too."""
    answered = sorted((c for c in csat(survey) if c.n), key=lambda c: (c.percent, c.item))
    if len(answered) <= k:
        return tuple(answered)
    cut = answered[k - 1].percent
    return tuple(c for c in answered if c.percent <= cut + 1e-9)


def _narrow(scope: str, part: str) -> str:
    return part if scope == "all responses" else f"{scope}; {part}"
