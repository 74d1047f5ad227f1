"""`lessonkit check`'s wiring check: a lesson folder's activities and notebooks fit together.

A lesson folder holds `data/` (activities/*.yaml) and `notebooks/` beside it. Every activity names its
notebook (`notebook:`), every lesson notebook shows one activity (`lk.activity("slug")`), and activities
are numbered once each; otherwise the overview links to a page that is not there, or two activities share
a number (and the overview lists them in an arbitrary order). Each problem names the file and the field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .content import load
from .errors import ContentError
from .model import Activity
from .yamllines import line_of, read_yaml

__all__ = ["check_wiring", "notebooks_beside"]

_SHOWS = re.compile(r"""lk\.activity\(\s*["']([^"']+)["']""")


def notebooks_beside(data: Path) -> Path | None:
    """The notebooks folder of a lesson folder, from its data folder (data/../notebooks)."""
    found = data.resolve().parent / "notebooks"
    return found if found.is_dir() else None


def _line(item: Activity, field: str) -> int | None:
    try:
        return line_of(read_yaml(Path(item.source)), field)
    except (ContentError, OSError):
        return None


def _shown_slug(path: Path) -> tuple[str | None, str | None]:
    """(slug the notebook shows with lk.activity(...), problem reading it)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        source = "".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in nb.get("cells", []) if c.get("cell_type") == "code")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"not a readable notebook ({exc})"
    found = _SHOWS.search(source)
    return (found.group(1), None) if found else (None, None)


def check_wiring(data: Path, notebooks: Path, *, fallback: Path | None = None) -> list[str]:
    """One message per wiring problem between data/activities and the notebooks folder (`fallback`: where else
    a file an activity names is looked for, as for lessonkit.content.load's `data`)."""
    problems: list[str] = []
    items: list[Activity] = []
    for path in sorted((data / "activities").glob("*.yaml")):
        try:
            items.append(load(path, data=fallback))
        except ContentError:
            continue   # already reported by the content check
    by_slug = {a.slug: a for a in items}
    shown_by: dict[str, list[str]] = {}
    for page in sorted(notebooks.glob("*.ipynb")):
        slug, _ = _shown_slug(page)
        if slug:
            shown_by.setdefault(slug, []).append(page.name)
    numbers: dict[int, list[Activity]] = {}
    pages: dict[str, list[Activity]] = {}
    for a in items:
        numbers.setdefault(a.number, []).append(a)
        pages.setdefault(a.notebook, []).append(a)
    for a in items:   # a shared number or notebook is reported on every file that has it
        src = a.source
        others = [Path(o.source).name for o in numbers[a.number] if o is not a]
        if others:
            problems.append(str(ContentError(src, "number", "", line=_line(a, "number"), detail=(
                f"{a.number:02d} is also the number of {', '.join(others)}; expected a number no other "
                "activity has (the overview lists activities by number)"))))
        others = [Path(o.source).name for o in pages[a.notebook] if o is not a]
        if others:
            problems.append(str(ContentError(src, "notebook", "", line=_line(a, "notebook"), detail=(
                f"{a.notebook} is also the notebook of {', '.join(others)}; expected a notebook of its own"))))
        page = notebooks / a.notebook
        if not page.is_file():
            elsewhere = [n for n in shown_by.get(a.slug, []) if n != a.notebook]
            hint = (f"; {elsewhere[0]} shows this activity: rename it to {a.notebook}, or set notebook: {elsewhere[0]}"
                    if elsewhere else "")
            problems.append(str(ContentError(src, "notebook", "", line=_line(a, "notebook"), detail=(
                f"no {a.notebook} in {notebooks}; expected the name of this activity's notebook there "
                f"(the overview links to it){hint}"))))
            continue
        shown, _ = _shown_slug(page)
        if shown is not None and shown != a.slug:
            problems.append(str(ContentError(page, 'lk.activity("...")', "", detail=(
                f"shows activity {shown!r}, but {Path(src).name} (slug {a.slug!r}) names this notebook; "
                f"expected lk.activity(\"{a.slug}\")"))))
    for page in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        shown, unreadable = _shown_slug(page)
        if unreadable:
            problems.append(f"{page}: {unreadable}")
            continue
        if shown is None:
            continue   # the overview and other pages that show no single activity
        owner = by_slug.get(shown)
        if owner is None:
            problems.append(str(ContentError(page, 'lk.activity("...")', "", detail=(
                f"shows activity {shown!r}, which is not in {data / 'activities'}; expected one of: "
                f"{', '.join(sorted(by_slug))}"))))
        elif owner.notebook != page.name and not (notebooks / owner.notebook).is_file():
            pass   # reported above, from the activity's side (its notebook field names a missing file)
        elif owner.notebook != page.name:
            problems.append(str(ContentError(page, "notebook", "", detail=(
                f"shows activity {shown!r}, whose YAML ({Path(owner.source).name}) names {owner.notebook}; "
                "expected one notebook per activity, named in its notebook field"))))
    return problems
