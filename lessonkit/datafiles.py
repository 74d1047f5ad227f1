"""Where lesson content lives: the data folder, an activity's YAML, and files a YAML names."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Activity
    from .settings import Settings

__all__ = ["data_dir", "default_data_dir", "activity_path", "resolve_data_file"]


def data_dir(settings: Settings) -> Path:
    """The content folder: settings.data_dir ($LESSONKIT_DATA, read by the entry point), else default_data_dir()."""
    return settings.data_dir or default_data_dir()


def default_data_dir() -> Path:
    """The content folder without a setting: data/ beside the notebook's folder (or in the current folder), else
    the repository's data/ beside the package."""
    # A lesson folder is self-contained: a notebook's kernel runs in notebooks/, with data/ beside it, so a
    # copied lesson opened in JupyterLab reads its own content without any setting.
    here = Path.cwd()
    for candidate in (here.parent / "data", here / "data"):
        if (candidate / "activities").is_dir():
            return candidate
    return Path(__file__).resolve().parent.parent / "data"


def activity_path(slug: str, data: Path | None = None) -> Path:
    """Path of an activity's YAML from its slug ('colour-days', in `data`/activities: the content folder, else
    default_data_dir()) or a path."""
    p = Path(slug)
    if p.suffix in (".yaml", ".yml"):
        return p
    return (data if data is not None else default_data_dir()) / "activities" / f"{slug}.yaml"


def resolve_data_file(content: Activity, name: str, data: Path | None = None) -> Path:
    """A file named in content: relative to the data folder the YAML is in (the parent of its activities/),
    else to `data` (the content folder the page or command runs with; else default_data_dir()), else to the
    YAML's own folder. So `lessonkit check` on a copied data folder reads the copy's files, not the
    repository's."""
    p = Path(name)
    if p.is_absolute():
        return p
    own = Path(content.source).parent
    fallback = data if data is not None else default_data_dir()
    for root in ([own.parent] if own.name == "activities" else []) + [fallback]:
        if (root / p).exists():
            return root / p
    return own / p
