"""The page kernel's priority: lower than the server's, for itself and (only) its own session's group."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

CALL = """
import os, sys
from lessonkit.kernel import lower_priority
ok = lower_priority(int(sys.argv[2]), autogroup=sys.argv[1], tries=3)
print(ok, os.getpriority(os.PRIO_PROCESS, 0))
"""


def run(tmp_path: Path, nice: int, own_session: bool, content: str = "/autogroup-7 nice 0\\n") -> tuple[str, str]:
    group = tmp_path / "autogroup"
    group.write_text(content)
    out = subprocess.run([sys.executable, "-c", CALL, str(group), str(nice)], cwd=ROOT, capture_output=True,
                         text=True, check=True, start_new_session=own_session)
    return out.stdout.split(), group.read_text()


def test_a_kernel_in_its_own_session_lowers_itself_and_its_group(tmp_path):
    (ok, nice), group = run(tmp_path, 10, own_session=True)
    assert (ok, nice, group) == ("True", "10", "10")


def test_a_kernel_sharing_its_parents_session_leaves_the_group_alone(tmp_path):
    """Writing the group's priority would slow the parent (a server started without a new session) too."""
    (ok, nice), group = run(tmp_path, 10, own_session=False)
    assert (ok, nice) == ("False", "10") and group == "/autogroup-7 nice 0\\n"


def test_a_priority_is_only_ever_lowered(tmp_path):
    group = tmp_path / "autogroup"
    group.write_text("")
    out = subprocess.run(["nice", "-n", "15", sys.executable, "-c", CALL, str(group), "10"], cwd=ROOT,
                         capture_output=True, text=True, check=True, start_new_session=True)
    assert out.stdout.split()[1] == "15" and group.read_text() == "15"
