"""The activity kinds: one folder each (lessonkit/kinds/<kind>/), registered once.

A kind's folder holds everything about it: the content model its YAML loads into, the view a learner
answers in, the class boards, its scoring and renderers, and the starter YAML `lessonkit new` writes.
Its `__init__.py` names those parts in one `Kind` entry, as "module:attribute" strings, so the registry
imports a part only when a page uses it: a learner's kernel showing the quiz never imports the scenario.

    KIND = Kind(name="quiz", model=".model:Quiz", page=".view:quiz_page", boards=".view:quiz_boards",
                starter="starter.yaml", prebuilt=True)

Relative names (".model:Quiz") are read inside the kind's own package. A lesson can bring kinds of its
own: `add_folder(path)` registers every kind folder found in `path` (each a package with a KIND), and a
kind registered later with the same name replaces the built-in one.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Kind", "get", "model", "names", "all_kinds", "add_folder", "UnknownKind"]


class UnknownKind(KeyError):
    """No kind of that name is registered."""


@dataclass(frozen=True)
class Kind:
    """One activity kind: its YAML name and where its parts are ("module:attribute", imported on first use).

    model   the content dataclass (a subclass of lessonkit.model.Activity) the YAML loads into
    page    (content, store, learner, *, settings=None) -> the learner's page widget: the activity and its
            class boards. `settings` is the page's lessonkit.settings.Settings, built by the entry point
            (lk.activity, lk.session) from the environment; None means every default, Settings(), never the
            environment: a builder reads what it needs from it (the content folder, plotly.js's address, ...)
            and reads no variable itself
    boards  (content, store, class_code, *, learner=None, show_names=True, live=True) -> the boards alone,
            for the trainer's dashboard and the projector
    starter the starter YAML `lessonkit new <kind>` fills in, a file in the kind's folder
    prebuilt True when every view on the page can be built before its learner is known (bind_learner),
            so a preheated Voila kernel builds the page ahead and only binds the arriving learner
    answer  (page, n) -> the view to submit, or None when answering stored it already: fills the page in
            as learner number n would (a different answer for each n), for the tests that check every
            kind's boards and for benchmarks
    """

    name: str
    model: str
    page: str
    boards: str
    starter: str = "starter.yaml"
    prebuilt: bool = False
    answer: str = ""
    package: str = field(default="", compare=False)   # set on registration: the kind's package
    folder: Path | None = field(default=None, compare=False)

    def part(self, which: str) -> Any:
        """The named part ("model", "page", "boards"), imported on first use."""
        ref = getattr(self, which)
        module, _, attr = ref.partition(":")
        loaded = importlib.import_module(module, self.package or None)
        return getattr(loaded, attr)

    @property
    def starter_path(self) -> Path | None:
        return None if self.folder is None or not self.starter else self.folder / self.starter


_KINDS: dict[str, Kind] = {}
_FOLDERS: list[Path] = []
_scanned = False


def _register_package(package: str) -> None:
    module = importlib.import_module(package)
    kind = getattr(module, "KIND", None)
    if not isinstance(kind, Kind):
        return
    file = getattr(module, "__file__", None)
    folder = Path(file).resolve().parent if file else None
    _KINDS[kind.name] = Kind(**{**kind.__dict__, "package": package, "folder": folder})


def _scan() -> None:
    global _scanned
    if _scanned:
        return
    _scanned = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.ispkg:
            _register_package(f"{__name__}.{info.name}")


def add_folder(folder: str | Path) -> list[str]:
    """Register the kinds in `folder` (each a sub-folder with an __init__.py defining KIND); their parts are
    imported as lessonkit.kinds.<sub-folder>. Returns the names registered."""
    _scan()
    folder = Path(folder).resolve()
    if folder not in _FOLDERS:
        _FOLDERS.append(folder)
        __path__.append(str(folder))   # the folder's packages become lessonkit.kinds.<name>
    found = []
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if info.ispkg:
            before = dict(_KINDS)
            _register_package(f"{__name__}.{info.name}")
            found += [name for name, kind in _KINDS.items() if before.get(name) is not kind]
    return found


def get(name: str) -> Kind:
    """The kind registered under `name` (the YAML's `kind:` value)."""
    _scan()
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def model(name: str) -> type:
    """The content model (dataclass) of the kind registered under `name`."""
    return get(name).part("model")


def names() -> list[str]:
    """Every registered kind's name, sorted."""
    _scan()
    return sorted(_KINDS)


def all_kinds() -> list[Kind]:
    _scan()
    return [_KINDS[n] for n in sorted(_KINDS)]
