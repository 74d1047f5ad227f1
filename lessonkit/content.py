"""Load and validate lesson content (YAML and CSV) into typed objects.

Every model is a frozen dataclass; the loader walks its type hints, so one piece of code checks
every kind and every error names the file, the line, the field and what was expected.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml

from .errors import ContentError

__all__ = [
    "Activity", "Colour", "Media", "line_of", "resolve_data_file", "ColourDays", "Lesson", "Outcome", "SampleClass",
    "ContentError", "load", "load_lesson", "activities", "data_dir", "activity_path", "check",
]

OUTCOME_CODES = ("3.1", "3.2", "3.3", "3.4", "3.5")


def _meta(help: str, **rules: Any) -> dict[str, Any]:
    return {"help": help, **rules}


# ---------------------------------------------------------------- models

@dataclass(frozen=True)
class Colour:
    """A named colour swatch; the name is always shown beside the colour."""

    name: str = field(metadata=_meta("colour name shown to the learner", max_len=20))
    hex: str = field(metadata=_meta("the swatch colour", pattern=r"#[0-9A-Fa-f]{6}",
                                    expected="a colour like '#1F77B4'"))


@dataclass(frozen=True)
class SampleClass:
    """A labelled, synthetic class shown when the real class has no answers yet."""

    label: str = field(metadata=_meta("label shown above the sample, saying it is synthetic"))
    file: str = field(metadata=_meta("CSV file, relative to data/"))
    rows: tuple = field(default=(), metadata=_meta("filled by the loader", internal=True))


@dataclass(frozen=True)
class Media:
    """A video (or audio) clip with a text fallback for no network, no URL, or learners who prefer to read."""

    title: str = field(metadata=_meta("what the clip is, shown above it", max_len=120))
    transcript: str = field(metadata=_meta("Markdown transcript or description: the offline fallback"))
    url: str | None = field(default=None, metadata=_meta(
        "a YouTube link, or a file beside the notebooks (e.g. media/clip.mp4); leave out to show the text only",
        pattern=r"(https://(www\.)?(youtube\.com/watch\?v=|youtu\.be/)[A-Za-z0-9_-]{6,20}\S*)|([A-Za-z0-9_./-]+\.(mp4|webm|ogg|mp3))",
        expected="a YouTube link (https://www.youtube.com/watch?v=...) or a local .mp4/.webm/.ogg/.mp3 file"))
    credit: str | None = field(default=None, metadata=_meta("Markdown attribution, with a link to the source"))
    finished_label: str = field(default="I've finished watching",
                                metadata=_meta("button that hides the clip and shows what comes next", max_len=40))


@dataclass(frozen=True)
class Activity:
    """Fields every activity YAML carries."""

    kind: str = field(metadata=_meta("component kind"))
    number: int = field(metadata=_meta("position in the session (also the notebook number)", min=0, max=99))
    title: str = field(metadata=_meta("title shown to the learner", max_len=120))
    notebook: str = field(metadata=_meta("notebook file in notebooks/", pattern=r"\d\d-[a-z0-9-]+\.ipynb",
                                         expected="a file name like '05-colour-days.ipynb'"))
    seed_section: str = field(metadata=_meta("the handout section this activity comes from"))
    minutes: int = field(metadata=_meta("class time in minutes", min=1, max=240))
    outcomes: tuple[str, ...] = field(metadata=_meta("performance criteria", choices=OUTCOME_CODES,
                                                     min_items=1))
    objectives: tuple[str, ...] = field(metadata=_meta("what the learner will be able to do", min_items=1))
    instructions: str = field(metadata=_meta("Markdown shown before the activity"))
    slug: str = field(default="", metadata=_meta("activity id; defaults to the file name", internal=True))
    source: str = field(default="", metadata=_meta("file the content came from", internal=True))

    def _finish(self, data: dict, ctx: "_Ctx") -> "Activity":
        """Checks across fields, and loading of referenced files; kinds override. Raise with ctx.fail."""
        return self


@dataclass(frozen=True)
class ColourDays(Activity):
    """Class Activity 3: a colour for each day of the week, compared across the class."""

    days: tuple[str, ...] = field(default=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                           "Saturday", "Sunday"),
                                  metadata=_meta("days to colour, in order", min_items=1, max_items=14,
                                                 unique=True))
    colours: tuple[Colour, ...] = field(default=(), metadata=_meta("the swatches offered", min_items=2,
                                                                   max_items=16, unique_by="name"))
    think_prompt: str = field(default="", metadata=_meta("first step: think of the days"))
    picture_prompt: str = field(default="", metadata=_meta("second step: picture them"))
    board_title: str = field(default="How the class pictured the week",
                             metadata=_meta("heading of the class board"))
    lesson: str = field(default="", metadata=_meta("Markdown: the empathy lesson shown with the board"))
    sample_class: SampleClass | None = field(default=None, metadata=_meta("sample shown before anyone answers"))

    def _finish(self, data: dict, ctx: "_Ctx") -> "ColourDays":
        return _complete_colour_days(self, data, ctx)

    def colour(self, name: str) -> Colour | None:
        """The swatch called `name`, or None."""
        return next((c for c in self.colours if c.name == name), None)

    @staticmethod
    def item(day: str) -> str:
        """The store item id for a day ('Monday' -> 'monday')."""
        return day.strip().lower()


@dataclass(frozen=True)
class Outcome:
    """One performance criterion of the unit element the session covers."""

    code: str = field(metadata=_meta("criterion number", choices=OUTCOME_CODES))
    text: str = field(metadata=_meta("the criterion in plain words"))


@dataclass(frozen=True)
class Lesson:
    """The session: title, outcomes and what the overview page says."""

    title: str = field(metadata=_meta("session title"))
    course: str = field(metadata=_meta("course or unit line under the title"))
    element: str = field(metadata=_meta("the unit element this session covers"))
    outcomes: tuple[Outcome, ...] = field(metadata=_meta("performance criteria", min_items=1))
    welcome: str = field(metadata=_meta("Markdown shown at the top of the overview"))
    privacy: str = field(metadata=_meta("Markdown: what is stored, where, for how long"))
    source: str = field(default="", metadata=_meta("file the content came from", internal=True))


KINDS: dict[str, type[Activity]] = {"colour-days": ColourDays}


# ---------------------------------------------------------------- YAML with line numbers

class _Map(dict):
    lines: dict[Any, int]
    line: int | None = None


class _Seq(list):
    lines: list[int]
    line: int | None = None


class _Loader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping key and sequence item."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    out = _Map()
    out.lines = {}
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    out = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(path, "(file)", "an existing YAML file", detail="file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(path, "(file)", "UTF-8 text", detail=f"not UTF-8 text ({exc.reason})") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, "(syntax)", "valid YAML", line=mark.line + 1 if mark else None,
                           detail=f"not valid YAML: {problem}") from None


# ---------------------------------------------------------------- conversion by type hints

@dataclass
class _Ctx:
    file: Path

    def fail(self, where: str, expected: str, line: int | None, got: Any = None, detail: str | None = None):
        raise ContentError(self.file, where, expected, line=line, got=got, detail=detail)


def line_of(container: Any, *path: Any) -> int | None:
    """Line of a nested key in loaded YAML, e.g. line_of(data, "questions", 2, "answer")."""
    line = getattr(container, "line", None)
    for key in path:
        line = _line_of(container, key) or line
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


def resolve_data_file(content: Activity, name: str) -> Path:
    """A file named in content: relative to data/, else to the YAML's own folder."""
    p = Path(name)
    if p.is_absolute():
        return p
    if (data_dir() / p).exists():
        return data_dir() / p
    return Path(content.source).parent / p


def _line_of(container: Any, key: Any) -> int | None:
    if isinstance(container, _Map):
        return container.lines.get(key, container.line)
    if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", None)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return f"a mapping ({tp.__name__}: {', '.join(f.name for f in _public_fields(tp))})"
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) if a is not type(None) else "nothing" for a in typing.get_args(tp))
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    return str(tp)


def _public_fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _convert(tp: Any, value: Any, where: str, line: int | None, ctx: _Ctx, meta: dict | None = None) -> Any:
    meta = meta or {}
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None and len(args) < len(typing.get_args(tp)):
            return None
        return _convert(args[0], value, where, line, ctx, meta)
    if tp is str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.fail(where, meta.get("expected", "text"), line, value)
        text = str(value).strip()
        if not text:
            ctx.fail(where, "non-empty text", line, value)
        if "max_len" in meta and len(text) > meta["max_len"]:
            ctx.fail(where, f"text of at most {meta['max_len']} characters", line,
                     detail=f"is {len(text)} characters long; expected at most {meta['max_len']}")
        if "pattern" in meta and not re.fullmatch(meta["pattern"], text):
            ctx.fail(where, meta.get("expected", f"text matching {meta['pattern']}"), line, value)
        if "choices" in meta and text not in meta["choices"]:
            ctx.fail(where, "one of " + ", ".join(meta["choices"]), line, value)
        return text
    if origin is Literal:
        choices = typing.get_args(tp)
        if value not in choices:
            ctx.fail(where, "one of " + ", ".join(repr(c) for c in choices), line, value)
        return value
    if tp is bool:
        if not isinstance(value, bool):
            ctx.fail(where, "true or false", line, value)
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ctx.fail(where, "a number", line, value)
        if "min" in meta and value < meta["min"] or "max" in meta and value > meta["max"]:
            ctx.fail(where, f"a number from {meta.get('min')} to {meta.get('max')}", line, value)
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.fail(where, "a whole number", line, value)
        if "min" in meta and value < meta["min"] or "max" in meta and value > meta["max"]:
            ctx.fail(where, f"a whole number from {meta.get('min')} to {meta.get('max')}", line, value)
        return value
    if origin is tuple:
        (item_tp, *_rest) = typing.get_args(tp)
        if not isinstance(value, list):
            ctx.fail(where, f"a list of {_type_name(item_tp)}", line, value)
        if len(value) < meta.get("min_items", 0):
            ctx.fail(where, f"a list of at least {meta['min_items']} item(s)", line,
                     detail=f"has {len(value)} item(s); expected at least {meta['min_items']}")
        if "max_items" in meta and len(value) > meta["max_items"]:
            ctx.fail(where, f"a list of at most {meta['max_items']} items", line,
                     detail=f"has {len(value)} items; expected at most {meta['max_items']}")
        item_meta = {k: v for k, v in meta.items() if k in ("choices", "max_len", "pattern", "expected")}
        items = tuple(_convert(item_tp, v, f"{where}[{i}]", _line_of(value, i), ctx, item_meta)
                      for i, v in enumerate(value))
        key = meta.get("unique_by")
        if meta.get("unique") or key:
            seen: dict[Any, int] = {}
            for i, it in enumerate(items):
                k = getattr(it, key) if key else it
                k = k.lower() if isinstance(k, str) else k
                if k in seen:
                    ctx.fail(f"{where}[{i}]" + (f".{key}" if key else ""), "unique values", _line_of(value, i),
                             detail=f"{getattr(it, key) if key else it!r} appears twice (items {seen[k]} and {i}); "
                                    "expected each to be different")
                seen[k] = i
        return items
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where, line, ctx)
    raise TypeError(f"lessonkit.content cannot convert {tp!r}")  # a programming error, not content


def _build(cls: type, data: Any, where: str, line: int | None, ctx: _Ctx, **given: Any) -> Any:
    if not isinstance(data, dict):
        ctx.fail(where or "(top level)", _type_name(cls), line, data)
    hints = typing.get_type_hints(cls)
    public = _public_fields(cls)
    names = {f.name for f in public}
    for key in data:
        if key not in names:
            close = [n for n in names if n.replace("_", "") == str(key).replace("_", "").replace("-", "").lower()]
            hint = f"did you mean '{close[0]}'? " if close else ""
            ctx.fail(_join(where, str(key)), "", _line_of(data, key),
                     detail=f"unknown field; {hint}expected one of: {', '.join(sorted(names))}")
    values: dict[str, Any] = dict(given)
    for f in public:
        sub = _join(where, f.name)
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                ctx.fail(sub, f"{_type_name(hints[f.name])} ({f.metadata.get('help', '')})", getattr(data, "line", line),
                         detail=f"missing; expected {_type_name(hints[f.name])} ({f.metadata.get('help', '')})")
            continue
        values[f.name] = _convert(hints[f.name], data[f.name], sub, _line_of(data, f.name), ctx, dict(f.metadata))
    return cls(**values)


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


# ---------------------------------------------------------------- files

def data_dir() -> Path:
    """The content folder: $LESSONKIT_DATA, else the repository's data/ beside the package."""
    env = os.environ.get("LESSONKIT_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def activity_path(slug: str) -> Path:
    """Path of an activity's YAML from its slug ('colour-days') or a path."""
    p = Path(slug)
    if p.suffix in (".yaml", ".yml"):
        return p
    return data_dir() / "activities" / f"{slug}.yaml"


def load(path: str | os.PathLike) -> Activity:
    """Read one activity YAML into its typed content; raise ContentError naming what is wrong."""
    path = Path(path)
    ctx = _Ctx(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        ctx.fail("(top level)", "a mapping of fields (kind: ..., title: ...)", getattr(data, "line", 1), data)
    kind = data.get("kind")
    if kind not in KINDS:
        ctx.fail("kind", "one of " + ", ".join(sorted(KINDS)), _line_of(data, "kind") if "kind" in data else 1,
                 kind if "kind" in data else None,
                 detail=None if "kind" in data else "missing; expected one of " + ", ".join(sorted(KINDS)))
    content = _build(KINDS[kind], data, "", 1, ctx, slug=path.stem, source=str(path))
    return content._finish(data, ctx)


def load_lesson(path: str | os.PathLike | None = None) -> Lesson:
    """Read the session description (data/lesson.yaml)."""
    path = Path(path) if path else data_dir() / "lesson.yaml"
    ctx = _Ctx(path)
    return _build(Lesson, _read_yaml(path), "", 1, ctx, source=str(path))


def activities(folder: str | os.PathLike | None = None) -> list[Activity]:
    """Every activity in data/activities, in session order."""
    folder = Path(folder) if folder else data_dir() / "activities"
    return sorted((load(p) for p in sorted(folder.glob("*.yaml"))), key=lambda a: (a.number, a.slug))


def check(paths: list[str | os.PathLike]) -> list[str]:
    """Validate content files or folders; return one message per problem (empty when all are fine)."""
    problems: list[str] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))
        else:
            files.append(p)
    for f in files:
        try:
            if f.name == "lesson.yaml":
                load_lesson(f)
            else:
                load(f)
        except ContentError as exc:
            problems.append(str(exc))
    return problems


def _complete_colour_days(content: ColourDays, data: dict, ctx: _Ctx) -> ColourDays:
    if not content.colours:
        ctx.fail("colours", "a list of at least 2 colours (name and hex)", getattr(data, "line", 1),
                 detail="missing; expected a list of at least 2 colours, each with name and hex")
    sample = content.sample_class
    if sample is None:
        return content
    csv_path = resolve_data_file(content, sample.file)
    rows = _read_sample_csv(csv_path, content)
    return dataclasses.replace(content, sample_class=dataclasses.replace(sample, rows=rows))


def _read_sample_csv(path: Path, content: ColourDays) -> tuple[dict[str, str], ...]:
    ctx = _Ctx(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        ctx.fail("sample_class.file", "an existing CSV file", None, detail="file not found")
    reader = csv.DictReader(text.splitlines())
    wanted = ["learner"] + [content.item(d) for d in content.days]
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [w for w in wanted if w not in header]
    if missing:
        ctx.fail("(header)", "columns " + ", ".join(wanted), 1, detail=f"missing column(s) {', '.join(missing)}; "
                 f"expected columns {', '.join(wanted)}")
    names = {c.name.lower(): c.name for c in content.colours}
    rows = []
    for n, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        out = {"learner": row["learner"]}
        for day in content.days:
            value = row[content.item(day)]
            if value.lower() not in names:
                ctx.fail(content.item(day), "one of the activity's colours: " + ", ".join(names.values()), n, value)
            out[content.item(day)] = names[value.lower()]
        rows.append(out)
    return tuple(rows)
