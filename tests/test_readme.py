"""The README's commands for trainers and educators, run exactly as written on a fresh clone.

Every ```bash block in the README's "Two commands" section (with its subsections: running a class,
the dashboard's commands, upgrading, Binder) and in "For educators: change the content" is run from
a fresh `git clone` of this repository (with the working tree's uncommitted edits and new files), in
the block's order, each line as written. A ```text block right after a ```bash block is what it
prints, and is compared. `make serve` and `lessonkit serve` are started, checked for the pages their
banner promises (the join page; the trainer dashboard too for `make serve`), then stopped with
Ctrl+C (SIGINT), as the README says, and must leave no kernel behind. The dashboard's `reset` asks
first: it runs in a terminal (a pty), where the test types "yes".

`make serve` would install the packages into the clone's `.venv` (minutes, and the network). The
clone instead gets a `.venv` that reuses this test run's installed packages: a venv whose
site-packages points at this environment's (and at the clone's own `lessonkit/`), with `share/` and
`etc/` linked, and the `lessonkit` command pip would write. Its install stamps are newer than
pyproject.toml, so `make` finds it set up. The commands themselves run unchanged, in a new HOME (the
default SQLite store and the exports land there). The README's blocks for developers ("Tests",
PostgreSQL) are not run here: `make test` is what runs this file. It takes about a minute (65 s on
the 2-core development machine; 4 minutes while three other test runs shared it).
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.helpers import ROOT, skip_or_fail

README = ROOT / "README.md"
RUN_SECTIONS = ("Two commands", "For educators: change the content")
SERVES = re.compile(r"^(make serve\b|\.venv/bin/lessonkit serve\b)")
PORTS = (8866, 8867)   # make serve's and lessonkit serve's defaults: students, trainer
# Environment of this test run that a trainer's fresh terminal would not have.
DROP = re.compile(r"^(PYTHON\w*|VIRTUAL_ENV|LESSONKIT_\w+|JUPYTER\w*|XDG_\w+|COVERAGE_\w+)$")


def sections(text: str) -> dict[str, str]:
    """The README's level-2 sections by title, each with its subsections."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2])}


def fenced(body: str) -> list[tuple[str, str, bool]]:
    """(language, text, follows the previous block with nothing between) for each fenced block."""
    found, end = [], None
    for m in re.finditer(r"^```(\w*)\n(.*?)^```\n", body, flags=re.MULTILINE | re.DOTALL):
        found.append((m[1], m[2], end is not None and not body[end:m.start()].strip()))
        end = m.end()
    return found


def blocks() -> list[tuple[str, str, str | None]]:
    """(section, bash text, the output shown right after it or None) for the sections run here."""
    found = sections(README.read_text(encoding="utf-8"))
    out = []
    for title in RUN_SECTIONS:
        assert title in found, f"README.md has no section '## {title}'"
        listed = fenced(found[title])
        for i, (lang, text, _) in enumerate(listed):
            assert lang in ("bash", "text"), f"'## {title}': a fenced block must say bash or text:\n{text}"
            if lang == "bash":
                shown = listed[i + 1][1] if i + 1 < len(listed) and listed[i + 1][2] and \
                    listed[i + 1][0] == "text" else None
                out.append((title, text, shown))
    return out


def commands(text: str) -> list[str]:
    """The command lines of a block (comment-only and blank lines left out; a line's own comment kept)."""
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# ---------------------------------------------------------------- the fresh clone

def fresh_clone(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A clone of this repository with the working tree's edits, a ready .venv, and a trainer's environment."""
    if not shutil.which("git") or not (ROOT / ".git").exists():
        skip_or_fail("the README test clones the repository: needs git and a git checkout")
    if not shutil.which("make"):
        skip_or_fail("the README test runs `make serve`: needs make")
    clone = tmp / "lessonkit"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, capture_output=True, check=True).stdout
    if diff.strip():
        subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=clone, input=diff, check=True)
    new = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                         check=True).stdout.decode().split("\0")
    for name in filter(None, new):   # files not yet committed (nor ignored): part of the tree being tested
        if (ROOT / name).is_file() and not (ROOT / name).is_symlink():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "lessonkit-readme-test.pth").write_text("\n".join([str(clone), *ours]) + "\n")
    for shared in ("share", "etc"):
        if (Path(sys.prefix) / shared).is_dir():
            shutil.rmtree(venv / shared, ignore_errors=True)
            (venv / shared).symlink_to(Path(sys.prefix) / shared)
    script = venv / "bin" / "lessonkit"
    script.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom lessonkit.cli import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n")
    script.chmod(0o755)
    for stamp in (".installed-base", ".installed-test"):
        (venv / stamp).touch()
    home = tmp / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not DROP.match(k)}
    env.update(HOME=str(home), PATH=os.environ.get("PATH", "/usr/bin:/bin"))
    return clone, env


def in_terminal(script: str, cwd: Path, env: dict[str, str], answers: dict[str, str],
                timeout: float = 120) -> tuple[int, str]:
    """Run `script` with bash -e in a pseudo-terminal, typing each answer when its prompt appears."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(["bash", "-ec", script], cwd=cwd, env=env, stdin=follower, stdout=follower,
                            stderr=follower, start_new_session=True)
    os.close(follower)
    seen, answered, deadline = b"", dict.fromkeys(answers, 0), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:   # the terminal closed: every program in it has ended
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                seen += chunk
                for prompt, answer in answers.items():
                    if seen.count(prompt.encode()) > answered[prompt]:   # a new prompt: answer it once
                        answered[prompt] += 1
                        os.write(leader, answer.encode() + b"\n")
            elif proc.poll() is not None:
                break
        else:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"timed out after {timeout} s:\n{script}\n{seen.decode(errors='replace')}")
        return proc.wait(timeout=10), seen.decode(errors="replace").replace("\r\n", "\n")
    finally:
        os.close(leader)


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def fetch(url: str, timeout: float = 120) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode("utf-8", errors="replace")


def serve_and_stop(line: str, cwd: Path, env: dict[str, str], log: Path, *, dashboard: bool) -> str:
    """Start a serving command as written, check the pages its banner promises, stop it with Ctrl+C;
    returns its banner."""
    busy = [p for p in PORTS if port_in_use(p)]
    if busy:
        skip_or_fail(f"port(s) {busy} are in use, and the README's `{line.split('#')[0].strip()}` needs them")
    with open(log, "w") as out:
        proc = subprocess.Popen(["bash", "-c", line], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    kernels: set[int] = set()
    try:
        deadline = time.monotonic() + 180
        while "Stop with Ctrl+C." not in log.read_text():
            assert proc.poll() is None, f"`{line}` ended early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"`{line}` printed no banner in 180 s:\n{log.read_text()}"
            time.sleep(0.5)
        banner = log.read_text()
        links = dict(re.findall(r"^  ([A-Z][\w ]+):\s+(http://\S+)$", banner, flags=re.MULTILINE))
        status, page = fetch(links["On this computer"])
        code = links["On this computer"].rsplit("class=", 1)[1]
        assert status == 200 and "Join the class" in page and f'value="{code}"' in page, page[:500]
        if dashboard:
            status, page = fetch(links["Trainer dashboard"])
            assert status == 200 and "11-trainer-dashboard" in page, page[:500]
        kernels = {p.pid for p in psutil.Process(proc.pid).children(recursive=True)
                   if "lessonkit.kernel" in " ".join(_cmdline(p))}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)   # Ctrl+C in the trainer's terminal
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"`{line}` did not stop within 40 s of Ctrl+C:\n{log.read_text()[-3000:]}")
    deadline = time.monotonic() + 20
    while any(psutil.pid_exists(k) and _alive(k) for k in kernels) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [k for k in kernels if psutil.pid_exists(k) and _alive(k)]
    for k in left:
        os.kill(k, signal.SIGKILL)
    assert not left, f"`{line}` left {len(left)} kernel(s) running after Ctrl+C"
    assert not [p for p in PORTS if port_in_use(p)], f"`{line}` still listens after Ctrl+C"
    return banner


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


SEED = """
from lessonkit.store import ResponseStore
store = ResponseStore(upgrade=True)   # the default store: the user data folder, as make serve's
for learner, colours in (("teal-wombat-42", ("Blue", "Red")), ("calm-koala-23", ("Green", "Yellow"))):
    for day, colour in zip(("monday", "tuesday"), colours):
        store.submit("K7QX2M", "colour-days", learner, day, colour)
store.submit("K7QX2M", "policy-procedure", "teal-wombat-42", "why", "So every patron is treated the same way.")
store.close()
"""


def test_readme_commands_for_trainers_and_educators_run_as_written(tmp_path):
    found = blocks()
    lines = [line for _, text, _ in found for line in commands(text)]
    assert any(line.startswith("make serve") for line in lines), "the README no longer runs `make serve`"
    assert any(line.startswith(".venv/bin/lessonkit serve") for line in lines)
    bare = [line for line in lines if line.startswith("lessonkit ")]
    assert not bare, f"a bare `lessonkit` is 'command not found' on a fresh clone: {bare}"
    clone, env = fresh_clone(tmp_path)
    # A class has answered (the dashboard's commands below work on class K7QX2M, as the README shows).
    subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c", SEED], cwd=clone, env=env, check=True,
                   timeout=120)
    text = README.read_text(encoding="utf-8")
    ran: list[str] = []
    for section, block, shown in found:
        if "lessonkit check my-lesson/data" in block:
            educator_edits(clone, env, text)
        pending: list[str] = []

        def flush(pending: list[str] = pending, section: str = section) -> str:   # this block's (ruff B023)
            if not pending:
                return ""
            script = "\n".join(pending)
            code, out = in_terminal(script, clone, env, {"Type yes to go on:": "yes"})
            assert code == 0, f"README '## {section}':\n{script}\nexit {code}:\n{out}"
            ran.extend(pending)
            pending.clear()
            return out

        printed = ""
        for line in commands(block):
            if SERVES.match(line):
                printed += flush()
                banner = serve_and_stop(line, clone, env, tmp_path / f"serve-{len(ran)}.log",
                                        dashboard=line.startswith("make"))
                check_banner(line, banner, text, clone)
                ran.append(line)
            else:
                pending.append(line)
        printed += flush()
        if shown is not None:
            assert printed.strip() == shown.strip(), f"the README shows:\n{shown}\nbut the commands printed:\n{printed}"
        check_effects(block, printed, clone)
    assert len(ran) == len(lines)


def check_banner(line: str, banner: str, readme: str, clone: Path) -> None:
    """`make serve` prints the banner the README shows (the same lines, in order); the educator's serve lists
    the copy's activities."""
    if line.startswith("make serve"):
        shown = re.search(r"It prints something like:\n\n```text\n(.*?)```", readme, flags=re.DOTALL)[1]
        labels = re.findall(r"^  ([A-Z][\w' ]+):", shown, flags=re.MULTILINE)
        assert len(labels) >= 6, shown
        got = re.findall(r"^  ([A-Z][\w' ]+):", banner, flags=re.MULTILINE)
        assert [label for label in got if label in labels] == labels, (labels, banner)
        assert "lessonkit is serving the lesson for class" in banner
    else:
        assert "(What colour is Friday?)" in banner, banner


def educator_edits(clone: Path, env: dict[str, str], readme: str) -> None:
    """What an educator does between copying and checking: a mistake first (the check must print the README's
    example message), then a real edit (a new title the server's list must show)."""
    yaml = clone / "my-lesson" / "data" / "activities" / "colour-days.yaml"
    original = yaml.read_text(encoding="utf-8")
    yaml.write_text(re.sub(r"^minutes: .*$", "minutes: fifteen", original, count=1, flags=re.MULTILINE),
                    encoding="utf-8")
    example = re.search(r"```text\n(my-lesson/data/activities/colour-days\.yaml:\d+: [^\n]+)\n```", readme)
    assert example, "the educators' section shows no example of check's message"
    code, out = in_terminal(".venv/bin/lessonkit check my-lesson/data", clone, env, {})
    assert code != 0 and example[1] in out.splitlines(), (example[1], out)
    yaml.write_text(re.sub(r"^title: .*$", "title: \"What colour is Friday?\"", original,
                           count=1, flags=re.MULTILINE), encoding="utf-8")


def check_effects(block: str, printed: str, clone: Path) -> None:
    """What the dashboard's commands and the educator's copy did, beyond exiting 0."""
    if "lessonkit classes" in block:
        assert re.search(r"^K7QX2M\s+2\s+5\s", printed, flags=re.MULTILINE), printed
        assert "exported 5 current answer(s) of class K7QX2M" in printed and (clone / "class.xlsx").stat().st_size > 0
        assert "'colour-days' is locked" in printed
        assert "saved a copy of 4 current answer(s)" in printed
        assert "then deleted every answer to 'colour-days' in class K7QX2M" in printed
        assert ("deleted everything stored about Teal Wombat 42 (id teal-wombat-42) in class K7QX2M: 1 current"
                in printed)
        assert re.search(r"no class is older than 30(\.0)? days", printed) and "already at schema revision" in printed
    if "cp -r data notebooks my-lesson/" in block:
        assert (clone / "my-lesson" / "data" / "activities").is_dir()
        assert (clone / "my-lesson" / "notebooks" / "lesson.ipynb").is_file()
    if "lessonkit check my-lesson/data" in block:
        assert "ok: 1 path(s) checked, no problems" in printed, printed
