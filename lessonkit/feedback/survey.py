"""Read a survey export, guess and check which column is which, and build a tidy Survey."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import FeedbackDataError

MISSING = frozenset({"", "na", "n/a", "n.a.", "nan", "none", "null", "-"})
LIKERT = {
    "strongly disagree": 1, "disagree": 2, "neutral": 3, "neither agree nor disagree": 3,
    "neither agree or disagree": 3, "agree": 4, "strongly agree": 5,
}
# Fixed column names of Survey.frame; ratings live in Survey.ratings under their own names.
FIXED = ("date", "group", "recommend", "comment")
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y",
                 "%d/%m/%y %H:%M", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                 "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d")
_BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                 b"%PDF": "a PDF document", b"PK\x03\x04": "a zipped file such as an Excel workbook (.xlsx)",
                 b"\xd0\xcf\x11\xe0": "an old Excel or Word file (.xls/.doc)"}


@dataclass(frozen=True)
class RawSurvey:
    """A survey file as read: every cell a stripped string, or None when missing ("NA", "N/A", blank)."""

    frame: pd.DataFrame = field(repr=False)
    name: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.frame.columns)

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the file plays which part; None where the file has no such column."""

    date: str | None = None
    group: str | None = None
    items: tuple[str, ...] = ()
    recommend: str | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))

    def columns(self) -> tuple[str, ...]:
        """Every mapped column, in order."""
        one = [c for c in (self.date, self.group) if c]
        return tuple(one + list(self.items) + [c for c in (self.recommend, self.comment) if c])


@dataclass(frozen=True)
class Survey:
    """Tidy responses: frame (date, group, recommend, comment) and ratings (1-5 per item), one row each."""

    frame: pd.DataFrame = field(repr=False)
    ratings: pd.DataFrame = field(repr=False)
    mapping: ColumnMapping
    source: str
    scope: str = "all responses"
    notes: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[str, ...]:
        return self.mapping.items

    def __len__(self) -> int:
        return len(self.frame)


# ---------------------------------------------------------------- reading

def read_survey(data: bytes | str | os.PathLike, *, name: str = "upload.csv") -> RawSurvey:
    """Read a CSV export (bytes, CSV text, or a path); raise FeedbackDataError with a learner-facing sentence."""
    if isinstance(data, os.PathLike):
        path = Path(data)
        name = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FeedbackDataError(f"The file '{name}' could not be opened ({exc.strerror or exc}).") from None
    if isinstance(data, bytes):
        text = _decode(data, name)
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise FeedbackDataError(f"'{name}' is not a file this page can read; upload a CSV file.")
    if not text.strip():
        raise FeedbackDataError(f"The file '{name}' is empty. Choose a CSV file exported from your survey tool.")
    if "\x00" in text:
        raise FeedbackDataError(f"The file '{name}' is not a CSV file (it contains binary data). "
                                "Export your survey as CSV and upload that file.")
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "{", "[")):
        raise FeedbackDataError(f"The file '{name}' looks like a web page or JSON, not a CSV file. "
                                "Export your survey as CSV and upload that file.")
    header_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = next((d for d in (",", "\t", ";") if d in header_line), ",")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.EmptyDataError:
        raise FeedbackDataError(f"The file '{name}' is empty. Choose a CSV file exported from your survey tool.") \
            from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise FeedbackDataError(f"The file '{name}' could not be read as a CSV file ({_first_line(exc)}). "
                                "Check that it was exported as CSV.") from None
    widths = [len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    if frame.shape[1] >= 2 and len(widths) > 1 and sum(w == widths[0] for w in widths[1:]) < 0.5 * (len(widths) - 1):
        raise FeedbackDataError(f"The file '{name}' does not look like a survey export: most of its rows do not "
                                "have one value per column heading. Export your survey as CSV and upload that file.")
    if frame.shape[1] < 2:
        raise FeedbackDataError(f"The file '{name}' does not look like a survey export: it has only one column "
                                f"('{_short(str(frame.columns[0]))}'). A CSV export has one column per question, "
                                "separated by commas.")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.map(_clean_cell)).astype(object)
    frame = frame.where(frame.notna(), None)
    frame = frame[frame.notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise FeedbackDataError(f"The file '{name}' has column headings but no responses.")
    return RawSurvey(frame, name)


def split_choices(cell: str | None) -> list[str]:
    """The answers in a multi-select cell ("Loans;Programs" -> ["Loans", "Programs"])."""
    if not cell:
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise FeedbackDataError(f"The file '{name}' is empty. Choose a CSV file exported from your survey tool.")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise FeedbackDataError(f"The file '{name}' is {what}, not a CSV file. "
                                    "Export your survey as CSV and upload that file.")
    sample = data[:4096]
    controls = sum(b < 32 and b not in (9, 10, 13) for b in sample)
    if b"\x00" in sample or controls > len(sample) // 100:
        raise FeedbackDataError(f"The file '{name}' is not a CSV file (it contains binary data). "
                                "Export your survey as CSV and upload that file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Excel "CSV" saves


def _clean_cell(value: object) -> str | None:
    text = str(value).strip()
    return None if text.lower() in MISSING else text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- value parsing

def likert_value(text: str | None) -> int | None:
    """1-5 for a Likert answer ("Agree" -> 4, "5" -> 5); None when it is not one."""
    if text is None:
        return None
    key = re.sub(r"\s+", " ", str(text).strip().lower()).rstrip(".")
    if key in LIKERT:
        return LIKERT[key]
    number = _number(key)
    if number is not None and number.is_integer() and 1 <= number <= 5:
        return int(number)
    return None


def recommend_value(text: str | None) -> float | None:
    """The 0-10 score in a cell; None when it is not a number from 0 to 10."""
    number = _number(text)
    return number if number is not None and 0 <= number <= 10 else None


def _number(text: str | None) -> float | None:
    try:
        number = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def parse_dates(values: pd.Series) -> pd.Series:
    """Day-first Australian dates and ISO dates to timestamps; NaT where none fits."""
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = out.isna() & text.notna() & text.str.match(r"^\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    if todo.any():  # ISO 8601 with seconds fractions or a time zone
        parsed = pd.to_datetime(text[todo], format="ISO8601", errors="coerce", utc=True)
        out[todo] = parsed.dt.tz_localize(None)
    return out


# ---------------------------------------------------------------- mapping

def apply_mapping(raw: RawSurvey, mapping: ColumnMapping, *, strict: bool = True) -> Survey:
    """Check the mapping against the file and build a Survey.

    Unrecognised values raise FeedbackDataError listing each column and an example; with
    strict=False they are left out instead and described in Survey.notes.
    """
    available = ", ".join(f"'{c}'" for c in raw.columns)
    missing = [c for c in mapping.columns() if c not in raw.frame.columns]
    if missing:
        which = ", ".join(f"'{c}'" for c in missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise FeedbackDataError(f"The file '{raw.name}' has no {plural} {which}. Columns available: {available}.")
    if not (mapping.items or mapping.recommend):
        raise FeedbackDataError("Choose at least one satisfaction item or the 0-10 recommend column to analyse.")
    dupes = sorted({c for c in mapping.items if mapping.items.count(c) > 1})
    if dupes:
        raise FeedbackDataError(f"The column '{dupes[0]}' is chosen twice as a satisfaction item; choose it once.")

    src = raw.frame
    problems: list[str] = []
    frame = pd.DataFrame(index=src.index)
    if mapping.date:
        dates = parse_dates(src[mapping.date])
        problems += _report(raw.name, mapping.date, src[mapping.date], dates.isna(),
                            "not a date like 31/03/2026 14:05 or 2026-03-31")
        frame["date"] = dates
    else:
        frame["date"] = pd.Series(pd.NaT, index=src.index, dtype="datetime64[ns]")
    frame["group"] = src[mapping.group] if mapping.group else None
    if mapping.recommend:
        scores = src[mapping.recommend].map(recommend_value)
        problems += _report(raw.name, mapping.recommend, src[mapping.recommend], scores.isna(),
                            "not a score from 0 to 10")
        frame["recommend"] = scores.astype("Float64")
    else:
        frame["recommend"] = pd.Series(pd.NA, index=src.index, dtype="Float64")
    frame["comment"] = src[mapping.comment] if mapping.comment else None
    frame = frame.astype({"group": object, "comment": object})

    ratings = pd.DataFrame(index=src.index)
    for item in mapping.items:
        values = src[item].map(likert_value)
        problems += _report(raw.name, item, src[item], values.isna(),
                            "not an answer from Strongly disagree to Strongly agree, or 1 to 5")
        ratings[item] = values.astype("Int64")

    if problems and strict:
        raise FeedbackDataError(" ".join(problems), problems=tuple(problems))
    return Survey(frame, ratings, mapping, raw.name, notes=tuple(problems))


def _report(name: str, column: str, original: pd.Series, failed: pd.Series, problem: str) -> list[str]:
    bad = original[failed & original.notna()]
    if bad.empty:
        return []
    count = len(bad)
    values = "1 value" if count == 1 else f"{count} values"
    return [f"In '{name}', column '{column}' has {values} that cannot be used ({problem}), for example '{_short(str(bad.iloc[0]))}'."]


def filter_survey(survey: Survey, *, group: str | None = None, start: str | None = None,
                  end: str | None = None) -> Survey:
    """The responses of one group and/or dates from start to end (inclusive, "2026-03" or "2026-03-31")."""
    keep = pd.Series(True, index=survey.frame.index)
    parts = []
    if group is not None:
        keep &= survey.frame["group"] == group
        parts.append(f"{survey.mapping.group or 'group'} = {group}")
    if start is not None:
        keep &= survey.frame["date"] >= pd.Timestamp(start)
        parts.append(f"from {start}")
    if end is not None:
        stop = pd.Timestamp(end) + (pd.offsets.MonthBegin(1) if len(end) == 7 else pd.Timedelta(days=1))
        keep &= survey.frame["date"] < stop
        parts.append(f"to {end}")
    if not parts:
        return survey
    scope = "; ".join(parts) if survey.scope == "all responses" else "; ".join([survey.scope, *parts])
    return Survey(survey.frame[keep], survey.ratings[keep], survey.mapping, survey.source, scope, survey.notes)


# ---------------------------------------------------------------- guessing

_RECOMMEND_NAME = re.compile(r"recommend|\bnps\b|likely|likelihood", re.IGNORECASE)
_DATE_NAME = re.compile(r"time\s*stamp|date|submitted|completed|start|end time", re.IGNORECASE)
_GROUP_NAMES = ("branch", "library", "site", "campus", "location", "service", "group", "respondent", "type")
_COMMENT_NAME = re.compile(r"comment|feedback|suggest|remark|improve|anything else|tell us", re.IGNORECASE)
_RATING_NAME = re.compile(r"satisf|rating|rate|agree|helpful|quality|score", re.IGNORECASE)


def suggest_mapping(raw: RawSurvey) -> ColumnMapping:
    """A first guess at the mapping from column names and values, for the learner to confirm."""
    frame = raw.frame
    recommend = next((c for c in frame.columns if _RECOMMEND_NAME.search(c) and _share(frame[c], _is_score) >= 0.9),
                     None)
    date = next((c for c in frame.columns if _DATE_NAME.search(c) and frame[c].notna().any()
                 and parse_dates(frame[c]).notna().sum() >= 0.8 * frame[c].notna().sum()), None)
    items = tuple(c for c in frame.columns if c not in (recommend, date) and _looks_likert(frame[c]))
    group = None
    for word in _GROUP_NAMES:
        group = next((c for c in frame.columns if word in c.lower() and c not in (recommend, date, *items)
                      and 2 <= frame[c].nunique() <= 30 and _share(frame[c], lambda v: ";" not in v) >= 0.95), None)
        if group:
            break
    comment = next((c for c in frame.columns if _COMMENT_NAME.search(c) and c not in (recommend, date, group, *items)
                    and _looks_free_text(frame[c])), None)
    return ColumnMapping(date=date, group=group, items=items, recommend=recommend, comment=comment)


def _share(values: pd.Series, test) -> float:
    present = values.dropna()
    return 0.0 if present.empty else sum(bool(test(str(v))) for v in present) / len(present)


def _is_score(text: str) -> bool:
    return recommend_value(text) is not None


def _looks_likert(values: pd.Series) -> bool:
    present = values.dropna()
    if present.empty:
        return False
    known = [likert_value(v) is not None for v in present]
    words = sum(str(v).strip().lower().rstrip(".") in LIKERT for v in present)
    if sum(known) < 0.8 * len(present):
        return False
    # Bare 1-5 numbers could be counts (e.g. "workshops attended"): need words, or a rating-like name.
    return words >= 0.5 * sum(known) or bool(_RATING_NAME.search(str(values.name)))


def _looks_free_text(values: pd.Series) -> bool:
    present = values.dropna()
    if present.empty or _share(present, lambda v: likert_value(v) is not None) > 0.2:
        return False
    return present.str.len().mean() >= 15 and present.nunique() >= min(10, len(present))
