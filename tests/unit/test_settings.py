"""lessonkit.settings: every variable read in one place, with its default; nothing below the edge reads them."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

import pytest

from lessonkit.settings import BINDER_ENV, VARIABLES, Settings, settings_for

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lessonkit"

# variable -> (field, its default, a value set, what the field then holds)
TABLE = {
    "LESSONKIT_DATA": ("data_dir", None, "/srv/lesson/data", Path("/srv/lesson/data")),
    "LESSONKIT_DB": ("db", None, "postgresql://db/lessons", "postgresql://db/lessons"),
    "LESSONKIT_DB_POOL_SIZE": ("db_pool_size", "", "3", "3"),
    "LESSONKIT_DB_MAX_OVERFLOW": ("db_max_overflow", "", "2", "2"),
    "LESSONKIT_EXPORTS": ("exports_dir", None, "/srv/exports", Path("/srv/exports")),
    "LESSONKIT_LEARNER_FILE": ("learner_file", None, "/home/a/learner.json", Path("/home/a/learner.json")),
    "LESSONKIT_CLASS": ("class_code", None, "lib3", "lib3"),
    "LESSONKIT_KEEP_DAYS": ("keep_days", 30, "14", 14),
    "LESSONKIT_TRAINER_KEY": ("trainer_key", "", "k3y-k3y-k3y", "k3y-k3y-k3y"),
    "LESSONKIT_JOIN_URL": ("join_url", None, "http://192.0.2.7:8866/join", "http://192.0.2.7:8866/join"),
    "LESSONKIT_PRESENT_URL": ("present_url", "", "http://127.0.0.1:8867/p", "http://127.0.0.1:8867/p"),
    "LESSONKIT_PLOTLY_JS": ("plotly_src", None, "/lessonkit/plotly.js", "/lessonkit/plotly.js"),
    "LESSONKIT_FEEDBACK_CHARTS": ("feedback_charts", True, "off", False),
    "JUPYTERHUB_USER": ("hub_user", "", "jsmith", "jsmith"),
    "VOILA_PREHEAT": ("voila_preheat", False, "True", True),
    "SERVER_SOFTWARE": ("server_software", "", "voila/0.5.13", "voila/0.5.13"),
    "VOILA_APP_IP": ("voila_app_ip", "127.0.0.1", "0.0.0.0", "0.0.0.0"),
    "VOILA_APP_PORT": ("voila_app_port", "8866", "9000", "9000"),
    "VOILA_WS_BASE_URL": ("voila_ws_base_url", None, "/ws/", "/ws/"),
    "VOILA_SERVER_URL": ("voila_server_url", "/", "/base/", "/base/"),
    "VOILA_WS_PROTOCOL": ("voila_ws_protocol", "ws", "wss", "wss"),
    "VOILA_KERNEL_ID": ("voila_kernel_id", "", "k-1", "k-1"),
    "QUERY_STRING": ("query_string", None, "class=LIB3", "class=LIB3"),
    "HTTP_X_LESSONKIT_SESSION": ("session_token", "", "t" * 43, "t" * 43),
    "SERVER_NAME": ("server_name", "", "192.0.2.7", "192.0.2.7"),
    "SERVER_PORT": ("server_port", "", "8866", "8866"),
    "SCRIPT_NAME": ("script_name", "", "/voila/render/lesson.ipynb", "/voila/render/lesson.ipynb"),
    **{name: ("binder", False, "https://mybinder.org/", True) for name in BINDER_ENV},
}


class Recording(dict):
    """An environment that notes every variable asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)


def test_the_table_names_every_variable_settings_reads():
    env = Recording()
    Settings.from_env(env)
    assert env.asked == set(VARIABLES) == set(TABLE)
    assert {f.name for f in fields(Settings)} == {field for field, *_ in TABLE.values()} | {"request_pending"}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_variable_with_its_default(name):
    field, default, value, parsed = TABLE[name]
    assert getattr(Settings.from_env({}), field) == default == getattr(Settings(), field)
    assert getattr(Settings.from_env({name: value}), field) == parsed
    others = {f.name for f in fields(Settings)} - {field, "request_pending"}
    changed = Settings.from_env({name: value})
    assert all(getattr(changed, o) == getattr(Settings(), o) for o in others)   # and nothing else


def test_blank_and_invalid_values_mean_the_default():
    blank = Settings.from_env({name: "" for name in TABLE if name not in ("VOILA_SERVER_URL", "VOILA_APP_IP")})
    assert blank.data_dir is None and blank.db is None and blank.exports_dir is None and blank.learner_file is None
    assert blank.join_url is None and blank.plotly_src is None and blank.keep_days == 30 and not blank.binder
    assert Settings.from_env({"LESSONKIT_KEEP_DAYS": "-1"}).keep_days == 30
    assert Settings.from_env({"LESSONKIT_KEEP_DAYS": "a week"}).keep_days == 30
    assert Settings.from_env({"LESSONKIT_KEEP_DAYS": "0"}).keep_days == 0          # kept until deleted
    assert Settings.from_env({"VOILA_PREHEAT": "true"}).voila_preheat is False     # Voila writes 'True'
    assert Settings.from_env({"LESSONKIT_FEEDBACK_CHARTS": "on"}).feedback_charts is True
    assert Settings.from_env({"LESSONKIT_EXPORTS": "~/x"}).exports_dir == Path("~/x").expanduser()


def test_a_preheated_kernel_waits_for_its_request_and_then_has_it():
    kernel = Settings.from_env({"VOILA_PREHEAT": "True", "LESSONKIT_CLASS": "LIB3", "SERVER_SOFTWARE": "voila/0.5"})
    assert kernel.request_pending and kernel.under_voila and kernel.query_string is None
    arrived = kernel.with_request({"QUERY_STRING": "s=abc", "HTTP_X_LESSONKIT_SESSION": "tok",
                                   "SERVER_NAME": "192.0.2.7", "PATH_INFO": "/ignored", "VOILA_PREHEAT": "False"})
    assert not arrived.request_pending and arrived.voila_preheat and arrived.class_code == "LIB3"
    assert (arrived.query_string, arrived.session_token, arrived.server_name) == ("s=abc", "tok", "192.0.2.7")
    # a mapping handed to an entry point already is the page's environment: nothing to wait for
    assert not Settings.of({"VOILA_PREHEAT": "True"}).request_pending
    assert Settings.of(arrived) is arrived


def test_entry_points_take_settings_else_env_else_the_process(monkeypatch):
    given = Settings(class_code="GIVEN")
    assert settings_for(given, {"LESSONKIT_CLASS": "ENV"}) is given
    assert settings_for(None, {"LESSONKIT_CLASS": "ENV"}).class_code == "ENV"
    monkeypatch.setenv("LESSONKIT_CLASS", "PROC")
    assert settings_for().class_code == "PROC"


# ---- the architecture: only the edge reads the environment -------------------------------------------------

# May read os.environ: the one reader, and the serving process building its children's environments.
EDGE = {
    "lessonkit/settings.py": "Settings.from_env(os.environ), and publish_request (a preheated kernel's request)",
    "lessonkit/server/launch.py": "`lessonkit serve` builds the environments of the Voilas it starts",
}
# May build this process's Settings (process_settings / settings_for): the entry points (the Voila server
# `lessonkit serve` starts, lessonkit/server/app.py, is a process of its own: its settings name the store).
ENTRY = {"lessonkit/cli.py", "lessonkit/server/launch.py", "lessonkit/server/app.py", "lessonkit/pages.py",
         "lessonkit/session.py", "lessonkit/trainer.py", "lessonkit/present.py", "lessonkit/settings.py"}
ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
SETTINGS_READERS = {"process_settings", "settings_for"}


def env_reads(source: str) -> tuple[list[int], list[int]]:
    """Lines of `source` that touch the environment (os.environ, os.getenv, ...), and that build this
    process's Settings (process_settings(), settings_for(...))."""
    tree = ast.parse(source)
    os_names = {"os"}
    direct, indirect = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_names |= {a.asname or a.name for a in node.names if a.name == "os"}
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.module in ("os", "posix") and names & ENV_NAMES:
                direct.append(node.lineno)
            if (node.module or "").endswith("settings") and names & SETTINGS_READERS:
                indirect.append(node.lineno)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in ENV_NAMES and isinstance(node.value, ast.Name)
                and node.value.id in os_names):
            direct.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in SETTINGS_READERS:   # settings.process_settings()
            indirect.append(node.lineno)
    return sorted(direct), sorted(indirect)


def modules() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_check_finds_each_way_of_reading_the_environment():
    for source in ("import os\nos.environ.get('X')", "import os\nx = os.getenv('X')", "import os as o\no.environ['X']",
                   "from os import environ", "from os import getenv as g", "import os\ndict(os.environ)",
                   "import os\nos.environ['X'] = '1'"):
        assert env_reads(source)[0], source
    assert env_reads("from .settings import process_settings")[1]
    assert env_reads("from ..settings import settings_for")[1]
    assert env_reads("from lessonkit.settings import process_settings as p")[1]
    assert env_reads("from . import settings\nsettings.process_settings()")[1]
    assert env_reads("import lessonkit.settings\nlessonkit.settings.settings_for(None)")[1]
    assert env_reads("import os\nos.getpid()\nenv = {}\nenv.get('X')") == ([], [])


def test_no_module_below_the_edge_reads_the_environment():
    found = {}
    for path, source in modules().items():
        direct, indirect = env_reads(source)
        if direct and path not in EDGE:
            found[path] = f"reads the environment (lines {direct})"
        elif indirect and path not in ENTRY:
            found[path] = f"builds this process's Settings below the edge (lines {indirect})"
    assert not found, ("take a Settings (lessonkit.settings) from the entry point instead: "
                       + "; ".join(f"{p} {why}" for p, why in found.items()))


def test_the_edge_and_the_entry_points_are_listed_as_they_are():
    sources = modules()
    assert all(p in sources and env_reads(sources[p])[0] for p in EDGE), "an EDGE module no longer reads it"
    stale = [p for p in ENTRY if p not in sources or env_reads(sources[p]) == ([], [])]
    assert not stale, f"no longer an entry point (builds no Settings): take it off ENTRY: {stale}"


def test_a_page_hands_its_settings_down_to_the_content_and_the_page_builder(store, tmp_path, monkeypatch):
    """The settings lk.activity runs with (LESSONKIT_DATA, LESSONKIT_FEEDBACK_CHARTS, ...) reach the content it
    reads and the kind's page builder (the Kind contract: page(content, store, learner, *, settings=None))."""
    import shutil

    import ipywidgets as widgets

    from lessonkit import pages
    from lessonkit.components.board import ClassBoard
    from lessonkit.components.feedback_explorer import FeedbackExplorer
    from lessonkit.components.page import find
    from tests.helpers import session_env

    data = tmp_path / "copied-lesson" / "data"
    shutil.copytree(ROOT / "data", data)
    yaml = data / "activities" / "colour-days.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('title: "What colour is Monday?"',
                                                             'title: "Our own colours"'), encoding="utf-8")
    settings = Settings.of({**session_env(store), "LESSONKIT_DATA": str(data), "LESSONKIT_FEEDBACK_CHARTS": "off"})
    given = []
    real = pages.builder

    def recording(kind):
        def build(content, store, learner, **kwargs):
            given.append((content.slug, kwargs))
            return real(kind)(content, store, learner, **kwargs)
        return build

    monkeypatch.setattr(pages, "builder", recording)
    page = pages.activity("colour-days", store=store, settings=settings)
    assert given == [("colour-days", {"settings": settings})]
    assert find(page, widgets.HTML, lambda w: "Our own colours" in w.value)   # the copy's YAML, not the repo's
    for board in find(page, ClassBoard):
        board.stop()
    forms = pages.activity("feedback-forms", store=store, settings=settings)
    assert given[-1] == ("feedback-forms", {"settings": settings})
    explorer = find(forms, FeedbackExplorer).assert_single()
    assert explorer._settings is settings and explorer._charts is False       # LESSONKIT_FEEDBACK_CHARTS=off
    assert explorer._sample is not None and explorer._sample.is_relative_to(data)
    for board in find(forms, ClassBoard):
        board.stop()
