"""What the feedback explorer's parts share: limits, the "(none)" values and small text helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

REPORT_NAME = "service-delivery-report.html"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NONE = ""                       # the value of the "(none)" choice in a column dropdown
ALL_GROUPS = ""                 # the value of "All responses" in the group filter
RECOMMENDATIONS = 3
_FULL = widgets.Layout(width="100%")


def _data_dir(settings=None) -> Path:
    """The content folder of the page's settings (without them, the default one)."""
    from ...datafiles import data_dir, default_data_dir

    return data_dir(settings) if settings is not None else default_data_dir()


def _sample_path(settings=None) -> Path:
    return _data_dir(settings) / "samples" / "library-feedback-sample.csv"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _pct(value: float | None) -> str:
    return "no answers" if value is None else f"{value:.1f}%"


def _signed(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"   # None: no score (only drawn when there is one)


class _NoPlots:
    """Charts off (benchmarks/page_load.py measures 08 with and without plotly): every figure is None."""

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None


@dataclass
class _Section:
    """One figure of the analysis: heading and text, an optional plotly figure, text after it, its finding."""

    key: str
    head: str
    figure: Any = None
    tail: str = ""
    finding: Any = None



class _State:
    """The state FeedbackExplorer's parts share, set in FeedbackExplorer.__init__ (declared for the type checker)."""

    _settings: Any
    _sample: Path | None
    _charts: bool
    _themes_path: Any
    _themes: Any
    _raw: Any
    _survey: Any
    _auto_method: str
    findings: dict[str, widgets.ToggleButton]
    chosen: dict[str, Any]
    _figures: dict[str, Any]
    plots: dict[str, Any]
    _plot_serial: int
    _plotly_sent: bool
    _scales_wanted: dict[str, str]
    _detected: dict[str, Any]
    scale_choices: dict[str, widgets.Dropdown]
    report_html: str | None
