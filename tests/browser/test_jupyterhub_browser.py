"""A real JupyterHub (docs/jupyterhub.md, as tested): students and a trainer log in, in Chromium.

JupyterHub from PyPI and configurable-http-proxy from npm (both installed by `make test`) run on
127.0.0.1 with a local process spawner (each user a single-user Jupyter server in a home folder of
their own, the lesson copied into it as nbgitpuller would) and JupyterHub's test ("dummy")
authenticator. The class store is the real PostgreSQL from `.ci/pg-setup.sh`, set up as the guide
says: tables made by `lessonkit upgrade` as the owner, a student role with only the guide's grants.
The single-user servers get the guide's environment and the Jupyter settings its image line installs;
the trainer's server gets the key and the owner's database from the guide's pre-spawn hook, run as
written.

Two students each open notebooks in JupyterLab and a page in the hub's Voila: their answers land in
PostgreSQL under two learners (one each, across JupyterLab and Voila), a student's server refuses
the trainer dashboard, and the trainer's dashboard shows both students.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser.conftest import SHOTS, free_port, stop_serve
from tests.browser.test_colour_days_browser import WEEK_A, pick_week
from tests.browser.test_jupyterlab_browser import open_in_lab
from tests.browser.test_self_assessment_browser import scale_button
from tests.conftest import guide_grants, pg_cluster_for, pg_test_url
from tests.helpers import ROOT, skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

GUIDE = ROOT / "docs" / "jupyterhub.md"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "lesson-" + secrets.token_hex(4)
STUDENTS = ("ana", "ben")
TRAINER = "tess"
CLASS = "LIB3"


def guide_block(language: str, containing: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(rf"```{language}\n(.*?)```", text, re.S) if containing in b]
    assert blocks, f"docs/jupyterhub.md has no {language} block with {containing!r}"
    return blocks[0]


def guide_student_env() -> dict[str, str]:
    """The plain values of the guide's singleuser.extraEnv (the secrets and the content path are this test's)."""
    import yaml

    extra = yaml.safe_load(guide_block("yaml", "singleuser:"))["singleuser"]["extraEnv"]
    return {k: v for k, v in extra.items() if isinstance(v, str) and k != "LESSONKIT_DATA"}


def guide_pre_spawn_hook() -> str:
    """The guide's extraConfig code, for the local spawner instead of KubeSpawner."""
    import yaml

    config = yaml.safe_load(guide_block("yaml", "extraConfig:"))["hub"]["extraConfig"]
    [code] = config.values()
    assert "c.KubeSpawner.pre_spawn_hook" in code
    return code.replace("c.KubeSpawner.pre_spawn_hook", "c.Spawner.pre_spawn_hook")


def guide_image_install() -> list[str]:
    """The lessonkit line of the guide's image (`python -m lessonkit.lab --install ...`), as arguments."""
    [line] = [ln for ln in guide_block("dockerfile", "FROM").splitlines() if "lessonkit.lab" in ln]
    return line.split("python", 1)[1].split()


class Hub:
    def __init__(self, tmp: Path, student_url: str, owner_url: str) -> None:
        self.tmp, self.key = tmp, secrets.token_urlsafe(16)
        prefix = tmp / "image"          # the image's Jupyter settings, as the guide's Dockerfile installs them
        subprocess.run([sys.executable, *guide_image_install(), "--prefix", str(prefix)], check=True, timeout=120)
        for user in (*STUDENTS, TRAINER):   # what nbgitpuller clones into each home: ~/lessonkit
            for part in ("data", "notebooks", "trainer"):
                shutil.copytree(ROOT / part, tmp / "home" / user / "lessonkit" / part)
        self.port, api = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**guide_student_env(), "LESSONKIT_DB": student_url,
               "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
               "JUPYTER_PATH": str(prefix / "share" / "jupyter")}
        singleuser = Path(sys.executable).with_name("jupyterhub-singleuser")
        (tmp / "jupyterhub_config.py").write_text(f"""
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api}"
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{tmp / 'cookie_secret'}"
c.JupyterHub.pid_file = "{tmp / 'hub.pid'}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = {set((*STUDENTS, TRAINER))!r}
c.JupyterHub.load_groups = {{"lessonkit-trainers": {{"users": [{TRAINER!r}]}}}}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp / 'home'}/{{username}}"
c.Spawner.cmd = [{str(singleuser)!r}]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True",
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.Spawner.environment = {env!r}
""" + guide_pre_spawn_hook(), encoding="utf-8")
        hub_env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("LESSONKIT_", "JUPYTERHUB_", "JUPYTER_"))}
        hub_env.update(LESSONKIT_TRAINER_KEY=self.key, LESSONKIT_OWNER_DB=owner_url,
                       PATH=f"{Path(sys.executable).parent}:{hub_env.get('PATH', '')}")
        self.log = tmp / "hub.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(tmp / "jupyterhub_config.py")],
                                         cwd=tmp, stdout=out, stderr=subprocess.STDOUT, env=hub_env,
                                         start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/hub/api", timeout=2).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"JupyterHub did not start:\n{self.log.read_text()[-4000:]}")
                time.sleep(0.5)

    def login(self, page, user: str) -> str:
        """Log in through the hub's form; returns once the user's JupyterLab is up (their server spawned)."""
        page.goto(f"{self.url}/hub/login")
        page.locator("#username_input").fill(user)
        page.locator("#password_input").fill(PASSWORD)
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=180_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
        return f"{self.url}/user/{user}/lab"

    def stop(self) -> None:
        stop_serve(self.proc, timeout=30)
        # The hub stops the single-user servers as it shuts down; any it left (each runs in its home) go too.
        import psutil

        homes = str(self.tmp / "home")
        for p in psutil.process_iter():
            try:
                if p.cwd().startswith(homes):
                    p.kill()
            except psutil.Error:
                pass


@pytest.fixture
def class_store(tmp_path):
    """The guide's database setup on the test server: owner-made tables, a student role with the guide's grants."""
    owner_url = pg_test_url()
    cluster = pg_cluster_for(owner_url)
    engine = sa.create_engine(owner_url, poolclass=sa.pool.NullPool)
    metadata = sa.MetaData()
    metadata.reflect(engine, only=lambda name, _: name.startswith("lk_"))
    metadata.drop_all(engine)
    subprocess.run([sys.executable, "-m", "lessonkit.cli", "upgrade", "--db", owner_url], check=True, timeout=120,
                   capture_output=True)
    role, password = f"lk_hub_student_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    cluster.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}';")
    with engine.begin() as conn:
        for statement in guide_grants():
            conn.exec_driver_sql(statement.replace("lessonkit_student", role))
    student_url = sa.make_url(owner_url).set(username=role, password=password).render_as_string(hide_password=False)
    try:
        yield owner_url, student_url, engine
    finally:
        engine.dispose()
        cluster.sql(f"DROP OWNED BY {role}; DROP ROLE {role};", database=sa.make_url(owner_url).database)


def test_two_students_and_a_trainer_on_a_real_hub(tmp_path, new_page, chromium_path, class_store):
    if not PROXY.exists():
        skip_or_fail("configurable-http-proxy is not installed (`make test` runs npm ci)")
    owner_url, student_url, engine = class_store
    hub = Hub(tmp_path, student_url, owner_url)
    try:
        shown = {}
        for user in STUDENTS:
            page = new_page(width=1280, height=1000)
            lab = hub.login(page, user)
            panel = open_in_lab(page, lab, "lessonkit/notebooks/05-colour-days.ipynb")
            header = panel.locator(".lk-header").get_by_text(f"in class {CLASS}")
            header.wait_for()                               # the hub login is the learner: no join form
            assert panel.locator(".lk-join").count() == 0
            shown[user] = panel.locator(".lk-header").inner_text()
            pick_week(panel, WEEK_A)

            voila = page.context.new_page()          # the hub's Voila, in a second tab (same login)
            voila.set_default_timeout(120_000)
            voila.goto(f"{hub.url}/user/{user}/voila/render/lessonkit/notebooks/02-self-assessment.ipynb")
            voila.get_by_text(f"in class {CLASS}").first.wait_for()
            assert shown[user].split(" in class")[0] in voila.locator(".lk-header").first.inner_text()  # same learner
            voila.get_by_role("main").wait_for()                       # lessonkit's page template
            assert voila.locator(".lk-join").count() == 0
            statements = voila.locator(".lk-check-statement")
            statements.first.wait_for()
            for i in range(statements.count()):
                scale_button(statements.nth(i), "Usually").click()
            voila.get_by_role("button", name="Submit").click()
            voila.get_by_text("Saved at").first.wait_for()

            # The trainer's address, even with the right key, shows nothing on a student's server.
            voila.goto(f"{hub.url}/user/{user}/voila/render/lessonkit/trainer/11-trainer-dashboard.ipynb?key={hub.key}")
            voila.get_by_text("This dashboard is for the trainer").wait_for()
            assert voila.get_by_text(f"learners in class {CLASS}").count() == 0
        assert shown["ana"] != shown["ben"]

        with engine.connect() as conn:
            learners = {a: set(conn.execute(sa.text(
                "SELECT DISTINCT learner FROM lk_current WHERE class_code = :c AND activity = :a"),
                {"c": CLASS, "a": a}).scalars()) for a in ("colour-days", "self-assessment")}
            accounts = conn.execute(sa.text("SELECT learner FROM lk_accounts WHERE class_code = :c"),
                                    {"c": CLASS}).scalars().all()
            logins_stored = conn.execute(sa.text("SELECT count(*) FROM lk_accounts WHERE account_hash IN :n")
                                         .bindparams(sa.bindparam("n", expanding=True)), {"n": list(STUDENTS)}).scalar()
        assert len(learners["colour-days"]) == 2
        assert learners["colour-days"] == learners["self-assessment"] == set(accounts)
        assert logins_stored == 0                              # a hash of the login, never the login

        page = new_page(width=1280, height=1000)
        hub.login(page, TRAINER)
        page.goto(f"{hub.url}/user/{TRAINER}/voila/render/lessonkit/trainer/11-trainer-dashboard.ipynb?key={hub.key}")
        page.get_by_text(f"2 learners in class {CLASS}").wait_for(timeout=120_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "jupyterhub-trainer-dashboard.png"))
    finally:
        hub.stop()
