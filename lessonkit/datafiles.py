"""Where lesson content lives: the data folder, an activity's YAML, and files a YAML names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Activity

__all__ = ["data_dir", "activity_path", "resolve_data_file"]


def data_dir() -> Path:
    """The content folder: $LESSONKIT_DATA, else data/ beside the notebook's folder (or in the current
    folder), else the repository's data/ beside the package."""
    env = os.environ.get("LESSONKIT_DATA")
    if env:
        return Path(env)
    # A lesson folder is self-contained: a notebook's kernel runs in notebooks/, with data/ beside it, so a
    # copied lesson opened in JupyterLab reads its own content without any setting.
    here = Path.cwd()
    for candidate in (here.parent / "data", here / "data"):
        if (candidate / "activities").is_dir():
            return candidate
    return Path(__file__).resolve().parent.parent / "data"


def activity_path(slug: str) -> Path:
    """Path of an activity's YAML from its slug ('colour-days') or a path."""
    p = Path(slug)
    if p.suffix in (".yaml", ".yml"):
        return p
    return data_dir() / "activities" / f"{slug}.yaml"


def resolve_data_file(content: Activity, name: str) -> Path:
    """A file named in content: relative to the data folder the YAML is in (the parent of its activities/),
    else to data/, else to the YAML's own folder. So `lessonkit check` on a copied data folder reads the
    copy's files, not the repository's."""
    p = Path(name)
    if p.is_absolute():
        return p
    own = Path(content.source).parent
    for root in ([own.parent] if own.name == "activities" else []) + [data_dir()]:
        if (root / p).exists():
            return root / p
    return own / p
