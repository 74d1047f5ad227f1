"""`lessonkit check`: every content file of a lesson (activities, the lesson, comment themes) and, for a
lesson's data folder, whether its activities and notebooks fit together."""

from __future__ import annotations

import os
from pathlib import Path

from .content import load, load_lesson
from .errors import ContentError
from .wiring import check_wiring, notebooks_beside

__all__ = ["check"]


def check(paths: list[str | os.PathLike], *, data: Path | None = None) -> list[str]:
    """Validate content files or folders; return one message per problem (empty when all are fine).

    A file an activity names is read from the data folder the activity is in, else from `data` (the content
    folder the command runs with), else the default one (lessonkit.content.load)."""
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
                from .feedback.themes import load_themes  # pandas: only when a lesson has themes to check

                load_themes(f)
            else:
                load(f, data=data)
        except ContentError as exc:
            problems.append(str(exc))
    for p in map(Path, paths):   # a lesson's data folder: its activities and notebooks must fit together
        notebooks = notebooks_beside(p) if (p.is_dir() and (p / "activities").is_dir()) else None
        if notebooks is not None:
            problems += check_wiring(p, notebooks, fallback=data)
    return problems


