"""Comment themes: keyword groups from YAML, counted over a survey's free-text comments."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import snowballstemmer

from ..convert import Ctx
from ..datafiles import default_data_dir
from ..yamllines import line_of, read_yaml
from .survey import Survey

_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    keywords: tuple[str, ...]

    def matches(self, comment: str) -> bool:
        """True when the comment contains any keyword in any word form ("open" finds "opened", "opening";
        "hours" finds "hour"), as whole words; "park*" matches any word starting "park"."""
        words, stems, where = _analyse(comment)
        singles, prefixes, phrases = _matcher(self.keywords)
        if not singles.isdisjoint(where) or (prefixes is not None and prefixes.search(" ".join(words))):
            return True
        return any(_found(phrase, words, stems, where) for phrase in phrases)


@dataclass(frozen=True)
class CommentSummary:
    """Comments given (total), how many said nothing ("nil", "none", "no", "-": left out of themes), and
    how many are left to read (usable = total - nil)."""

    total: int
    nil: int
    usable: int
    filter: str = "all responses"


@dataclass(frozen=True)
class ThemeCount:
    """How many comments mention a theme, out of n comments, with a few examples (plain text, not escaped)."""

    theme: Theme
    count: int
    n: int
    examples: tuple[str, ...]
    filter: str

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.n if self.n else None


def themes_path(data: Path | None = None) -> Path:
    """The theme list of the content folder `data` (else the default one, lessonkit.datafiles.default_data_dir):
    data/feedback/themes.yaml."""
    return (data if data is not None else default_data_dir()) / "feedback" / "themes.yaml"


def load_themes(path: str | os.PathLike | None = None) -> tuple[Theme, ...]:
    """Read and check a themes YAML; raise ContentError naming file, line and field."""
    path = Path(path) if path else themes_path()
    ctx = Ctx(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or "themes" not in data:
        ctx.fail("themes", "a list of themes under 'themes:'", getattr(data, "line", 1) or 1,
                 detail="missing; expected a list of themes under 'themes:'")
    items = data["themes"]
    if not isinstance(items, list) or not items:
        ctx.fail("themes", "a non-empty list of themes", line_of(data, "themes"), items)
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        where = f"themes[{i}]"
        line = line_of(data, "themes", i)
        if not isinstance(item, dict):
            ctx.fail(where, "a mapping with id, label and keywords", line, item)
        for key in item:
            if key not in ("id", "label", "keywords"):
                ctx.fail(f"{where}.{key}", "", line_of(data, "themes", i, key),
                         detail="unknown field; expected id, label or keywords")
        for key in ("id", "label", "keywords"):
            if key not in item:
                ctx.fail(f"{where}.{key}", "", line, detail=f"missing; every theme needs {key}")
        tid, label, words = item["id"], item["label"], item["keywords"]
        if not isinstance(tid, str) or not _ID.match(tid):
            ctx.fail(f"{where}.id", "a short lower-case name like 'opening-hours'",
                     line_of(data, "themes", i, "id"), tid)
        if tid in seen:
            ctx.fail(f"{where}.id", "", line_of(data, "themes", i, "id"),
                     detail=f"'{tid}' is used by another theme; each id must be unique")
        seen.add(tid)
        if not isinstance(label, str) or not label.strip():
            ctx.fail(f"{where}.label", "non-empty text", line_of(data, "themes", i, "label"), label)
        if not isinstance(words, list) or not words:
            ctx.fail(f"{where}.keywords", "a non-empty list of words or phrases",
                     line_of(data, "themes", i, "keywords"), words)
        for j, word in enumerate(words):
            wline = line_of(data, "themes", i, "keywords", j)
            if not isinstance(word, str) or not word.strip().rstrip("*"):
                ctx.fail(f"{where}.keywords[{j}]", "a word or phrase", wline, word)
            if word != word.lower():
                ctx.fail(f"{where}.keywords[{j}]", "lower-case text", wline, word)
        out.append(Theme(tid, label.strip(), tuple(w.strip() for w in words)))
    return tuple(out)


def comment_summary(survey: Survey) -> CommentSummary:
    """How many comments were given, how many said nothing ("nil", "no", "N/A") and how many are usable."""
    if not survey.mapping.comment:
        return CommentSummary(0, 0, 0, survey.scope)
    usable = len(_comments(survey))
    nil = int(survey.frame["comment_nil"].sum()) if "comment_nil" in survey.frame else 0
    return CommentSummary(usable + nil, nil, usable, survey.scope)


def theme_counts(survey: Survey, themes: tuple[Theme, ...] | list[Theme], *, examples: int = 3
                 ) -> tuple[ThemeCount, ...]:
    """Comments per theme (most mentioned first), out of the usable comments ("nil"/"no" comments are left out
    and counted by comment_summary); n is 0 with no comment column. Examples are distinct comments."""
    comments = _comments(survey)
    rows = []
    for theme in themes:
        hits = [c for c in comments if theme.matches(c)]
        rows.append(ThemeCount(theme, len(hits), len(comments), _distinct(hits, examples), survey.scope))
    order = {t.id: i for i, t in enumerate(themes)}
    return tuple(sorted(rows, key=lambda r: (-r.count, order[r.theme.id])))


def _comments(survey: Survey) -> list[str]:
    if not survey.mapping.comment:
        return []
    return [str(c) for c in survey.frame["comment"] if not pd.isna(c) and str(c).strip()]


def _distinct(comments: list[str], k: int) -> tuple[str, ...]:
    """Up to k comments, no two the same sentence (ignoring case, spacing and punctuation)."""
    seen: set[str] = set()
    out = []
    for comment in comments:
        key = " ".join(_tokens(comment))
        if key in seen:
            continue
        seen.add(key)
        out.append(comment)
        if len(out) == k:
            break
    return tuple(out)


def _normalise(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_STEMMER = snowballstemmer.stemmer("english")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_normalise(text)))


@functools.lru_cache(maxsize=20000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word.replace("'", ""))


@functools.lru_cache(maxsize=512)
def _phrases(keywords: tuple[str, ...]) -> tuple[tuple[tuple[str, bool], ...], ...]:
    """Each keyword as words, each (stem, False) or (prefix, True) for a final "word*"."""
    out = []
    for keyword in keywords:
        prefix = keyword.endswith("*")
        words = _tokens(keyword.rstrip("*"))
        if not words:
            continue
        parts = [(_stem(w), False) for w in words[:-1]]
        parts.append((words[-1], True) if prefix else (_stem(words[-1]), False))
        out.append(tuple(parts))
    return tuple(out)


@functools.lru_cache(maxsize=512)
def _matcher(keywords: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern | None, tuple]:
    """One-word keywords as a set of stems, one-word "word*" keywords as one pattern, and the phrases."""
    phrases = _phrases(keywords)
    singles = frozenset(p[0][0] for p in phrases if len(p) == 1 and not p[0][1])
    starts = [re.escape(p[0][0]) for p in phrases if len(p) == 1 and p[0][1]]
    prefixes = re.compile(r"(?:^| )(?:" + "|".join(starts) + ")") if starts else None
    return singles, prefixes, tuple(p for p in phrases if len(p) > 1)


@functools.lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[int, ...]]]:
    """A comment's words, their stems, and where each stem occurs."""
    words = _tokens(text)
    stems = tuple(_stem(w) for w in words)
    where: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        where.setdefault(stem, []).append(i)
    return words, stems, {k: tuple(v) for k, v in where.items()}


def _found(phrase: tuple[tuple[str, bool], ...], words: tuple[str, ...], stems: tuple[str, ...],
           where: dict[str, tuple[int, ...]]) -> bool:
    first, prefix = phrase[0]
    if prefix:
        starts = tuple(i for i, w in enumerate(words) if w.startswith(first))
    else:
        starts = where.get(first, ())
    if len(phrase) == 1:
        return bool(starts)
    for start in starts:
        if start + len(phrase) <= len(words) and all(
                words[start + i].startswith(key) if pre else stems[start + i] == key
                for i, (key, pre) in enumerate(phrase[1:], 1)):
            return True
    return False
