"""`lessonkit new KIND SLUG`: a starter activity YAML, explained field by field, and its thin notebook.

The comments in the YAML come from the models' field metadata (through lessonkit.schema.describe),
so they say what `lessonkit check` and the JSON Schema say. Only the example values are written by
hand, in each kind's folder (lessonkit/kinds/<kind>/starter.yaml), each valid as it stands and needing
no sample CSV or media file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import textwrap
import typing
from pathlib import Path
from typing import Any

import yaml

from . import kinds
from .convert import public_fields
from .datafiles import default_data_dir
from .errors import LessonkitError
from .schema import SCHEMA_DIR, _bare, describe, schema_text

__all__ = ["SLUG_RULE", "ScaffoldError", "new_activity", "next_number", "notebook_json", "starter_values",
           "starter_yaml"]

SLUG_RULE = ("2 to 40 lower-case letters and digits, words joined by single dashes, starting with a letter "
             "(e.g. returns-fines)")
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
WIDTH = 100   # the starter's comment lines wrap here


class ScaffoldError(LessonkitError):
    """`lessonkit new` cannot go ahead; the one-line message says why and what to do."""


def notebook_json(slug: str) -> str:
    """A thin notebook for an activity, exactly the shape of the committed ones (one hidden cell, no outputs)."""
    from .lab import lesson_notebook, notebook_text

    return notebook_text(lesson_notebook(f'import lessonkit as lk\n\nlk.activity("{slug}")'))


def next_number(notebooks: Path) -> int:
    """The number after the highest `NN-*.ipynb` in the folder (1 when there is none; 00 is the overview)."""
    numbers = [int(p.name[:2]) for p in notebooks.glob("[0-9][0-9]-*.ipynb")]
    return max(numbers, default=0) + 1


def new_activity(kind: str, slug: str, *, title: str | None = None, data: str | os.PathLike | None = None,
                 notebooks: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """Write `DATA/activities/SLUG.yaml` and `NOTEBOOKS/NN-SLUG.ipynb`; never overwrites anything.

    `data` defaults to the default content folder (lessonkit.datafiles.default_data_dir; `lessonkit new` passes
    the one it runs with, $LESSONKIT_DATA), `notebooks` to the notebooks/ folder beside it. Raises ScaffoldError
    (nothing written) for an unknown kind, a bad slug or title, or a file that exists.
    """
    if kind not in kinds.names():
        raise ScaffoldError(f"unknown kind {kind!r}; choose one of: {', '.join(kinds.names())}")
    if not (_SLUG.fullmatch(slug) and 2 <= len(slug) <= 40):
        raise ScaffoldError(f"bad slug {slug!r}: a slug is {SLUG_RULE}")
    title = (title if title is not None else slug.replace("-", " ").capitalize()).strip()
    if not title or len(title) > 120 or "\n" in title:
        raise ScaffoldError("--title must be one line of 1 to 120 characters")
    data = Path(data) if data is not None else default_data_dir()
    notebooks = Path(notebooks) if notebooks is not None else data.parent / "notebooks"
    yaml_path = data / "activities" / f"{slug}.yaml"
    taken = [yaml_path] if yaml_path.exists() else []
    taken += sorted(notebooks.glob(f"[0-9][0-9]-{slug}.ipynb"))
    if taken:
        raise ScaffoldError(f"{taken[0]} already exists; choose another slug (nothing was written)")
    number = next_number(notebooks)
    if number > 99:
        raise ScaffoldError(f"{notebooks} already has a notebook numbered 99; notebook numbers stop there")
    notebook = notebooks / f"{number:02d}-{slug}.ipynb"
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    notebooks.mkdir(parents=True, exist_ok=True)
    text = starter_yaml(kind, slug, number, title, _schema_ref(kind, yaml_path.parent, data))
    with open(yaml_path, "x", encoding="utf-8") as out:   # "x": never overwrite, even in a race
        out.write(text)
    try:
        with open(notebook, "x", encoding="utf-8") as out:
            out.write(notebook_json(slug))
    except OSError as exc:   # both files or neither
        yaml_path.unlink()
        if isinstance(exc, FileExistsError):
            raise ScaffoldError(f"{notebook} already exists; choose another slug (nothing was written)") from None
        raise
    return yaml_path, notebook


def _schema_ref(kind: str, folder: Path, data: Path) -> str:
    """The schema's path relative to the YAML (editors resolve it from the file), writing a copy if needed."""
    target = SCHEMA_DIR / f"{kind}.schema.json"
    if not target.exists():   # an installed package without the repository's docs/: put one beside the content
        target = data / "schema" / f"{kind}.schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema_text(kind), encoding="utf-8")
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


# ---------------------------------------------------------------- the YAML

def starter_yaml(kind: str, slug: str, number: int, title: str, schema_ref: str) -> str:
    """The starter YAML of one kind: every field explained in a comment, optional ones shown commented out."""
    values = {"kind": kind, "number": number, "title": title, "notebook": f"{number:02d}-{slug}.ipynb",
              **starter_values(kind)}
    about = (f"Activity '{slug}' (kind: {kind}), started by `lessonkit new`. Each field has a comment above it: "
             "what it is for, then [what it takes; required or optional]. Optional fields you have not used are "
             "shown commented out with their default: remove the '# ' to use one. After each edit run "
             "`lessonkit check` on your data folder.")
    lines = [f"# yaml-language-server: $schema={schema_ref}", *_comment(about, 0)]
    _fields(kinds.model(kind), values, 0, lines, comments=True, kind=kind)
    return "\n".join(lines) + "\n"


def _fields(cls: type, values: dict, indent: int, lines: list[str], *, comments: bool, kind: str | None = None):
    pad = " " * indent
    hints = typing.get_type_hints(cls)
    for f in public_fields(cls):
        if comments:
            lines += [""] if indent == 0 else []
            about = describe(f, hints[f.name], kind if f.name == "kind" else None)
            lines += _comment(about, indent)
        if f.name in values:
            _value(f.name, values[f.name], _bare(hints[f.name]), indent, lines, comments)
        elif comments:
            shown = f.default if f.default not in (dataclasses.MISSING, None, (), "") else None
            lines.append(f"{pad}# {f.name}:" + ("" if shown is None else " " + _inline(shown)))


def _comment(text: str, indent: int) -> list[str]:
    return [f"{' ' * indent}# {part}" for part in textwrap.wrap(text, WIDTH - indent - 2, break_on_hyphens=False)]


def _value(name: str, value: Any, tp: Any, indent: int, lines: list[str], comments: bool) -> None:
    pad = " " * indent
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        lines.append(f"{pad}{name}:")
        _fields(tp, value, indent + 2, lines, comments=comments)
    elif typing.get_origin(tp) is tuple and dataclasses.is_dataclass(typing.get_args(tp)[0]):
        lines.append(f"{pad}{name}:")
        for i, item in enumerate(value):   # the first item carries the comments, the rest are plain
            sub: list[str] = []
            _fields(typing.get_args(tp)[0], item, indent + 4, sub, comments=comments and i == 0)
            first = next(j for j, line in enumerate(sub) if line.strip() and not line.lstrip().startswith("#"))
            sub[first] = f"{pad}  - {sub[first][indent + 4:]}"
            lines += sub
    elif isinstance(value, str) and "\n" in value:
        lines.append(f"{pad}{name}: |")
        lines += [f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
    elif isinstance(value, tuple) and len(f"{pad}{name}: {_inline(value)}") > WIDTH:
        lines.append(f"{pad}{name}:")
        lines += [f"{pad}  - {_inline(v)}" for v in value]
    else:
        lines.append(f"{pad}{name}: {_inline(value)}")


def _inline(value: Any, flow: bool = False) -> str:
    """A scalar or a list of scalars on one line, quoted only where YAML needs it (then in double quotes)."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_inline(v, flow=True) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    plain = yaml.safe_dump(value, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").rstrip("\n")
    needs_quotes = plain[:1] in ("'", '"') or flow and any(c in value for c in ",[]{}")
    return json.dumps(value, ensure_ascii=False) if needs_quotes else plain


# ---------------------------------------------------------------- the hand-written values, one file per kind

def starter_values(kind: str) -> dict[str, Any]:
    """The example values of a kind's starter (its folder's starter.yaml), lists as tuples like the models'."""
    path = kinds.get(kind).starter_path
    if path is None or not path.is_file():
        raise ScaffoldError(f"the kind {kind!r} has no starter file (starter.yaml in its folder)")
    values = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(values, dict):
        raise ScaffoldError(f"{path} must hold a mapping of field names to example values")
    return _tuples(values)


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value
