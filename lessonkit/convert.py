"""Content from loaded YAML by type hints: one converter checks every model's fields (type, length, pattern,
choices, ranges, unique items) and every error names the file, the line, the field and what was expected."""

from __future__ import annotations

import csv
import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union

from .errors import ContentError
from .yamllines import line_at

__all__ = ["Ctx", "field_meta", "id_meta", "type_name", "public_fields", "item_rules", "convert", "build",
           "join_path", "read_sample_csv"]


def field_meta(help: str, **rules: Any) -> dict[str, Any]:
    # rules the converter applies: max_len, pattern (+ expected), choices, min, max, min_items, max_items,
    # unique, unique_by. required=True marks a kind's field that has a default only because dataclass
    # inheritance needs one: its _finish() refuses it missing, and the JSON Schema and `lessonkit new` say so.
    return {"help": help, **rules}


def id_meta(help: str, example: str, max_len: int = 30) -> dict[str, Any]:
    """Field metadata for a short id: lower-case letters, digits and dashes, starting with a letter or digit."""
    return field_meta(help, pattern=rf"[a-z0-9][a-z0-9-]{{0,{max_len - 1}}}",
                 expected=f"lower-case letters, digits and dashes, e.g. '{example}'")



@dataclass
class Ctx:
    """The file being read, and the content folder it is read for (a file the YAML names is also looked for
    there, lessonkit.datafiles.resolve_data_file; None: the default folder)."""

    file: Path
    data: Path | None = None

    def fail(self, where: str, expected: str, line: int | None, got: Any = None, detail: str | None = None):
        raise ContentError(self.file, where, expected, line=line, got=got, detail=detail)



def type_name(tp: Any) -> str:
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
        return f"a list of {type_name(typing.get_args(tp)[0])}"
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"a mapping ({tp.__name__}: {', '.join(f.name for f in public_fields(tp))})"
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) if a is not type(None) else "nothing" for a in typing.get_args(tp))
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    return str(tp)


def public_fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def item_rules(meta: dict) -> dict:
    """The rules of a list field that apply to each of its items."""
    return {k: v for k, v in meta.items() if k in ("choices", "max_len", "pattern", "expected")}


def convert(tp: Any, value: Any, where: str, line: int | None, ctx: Ctx, meta: dict | None = None) -> Any:
    meta = meta or {}
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None and len(args) < len(typing.get_args(tp)):
            return None
        return convert(args[0], value, where, line, ctx, meta)
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
            ctx.fail(where, f"a list of {type_name(item_tp)}", line, value)
        if len(value) < meta.get("min_items", 0):
            ctx.fail(where, f"a list of at least {meta['min_items']} item(s)", line,
                     detail=f"has {len(value)} item(s); expected at least {meta['min_items']}")
        if "max_items" in meta and len(value) > meta["max_items"]:
            ctx.fail(where, f"a list of at most {meta['max_items']} items", line,
                     detail=f"has {len(value)} items; expected at most {meta['max_items']}")
        items = tuple(convert(item_tp, v, f"{where}[{i}]", line_at(value, i), ctx, item_rules(meta))
                      for i, v in enumerate(value))
        key = meta.get("unique_by")
        if meta.get("unique") or key:
            seen: dict[Any, int] = {}
            for i, it in enumerate(items):
                k = getattr(it, key) if key else it
                k = k.lower() if isinstance(k, str) else k
                if k in seen:
                    ctx.fail(f"{where}[{i}]" + (f".{key}" if key else ""), "unique values", line_at(value, i),
                             detail=f"{getattr(it, key) if key else it!r} appears twice (items {seen[k]} and {i}); "
                                    "expected each to be different")
                seen[k] = i
        return items
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return build(tp, value, where, line, ctx)
    raise TypeError(f"lessonkit.convert cannot convert {tp!r}")  # a programming error, not content


def build(cls: type, data: Any, where: str, line: int | None, ctx: Ctx, **given: Any) -> Any:
    if not isinstance(data, dict):
        ctx.fail(where or "(top level)", type_name(cls), line, data)
    hints = typing.get_type_hints(cls)
    public = public_fields(cls)
    names = {f.name for f in public}
    for key in data:
        if key not in names:
            close = [n for n in names if n.replace("_", "") == str(key).replace("_", "").replace("-", "").lower()]
            hint = f"did you mean '{close[0]}'? " if close else ""
            ctx.fail(join_path(where, str(key)), "", line_at(data, key),
                     detail=f"unknown field; {hint}expected one of: {', '.join(sorted(names))}")
    values: dict[str, Any] = dict(given)
    for f in public:
        sub = join_path(where, f.name)
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                ctx.fail(sub, f"{type_name(hints[f.name])} ({f.metadata.get('help', '')})", getattr(data, "line", line),
                         detail=f"missing; expected {type_name(hints[f.name])} ({f.metadata.get('help', '')})")
            continue
        values[f.name] = convert(hints[f.name], data[f.name], sub, line_at(data, f.name), ctx, dict(f.metadata))
    return cls(**values)


def join_path(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name



def read_sample_csv(path: Path, text_columns: list[str], allowed: dict[str, set[str] | dict[str, str]]
                    ) -> tuple[dict[str, str], ...]:
    """Rows of a sample-class CSV; `allowed` maps each answer column to its allowed values.

    A dict of allowed values maps lower-case spellings to the canonical one. Errors name the CSV
    file, the row's line and the column.
    """
    ctx = Ctx(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        ctx.fail("sample_class.file", "an existing CSV file", None, detail="file not found")
    reader = csv.DictReader(text.splitlines())
    wanted = list(text_columns) + list(allowed)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [w for w in wanted if w.lower() not in header]
    if missing:
        ctx.fail("(header)", "columns " + ", ".join(wanted), 1, detail=f"missing column(s) {', '.join(missing)}; "
                 f"expected columns {', '.join(wanted)}")
    rows = []
    for n, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        out = {c: row[c.lower()] for c in text_columns}
        for column, values in allowed.items():
            value = row[column.lower()]
            canon = values.get(value.lower()) if isinstance(values, dict) else (value if value in values else None)
            if canon is None:
                shown = list(values.values()) if isinstance(values, dict) else sorted(values)
                ctx.fail(column, "one of " + ", ".join(shown), n, value)
            out[column] = canon
        rows.append(out)
    return tuple(rows)
