"""Read a survey export, guess and check which column is which, and build a tidy Survey."""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import FeedbackDataError
from .scales import SCALES, Scale, header_scale, normalise, not_answered, read_column, share_scale

__all__ = ["SCALES", "ColumnMapping", "RawSurvey", "Scale", "Survey", "apply_mapping", "filter_survey",
           "read_survey", "split_choices", "suggest_mapping"]

MISSING = frozenset({"", "na", "n/a", "n.a.", "nan", "none", "null", "-"})
# More than this share of an item's non-empty answers unreadable: the item gets no figure, only a problem.
PROBLEM_SHARE = 0.02
# Fixed column names of Survey.frame; ratings live in Survey.ratings under their own names.
FIXED = ("date", "group", "recommend", "comment")
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y",
                 "%d/%m/%y %H:%M", "%d/%m/%y %H:%M:%S", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                 "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d",
                 "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M", "%Y/%m/%d %I:%M %p")
_BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                 b"%PDF": "a PDF document", b"PK\x03\x04": "a zipped file such as an Excel workbook (.xlsx)",
                 b"\xd0\xcf\x11\xe0": "an old Excel or Word file (.xls/.doc)"}


@dataclass(frozen=True)
class RawSurvey:
    """A survey file as read: every cell a stripped string, or None when missing ("NA", "N/A", blank)."""

    frame: pd.DataFrame = field(repr=False)
    name: str
    # True where a cell held a placeholder such as "N/A", "none" or "-" (read as missing in frame)
    placeholders: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.frame.columns)

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the file plays which part; None where the file has no such column.

    scales: item column -> scale key ("1-7") the learner chose; items not named there are detected.
    multi: multi-select ("tick all that apply") columns.
    """

    date: str | None = None
    group: str | None = None
    items: tuple[str, ...] = ()
    recommend: str | None = None
    comment: str | None = None
    scales: Mapping[str, str] = field(default_factory=dict)
    multi: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "multi", tuple(self.multi))
        object.__setattr__(self, "scales", dict(self.scales or {}))  # a copy, kept apart from the caller's

    def __hash__(self) -> int:
        return hash((self.date, self.group, self.items, self.recommend, self.comment,
                     tuple(sorted(self.scales.items())), self.multi))

    def __repr__(self) -> str:
        return (f"ColumnMapping(date={self.date!r}, group={self.group!r}, items={self.items!r}, "
                f"recommend={self.recommend!r}, comment={self.comment!r}, scales={dict(self.scales)!r}, "
                f"multi={self.multi!r})")

    def columns(self) -> tuple[str, ...]:
        """Every mapped column, in order."""
        one = [c for c in (self.date, self.group) if c]
        return tuple(one + list(self.items) + [c for c in (self.recommend, self.comment) if c] + list(self.multi))


@dataclass(frozen=True)
class Survey:
    """Tidy responses, one row each.

    frame: date, group, recommend, comment (None for "nil"/"no" comments) and comment_nil (True for those).
    ratings: each item's answers as points on its own scale (scales[item]); unreadable answers are NA there
    and their original text is in unread (NA elsewhere). choices: the multi-select columns' cells.
    """

    frame: pd.DataFrame = field(repr=False)
    ratings: pd.DataFrame = field(repr=False)
    mapping: ColumnMapping
    source: str
    scope: str = "all responses"
    notes: tuple[str, ...] = ()
    scales: Mapping[str, Scale] = field(default_factory=dict)
    unread: pd.DataFrame | None = field(default=None, repr=False)
    choices: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def unreadable(self) -> Mapping[str, int]:
        """Per item, how many non-empty answers could not be read on its scale."""
        if self.unread is None:
            return {item: 0 for item in self.items}
        return {item: int(self.unread[item].notna().sum()) if item in self.unread else 0 for item in self.items}

    def scale_of(self, item: str) -> Scale:
        return self.scales.get(item, SCALES["1-5"])

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
        table = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, header=None)
    except pd.errors.EmptyDataError:
        raise FeedbackDataError(f"The file '{name}' is empty. Choose a CSV file exported from your survey tool.") \
            from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise FeedbackDataError(f"The file '{name}' could not be read as a CSV file ({_first_line(exc)}). "
                                "Check that it was exported as CSV.") from None
    widths = [len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    if table.shape[1] >= 2 and len(widths) > 1 and sum(w == widths[0] for w in widths[1:]) < 0.5 * (len(widths) - 1):
        raise FeedbackDataError(f"The file '{name}' does not look like a survey export: most of its rows do not "
                                "have one value per column heading. Export your survey as CSV and upload that file.")
    if table.shape[1] < 2:
        raise FeedbackDataError(f"The file '{name}' does not look like a survey export: it has only one column "
                                f"('{_short(str(table.iat[0, 0]).strip())}'). A CSV export has one column per "
                                "question, separated by commas.")
    frame = _with_headings(table.fillna("").astype(str).map(str.strip))
    said = frame.apply(lambda col: col.map(lambda v: bool(v) and v.lower() in MISSING))
    frame = frame.apply(lambda col: col.map(_clean_cell)).astype(object)
    frame = frame.where(frame.notna(), None)
    keep = frame.notna().any(axis=1)
    frame, said = frame[keep].reset_index(drop=True), said[keep].reset_index(drop=True)
    if frame.empty:
        raise FeedbackDataError(f"The file '{name}' has column headings but no responses.")
    return RawSurvey(frame, name, said)


def _with_headings(table: pd.DataFrame) -> pd.DataFrame:
    """Name the columns from the heading row(s): one row in most exports; Qualtrics adds a question-text row
    and an ImportId row; SurveyMonkey puts each question over its columns and the options in a second row."""
    rows = table.values.tolist()
    first = rows[0]
    if len(rows) >= 3 and sum(c.lower().startswith('{"importid"') for c in rows[2]) >= 0.5 * len(first):
        names = [text or short for short, text in zip(first, rows[1])]        # Qualtrics
        return _frame(names, rows[3:])
    if len(rows) >= 2 and any(not c for c in first[1:]) and \
            any(c in ("Response", "Open-Ended Response") for c in rows[1]):
        return _surveymonkey(first, rows[1], rows[2:])
    return _frame([c or f"Unnamed: {i}" for i, c in enumerate(first)], rows[1:])


def _frame(names: list[str], rows: list[list[str]]) -> pd.DataFrame:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 0)
        unique.append(name)
    return pd.DataFrame(rows, columns=unique, dtype=object) if rows else pd.DataFrame(columns=unique, dtype=object)


def _surveymonkey(questions: list[str], options: list[str], rows: list[list[str]]) -> pd.DataFrame:
    groups: list[tuple[str, list[int]]] = []
    for i, q in enumerate(questions):
        if q or not groups:
            groups.append((q or f"Unnamed: {i}", [i]))
        else:
            groups[-1][1].append(i)
    names: list[str] = []
    columns: list[list[str]] = []
    for question, idx in groups:
        opts = [options[i] for i in idx]
        ticks = [i for i, o in zip(idx, opts) if o and o not in ("Response", "Open-Ended Response")
                 and not o.lower().startswith("other (please specify")]
        # tick-all-that-apply: each option has its own column holding the option's text when it was ticked
        if len(ticks) >= 2 and all(not r[i] or r[i] == options[i] for i in ticks for r in rows):
            others = [i for i in idx if i not in ticks]
            names.append(question)     # one cell per respondent, the options ticked joined with ";"
            columns.append([";".join([r[i] for i in ticks if r[i]] + [options[i] for i in others if r[i]])
                            for r in rows])
            for i in others:
                names.append(f"{question} - {options[i]}" if options[i] else f"{question} - other")
                columns.append([r[i] for r in rows])
            continue
        for i, o in zip(idx, opts):
            plain = not o or o in ("Response", "Open-Ended Response") or len(idx) == 1
            names.append(question if plain else f"{question} - {o}")
            columns.append([r[i] for r in rows])
    return _frame(names, [list(r) for r in zip(*columns)] if rows else [])


def split_choices(cell: str | None, sep: str = ";") -> list[str]:
    """The answers in a multi-select cell ("Loans;Programs" -> ["Loans", "Programs"]).

    With sep="," (Google Forms, Qualtrics), a piece starting in lower case continues the option before it, so
    "Printing, scanning and copying" stays one option.
    """
    if not cell:
        return []
    parts = [part.strip() for part in str(cell).split(sep)]
    if sep != ",":
        return [part for part in parts if part]
    out: list[str] = []
    for part in parts:
        if out and part[:1].islower():
            out[-1] = f"{out[-1]}, {part}"
        elif part:
            out.append(part)
    return out


def choice_separator(values: pd.Series) -> str:
    """";" when any cell of a multi-select column holds one (Microsoft Forms, SurveyMonkey, this kit's sample),
    else "," (Google Forms, Qualtrics)."""
    return ";" if values.dropna().astype(str).str.contains(";").any() else ","


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

@functools.lru_cache(maxsize=4096)
def likert_value(text: str | None) -> int | None:
    """1-5 for an answer on a 5-point scale ("Agree" -> 4, "Very satisfied" -> 5, "5" -> 5); None otherwise."""
    if text is None:
        return None
    return read_column([text], chosen="1-5").value(text)


def recommend_value(text: str | None) -> float | None:
    """The 0-10 score in a cell ("9", "10 - Extremely likely"); None when it is not a number from 0 to 10."""
    number = _number(text)
    if number is None and text is not None:
        from .scales import parse_answer
        whole, words = parse_answer(text)
        number = float(whole) if whole is not None and words else None
    return number if number is not None and 0 <= number <= 10 else None


def _number(text: str | None) -> float | None:
    try:
        number = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


_ZONE = re.compile(r"\s+(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?$|\s+A[CEW][SD]T$|\s+[+-]\d{2}:?\d{2}$",
                   re.IGNORECASE)
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/\d{2,4}\b")


def parse_dates(values: pd.Series) -> pd.Series:
    """Day-first Australian dates and ISO dates to timestamps; NaT where none fits.

    A column whose slashed dates are all month first (a second number above 12, a first never above 12, as
    in SurveyMonkey's US exports) is read month first. A trailing time zone ("GMT+11", "AEDT") is dropped:
    the local time is kept.
    """
    text = values.astype("string").str.strip().str.replace(_ZONE, "", regex=True)
    formats: tuple[str, ...] = _DATE_FORMATS
    pairs = text.dropna().str.extract(_SLASHED).dropna().astype(int)
    if not pairs.empty and (pairs[1] > 12).any() and not (pairs[0] > 12).any():
        formats = tuple(f.replace("%d/%m/", "%m/%d/") for f in _DATE_FORMATS)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = out.isna() & text.notna() & text.str.match(r"^\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    if todo.any():  # ISO 8601 with seconds fractions or a time zone
        parsed = pd.to_datetime(text[todo], format="ISO8601", errors="coerce", utc=True)
        out[todo] = parsed.dt.tz_localize(None)
    return out


# ---------------------------------------------------------------- comments

_NIL = frozenset({
    "nil", "none", "no", "nope", "nah", "na", "n/a", "n a", "nothing", "not really", "no comment", "no comments",
    "no further comment", "no further comments", "no other comments", "nothing to add", "nothing further",
    "nothing else", "nothing more", "nothing at this stage", "nothing at this time", "none at this time",
    "none at this stage", "not at this stage", "not at this time", "no thanks", "no thank you", "none thanks",
    "nothing thanks", "not applicable", "x", "nil comments", "no suggestions", "none really", "don't know",
    "dont know", "not sure", "no idea", "unsure"})


def is_nil_comment(text: object) -> bool:
    """True for comments that say nothing: "nil", "None.", "no", "N/A", "-", ".", "Nothing to add, thanks"."""
    key = re.sub(r"[^\w\s'/]", " ", normalise(text))
    key = re.sub(r"\s+", " ", key).strip()
    key = re.sub(r"\s*\b(?:thanks|thank you|cheers)$", "", key).strip() or key
    return not key or key in _NIL


# ---------------------------------------------------------------- mapping

def apply_mapping(raw: RawSurvey, mapping: ColumnMapping, *, strict: bool = True) -> Survey:
    """Check the mapping against the file and build a Survey.

    Each item's scale is the one chosen in mapping.scales, or else read from its answers and heading.
    Unreadable values raise FeedbackDataError listing each column and an example; with strict=False they
    are left out instead, described in Survey.notes and counted in Survey.unreadable (and an item with more
    than PROBLEM_SHARE of its answers unreadable gets a problem instead of a figure).
    """
    available = ", ".join(f"'{c}'" for c in raw.columns)
    missing = [c for c in mapping.columns() if c not in raw.frame.columns]
    if missing:
        which = ", ".join(f"'{c}'" for c in missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise FeedbackDataError(f"The file '{raw.name}' has no {plural} {which}. Columns available: {available}.")
    if not (mapping.items or mapping.recommend or mapping.multi):
        raise FeedbackDataError("Choose at least one satisfaction item, the 0-10 recommend column or a "
                                "tick-all-that-apply question to analyse.")
    dupes = sorted({c for c in mapping.items if mapping.items.count(c) > 1})
    if dupes:
        raise FeedbackDataError(f"The column '{dupes[0]}' is chosen twice as a satisfaction item; choose it once.")
    unknown = sorted(set(mapping.scales) - set(mapping.items))
    if unknown:
        raise FeedbackDataError(f"A scale is chosen for '{unknown[0]}', which is not a satisfaction item; "
                                "choose it as an item or remove its scale.")
    bad_keys = sorted({k for k in mapping.scales.values() if k not in SCALES})
    if bad_keys:
        raise FeedbackDataError(f"'{bad_keys[0]}' is not a scale this page knows; choose one of "
                                + ", ".join(SCALES) + ".")

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
        column = src[mapping.recommend]
        answered = column.map(lambda v: v is not None and not not_answered(v))
        scores = column.map(recommend_value)
        problems += _report(raw.name, mapping.recommend, column, scores.isna() & answered,
                            "not a score from 0 to 10")
        frame["recommend"] = scores.astype("Float64")
        frame["recommend_unread"] = column.where(scores.isna() & answered & column.notna(), None).astype(object)
    else:
        frame["recommend"] = pd.Series(pd.NA, index=src.index, dtype="Float64")
        frame["recommend_unread"] = None
    if mapping.comment:
        text = src[mapping.comment]
        said = raw.placeholders[mapping.comment] if raw.placeholders is not None else False
        nil = text.map(lambda v: v is not None and is_nil_comment(v)) | (said & text.isna())
        frame["comment"] = text.where(~nil & text.notna(), None)
        frame["comment_nil"] = nil.astype(bool)
    else:
        frame["comment"] = None
        frame["comment_nil"] = False
    frame = frame.astype({"group": object, "comment": object, "recommend_unread": object})

    readings = {}
    for item in mapping.items:
        answered = [v for v in src[item].dropna() if not not_answered(v)]
        readings[item] = read_column(answered, item, mapping.scales.get(item))
    readings = share_scale(readings)
    ratings = pd.DataFrame(index=src.index)
    unread = pd.DataFrame(index=src.index)
    for item in mapping.items:
        reading = readings[item]
        column = src[item]
        answered = column.map(lambda v: v is not None and not not_answered(v))
        values = column.map(lambda v, r=reading: r.value(v) if v is not None else None)
        failed = values.isna() & answered
        problems += _report(raw.name, item, column, failed, f"not an answer on the {reading.scale.label} scale")
        ratings[item] = values.where(answered, None).astype("Int64")
        unread[item] = column.where(failed, None).astype(object)
    choices = pd.DataFrame({c: src[c] for c in mapping.multi}, index=src.index).astype(object)

    if problems and strict:
        raise FeedbackDataError(" ".join(problems), problems=tuple(problems))
    scales = {item: readings[item].scale for item in mapping.items}
    return Survey(frame, ratings, mapping, raw.name, notes=tuple(problems), scales=scales, unread=unread,
                  choices=choices)


def _report(name: str, column: str, original: pd.Series, failed: pd.Series, problem: str) -> list[str]:
    bad = original[failed & original.notna()]
    if bad.empty:
        return []
    count = len(bad)
    values = "1 value" if count == 1 else f"{count} values"
    return [f"In '{name}', column '{column}' has {values} that cannot be used ({problem}), for example "
            f"'{_short(str(bad.iloc[0]))}'."]


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
    return subset(survey, keep, scope)


def subset(survey: Survey, rows, scope: str) -> Survey:
    """The survey narrowed to some rows (a boolean mask or index labels), described by scope."""
    def pick(frame):
        return None if frame is None else frame.loc[rows]
    return Survey(survey.frame.loc[rows], survey.ratings.loc[rows], survey.mapping, survey.source, scope,
                  survey.notes, survey.scales, pick(survey.unread), pick(survey.choices))


# ---------------------------------------------------------------- guessing

_RECOMMEND_NAME = re.compile(r"recommend|\bnps\b|likely|likelihood", re.IGNORECASE)
_RECOMMEND_WORD = re.compile(r"recommend|\bnps\b|net promoter", re.IGNORECASE)
_DATE_NAME = re.compile(r"time\s*stamp|date|submitted|completed|completion|start|end time", re.IGNORECASE)
_GROUP_NAMES = ("branch", "library", "site", "campus", "location", "service", "group", "respondent", "type",
                "faculty", "school", "status", "role", "you are", "are you")
_COMMENT_NAME = re.compile(r"comment|feedback|suggest|remark|improve|anything else|tell us|other thoughts|"
                           r"what (?:could|can|would|should)|how can we|do better|one thing|why\b", re.IGNORECASE)
# The text typed beside an "Other" choice is not a comment on the service, nor a multi-select of its own.
_OTHER_TEXT = re.compile(r"other \(please specify\)|please specify|\bother\b.*\btext\b|_text$", re.IGNORECASE)
_RATING_NAME = re.compile(r"satisf|rating|rate|agree|helpful|quality|score|perform|perceived|experience|overall|"
                          r"how (?:well|good|easy)|scale", re.IGNORECASE)
# Expectation and importance columns (LibQUAL+ minimum/desired, Insync importance) are not satisfaction.
_NOT_RATING_NAME = re.compile(r"importan|desired|minimum|expect", re.IGNORECASE)
_MULTI_NAME = re.compile(r"all that apply|tick all|select all|check all|choose all|select any|tick any|"
                         r"more than one", re.IGNORECASE)
_METADATA = re.compile(r"^(?:respondent id|collector id|response ?id|id|ip ?address|email(?: address)?|name|"
                       r"first name|last name|progress|duration.*|finished|status|response type|"
                       r"recipient.*|external.*reference|location.*|distribution ?channel|user ?language|"
                       r"custom data.*|q_.*)$", re.IGNORECASE)


def suggest_mapping(raw: RawSurvey) -> ColumnMapping:
    """A first guess at the mapping from column names and values, for the learner to confirm."""
    frame = raw.frame
    columns = [c for c in frame.columns if not _METADATA.match(c) and frame[c].notna().any()]
    scores = [c for c in columns if _RECOMMEND_NAME.search(c) and _share(frame[c], _is_score) >= 0.9
              and _is_numeric(frame[c])]
    # "recommend" or "NPS" in the heading first; a "How likely ... ?" question only when it goes past 5
    # (a 1-5 "How likely are you to come back?" is a rating item, not the 0-10 recommend question)
    recommend = next((c for c in scores if _RECOMMEND_WORD.search(c)), None) or \
        next((c for c in scores if _score_range(frame[c]) > 5 or "0" in (header_scale(c) or SCALES["1-5"]).key), None)
    date = next((c for c in frame.columns if _DATE_NAME.search(c) and frame[c].notna().any()
                 and parse_dates(frame[c]).notna().sum() >= 0.8 * frame[c].notna().sum()), None)
    taken = {recommend, date}
    items = tuple(c for c in columns if c not in taken and _looks_rating(frame[c]))
    multi = tuple(c for c in columns if c not in taken and c not in items and not _OTHER_TEXT.search(c)
                  and _looks_multi(frame[c]))
    groups = [(len(c) > 40, i, c) for c in columns for i, word in enumerate(_GROUP_NAMES)
              if word in c.lower() and c not in (*taken, *items, *multi) and not _RECOMMEND_NAME.search(c)
              and 2 <= frame[c].nunique() <= 30 and _share(frame[c], lambda v: ";" not in v) >= 0.95
              and not _looks_free_text(frame[c])]
    group = min(groups)[2] if groups else None     # a short heading ("Branch") before a long question
    rest = [c for c in columns if c not in (*taken, group, *items, *multi) and not _OTHER_TEXT.search(c)
            and _looks_free_text(frame[c])]
    comment = next((c for c in rest if _COMMENT_NAME.search(c)), None)
    if comment is None and len(rest) == 1:
        comment = rest[0]
    return ColumnMapping(date=date, group=group, items=items, recommend=recommend, comment=comment, multi=multi)


def _share(values: pd.Series, test) -> float:
    present = values.dropna()
    return 0.0 if present.empty else sum(bool(test(str(v))) for v in present) / len(present)


def _is_score(text: str) -> bool:
    return recommend_value(text) is not None or not_answered(text)


def _score_range(values: pd.Series) -> float:
    scores = [recommend_value(v) for v in values.dropna()]
    return max((v for v in scores if v is not None), default=0)


def _is_numeric(values: pd.Series) -> bool:
    from .scales import parse_answer
    present = [v for v in values.dropna() if not not_answered(v)]
    return bool(present) and sum(parse_answer(v)[0] is not None for v in present) >= 0.9 * len(present)


def _looks_rating(values: pd.Series) -> bool:
    if _NOT_RATING_NAME.search(str(values.name)) or _MULTI_NAME.search(str(values.name)):
        return False
    present = [v for v in values.dropna() if not not_answered(v)]
    if not present:
        return False
    reading = read_column(present, str(values.name))
    if reading.evidence == "none":
        return False
    known = sum(reading.value(v) is not None for v in present)
    if known < 0.8 * len(present) or len(set(present)) < 2 and len(present) > 3:
        return False
    # Bare numbers could be counts (e.g. "workshops attended"): need words, or a rating-like name.
    return reading.evidence == "words" or bool(reading.points) or bool(_RATING_NAME.search(str(values.name)))


def _looks_multi(values: pd.Series) -> bool:
    present = values.dropna().astype(str)
    if present.empty:
        return False
    sep = choice_separator(present)
    pieces = [split_choices(v, sep) for v in present]
    options = {p for ps in pieces for p in ps}
    several = sum(len(ps) >= 2 for ps in pieces)
    short = sum(len(o) for o in options) / max(len(options), 1) <= 50
    if _MULTI_NAME.search(str(values.name)):
        return short and len(options) <= max(20, len(present) // 2)
    return several >= 0.15 * len(present) and short and len(options) <= min(20, max(3, len(present) // 2))


def _looks_free_text(values: pd.Series) -> bool:
    present = values.dropna()
    if present.empty or _share(present, lambda v: likert_value(v) is not None) > 0.2:
        return False
    return present.str.len().mean() >= 15 and present.nunique() >= min(10, len(present))
