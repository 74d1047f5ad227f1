"""Students in real JupyterLab (Chromium): one learner per person, remembered across notebooks and kernel
restarts; a save leaves the lesson notebooks as shipped; a copied lesson folder reads its own content.

JupyterLab runs on a copy of the lesson folder (data/ and notebooks/ side by side, no LESSONKIT_DATA), with
the Jupyter Server configuration `make test` installs into .venv (lessonkit.lab's pre-save hook).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lessonkit import lab
from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS, free_port, stop_serve, wait_for_jupyter
from tests.browser.test_colour_days_browser import WEEK_A, pick_week
from tests.browser.test_self_assessment_browser import scale_button
from tests.helpers import ROOT, skip_or_fail

pytestmark = pytest.mark.browser

ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def open_in_lab(page, lab_url: str, path: str):
    """In the JupyterLab at `lab_url` (opened first if the page is elsewhere), save and close what is open,
    open the notebook at `path` as the only tab and run all its cells; returns the notebook's panel."""
    if "/lab" not in page.url:
        page.goto(lab_url)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
    page.evaluate("""async (path) => {
        const app = window.jupyterapp;
        await app.restored;
        if (app.shell.currentWidget && app.shell.currentWidget.context) {   // a student saves, then closes
            await app.commands.execute('docmanager:save');
        }
        await app.commands.execute('application:close-all');
        const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
        await w.context.ready; await w.sessionContext.ready;
        await app.commands.execute('notebook:run-all-cells');
    }""", path)
    panel = page.locator(ACTIVE)
    panel.locator(".lk-page").first.wait_for(timeout=90_000)
    return panel


class Lab:
    def __init__(self, tmp: Path, root: Path | None = None, **env: str) -> None:
        """JupyterLab on `root` (a lesson folder: data/ and notebooks/), by default a copy of the shipped lesson."""
        self.root = root or tmp / "my-lesson"
        if root is None:
            for part in ("data", "notebooks"):
                shutil.copytree(ROOT / part, self.root / part)
            _edit(self.root / "data" / "activities" / "colour-days.yaml", 'title: "What colour is Monday?"',
                  'title: "Our colours of the week"')   # the copy's own content, to see which data/ is read
        self.db_url = f"sqlite:///{tmp / 'class.db'}"
        self.token = "lab-" + os.urandom(8).hex()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        run_env = dict(os.environ, LESSONKIT_DB=self.db_url, LESSONKIT_LEARNER_FILE=str(tmp / "home" / "learner.json"),
                       JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
                       JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"),
                       JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"), PYTHONUNBUFFERED="1", **env)
        for var in ("LESSONKIT_DATA", "LESSONKIT_CLASS", *(() if "JUPYTERHUB_USER" in env else ("JUPYTERHUB_USER",))):
            run_env.pop(var, None)
        self.log = tmp / "lab.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterlab", "--no-browser", "--port", str(self.port), "--ip", "127.0.0.1",
                 "--allow-root", f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.root}",
                 "--expose-app-in-browser",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                stdout=out, stderr=subprocess.STDOUT, env=run_env, start_new_session=True)
        try:
            wait_for_jupyter(self.url, self.token, self.proc, self.log)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop_serve(self.proc)

    def open_lab(self, page, theme: str) -> None:
        """Open JupyterLab in `page` and switch it to `theme` ("JupyterLab Light" or "JupyterLab Dark")."""
        page.goto(f"{self.url}/lab?token={self.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
        page.evaluate("async (theme) => { await window.jupyterapp.restored; "
                      "await window.jupyterapp.commands.execute('apputils:change-theme', {theme}); }", theme)
        page.wait_for_function("(light) => document.body.dataset.jpThemeLight === light",
                               arg="true" if "Light" in theme else "false")

    def open(self, page, notebook: str):
        """Open a lesson notebook as the only tab and run it, as a student does; returns the notebook's panel."""
        return open_in_lab(page, f"{self.url}/lab?token={self.token}", f"notebooks/{notebook}")

    def restart_and_run(self, page):
        page.evaluate("""async () => {
            const w = window.jupyterapp.shell.currentWidget;
            await w.sessionContext.session.kernel.restart();
            await window.jupyterapp.commands.execute('notebook:run-all-cells');
        }""")
        return page.locator(ACTIVE)

    def save(self, page) -> None:
        page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hook_installed():
    installed = Path(sys.prefix) / "etc" / "jupyter" / lab.CONFIG_NAME
    if "lessonkit.lab.pre_save_hook" not in (installed.read_text() if installed.is_file() else ""):
        skip_or_fail("lessonkit's Jupyter Server configuration is not installed in this environment "
                     "(`make test` runs `python -m lessonkit.lab --install`)")


def test_one_student_is_one_learner_across_notebooks_restarts_and_saves(tmp_path, new_page, chromium_path,
                                                                       hook_installed):
    jl = Lab(tmp_path)
    try:
        page = new_page(width=1280, height=1000)
        panel = jl.open(page, "00-overview.ipynb")
        panel.get_by_text("Join the class").first.wait_for()
        panel.get_by_label("Class code").fill("LIB3")
        panel.get_by_label("Your name").fill("Robin")
        panel.get_by_role("button", name="Join").click()
        panel.get_by_text("You are Robin in class LIB3").wait_for()
        panel.get_by_text("0 of 10").first.wait_for()
        assert "code cell" not in panel.inner_text()
        assert page.locator(f"{ACTIVE} .jp-CodeCell .jp-InputArea:visible").count() == 0   # the code is hidden

        panel = jl.open(page, "05-colour-days.ipynb")               # another notebook: no join form
        panel.get_by_text("You are Robin in class LIB3").wait_for()
        panel.get_by_text("Our colours of the week").first.wait_for()   # the copied lesson's own content
        pick_week(panel, WEEK_A)

        panel = jl.open(page, "02-self-assessment.ipynb")
        panel.get_by_text("You are Robin in class LIB3").wait_for()
        statements = panel.locator(".lk-check-statement")
        statements.first.wait_for()
        for i in range(statements.count()):
            scale_button(statements.nth(i), "Usually").click()
        panel.get_by_role("button", name="Submit").click()
        panel.get_by_text("Saved at").first.wait_for()

        panel = jl.open(page, "05-colour-days.ipynb")
        panel = jl.restart_and_run(page)                              # a kernel restart, then Run All
        panel.get_by_text("You are Robin in class LIB3").wait_for()
        rows = panel.locator(".lk-swatches")
        rows.first.wait_for()
        for i, colour in enumerate(WEEK_A):                            # the answers are back
            rows.nth(i).get_by_role("radio", name=f"\u2713 {colour}", checked=True).wait_for()   # a11y script ran
        assert panel.locator(".lk-join").count() == 0
        jl.save(page)

        panel = jl.open(page, "00-overview.ipynb")
        panel.get_by_text("2 of 10").first.wait_for()
        link = panel.get_by_role("link", name=re.compile("05. Our colours of the week"))
        assert link.get_attribute("href") == "05-colour-days.ipynb"   # relative: opens beside it, no secret
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "jupyterlab-overview.png"))
        jl.save(page)
        time.sleep(1)

        store = ResponseStore(jl.db_url)
        try:
            learners = set(store.display_names("LIB3"))
            assert len(learners) == 1 and store.display_names("LIB3") == {next(iter(learners)): "Robin"}
            [me] = learners
            assert store.learner_activities("LIB3", me) >= {"colour-days", "self-assessment"}
        finally:
            store.close()
        for name in ("00-overview.ipynb", "05-colour-days.ipynb"):   # saved from JupyterLab: as shipped
            assert (jl.root / "notebooks" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes(), name
    finally:
        jl.stop()


def test_a_hub_login_alone_is_the_learner(tmp_path, new_page, chromium_path, hook_installed):
    jl = Lab(tmp_path, JUPYTERHUB_USER="robin.k@library.example.org.au")
    try:
        page = new_page(width=1280, height=1000)
        panel = jl.open(page, "05-colour-days.ipynb")
        panel.locator(".lk-header").get_by_text("in class HUB").wait_for()   # no form, no class setting
        assert panel.locator(".lk-join").count() == 0
        pick_week(panel, WEEK_A)
        panel = jl.restart_and_run(page)
        panel.locator(".lk-header").get_by_text("in class HUB").wait_for()
        panel.locator(".lk-swatches").first.get_by_role("radio", name="\u2713 Blue").wait_for()
        panel = jl.open(page, "00-overview.ipynb")
        panel.get_by_text("1 of 10").first.wait_for()
        store = ResponseStore(jl.db_url)
        try:
            assert len({a.learner for a in store.current("HUB", "colour-days")}) == 1
        finally:
            store.close()
    finally:
        jl.stop()


def test_the_educators_guide_copy_opens_in_jupyterlab(tmp_path, new_page, chromium_path, hook_installed):
    """docs/educators.md's worked example, run literally (copy, `lessonkit new`, the edits, `check`); then its
    new notebook, opened in JupyterLab from the copy with no setting, shows the copy's new activity."""
    from lessonkit.content import load
    from tests.remix_guide import run_guide, workspace

    work = workspace(tmp_path / "repo")
    run_guide(work)
    lesson = work / "my-lesson"
    quiz = load(lesson / "data" / "activities" / "returns-fines.yaml")
    jl = Lab(tmp_path, root=lesson)
    try:
        page = new_page(width=1280, height=1000)
        panel = jl.open(page, "11-returns-fines.ipynb")
        join = panel.get_by_label("Class code")
        if join.count():
            join.fill("LIB3")
            panel.get_by_label("Your name").fill("Robin")
            panel.get_by_role("button", name="Join").click()
        panel.locator(".lk-title", has_text=quiz.title).first.wait_for()
        panel.get_by_text(quiz.questions[0].prompt[:40]).first.wait_for()
        shown = panel.inner_text()
        assert not re.search(r"ContentError|file not found|Traceback|cannot be shown", shown), shown[:2000]
        assert page.locator(f"{ACTIVE} [data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    finally:
        jl.stop()


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_pages_read_in_jupyterlabs_light_and_dark_themes(theme, tmp_path, new_page, chromium_path, hook_installed):
    from tests.browser.conftest import axe_table, run_axe
    from tests.browser.test_keyboard_layout_browser import RING

    jl = Lab(tmp_path, JUPYTERHUB_USER="sam")
    try:
        page = new_page(width=1280, height=1000)
        jl.open_lab(page, theme)
        results = {}
        for notebook in ("05-colour-days.ipynb", "06-policy-procedure.ipynb"):
            panel = jl.open(page, notebook)
            panel.locator(".lk-board-box, .lk-disc").first.wait_for()
            if notebook.startswith("05"):
                pick_week(panel, WEEK_A)    # the board and the chosen swatches are drawn too
                # lessonkit-a11y.js runs in JupyterLab too: a day's swatches are a radio group, and an arrow key
                # moves along it and chooses (it does not move JupyterLab to another cell)
                monday = panel.locator(".lk-swatches").first
                monday.get_by_role("radio", name="\u2713 Blue", checked=True).focus()
                page.keyboard.press("ArrowRight")
                monday.get_by_role("radio", name="\u2713 Purple", checked=True).wait_for()
                assert page.evaluate("() => document.activeElement.textContent.trim()") == "Purple"
                ring = page.evaluate(RING)     # the focus ring against the theme's background
                assert ring["width"] >= 2 and ring["ratio"] >= 3, (theme, ring)
                page.keyboard.press("ArrowLeft")
                monday.get_by_role("radio", name="\u2713 Blue", checked=True).wait_for()
            else:
                panel.locator(".lk-sort-card").first.wait_for()
            page.wait_for_timeout(500)
            SHOTS.mkdir(parents=True, exist_ok=True)
            shot = SHOTS / f"jupyterlab-{theme.split()[-1].lower()}-{notebook[:2]}.png"
            page.screenshot(path=str(shot), full_page=True)
            results[f"{notebook[:2]} {theme}"] = run_axe(page, f"{ACTIVE} .lk-page")
            # the page's text is drawn in the theme's colours: light text on a dark theme, dark on a light one
            for sel in (".lk-title", ".lk-live", ".lk-header"):
                fg = page.evaluate(f"""() => {{
                    const c = getComputedStyle(document.querySelector('{ACTIVE} {sel}')).color;
                    const [r, g, b] = c.match(/[0-9.]+/g).map(Number);
                    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }}""")
                assert (fg > 0.6) if "Dark" in theme else (fg < 0.4), (notebook, sel, fg)
        assert all(not v for v in results.values()), axe_table(results) + '\n' + '\n'.join(
            f"{v['id']}: {n['target']} {n['html'][:150]} {n['summary'][:200]}"
            for vs in results.values() for v in vs for n in v['nodes'][:2])
    finally:
        jl.stop()
