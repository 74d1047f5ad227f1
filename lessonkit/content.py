"""Load and validate lesson content: an activity's YAML into its kind's typed model, the lesson, `check`.

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
from .errors import ContentError
from .model import Activity, Lesson
from .yamllines import line_at, read_yaml

__all__ = ["load", "load_lesson", "activities", "check"]


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
            elif f.parent.name == "feedback" and f.name == "themes.yaml":  # comment themes, not an activity
                from .feedback.themes import load_themes

                load_themes(f)
            else:
                load(f)
        except ContentError as exc:
            problems.append(str(exc))
    from .wiring import check_wiring, notebooks_beside

    for p in map(Path, paths):   # a lesson's data folder: its activities and notebooks must fit together
        notebooks = notebooks_beside(p) if (p.is_dir() and (p / "activities").is_dir()) else None
        if notebooks is not None:
            problems += check_wiring(p, notebooks)
    return problems


