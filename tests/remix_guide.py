"""The worked example of docs/educators.md, read from the guide itself, so the guide and its tests agree.

The guide marks its blocks with HTML comments (invisible when rendered):
`<!-- remix-steps -->` shell commands, run in order; `<!-- remix-output -->` what the commands just
before print; `<!-- remix-edit: FILE -->` YAML fields that replace the same fields in FILE;
`<!-- remix-serve -->` the `lessonkit serve` command.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

GUIDE = ROOT / "docs" / "educators.md"
_BLOCK = re.compile(r"<!-- remix-(steps|output|serve|edit)(?:: (\S+))? -->\n```\w*\n(.*?)```", re.DOTALL)


def blocks() -> list[tuple[str, str, str]]:
    """(what, target file or "", text) for each marked block, in the guide's order."""
    return [(m[1], m[2] or "", m[3]) for m in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def replace_fields(text: str, edit: str) -> str:
    """Apply one of the guide's edits: each top-level field in `edit` replaces that field (its line and the
    indented lines under it), or the commented-out `# field:` line of an optional field."""
    chunks: list[list[str]] = []
    for line in edit.rstrip("\n").split("\n"):
        if line and not line[0].isspace() and not line.startswith("#"):
            chunks.append([line])
        else:
            chunks[-1].append(line)
    lines = text.split("\n")
    for chunk in chunks:
        key = chunk[0].split(":", 1)[0]
        start = next((i for i, ln in enumerate(lines) if ln.startswith(f"{key}:")), None)
        if start is None:
            start = next(i for i, ln in enumerate(lines) if ln.startswith(f"# {key}:"))
            end = start + 1
        else:
            end = start + 1
            while end < len(lines) and (not lines[end] or lines[end][0].isspace()):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
        lines[start:end] = chunk
    return "\n".join(lines)


def workspace(tmp: Path) -> Path:
    """A folder laid out like the repository for the guide's commands: data/, notebooks/, .venv/bin/lessonkit."""
    shutil.copytree(ROOT / "data", tmp / "data")
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    shim = tmp / ".venv" / "bin" / "lessonkit"
    shim.parent.mkdir(parents=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lessonkit.cli "$@"\n')
    shim.chmod(0o755)
    return tmp


def run_guide(work: Path) -> list[str]:
    """Run the guide's steps and edits in `work` (see workspace), checking each shown output; returns the
    arguments of its `lessonkit serve` command with the paths made absolute."""
    printed = ""
    for what, target, text in blocks():
        if what == "steps":
            done = subprocess.run(["bash", "-ec", text], cwd=work, capture_output=True, text=True, timeout=120,
                                  check=False)
            assert done.returncode == 0, f"guide step failed:\n{text}\n{done.stdout}{done.stderr}"
            printed = done.stdout
        elif what == "output":
            assert printed == text, f"the guide shows:\n{text}\nbut the commands printed:\n{printed}"
        elif what == "edit":
            path = work / target
            path.write_text(replace_fields(path.read_text(encoding="utf-8"), text), encoding="utf-8")
        else:
            args = shlex.split(text)
            assert args[:2] == [".venv/bin/lessonkit", "serve"], text
            return [str(work / a) if prev in ("--data", "--notebooks") else a
                    for prev, a in zip(["serve", *args[2:]], args[2:])]
    raise AssertionError("the guide has no <!-- remix-serve --> block")
