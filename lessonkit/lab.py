"""The lesson notebooks in JupyterLab: thin, with their code cell hidden, and never saved with outputs.

A lesson notebook carries `"lessonkit": {"lesson": true}` in its metadata. JupyterLab would save the
page's widget outputs (and widget state) into it on every autosave, so the file in the lesson changes and,
reopened, shows "Error displaying widget: model not found". `pre_save_hook`, which Jupyter Server runs
before it writes a notebook, puts a lesson notebook back into its committed form: outputs removed, the
cell's metadata and the notebook's metadata as shipped. `python -m lessonkit.lab --install` writes the
Jupyter Server setting that turns the hook on (etc/jupyter/jupyter_server_config.json) into this
environment (`make serve` and `make test` run it). Where students' own Jupyter servers serve the pages
(Binder's postBuild, a JupyterHub image: docs/jupyterhub.md) `--hosted` is added: Voila, run there as a
Jupyter Server extension, then serves pages as `lessonkit serve` does (its page template, only the widget
extensions) and idle kernels are culled.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["CELL_METADATA", "NOTEBOOK_METADATA", "is_lesson", "lesson_notebook", "notebook_text", "pre_save_hook",
           "server_config", "install"]

# The code cell: hidden and locked in JupyterLab (a learner sees the page, not `import lessonkit as lk`).
CELL_METADATA: dict[str, Any] = {"deletable": False, "editable": False, "jupyter": {"source_hidden": True}}
NOTEBOOK_METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
    "lessonkit": {"lesson": True},
}
CONFIG_NAME = "jupyter_server_config.json"


def lesson_notebook(source: str) -> dict[str, Any]:
    """A thin lesson notebook (nbformat 4.5) with one hidden code cell."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "lesson", "metadata": dict(CELL_METADATA),
                       "outputs": [], "source": _lines(source)}],
            "metadata": json.loads(json.dumps(NOTEBOOK_METADATA)), "nbformat": 4, "nbformat_minor": 5}


def notebook_text(nb: dict[str, Any]) -> str:
    """A notebook as Jupyter writes it (sorted keys, one-space indent, source as lines), so a save from
    JupyterLab leaves the committed file byte for byte as it was."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _lines(source: str | list[str]) -> list[str]:
    text = "".join(source) if isinstance(source, list) else source
    return text.splitlines(keepends=True)


def is_lesson(nb: dict[str, Any]) -> bool:
    """True for a lessonkit lesson notebook (its metadata says so)."""
    meta = nb.get("metadata") if isinstance(nb, dict) else None
    return isinstance(meta, dict) and isinstance(meta.get("lessonkit"), dict) and bool(meta["lessonkit"].get("lesson"))


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """Put a lesson notebook back as shipped: no outputs, no widget state, the shipped metadata."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell["metadata"] = dict(CELL_METADATA)
        if isinstance(cell.get("source"), str):
            cell["source"] = _lines(cell["source"])
    nb["metadata"] = json.loads(json.dumps(NOTEBOOK_METADATA))
    return nb


def pre_save_hook(model: dict[str, Any], **_kwargs: Any) -> None:
    """Jupyter Server's ContentsManager.pre_save_hook: a lesson notebook is saved as shipped."""
    if model.get("type") == "notebook" and is_lesson(model.get("content") or {}):
        clean(model["content"])


def server_config(binder: bool = False) -> dict[str, Any]:
    """Jupyter Server settings (jupyter_server_config.json): the pre-save hook; on Binder also culling."""
    config: dict[str, Any] = {"ContentsManager": {"pre_save_hook": "lessonkit.lab.pre_save_hook"}}
    if binder:
        # Voila's own shutdown on close does not reach the server (voila#1458): idle kernels are culled.
        config["MappingKernelManager"] = {"cull_idle_timeout": 900, "cull_interval": 60, "cull_connected": False}
        # No MathJax from cdnjs (Voila's default under Jupyter Server; as under `lessonkit serve`, none at all),
        # and scripts gzipped (a page's ~5 MB of scripts become ~1.2 MB).
        config["ServerApp"] = {"tornado_settings": {"mathjax_url": None, "mathjax_config": None,
                                                    "compress_response": True}}
    return config


def voila_config() -> dict[str, Any]:
    """Voila settings for Binder (voila.json, which Voila's server extension reads): pages as `lessonkit serve`
    serves them, with the lessonkit page template, only the widget extensions, no tracebacks, media-only files."""
    from .serving import FILE_ALLOWLIST, FILE_DENYLIST, PAGE_EXTENSIONS

    return {"VoilaConfiguration": {
                "template": "lessonkit", "theme": "light", "extension_allowlist": list(PAGE_EXTENSIONS),
                "file_allowlist": FILE_ALLOWLIST, "file_denylist": FILE_DENYLIST, "show_tracebacks": False},
            "VoilaExecutor": {"iopub_timeout": 30}}


def _merge_into(path: Path, settings: dict[str, Any]) -> None:
    """Write `settings` into a Jupyter JSON config file, keeping whatever else it already holds."""
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = {}
    if not isinstance(current, dict):
        current = {}
    for section, values in settings.items():
        merged = current.get(section)
        if not isinstance(merged, dict):
            merged = {}
        current[section] = {**merged, **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")


def install(prefix: str | Path = sys.prefix, *, binder: bool = False) -> Path:
    """Write lessonkit's settings into `prefix`/etc/jupyter/jupyter_server_config.json (merged with what is
    there; Jupyter Server reads only extension switches from its .d folder). With binder=True also Voila's
    settings (voila.json) and lessonkit's page template into `prefix`/share/jupyter."""
    import shutil

    prefix = Path(prefix)
    path = prefix / "etc" / "jupyter" / CONFIG_NAME
    _merge_into(path, server_config(binder))
    if binder:
        _merge_into(prefix / "etc" / "jupyter" / "voila.json", voila_config())
        source = Path(__file__).resolve().parent / "jupyter_data" / "voila" / "templates" / "lessonkit"
        target = prefix / "share" / "jupyter" / "voila" / "templates" / "lessonkit"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
    return path


def main(argv: list[str] | None = None) -> int:
    """python -m lessonkit.lab --install [--hosted] [--prefix DIR]"""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m lessonkit.lab", description="Install lessonkit's Jupyter settings.")
    ap.add_argument("--install", action="store_true", required=True)
    ap.add_argument("--hosted", "--binder", dest="hosted", action="store_true",
                    help="students' own Jupyter servers (Binder, JupyterHub): Voila serves pages with lessonkit's "
                         "template and only the widget extensions, no files from other sites, idle kernels culled")
    ap.add_argument("--prefix", default=sys.prefix, help="environment to install into (default: this one)")
    args = ap.parse_args(argv)
    path = install(args.prefix, binder=args.hosted)
    what = "JupyterLab saves lesson notebooks without outputs"
    if args.hosted:
        what += "; Voila serves them with lessonkit's page template, only the widget extensions, culling on"
    print(f"lessonkit: {what} ({path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
