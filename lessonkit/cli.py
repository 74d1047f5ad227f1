"""`lessonkit serve | check`: the trainer's and the educator's command line."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["main", "voila_command"]

# Only pictures and clips (MediaGate's local media files) next to the notebooks may be fetched as
# files; the store, content and code never.
FILE_ALLOWLIST = [r".*\.(png|jpg|jpeg|gif|svg|webp|mp4|webm|ogg|mp3)"]
FILE_DENYLIST = [r".*\.(db|sqlite|sqlite3|db-wal|db-shm|yaml|yml|csv|py|json|env|cfg|toml)", r"(^|.*/)\..*"]
TEMPLATES = Path(__file__).resolve().parent / "jupyter_data"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read off a projector


def default_notebooks() -> Path:
    """The repository's notebooks/ folder beside the package."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def new_class_code() -> str:
    """A short class code that reads well off a projector, e.g. 'K7QX2M'."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


def voila_command(notebooks: Path, host: str, port: int, cull_idle: int) -> list[str]:
    """The Voila command line `lessonkit serve` runs."""
    return [
        sys.executable, "-m", "voila", str(notebooks), "--no-browser",
        f"--port={port}", f"--Voila.ip={host}", "--theme=light", "--template=lessonkit",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in FILE_ALLOWLIST),
        *(f"--VoilaConfiguration.file_denylist={pattern}" for pattern in FILE_DENYLIST),
        "--VoilaConfiguration.show_tracebacks=False",
        # Voila's shutdown-on-close does not fire (voila#1458), so idle kernels of closed tabs are culled.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={max(10, min(60, cull_idle // 2))}",
        "--MappingKernelManager.cull_connected=False",
    ]


def _lan_addresses() -> list[str]:
    """This computer's IPv4 addresses that phones on the same network can reach."""
    import psutil

    found = {a.address for addrs in psutil.net_if_addrs().values() for a in addrs
             if a.family == socket.AF_INET and not a.address.startswith(("127.", "169.254."))}
    return sorted(found)


def _activities() -> list:
    from .content import ContentError, activities

    try:
        return activities()
    except ContentError:  # already reported by the content check above
        return []


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def serve(args: argparse.Namespace) -> int:
    from .content import check
    from .identity import normalise_class_code
    from .store import ResponseStore

    notebooks = Path(args.notebooks).resolve()
    if not notebooks.is_dir():
        print(f"lessonkit serve: no notebooks folder at {notebooks}", file=sys.stderr)
        return 2
    class_code = normalise_class_code(args.class_code) if args.class_code else new_class_code()
    if not class_code:
        print("lessonkit serve: --class-code must be 3 to 12 letters or digits", file=sys.stderr)
        return 2
    from .content import data_dir

    problems = check([data_dir()])
    for p in problems:
        print(f"content problem: {p}", file=sys.stderr)
    env = dict(os.environ, LESSONKIT_CLASS=class_code)
    # Voila finds lessonkit's page template (no CDN requests) through JUPYTER_PATH.
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES), os.environ.get("JUPYTER_PATH")]))
    if args.db:
        env["LESSONKIT_DB"] = args.db  # every learner kernel inherits the same store
    store = ResponseStore(args.db)
    store_url = str(store.url)  # shown with any password masked
    store.close()
    cmd = voila_command(notebooks, args.host, args.port, args.cull_idle)
    proc = subprocess.Popen(cmd, env=env)
    local = f"http://127.0.0.1:{args.port}" if args.host in ("0.0.0.0", "::", "127.0.0.1", "localhost") \
        else f"http://{args.host}:{args.port}"
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        if not _wait_until_up(f"{local}/voila/tree", proc):
            print("lessonkit serve: Voila did not start (see the messages above)", file=sys.stderr)
            proc.terminate()
            return proc.wait() or 1
        page = f"voila/render/00-overview.ipynb?class={class_code}"
        hosts = _lan_addresses() if args.host in ("0.0.0.0", "::") else []
        print("\n" + "=" * 72)
        print(f"  lessonkit is serving the lesson for class {class_code}")
        for h in hosts:
            print(f"  Students open:      http://{h}:{args.port}/{page}")
        if args.host in ("0.0.0.0", "::") and not hosts:
            print(f"  Students open:      http://<this computer's address>:{args.port}/{page}")
        print(f"  On this computer:   {local}/{page}")
        print("  Activity pages:")
        for a in _activities():
            print(f"    {local}/voila/render/{a.notebook}?class={class_code}  ({a.title})")
        print(f"  Class store:        {store_url}")
        if args.host in ("127.0.0.1", "localhost"):
            print("  Only this computer can connect. For phones and laptops on the same network use --host 0.0.0.0")
        print("  Stop with Ctrl+C.")
        print("=" * 72 + "\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=15) and 0
        except subprocess.TimeoutExpired:
            proc.kill()
            return 0


def check_cmd(args: argparse.Namespace) -> int:
    from .content import check

    problems = check(args.paths)
    for p in problems:
        print(p)
    if not problems:
        print(f"ok: {len(args.paths)} path(s) checked, no problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lessonkit", description="Interactive customer-service lesson kit")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the lesson with Voila for a class")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on; 0.0.0.0 lets phones on the network join")
    s.add_argument("--port", type=int, default=8866)
    s.add_argument("--class-code", help="class code students use (default: a new random code)")
    s.add_argument("--db", help="store URL (default: $LESSONKIT_DB, else SQLite in your user data folder)")
    s.add_argument("--notebooks", default=str(default_notebooks()), help="folder of notebooks to serve")
    s.add_argument("--cull-idle", type=int, default=900,
                   help="seconds before an idle learner kernel is shut down (default 900: phones on weak wifi "
                        "may go quiet for minutes)")
    s.set_defaults(func=serve)
    c = sub.add_parser("check", help="validate activity YAML files or folders")
    c.add_argument("paths", nargs="+")
    c.set_defaults(func=check_cmd)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
