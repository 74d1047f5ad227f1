"""lessonkit/quiet.py holds back the two notices a trainer can do nothing about, and nothing else.

Each notice is checked against the library that writes it (jupyter_server's contents manager, a real
ipykernel), with the filter and without, so a reworded notice in a newer release fails here rather
than showing again unnoticed. tests/browser/test_quiet_browser.py reads a real `lessonkit serve` log.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lessonkit.quiet import Quiet, quiet_log
from tests.helpers import ROOT


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


def logger_with(name: str, quiet: bool) -> tuple[logging.Logger, Kept]:
    log = logging.getLogger(name)
    log.handlers, log.filters, log.propagate = [], [], False
    log.setLevel(logging.DEBUG)
    kept = Kept()
    log.addHandler(kept)
    if quiet:
        quiet_log(name)
    return log, kept


def test_only_the_notices_are_held_back_and_never_an_error():
    log, kept = logger_with("lessonkit-test-quiet", quiet=True)
    log.warning("Notebook %s is not trusted", "lesson.ipynb")
    log.warning("Notebook %s is not trusted", "05-colour-days.ipynb")
    log.warning("Kernel is running over TCP without encryption. All communication ...")
    log.warning("Notebook %s could not be read", "lesson.ipynb")
    log.info("Kernel started: %s", "abc")
    log.error("Notebook %s is not trusted", "a forged notebook")   # an error is always shown
    assert kept.lines == ["WARNING Notebook lesson.ipynb could not be read", "INFO Kernel started: abc",
                          "ERROR Notebook a forged notebook is not trusted"]


def test_installing_twice_adds_one_filter():
    log, _ = logger_with("lessonkit-test-twice", quiet=True)
    assert quiet_log("lessonkit-test-twice") is log.filters[0] and len(log.filters) == 1
    assert isinstance(log.filters[0], Quiet)


@pytest.mark.parametrize("quiet", [False, True])
def test_jupyter_servers_trust_notice_for_a_lesson_page(tmp_path, monkeypatch, quiet):
    """Voila reads each page through jupyter_server's contents manager, which logs the notice for an unsigned
    notebook: every lesson notebook, every time a learner opens it."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))   # the notary's signature store
    shutil.copy(ROOT / "notebooks" / "lesson.ipynb", tmp_path / "lesson.ipynb")
    log, kept = logger_with(f"lessonkit-test-cm-{quiet}", quiet)
    manager = FileContentsManager(root_dir=str(tmp_path), log=log)
    manager.get("lesson.ipynb")
    manager.get("lesson.ipynb")
    warned = [line for line in kept.lines if not line.startswith(("INFO", "DEBUG"))]   # the notary makes its key
    assert warned == ([] if quiet else ["WARNING Notebook lesson.ipynb is not trusted"] * 2)


def kernel_stderr(tmp_path: Path, module: str) -> str:
    """Start a real kernel (`python -m module`) on TCP, wait until it listens, stop it; its stderr."""
    from jupyter_client.connect import write_connection_file

    connection, info = write_connection_file(str(tmp_path / f"{module}.json"), ip="127.0.0.1", transport="tcp",
                                             key=b"lessonkit-test")
    assert json.loads(Path(connection).read_text())["transport"] == "tcp"
    err = tmp_path / f"{module}.err"
    with open(err, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", module, "-f", connection], stdout=subprocess.DEVNULL,
                                stderr=out, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 90   # its sockets are bound after the notice would have been written
        while True:
            assert proc.poll() is None, f"{module} exited: {err.read_text()}"
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", info["shell_port"])) == 0:
                    break
            assert time.monotonic() < deadline, f"{module} did not listen in 90 s: {err.read_text()}"
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return err.read_text()


def test_lessonkits_kernel_says_nothing_about_tcp_while_a_plain_ipykernel_does(tmp_path):
    assert "Kernel is running over TCP without encryption" in kernel_stderr(tmp_path, "ipykernel_launcher")
    assert "without encryption" not in kernel_stderr(tmp_path, "lessonkit.kernel")
