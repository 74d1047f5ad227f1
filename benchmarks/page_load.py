"""Page load: time from navigation to the first interactive widget, lesson pages vs a bare widget page.

All pages are served by the same `lessonkit serve` in the same run, opened alternately in headless
Chromium for several rounds; each page's kernel RSS is read from the process table.

    .venv/bin/python benchmarks/page_load.py [--rounds 5]

Every activity page (from data/activities) is measured; prints a table and exits 1 when a target is
missed (each page <= 1.5 x the bare page, its kernel <= 110 MB RSS).

Then notebook 08 with data, the same number of rounds: the learner presses "Use the sample data", then
Analyse, and the analysis is drawn. It is measured twice, on two servers started in this run: with its
plotly charts (as shipped) and without them (LESSONKIT_FEEDBACK_CHARTS=off: the same analysis as text and
tables, plotly never imported), for the page's weight (everything the browser received, HTTP and
websocket, in a fresh browser profile) and the kernel's RSS once the analysis is shown.
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
DATA_RSS_TARGET_MB = 200      # 08's kernel with the sample analysed (pandas + plotly + the figures)
PLOTLY_WEIGHT_TARGET_MB = 2.5  # what plotly adds to 08's page: plotly.js (compressed) and the figures
FEEDBACK_NOTEBOOK = "08-customer-feedback.ipynb"

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


def start_server(tmp: Path, **extra_env: str) -> tuple[subprocess.Popen, str]:
    nbs = tmp / "notebooks"
    nbs.mkdir(parents=True)
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, nbs)
    (nbs / "bare.ipynb").write_text(json.dumps(BARE))
    port, trainer_port = free_port(), free_port()   # serve's default trainer port (port + 1) may be taken
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "LESSONKIT_CLASS")} | extra_env
    log = open(tmp / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "lessonkit.cli", "serve", "--port", str(port),
                             "--trainer-port", str(trainer_port), "--class-code", "BENCH",
                             "--db", f"sqlite:///{tmp / 'bench.db'}", "--notebooks", str(nbs)],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while "lessonkit is serving" not in (tmp / "serve.log").read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"server did not start:\n{(tmp / 'serve.log').read_text()}")
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


def join(ctx, url: str) -> None:
    """Join the class in this browser context, as a learner's join form does (pages need the session cookie);
    not timed: the measurement starts at the page itself."""
    import re
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    form = ctx.request.get(f"{base}/join?class=BENCH").text()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form).group(1)
    learner = re.search(r'name="learner" value="([^"]+)"', form).group(1)
    done = ctx.request.post(f"{base}/join", form={"_xsrf": xsrf, "class": "BENCH", "name": "", "learner": learner},
                            max_redirects=0)
    assert done.status == 302, (done.status, done.text()[:300])


def measure(browser, url: str, selector: str, server: psutil.Process) -> tuple[float, float]:
    before = set(kernels(server))
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    join(ctx, url)
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


class Received:
    """Bytes a page received, HTTP (as sent, compressed) and websocket frames, counted through CDP."""

    def __init__(self, ctx, page) -> None:
        self.http = self.ws = 0
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda e: setattr(self, "http", self.http + e.get("encodedDataLength", 0)))
        cdp.on("Network.webSocketFrameReceived",
               lambda e: setattr(self, "ws", self.ws + len(e["response"].get("payloadData", ""))))

    @property
    def mb(self) -> float:
        return (self.http + self.ws) / 1e6


def measure_data(browser, url: str, server: psutil.Process, charts: bool) -> tuple[float, float, float, float]:
    """08 with the sample analysed: (seconds from Analyse to the analysis shown, page MB before data,
    page MB after, kernel RSS MB after)."""
    before = set(kernels(server))
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    join(ctx, url)
    page = ctx.new_page()
    got = Received(ctx, page)
    page.goto(url, wait_until="commit")
    sample = page.get_by_role("button", name="Use the sample data (synthetic)")
    sample.wait_for(state="visible", timeout=120_000)
    time.sleep(1.5)
    empty = got.mb
    sample.click()
    page.get_by_text("File loaded").first.wait_for(timeout=60_000)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Analyse").click()
    shown = ".lk-fx-trend .js-plotly-plot .scatterlayer" if charts else ".lk-fx-trend table"
    page.locator(shown).first.wait_for(state="attached", timeout=120_000)
    page.locator(".lk-fx-themes").first.wait_for(state="attached", timeout=60_000)
    elapsed = time.perf_counter() - t0
    time.sleep(2.0)
    new = [p for pid, p in kernels(server).items() if pid not in before]
    rss = max((p.memory_info().rss for p in new), default=0) / 1e6
    full = got.mb
    ctx.close()
    return elapsed, empty, full, rss


def feedback_with_data(browser, rounds: int, tmp: Path) -> dict[str, tuple[float, float, float, float]]:
    """Notebook 08 with the sample analysed, with and without its plotly charts: medians per variant."""
    servers = {}
    procs = []
    try:
        for label, charts in (("08 analysis, no plotly", False), ("08 analysis, plotly", True)):
            proc, base = start_server(tmp / ("plotly" if charts else "plain"),
                                      **({} if charts else {"LESSONKIT_FEEDBACK_CHARTS": "off"}))
            procs.append(proc)
            servers[label] = (charts, base, psutil.Process(proc.pid))
        results: dict[str, list[tuple[float, float, float, float]]] = {label: [] for label in servers}
        for r in range(rounds + 1):        # round 0 warms up each server
            for label, (charts, base, server) in servers.items():
                url = f"{base}/voila/render/{FEEDBACK_NOTEBOOK}?class=BENCH&learner=data-wombat-{r}"
                row = measure_data(browser, url, server, charts)
                if r:
                    results[label].append(row)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)

    return {label: tuple(statistics.median(col) for col in zip(*rows)) for label, rows in results.items()}


def print_data_table(med: dict, rounds: int) -> list[tuple[bool, str]]:
    """The table of 08 with data; returns its targets as (met, sentence)."""
    print(f"\nNotebook 08 with data: Use the sample data (504 responses) -> Analyse -> analysis shown ({rounds} "
          "rounds; page MB: everything the browser received, fresh profile)\n")
    header = f"{'variant':<24}{'analyse s':>10}{'page MB':>9}{'+ data MB':>11}{'= MB':>7}{'kernel MB':>11}"
    print(header)
    print("-" * len(header))
    for label, (t, empty, full, rss) in med.items():
        print(f"{label:<24}{t:>10.2f}{empty:>9.2f}{full - empty:>11.2f}{full:>7.2f}{rss:>11.0f}")
    (_t0, _e0, plain_full, plain_rss), (_t1, _e1, plotly_full, plotly_rss) = med.values()
    extra = plotly_full - plain_full
    print(f"\nplotly's cost on 08 with data: {extra:+.2f} MB page weight, {plotly_rss - plain_rss:+.0f} MB kernel RSS")
    return [(extra <= PLOTLY_WEIGHT_TARGET_MB, f"plotly adds <= {PLOTLY_WEIGHT_TARGET_MB} MB to 08's page with data "
                                                f"({extra:+.2f} MB)"),
            (plotly_rss <= DATA_RSS_TARGET_MB, f"08's kernel with the sample analysed <= {DATA_RSS_TARGET_MB} MB RSS "
                                               f"({plotly_rss:.0f} MB)")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="measure only pages whose label contains one of these")
    ap.add_argument("--no-data", action="store_true", help="skip notebook 08 with data (two more servers)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    pages = [BARE_PAGE, *lesson_pages()]
    if args.only:
        pages = [BARE_PAGE] + [p for p in pages[1:] if any(o in p[0] for o in args.only)]
    tmp = Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    proc, base = start_server(tmp)
    server = psutil.Process(proc.pid)
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in pages}
    data: dict | None = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _label, nb, query, selector in pages:  # warm-up: the first start of each pays the disk cache
                measure(browser, f"{base}/voila/render/{nb}?{query.format(n=10)}", selector, server)
            for r in range(args.rounds):  # interleaved, so drift in machine load hits every page alike
                for label, nb, query, selector in pages:
                    url = f"{base}/voila/render/{nb}?{query.format(n=11 + r)}"
                    results[label].append(measure(browser, url, selector, server))
            if not args.no_data:
                os.killpg(proc.pid, signal.SIGTERM)   # one server at a time on the machine
                proc.wait(timeout=30)
                data = feedback_with_data(browser, args.rounds, tmp)
            browser.close()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nPage load: navigation -> first interactive widget ({args.rounds} rounds, same server, "
          f"{os.cpu_count()} cores)\n")
    header = f"{'page':<24}{'median s':>9}{'min s':>7}{'max s':>7}{'x bare':>8}{'kernel MB':>11}  target"
    print(header)
    print("-" * len(header))
    bare = statistics.median(t for t, _ in results[BARE_PAGE[0]])
    worst_ratio, worst_rss = (0.0, ""), (0.0, "")
    for label, rows in results.items():
        times = [t for t, _ in rows]
        med, rss = statistics.median(times), statistics.median(r for _, r in rows)
        ratio = med / bare
        verdict = ""
        if label != BARE_PAGE[0]:
            verdict = "ok" if ratio <= RATIO_TARGET and rss <= RSS_TARGET_MB else "MISSED"
            worst_ratio, worst_rss = max(worst_ratio, (ratio, label)), max(worst_rss, (rss, label))
        print(f"{label:<24}{med:>9.2f}{min(times):>7.2f}{max(times):>7.2f}{ratio:>8.2f}{rss:>11.0f}  {verdict}")
    targets = [(worst_ratio[0] <= RATIO_TARGET, f"each lesson page <= {RATIO_TARGET} x the bare page's median "
                                                f"(slowest: {worst_ratio[1]}, {worst_ratio[0]:.2f})"),
               (worst_rss[0] <= RSS_TARGET_MB, f"each lesson page's kernel <= {RSS_TARGET_MB} MB RSS "
                                               f"(largest: {worst_rss[1]}, {worst_rss[0]:.0f} MB)")]
    if data is not None:
        targets += print_data_table(data, args.rounds)
    print("\ntargets")
    for met, sentence in targets:
        print(f"{'ok' if met else 'MISSED':<8}{sentence}")
    return 0 if all(met for met, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
