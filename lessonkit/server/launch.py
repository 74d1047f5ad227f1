"""`lessonkit serve`: the two Voilas it starts (learners' and the trainer's), their command lines and
configuration, and the store service between them. lessonkit.cli is the command line in front of it.

The serving process is an edge (lessonkit.settings): it reads this process's environment to build its
children's environments, and hands each Voila the settings its kernels read.
"""

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

from ..serving import FILE_ALLOWLIST, FILE_DENYLIST, PAGE_EXTENSIONS
from ..settings import Settings, process_settings

__all__ = ["serve", "voila_command", "voila_config", "default_max_kernels", "new_class_code", "FILE_ALLOWLIST",
           "FILE_DENYLIST", "PAGE_EXTENSIONS", "SESSION_NOTEBOOK", "STANDBY", "DASHBOARD", "PRESENT"]

# Only pictures and clips (MediaGate's local media files) next to the notebooks may be fetched as
# files; the store, content and code never.
TEMPLATES = Path(__file__).resolve().parent.parent / "jupyter_data"
DASHBOARD = "11-trainer-dashboard.ipynb"
PRESENT = "12-present.ipynb"
# The JupyterLab extensions a page needs: the widget managers (Voila injects its own for the
# installed ipywidgets). Every other installed extension (plotly's is 4.7 MB) is left out.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read off a projector


def new_class_code() -> str:
    """A short class code that reads well off a projector, e.g. 'K7QX2M'."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))



def voila_command(notebooks: Path, host: str, port: int, cull_idle: int,
                  config_dir: Path | None = None) -> list[str]:
    """The Voila command line `lessonkit serve` runs (`config_dir`: a voila.json, e.g. kernel pools)."""
    return [
        sys.executable, "-m", "lessonkit.server.app", str(notebooks), "--no-browser",
        f"--port={port}", f"--Voila.ip={host}", "--theme=light", "--template=lessonkit",
        # Voila would move to a nearby port when this one is taken, away from the addresses serve prints.
        "--Voila.port_retries=0",
        *(f"--VoilaConfiguration.file_allowlist={pattern}" for pattern in FILE_ALLOWLIST),
        *(f"--VoilaConfiguration.file_denylist={pattern}" for pattern in FILE_DENYLIST),
        "--VoilaConfiguration.show_tracebacks=False",
        # When a whole class opens activity pages at once, a page's output can take longer than nbclient's
        # 4 s to arrive; the page would then come up empty.
        "--VoilaExecutor.iopub_timeout=30",
        # Voila's shutdown-on-close does not fire (voila#1458), so idle kernels of closed tabs are culled.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={max(10, min(60, cull_idle // 2))}",
        "--MappingKernelManager.cull_connected=False",
        # Voila has no --config; it reads voila.json from these folders (kernel pools are a dict,
        # awkward on a command line).
        *([f"--Voila.config_file_paths={config_dir}"] if config_dir else []),
    ]


SESSION_NOTEBOOK = "lesson.ipynb"   # the whole lesson on one page: where learners land after joining
STANDBY = 3                         # spare kernels kept once the class has taken its own


def voila_config(preheat: list[str] | None = None, pool_size: int = 30, class_size: int = 30, *,
                 class_code: str | None = None, max_kernels: int | None = None, per_learner: int = 3,
                 keep_days: int = 30) -> dict:
    """voila.json for `lessonkit serve`: only the extensions pages need, learner sessions, and pools.

    With `class_code` (the students' Voila) every page needs a learner session, and kernels for the
    session page (lesson.ipynb) are started before the class arrives: `pool_size` of them, one at a
    time, then only STANDBY spares once the class has taken theirs (lessonkit.server.app). `preheat`
    adds pools for single-activity notebooks; other pages start a kernel per visit. The trainer's
    Voila (no class code) has neither.
    """
    from .ports import LEARNERS, TRAINER

    low, high = LEARNERS if class_code else TRAINER   # the two Voilas never offer a kernel the same port
    config: dict = {
        "VoilaConfiguration": {"extension_allowlist": list(PAGE_EXTENSIONS)},
        "KernelPorts": {"low": low, "high": high},
    }
    pools = list(dict.fromkeys(([SESSION_NOTEBOOK] if class_code else []) + list(preheat or ())))
    if class_code:
        config["VoilaConfiguration"]["http_header_envs"] = ["X-Lessonkit-Session"]
        config["ClassroomVoila"] = {"lessonkit_class": class_code, "session_notebook": SESSION_NOTEBOOK,
                                    "per_learner": per_learner, "keep_days": keep_days,
                                    "max_kernels": max_kernels or default_max_kernels(class_size)}
    if pools:
        config["VoilaConfiguration"].update({"preheat_kernel": True, "default_pool_size": 0})
        config["VoilaKernelManager"] = {"kernel_pools_config": {
            "default": {"pool_size": 0},
            **{nb: {"pool_size": pool_size} for nb in pools},
        }}
        config["LessonkitKernelManager"] = {"class_size": class_size, "standby": STANDBY, "spacing": 1.0}
    return config


def default_max_kernels(class_size: int) -> int:
    """How many learner kernels may run at once by default: the class twice over, and never fewer than 10."""
    return max(10, 2 * class_size)


def _lan_addresses() -> list[str]:
    """This computer's IPv4 addresses that phones on the same network can reach."""
    import psutil

    found = {a.address for addrs in psutil.net_if_addrs().values() for a in addrs
             if a.family == socket.AF_INET and not a.address.startswith(("127.", "169.254."))}
    return sorted(found)


def _activities(settings: Settings) -> list:
    from ..content import activities
    from ..datafiles import data_dir
    from ..errors import ContentError

    try:
        data = data_dir(settings)
        return activities(data / "activities", data=data)
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


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _preheat_notebooks(slugs: list[str], settings: Settings) -> tuple[list[str], str | None]:
    """Notebook names for activity slugs (or notebook names); (names, problem)."""
    by_slug = {a.slug: a.notebook for a in _activities(settings)}
    names = []
    for slug in slugs:
        if slug.endswith(".ipynb"):
            names.append(slug)
        elif slug in by_slug:
            names.append(by_slug[slug])
        else:
            return [], f"--preheat: no activity {slug!r} (choose from: {', '.join(sorted(by_slug))})"
    return names, None


def serve(args: argparse.Namespace) -> int:
    """`lessonkit serve` (args from lessonkit.cli; args.settings: this process's, else read here)."""
    import tempfile
    from dataclasses import replace

    from ..identity import normalise_class_code
    from ..store import ResponseStore
    from .service import StoreService

    settings: Settings = getattr(args, "settings", None) or process_settings()
    notebooks = Path(args.notebooks).resolve()
    if not notebooks.is_dir():
        print(f"lessonkit serve: no notebooks folder at {notebooks}", file=sys.stderr)
        return 2
    trainer_dir = Path(args.trainer_notebooks).resolve()
    if not (trainer_dir / DASHBOARD).is_file():
        print(f"lessonkit serve: no trainer dashboard at {trainer_dir / DASHBOARD}", file=sys.stderr)
        return 2
    if trainer_dir == notebooks or notebooks in trainer_dir.parents:
        print("lessonkit serve: the trainer folder must not be inside the students' notebooks folder",
              file=sys.stderr)
        return 2
    class_code = normalise_class_code(args.class_code) if args.class_code else new_class_code()
    if not class_code:
        print("lessonkit serve: --class-code must be 3 to 12 letters or digits", file=sys.stderr)
        return 2
    key = args.trainer_key or secrets.token_urlsafe(12)
    if len(key) < 8 or not all(c.isalnum() or c in "-_" for c in key):
        print("lessonkit serve: --trainer-key must be at least 8 letters, digits, '-' or '_'", file=sys.stderr)
        return 2
    trainer_port = args.trainer_port or args.port + 1
    if trainer_port == args.port:
        print("lessonkit serve: --trainer-port must differ from --port", file=sys.stderr)
        return 2
    from .ports import port_free

    for host, port, what, option in ((args.host, args.port, "the students' pages", "--port"),
                                     ("127.0.0.1", trainer_port, "the trainer's dashboard", "--trainer-port")):
        if not port_free(host, port, reuse_address=True):
            print(f"lessonkit serve: port {port} ({what}) is already in use on this computer: stop what is using "
                  f"it (another lessonkit serve?) or choose another with {option}", file=sys.stderr)
            return 2
    pool_size = args.class_size if args.pool_size is None else args.pool_size
    max_kernels = args.max_kernels or default_max_kernels(args.class_size)
    if args.class_size < 1 or pool_size < 0 or args.keep_days < 0 or args.cull_idle < 1 or max_kernels < 1:
        print("lessonkit serve: --class-size and --max-kernels must be 1 or more, --pool-size and --keep-days "
              "0 or more, --cull-idle 1 s or more", file=sys.stderr)
        return 2
    data: Path | None = None
    if args.data:
        data = Path(args.data).resolve()
        if not (data / "activities").is_dir():
            print(f"lessonkit serve: --data {args.data}: no activities/ folder in {data}", file=sys.stderr)
            return 2
    elif not settings.data_dir and (notebooks.parent / "data" / "activities").is_dir():
        # A lesson folder (data/ beside notebooks/): what its pages read, this process reads too.
        data = notebooks.parent / "data"
    # this process, and every process it starts (their kernels too), reads the content from there
    data_env = {"LESSONKIT_DATA": str(data)} if data else {}
    if data:
        settings = replace(settings, data_dir=data)
    preheat, problem = _preheat_notebooks([s for arg in args.preheat for s in arg.split(",") if s], settings)
    if problem:
        print(f"lessonkit serve: {problem}", file=sys.stderr)
        return 2

    # The content check and the store's upgrade run in a process of their own: they import pandas and
    # Alembic (~65 MB), which this process, serving the class's store all session, would keep otherwise.
    prepared = _prepare_in_child(args, dict(os.environ, **data_env))
    if prepared is None:
        return 1
    for p in prepared["problems"]:
        print(f"content problem: {p}", file=sys.stderr)
    if prepared["too_new"]:
        print(f"lessonkit serve: {prepared['too_new']}", file=sys.stderr)
        return 1
    env = dict(os.environ, **data_env, LESSONKIT_CLASS=class_code, LESSONKIT_KEEP_DAYS=str(args.keep_days))
    env.pop("LESSONKIT_TRAINER_KEY", None)  # students' kernels never see the key
    # Voila finds lessonkit's page template (no CDN requests) through JUPYTER_PATH.
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES), env.get("JUPYTER_PATH")]))
    # Notebook 08's charts fetch plotly.js from this server (lessonkit.server.app serves it), once per browser.
    from .app import plotly_js_address

    env["LESSONKIT_PLOTLY_JS"] = plotly_js_address()
    if args.db:
        env["LESSONKIT_DB"] = args.db  # the trainer's kernels open the same store
    # already upgraded by the child: no Alembic here
    store = ResponseStore.for_settings(settings, args.db or None, upgrade=True)
    store_url = str(store.url)  # shown with any password masked
    schema, purged = prepared["schema"], prepared["purged"]
    # Learners' kernels reach the store through this process (lessonkit.service), so none of them
    # loads the database layer: ~12 MB and ~0.1 CPU-s less per kernel.
    service = StoreService(store, str(Path(tempfile.mkdtemp(prefix="lessonkit-store-")) / "store.sock"),
                           class_code).start()   # answers for this class only
    students_env = dict(env, LESSONKIT_DB=service.url)
    # Started from a hub terminal, this process has the trainer's hub login: a learner's kernel must never
    # take it for the learner's (under serve the session cookie is the only identity).
    students_env.pop("JUPYTERHUB_USER", None)

    local = f"http://127.0.0.1:{args.port}" if args.host in ("0.0.0.0", "::", "127.0.0.1", "localhost") \
        else f"http://{args.host}:{args.port}"
    page = f"join?class={class_code}"
    hosts = _lan_addresses() if args.host in ("0.0.0.0", "::") else []
    join_url = f"http://{hosts[0]}:{args.port}/{page}" if hosts else f"{local}/{page}"
    trainer_url = f"http://127.0.0.1:{trainer_port}/voila/render/{DASHBOARD}?key={key}"
    present_url = f"http://127.0.0.1:{trainer_port}/voila/render/{PRESENT}?key={key}"

    import json

    config_dir = Path(tempfile.mkdtemp(prefix="lessonkit-voila-"))
    (config_dir / "voila.json").write_text(json.dumps(voila_config(
        preheat, pool_size, args.class_size, class_code=class_code, max_kernels=max_kernels,
        per_learner=args.per_learner, keep_days=args.keep_days)), encoding="utf-8")
    trainer_config = Path(tempfile.mkdtemp(prefix="lessonkit-voila-trainer-"))
    (trainer_config / "voila.json").write_text(json.dumps(voila_config()), encoding="utf-8")
    procs = [subprocess.Popen(voila_command(notebooks, args.host, args.port, args.cull_idle, config_dir),
                              env=students_env)]
    # The dashboard: a second Voila on this computer only, serving nothing but the trainer folder.
    trainer_env = dict(env, LESSONKIT_TRAINER_KEY=key, LESSONKIT_JOIN_URL=join_url,
                       LESSONKIT_PRESENT_URL=present_url, LESSONKIT_DASHBOARD_URL=trainer_url)
    procs.append(subprocess.Popen(voila_command(trainer_dir, "127.0.0.1", trainer_port, max(args.cull_idle, 3600),
                                                trainer_config), env=trainer_env))
    signal.signal(signal.SIGTERM, lambda *_: _stop(procs))
    from ..memory import give_back

    give_back()   # the content check and the upgrade are done: this process now only serves the store
    try:
        for url, proc, what in ((f"{local}/join", procs[0], "Voila"),
                                (f"http://127.0.0.1:{trainer_port}/voila/tree", procs[1], "the trainer's Voila")):
            if not _wait_until_up(url, proc):
                print(f"lessonkit serve: {what} did not start (see the messages above)", file=sys.stderr)
                _stop(procs)
                return 1
        print("\n" + "=" * 72)
        print(f"  lessonkit is serving the lesson for class {class_code}")
        for h in hosts:
            print(f"  Students open:      http://{h}:{args.port}/{page}")
        if args.host in ("0.0.0.0", "::") and not hosts:
            print(f"  Students open:      http://<this computer's address>:{args.port}/{page}")
        print(f"  On this computer:   {local}/{page}")
        print("  One activity alone (learners join first, then land on it):")
        for a in _activities(settings):
            print(f"    {local}/voila/render/{a.notebook}?class={class_code}  ({a.title})")
        print(f"  Trainer dashboard:  {trainer_url}")
        print(f"  Projector view:     {present_url}")
        print("                      (this computer only; keep the key to yourself)")
        print(f"  Class store:        {store_url}")
        print(f"                      ({schema})")
        keep = f"{args.keep_days} days after a class's last answer" if args.keep_days else "until you delete them"
        print(f"  Answers are kept:   {keep}" + (f" ({purged} older class(es) deleted now)" if purged else ""))
        print(f"  Kernels:            {pool_size} started ahead for the class of {args.class_size}, one at a time "
              f"({', '.join([SESSION_NOTEBOOK, *preheat])}); then {STANDBY} spare; at most {max_kernels} at once")
        if args.host in ("127.0.0.1", "localhost"):
            print("  Only this computer can connect. For phones and laptops on the same network use --host 0.0.0.0")
        print("  Stop with Ctrl+C.")
        print("=" * 72 + "\n", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        _stop(procs)
        return procs[0].returncode or 0
    except KeyboardInterrupt:
        _stop(procs)
        return 0
    finally:
        service.close()
        store.close()


def _prepare_in_child(args: argparse.Namespace, env: dict[str, str]) -> dict | None:
    """Run `lessonkit _prepare` (content check, store upgrade, old classes deleted) in a child process."""
    import json

    cmd = [sys.executable, "-m", "lessonkit.cli", "_prepare", "--keep-days", str(args.keep_days)]
    if args.db:
        cmd += ["--db", args.db]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    sys.stderr.write(done.stderr)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"lessonkit serve: preparing the lesson failed (exit {done.returncode})", file=sys.stderr)
        return None


