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
from .datafiles import data_dir
from .model import Activity, Lesson
from .yamllines import line_at, read_yaml

__all__ = ["load", "load_lesson", "activities"]


def load(path: str | os.PathLike) -> Activity:
    """Read one activity YAML into its typed content; raise ContentError naming what is wrong."""
    path = Path(path)
    ctx = Ctx(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        ctx.fail("(top level)", "a mapping of fields (kind: ..., title: ...)", getattr(data, "line", 1), data)
    kind = data.get("kind")
    known = kinds.names()
    if kind not in known:
        ctx.fail("kind", "one of " + ", ".join(known), line_at(data, "kind") if "kind" in data else 1,
                 kind if "kind" in data else None,
                 detail=None if "kind" in data else "missing; expected one of " + ", ".join(known))
    content = build(kinds.get(kind).part("model"), data, "", 1, ctx, slug=path.stem, source=str(path))
    return content._finish(data, ctx)


def load_lesson(path: str | os.PathLike | None = None) -> Lesson:
    """Read the session description (data/lesson.yaml)."""
    path = Path(path) if path else data_dir() / "lesson.yaml"
    ctx = Ctx(path)
    return build(Lesson, read_yaml(path), "", 1, ctx, source=str(path))


def activities(folder: str | os.PathLike | None = None) -> list[Activity]:
    """Every activity in data/activities, in session order."""
    folder = Path(folder) if folder else data_dir() / "activities"
    return sorted((load(p) for p in sorted(folder.glob("*.yaml"))), key=lambda a: (a.number, a.slug))
