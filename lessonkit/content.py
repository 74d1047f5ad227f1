"""Load and validate lesson content: an activity's YAML into its kind's typed model, and the lesson.

`lessonkit check` (all of a lesson's files, and its notebooks) is lessonkit.checking.

The generic pieces live in small modules: YAML with line numbers (yamllines), the type-hint converter
(convert), the shared models (model) and where files are (datafiles). Each kind's model is named by its
entry in lessonkit.kinds, so loading a quiz imports only the quiz's model.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import kinds
from .convert import Ctx, build
from .datafiles import default_data_dir
from .model import Activity, Lesson
from .yamllines import line_at, read_yaml

__all__ = ["load", "load_lesson", "activities"]


def load(path: str | os.PathLike, *, data: Path | None = None) -> Activity:
    """Read one activity YAML into its typed content; raise ContentError naming what is wrong.

    A file the YAML names (a sample class) is read from the data folder the YAML is in, else from `data`
    (the content folder the caller runs with, lessonkit.datafiles.data_dir(settings)), else the default one."""
    path = Path(path)
    ctx = Ctx(path, data)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        ctx.fail("(top level)", "a mapping of fields (kind: ..., title: ...)", getattr(raw, "line", 1), raw)
    kind = raw.get("kind")
    known = kinds.names()
    if kind not in known:
        ctx.fail("kind", "one of " + ", ".join(known), line_at(raw, "kind") if "kind" in raw else 1,
                 kind if "kind" in raw else None,
                 detail=None if "kind" in raw else "missing; expected one of " + ", ".join(known))
    content = build(kinds.get(kind).part("model"), raw, "", 1, ctx, slug=path.stem, source=str(path))
    return content._finish(raw, ctx)


def load_lesson(path: str | os.PathLike | None = None) -> Lesson:
    """Read the session description: `path` (the entry points: data_dir(settings) / "lesson.yaml"), else the
    default content folder's lesson.yaml (lessonkit.datafiles.default_data_dir)."""
    path = Path(path) if path else default_data_dir() / "lesson.yaml"
    ctx = Ctx(path)
    return build(Lesson, read_yaml(path), "", 1, ctx, source=str(path))


def activities(folder: str | os.PathLike | None = None, *, data: Path | None = None) -> list[Activity]:
    """Every activity in `folder` (the entry points: data_dir(settings) / "activities"; else the default content
    folder's activities/), in session order; `data` as for load."""
    folder = Path(folder) if folder else default_data_dir() / "activities"
    return sorted((load(p, data=data) for p in sorted(folder.glob("*.yaml"))), key=lambda a: (a.number, a.slug))
