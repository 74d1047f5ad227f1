"""Page load: time from navigation to the first interactive widget, lesson pages vs a bare widget page.

All pages are served by the same `lessonkit serve` in the same run, opened alternately in headless
Chromium for several rounds; each page's kernel RSS is read from the process table.

    .venv/bin/python benchmarks/page_load.py [--rounds 5]

Every activity page (from data/activities) is measured; prints a table and exits 1 when a target is
missed (each page <= 1.5 x the bare page, its kernel <= 110 MB RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
RATIO_TARGET = 1.5
RSS_TARGET_MB = 110

BARE = {"cells": [{"cell_type": "code", "execution_count": None, "id": "bare", "metadata": {}, "outputs": [],
                   "source": 'import ipywidgets as widgets\n\nwidgets.Button(description="Click me")'}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}

BARE_PAGE = ("bare widget page", "bare.ipynb", "", "button.jupyter-button")


def lesson_pages() -> list[tuple[str, str, str, str]]:
    """(label, notebook, query, selector of the first interactive widget) for every activity page."""
    sys.path.insert(0, str(ROOT))
    from lessonkit.content import activities

    return [(f"{a.number:02d} {a.slug}", a.notebook, "class=BENCH&learner=teal-wombat-{n}", ".lk-page button")
            for a in activities()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernels(server: psutil.Process) -> dict[int, psutil.Process]:
    found = {}
    for p in server.children(recursive=True):
        try:
            if any(k in " ".join(p.cmdline()) for k in ("ipykernel_launcher", "lessonkit.kernel")):
                found[p.pid] = p
        except psutil.Error:  # exited between listing and reading
            pass
    return found


def start_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    nbs = tmp / "notebooks"
    nbs.mkdir()
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, nbs)
    (nbs / "bare.ipynb").write_text(json.dumps(BARE))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS")}
    log = open(tmp / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "lessonkit.cli", "serve", "--port", str(port),
                             "--class-code", "BENCH", "--db", f"sqlite:///{tmp / 'bench.db'}",
                             "--notebooks", str(nbs)], stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while "lessonkit is serving" not in (tmp / "serve.log").read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"server did not start:\n{(tmp / 'serve.log').read_text()}")
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


def measure(browser, url: str, selector: str, server: psutil.Process) -> tuple[float, float]:
    before = set(kernels(server))
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - t0
    time.sleep(1.5)  # let the kernel settle (board's first draw, imports) before reading its memory
    new = [p for pid, p in kernels(server).items() if pid not in before]
    rss = max((p.memory_info().rss for p in new), default=0) / 1e6
    ctx.close()  # its kernel stays until culled, as in class; a dozen kernels fit easily in memory
    return elapsed, rss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="measure only pages whose label contains one of these")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    pages = [BARE_PAGE, *lesson_pages()]
    if args.only:
        pages = [BARE_PAGE] + [p for p in pages[1:] if any(o in p[0] for o in args.only)]
    tmp = Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    proc, base = start_server(tmp)
    server = psutil.Process(proc.pid)
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in pages}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for label, nb, query, selector in pages:  # warm-up: the first start of each pays the disk cache
                measure(browser, f"{base}/voila/render/{nb}?{query.format(n=10)}", selector, server)
            for r in range(args.rounds):  # interleaved, so drift in machine load hits every page alike
                for label, nb, query, selector in pages:
                    url = f"{base}/voila/render/{nb}?{query.format(n=11 + r)}"
                    results[label].append(measure(browser, url, selector, server))
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nPage load: navigation -> first interactive widget ({args.rounds} rounds, same server, "
          f"{os.cpu_count()} cores)\n")
    header = f"{'page':<24}{'median s':>9}{'min s':>7}{'max s':>7}{'x bare':>8}{'kernel MB':>11}  target"
    print(header)
    print("-" * len(header))
    bare = statistics.median(t for t, _ in results[BARE_PAGE[0]])
    ok = True
    for label, rows in results.items():
        times = [t for t, _ in rows]
        med, rss = statistics.median(times), statistics.median(r for _, r in rows)
        ratio = med / bare
        verdict = ""
        if label != BARE_PAGE[0]:
            good = ratio <= RATIO_TARGET and rss <= RSS_TARGET_MB
            ok &= good
            verdict = "ok" if good else "MISSED"
        print(f"{label:<24}{med:>9.2f}{min(times):>7.2f}{max(times):>7.2f}{ratio:>8.2f}{rss:>11.0f}  {verdict}")
    print(f"\ntargets: each lesson page <= {RATIO_TARGET} x the bare page's median, kernel <= {RSS_TARGET_MB} MB RSS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
