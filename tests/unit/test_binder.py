"""Binder and hub deployment: environment.yml and postBuild as repo2docker reads them, the launch links,
and the note every page shows on Binder, where there is no class store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import ipywidgets as widgets
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from lessonkit.deploy import OVERVIEW, binder_url, nbgitpuller_url, on_binder
from lessonkit.pages import BINDER_NOTE, Page, overview, privacy_facts
from tests.helpers import ROOT, session_env, skip_or_fail

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the test extra installs tomli
    import tomli as tomllib

# PyPI requirement -> conda-forge package, where the two differ. conda-forge's psycopg depends on its
# libpq package, which is what the [binary] extra brings on PyPI.
PYPI_TO_CONDA = {"psycopg[binary]": "psycopg"}
ON_BINDER = {"BINDER_REQUEST": "v2/gh/lessonkit-project/lessonkit/HEAD", "BINDER_LAUNCH_HOST": "https://mybinder.org/"}

def link(store) -> dict:
    """A personal link's query (`?s=<token>`): how a learner who joined on Binder comes back."""
    from lessonkit.identity import SESSION_ENV

    return {"QUERY_STRING": f"s={session_env(store)[SESSION_ENV]}"}


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def _conda_name(req: Requirement) -> str:
    key = canonicalize_name(req.name) + (f"[{','.join(sorted(req.extras))}]" if req.extras else "")
    assert not req.extras or key in PYPI_TO_CONDA, f"say in PYPI_TO_CONDA how conda-forge provides {key}"
    return PYPI_TO_CONDA.get(key, key)


def _conda_specs() -> dict[str, str]:
    """environment.yml's conda packages as {name: version spec}, python and pip included."""
    specs = {}
    for entry in _environment()["dependencies"]:
        assert isinstance(entry, str), f"environment.yml: put pip packages in pyproject.toml, not {entry!r}"
        name, spec = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", entry.strip()).groups()
        assert canonicalize_name(name) not in specs, f"environment.yml lists {name} twice"
        specs[canonicalize_name(name)] = spec.strip()
    return specs


def _python_pin() -> str:
    pin = re.fullmatch(r"=(3\.\d+)(?:\.\*)?", _conda_specs()["python"])
    assert pin, f"pin python to one minor version (python=3.11), got {_conda_specs()['python']!r}"
    return pin.group(1)


def test_environment_yml_is_what_repo2docker_and_pyproject_expect():
    env = _environment()
    assert env["channels"] == ["conda-forge"]
    specs = _conda_specs()
    assert "pip" in specs  # repo2docker needs pip in the environment for postBuild's install
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert Version(_python_pin()) in SpecifierSet(project["requires-python"])

    wanted = {_conda_name(req): req for req in _runtime_requirements()}
    assert set(specs) - {"python", "pip"} == set(wanted), "environment.yml and pyproject.toml list different packages"
    for name, req in wanted.items():
        conda = SpecifierSet(specs[name])  # also proves conda's spec is plain PEP 440 (no "|", no "=1.2")
        # compatible: the environment allows nothing pyproject.toml rules out
        assert set(req.specifier) <= set(conda), f"environment.yml {name}{conda} is looser than {req}"


def _pip_requirements() -> list[str]:
    """environment.yml as pip requirements: PyPI names (with extras), environment.yml's versions."""
    specs = _conda_specs()
    return [f"{req.name}{'[' + ','.join(sorted(req.extras)) + ']' if req.extras else ''}{specs[_conda_name(req)]}"
            for req in _runtime_requirements()]


@pytest.mark.network   # pip resolves environment.yml against the public index, as Binder does
def test_environment_resolves_to_versions_pyproject_accepts(tmp_path):
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    try:
        urllib.request.urlopen(urllib.request.Request(f"{index}/pip/", method="HEAD"), timeout=10).close()
    except (urllib.error.URLError, OSError) as exc:
        skip_or_fail(f"the package index {index} is not reachable ({exc}), so environment.yml cannot be resolved")
    # What Binder sees: the public index alone, none of this machine's pip config, find-links or constraints.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in ("PIP_CERT", "PIP_INDEX_URL")}
    env["PIP_CONFIG_FILE"] = os.devnull
    report = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--no-input",
           "--disable-pip-version-check", "--index-url", index, "--report", str(report), "--retries", "2",
           "--timeout", "30", "--python-version", _python_pin(), "--only-binary=:all:", *_pip_requirements()]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"pip could not resolve environment.yml:\n{done.stderr[-3000:]}"
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    resolved = {canonicalize_name(i["metadata"]["name"]): i for i in installs}
    for req in _runtime_requirements():
        got = resolved[canonicalize_name(req.name)]
        assert req.specifier.contains(got["metadata"]["version"], prereleases=True), (req, got["metadata"]["version"])
        assert set(req.extras) <= set(got.get("requested_extras") or ()), req


def test_postbuild_is_executable_bash_that_installs_the_package(tmp_path):
    script = ROOT / "postBuild"
    assert os.access(script, os.X_OK)
    tracked = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode == 0 and tracked.stdout:
        assert tracked.stdout.startswith("100755 "), "git must record postBuild as executable"
    text = script.read_text(encoding="utf-8")
    assert text.splitlines()[0] in ("#!/usr/bin/env bash", "#!/bin/bash")
    assert "set -e" in text  # a failed install fails the Binder build instead of launching without lessonkit
    subprocess.run(["bash", "-n", str(script)], check=True)

    # Run it with stand-ins for python and pip that record how they were called.
    bin_dir, log = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    for name in ("python", "python3", "pip", "pip3"):
        fake = bin_dir / name
        fake.write_text(f'#!/usr/bin/env bash\nprintf "%s|%s|%s\\n" "$PWD" {name} "$*" >> "{log}"\n')
        fake.chmod(0o755)
    subprocess.run(["bash", str(script)], cwd=ROOT, check=True, timeout=30,
                   env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    calls = [line.split("|") for line in log.read_text().splitlines()]
    installs = [args.split() for cwd, prog, args in calls if Path(cwd) == ROOT and "install" in args.split()]
    assert installs and any(args[-1] == "." for args in installs), calls


def test_binder_url_opens_a_page_in_voila():
    assert binder_url("lessonkit-project/lessonkit") == (
        "https://mybinder.org/v2/gh/lessonkit-project/lessonkit/HEAD"
        "?urlpath=voila%2Frender%2Fnotebooks%2F00-overview.ipynb")
    assert binder_url("org/repo", ref="feature/x", page="notebooks/05-colour-days.ipynb") == (
        "https://mybinder.org/v2/gh/org/repo/feature%2Fx?urlpath=voila%2Frender%2Fnotebooks%2F05-colour-days.ipynb")
    for bad in ({"repo": "https://github.com/org/repo"}, {"repo": "org"}, {"repo": "org/repo", "ref": "a b"},
                {"repo": "org/repo", "page": "../secret.ipynb"}, {"repo": "org/repo", "page": "notebooks/x.py"}):
        with pytest.raises(ValueError):
            binder_url(**bad)


def test_readme_binder_links_are_binder_url_and_none_is_a_placeholder_badge():
    """The repository does not say where it is published, so the README has no badge to a made-up home: it
    shows how to print the link for one's own copy (tests/test_readme.py runs that command)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s`]+", readme)
    assert links, "README.md shows no mybinder.org link"
    for link in links:
        repo, ref = re.match(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?]+)\?", link).groups()
        assert link == binder_url(repo, unquote(ref))
        assert repo == "YOUR-GITHUB-NAME/lessonkit", f"{link} points at a repository the project does not name"
        page = parse_qs(urlsplit(link).query)["urlpath"][0].removeprefix("voila/render/")
        assert (ROOT / page).is_file(), f"the Binder link opens {page}, which does not exist"
    assert "[![Binder]" not in readme.replace("[![Binder](https://mybinder.org/badge_logo.svg)](LINK)", "")


def test_nbgitpuller_url_pulls_the_repo_and_opens_the_overview_in_voila():
    url = nbgitpuller_url("https://hub.example.org/", "https://github.com/YOUR-ORG/lessonkit")
    assert url == ("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FYOUR-ORG"
                   "%2Flessonkit&urlpath=voila%2Frender%2Flessonkit%2Fnotebooks%2F00-overview.ipynb&branch=main")
    query = parse_qs(urlsplit(url).query)
    assert query == {"repo": ["https://github.com/YOUR-ORG/lessonkit"],
                     "urlpath": ["voila/render/lessonkit/notebooks/00-overview.ipynb"], "branch": ["main"]}
    other = parse_qs(urlsplit(nbgitpuller_url("https://example.org/jhub", "https://git.example.org/x/lk.git",
                                              branch="term-2", folder="lesson", page="notebooks/05-colour-days.ipynb")
                              ).query)
    assert other == {"repo": ["https://git.example.org/x/lk.git"], "branch": ["term-2"], "targetpath": ["lesson"],
                     "urlpath": ["voila/render/lesson/notebooks/05-colour-days.ipynb"]}
    assert nbgitpuller_url("https://example.org/jhub", "https://github.com/o/lessonkit.git").startswith(
        "https://example.org/jhub/hub/user-redirect/git-pull?repo=")
    for hub, repo in (("hub.example.org", "https://github.com/o/r"), ("https://hub.example.org?x=1", "https://github.com/o/r"),
                      ("https://hub.example.org", "o/r")):
        with pytest.raises(ValueError):
            nbgitpuller_url(hub, repo)


def test_the_hub_guide_uses_the_links_lessonkit_makes():
    guide = (ROOT / "docs" / "jupyterhub.md").read_text(encoding="utf-8")
    links = re.findall(r"https://hub\.example\.org/hub/user-redirect/git-pull\?[^\s)`\"']+", guide)
    assert links, "docs/jupyterhub.md shows no nbgitpuller link"
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert link == nbgitpuller_url("https://hub.example.org", query["repo"][0], branch=query["branch"][0])
    assert (ROOT / OVERVIEW).is_file()


def test_on_binder_reads_what_binderhub_sets():
    assert not on_binder({})
    assert not on_binder({"BINDER_REQUEST": ""})  # BinderHub leaves unknown values empty
    assert on_binder({"BINDER_LAUNCH_HOST": "https://mybinder.org/"})
    assert on_binder({"BINDER_SERVICE_HOST": "10.0.0.1"})


def _texts(page: Page) -> str:
    return "".join(w.value for w in page.children if isinstance(w, widgets.HTML))


def test_every_page_on_binder_says_answers_stay_in_this_session(store, tmp_path):
    page = Page(lambda learner: widgets.Label("activity"), store, env={**ON_BINDER, **link(store)})
    html = _texts(page)
    assert "<p class='lk-note lk-binder-note' role='note'>" in html
    assert "kept only in this temporary session" in BINDER_NOTE
    assert "not shared with a class or a trainer" in BINDER_NOTE
    assert "vanish when the session ends" in BINDER_NOTE and "sample class" in BINDER_NOTE
    assert html.index("lk-header") < html.index("lk-binder-note")  # near the top, before the activity
    assert page.children[-1].value == "activity"

    binder = {**ON_BINDER, "LESSONKIT_LEARNER_FILE": str(tmp_path / "learner.json")}   # never the user's own
    joining = Page(lambda learner: widgets.Label("activity"), store, env=binder)  # no link: the join form
    assert "lk-binder-note" in _texts(joining)
    assert joining.join_form.class_code.value == "PRACTICE"  # no trainer on Binder to hand out a code
    joining.join_form.join()
    assert "lk-binder-note" in _texts(joining) and joining.learner.class_code == "PRACTICE"
    assert (tmp_path / "learner.json").is_file()   # remembered for the Binder session, in its own file


def test_the_note_is_escaped(store, monkeypatch):
    monkeypatch.setattr("lessonkit.pages.BINDER_NOTE", "a <b> & c")
    html = _texts(Page(lambda learner: widgets.Label("x"), store, env={**ON_BINDER, **link(store)}))
    assert "a &lt;b&gt; &amp; c" in html and "<b>" not in html


def test_no_binder_note_off_binder_or_with_a_class_store(store):
    assert "lk-binder-note" not in _texts(Page(lambda learner: widgets.Label("x"), store, env=link(store)))
    assert Page(lambda learner: widgets.Label("x"), store, env={}).join_form.class_code.value == ""

    class ClassStore:  # a Binder that was given a shared class store: answers are shared, so no note
        kind = "postgresql"

        def display_names(self, class_code):
            return {}

        def session(self, token):
            return ("LIB3", "teal-wombat-42") if token == "shared-store-token" else None

    assert "lk-binder-note" not in _texts(Page(lambda learner: widgets.Label("x"), ClassStore(),
                                               env={**ON_BINDER, "QUERY_STRING": "s=shared-store-token"}))


def test_the_overview_privacy_facts_on_binder(store, monkeypatch):
    for name, value in ON_BINDER.items():
        monkeypatch.setenv(name, value)
    facts = privacy_facts(store)
    assert "only in this temporary Binder session" in facts and "no class or trainer sees them" in facts
    html = overview(store=store, env={**ON_BINDER, **link(store)}).content_widget.value
    assert "temporary Binder session" in html
    assert "database file on the computer" in privacy_facts(store, env={})
