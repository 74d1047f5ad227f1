"""Customer feedback surveys: load a CSV export, map its columns, measure satisfaction, find themes.

Pure Python over pandas, no widgets: the notebook imports this only when the learner loads data.
"""

from ..errors import FeedbackDataError
from .metrics import (
    CSAT_DEFINITION,
    NPS_DEFINITION,
    ChoiceShare,
    Count,
    Csat,
    MonthTrend,
    Nps,
    choice_shares,
    csat,
    csat_by_group,
    csat_of,
    nps,
    nps_of,
    response_count,
    trend_by_month,
    weakest_areas,
)
from .scales import SATISFIED_RULE, SCALES, Scale
from .survey import (
    ColumnMapping,
    RawSurvey,
    Survey,
    apply_mapping,
    filter_survey,
    read_survey,
    split_choices,
    suggest_mapping,
)
from .themes import CommentSummary, Theme, ThemeCount, comment_summary, load_themes, theme_counts

__all__ = [
    "CSAT_DEFINITION", "NPS_DEFINITION", "SATISFIED_RULE", "SCALES", "ChoiceShare", "ColumnMapping",
    "CommentSummary", "Count", "Csat", "FeedbackDataError", "MonthTrend", "Nps", "RawSurvey", "Scale", "Survey",
    "Theme", "ThemeCount", "apply_mapping", "choice_shares", "comment_summary", "csat", "csat_by_group", "csat_of",
    "filter_survey", "load_themes", "nps", "nps_of", "read_survey", "response_count", "split_choices",
    "suggest_mapping", "theme_counts", "trend_by_month", "weakest_areas",
]
